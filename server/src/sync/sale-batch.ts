import { clientTempIdOf, parseOfflineSale } from "./offline-sale.schema";
import { type PreparedSale, prepareSale } from "./prepared-sale";
import { answerReplay } from "./replay";
import type { SaleOutcome } from "./sync.types";

/**
 * A request's sales, validated and prepared: invalid ones already answered, the first of each
 * clientTempId to be written, the later ones answered from it by the replay rule once it is.
 */
export type SaleBatch = {
  outcomes: SaleOutcome[];
  /** The sales to write, each clientTempId once, in request order. */
  unique: PreparedSale[];
  complete(written: SaleOutcome[]): SaleOutcome[];
};

export function prepareSaleBatch(rawSales: unknown[]): SaleBatch {
  const outcomes = new Array<SaleOutcome>(rawSales.length);
  const firstByTempId = new Map<string, number>();
  const duplicates: number[] = [];
  const prepared: PreparedSale[] = [];
  const preparedIndex: number[] = [];
  rawSales.forEach((raw, index) => {
    const parsed = parseOfflineSale(raw);
    if (!parsed.ok) {
      outcomes[index] = { kind: "error", clientTempId: clientTempIdOf(raw), error: parsed.error, retryable: false, code: "INVALID_SALE" };
      return;
    }
    const sale = prepareSale(parsed.sale);
    prepared[index] = sale;
    if (firstByTempId.has(sale.clientTempId)) {
      duplicates.push(index);
    } else {
      firstByTempId.set(sale.clientTempId, index);
      preparedIndex.push(index);
    }
  });
  return {
    outcomes,
    unique: preparedIndex.map((i) => prepared[i]),
    complete(written) {
      preparedIndex.forEach((index, k) => (outcomes[index] = written[k]));
      for (const index of duplicates) {
        const sale = prepared[index];
        const firstIndex = firstByTempId.get(sale.clientTempId)!;
        outcomes[index] = answerReplay(sale, { fingerprint: prepared[firstIndex].fingerprint, outcome: outcomes[firstIndex] });
      }
      return outcomes;
    },
  };
}
