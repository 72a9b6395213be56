import { InvalidSaleError, type PosClient, type RefundRecord, centsToAmount, formatCents, lineTotalCents, toBasisPoints, toCents } from "@pos-sync/client";
import { useState } from "react";
import { useSyncStatus } from "../use-pos-client";
import type { ListedSale } from "./sale-details";

/** The refunds this till made of a sale, with their state (from the outbox: pending until the server has them). */
export function refundsOf(pos: PosClient, sale: ListedSale): RefundRecord[] {
  return pos
    .entityRecords()
    .filter((r): r is RefundRecord => r.kind === "refund")
    .filter((r) => ("clientTempId" in r.refund.sale ? r.refund.sale.clientTempId === sale.clientTempId : r.refund.sale.serverId === sale.id));
}

/** The sale's refunds; re-read whenever the sync status changes (a refund sent changes the counts). */
export function SaleRefunds({ pos, sale }: { pos: PosClient; sale: ListedSale }) {
  useSyncStatus(pos);
  const refunds = refundsOf(pos, sale);
  if (refunds.length === 0) return null;
  return (
    <ul className="sale-refunds">
      {refunds.map((r) => (
        <li key={r.clientTempId} data-refund-state={r.state} className="sale-refund">
          Refund −{formatCents(toCents(r.refund.totalAmount))} · <span className={`badge ${r.state === "synced" ? "synced" : r.state === "failed" ? "failed" : "pending"}`}>{r.state === "synced" ? "Synced" : r.state === "failed" ? "Rejected" : "Pending"}</span>
          {r.refund.restock && <span className="muted"> · restocked</span>}
        </li>
      ))}
    </ul>
  );
}

type Picked = Record<string, number>;

/**
 * Refund on a sale row: how many of each line go back, restock or not, why; the money goes back
 * in cash by the sale's own line rule. Offline too: the refund waits in the outbox, after its sale.
 */
export function RefundPanel({ pos, sale, productName, onDone }: { pos: PosClient; sale: ListedSale; productName: (id: string) => string; onDone: () => void }) {
  const [picked, setPicked] = useState<Picked>({});
  const [restock, setRestock] = useState(true);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const lines = sale.items
    .map((item) => ({ item, quantity: picked[item.product.id] ?? 0 }))
    .filter((l) => l.quantity > 0)
    .map(({ item, quantity }) => ({
      productId: item.product.id,
      quantity,
      amount: centsToAmount(lineTotalCents(toCents(item.price), quantity, toBasisPoints(item.discountPercent))),
    }));
  const totalCents = lines.reduce((sum, l) => sum + toCents(l.amount), 0);
  const refund = async () => {
    setProblem(null);
    try {
      await pos.refundSale(sale.id, lines, { restock, reason: reason.trim() || undefined, payments: [{ method: "CASH", amount: centsToAmount(totalCents) }] });
      onDone();
    } catch (error) {
      setProblem(error instanceof InvalidSaleError ? error.message : String(error));
    }
  };
  return (
    <div className="refund-panel" role="group" aria-label="Refund">
      {sale.items.map((item) => (
        <label key={item.id} className="refund-line">
          {productName(item.product.id)} (sold {item.quantity})
          <input
            type="number"
            min={0}
            max={item.quantity}
            step={1}
            value={picked[item.product.id] ?? 0}
            aria-label={`Refund how many ${productName(item.product.id)}`}
            onChange={(e) => setPicked({ ...picked, [item.product.id]: Math.max(0, Math.min(item.quantity, Math.floor(Number(e.target.value) || 0))) })}
          />
        </label>
      ))}
      <label className="inline">
        <input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} /> Put back in stock
      </label>
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </label>
      <div className="actions">
        <button className="danger" disabled={lines.length === 0} onClick={() => void refund()}>
          Refund {formatCents(totalCents)} in cash
        </button>
        <button className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {problem && <p role="alert" className="alert">{problem}</p>}
    </div>
  );
}
