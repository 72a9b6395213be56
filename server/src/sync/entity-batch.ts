import { isConnectionError, sqlStateOf } from "../db/transaction";
import { ServiceUnavailableError } from "../shared/errors";
import { type EntityKind, type EntityOutcome, answerInRequestDuplicate } from "./entity-outcome";
import { clientTempIdOf } from "./offline-sale.schema";

type Prepared = { clientTempId: string; fingerprint: string };
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A request's customers or refunds, validated: invalid ones answered at once, the first of each
 * clientTempId to be written, the later ones answered from it by the replay rule.
 */
export type EntityBatch<T extends Prepared> = { unique: T[]; complete(written: EntityOutcome[]): EntityOutcome[] };

export function prepareEntityBatch<T extends Prepared>(kind: EntityKind, raws: unknown[], parse: (raw: unknown) => Parsed<T>): EntityBatch<T> {
  const outcomes = new Array<EntityOutcome>(raws.length);
  const first = new Map<string, number>();
  const prepared: T[] = [];
  const uniqueIndex: number[] = [];
  const duplicates: number[] = [];
  raws.forEach((raw, index) => {
    const parsed = parse(raw);
    if (!parsed.ok) {
      outcomes[index] = { kind: "error", clientTempId: clientTempIdOf(raw), error: parsed.error, retryable: false, code: kind === "refund" ? "INVALID_REFUND" : "INVALID_CUSTOMER" };
      return;
    }
    prepared[index] = parsed.value;
    if (first.has(parsed.value.clientTempId)) duplicates.push(index);
    else first.set(parsed.value.clientTempId, index), uniqueIndex.push(index);
  });
  return {
    unique: uniqueIndex.map((i) => prepared[i]),
    complete(written) {
      uniqueIndex.forEach((index, k) => (outcomes[index] = written[k]));
      for (const index of duplicates) {
        const p = prepared[index];
        const f = first.get(p.clientTempId)!;
        outcomes[index] = answerInRequestDuplicate(kind, p.clientTempId, p.fingerprint, prepared[f].fingerprint, outcomes[f]);
      }
      return outcomes;
    },
  };
}

/**
 * Writes `items` with `write` (one transaction); when that fails for a reason other than a lost
 * connection, in halves, recursing into the half that fails, like the sales' fallback.
 */
export async function writeBisected<T, O>(items: T[], write: (part: T[]) => Promise<O[]>, failedOne: (item: T, error: unknown) => O): Promise<O[]> {
  if (items.length === 0) return [];
  try {
    return await write(items);
  } catch (error) {
    if (isConnectionError(error)) throw new ServiceUnavailableError("The database is unavailable; retry later.");
    if (items.length === 1) return [failedOne(items[0], error)];
    const middle = Math.ceil(items.length / 2);
    return [...(await writeBisected(items.slice(0, middle), write, failedOne)), ...(await writeBisected(items.slice(middle), write, failedOne))];
  }
}

/** A customer or refund that failed alone: a data exception is permanent, anything else retryable. */
export function failedEntity(kind: EntityKind, clientTempId: string, error: unknown): EntityOutcome {
  const state = sqlStateOf(error);
  if (state === "22003") {
    const message = `Invalid ${kind}: quantities push a product's stock past the range the server can count; it was not saved`;
    return { kind: "error", clientTempId, error: message, retryable: false, code: "OUT_OF_RANGE" };
  }
  if (state?.startsWith("22")) {
    return { kind: "error", clientTempId, error: `Invalid ${kind}: a value cannot be stored by the server; it was not saved`, retryable: false, code: "UNSTORABLE" };
  }
  const message = `The server could not record this ${kind}; it was not saved. Retry later.`;
  return { kind: "error", clientTempId, error: message, retryable: true, code: "SERVER_ERROR" };
}
