import { formatCents, toCents } from "@pos-sync/client";
import { useEffect, useId, useRef } from "react";
import type { TillSession } from "../pairing/till-session";
import { money } from "../format";
import type { ListedSale } from "./sale-details";

export type ReceiptFacts = { cashier: string | null; receipt: string | null; productName: (productId: string) => string };

/**
 * The printable receipt of one sale: shop, till, cashier, date, lines with their discounts, the
 * total, the till's receipt number (known at once, offline too) and the order number once synced.
 * A modal dialog on screen; on paper (the print stylesheet) nothing but the receipt is printed.
 */
export function Receipt({ sale, session, facts, onClose }: { sale: ListedSale; session: TillSession; facts: ReceiptFacts; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog ref={dialog} className="receipt-dialog" aria-labelledby={titleId} onClose={onClose}>
      <ReceiptBody sale={sale} session={session} facts={facts} titleId={titleId} />
      <div className="actions no-print">
        <button className="primary" onClick={() => window.print()}>
          Print
        </button>
        <button className="secondary" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}

function ReceiptBody({ sale, session, facts, titleId }: { sale: ListedSale; session: TillSession; facts: ReceiptFacts; titleId: string }) {
  // In cents, as every amount is reckoned: list price times quantity, less what the line came to.
  const discountCents = sale.items.reduce((sum, line) => sum + toCents(line.price) * line.quantity - toCents(line.lineTotal), 0);
  return (
    <article className="receipt" data-testid="receipt">
      <header>
        <h2 id={titleId}>{session.shopName}</h2>
        <p>
          Till {session.code} · {session.name}
        </p>
        {facts.cashier && <p>Served by {facts.cashier}</p>}
        <p>{new Date(sale.createdAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}</p>
        {facts.receipt && (
          <p className="receipt-number">
            Receipt <strong data-testid="receipt-number">{facts.receipt}</strong>
          </p>
        )}
      </header>
      <table>
        <tbody>
          {sale.items.map((line) => (
            <tr key={line.id}>
              <td>
                {line.quantity} × {facts.productName(line.product.id)}
                {line.discountPercent > 0 && <span className="discount"> (−{line.discountPercent}%)</span>}
              </td>
              <td className="amount">{money(line.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {discountCents > 0 && (
        <p className="receipt-row">
          Discounts <span className="amount">−{formatCents(discountCents)}</span>
        </p>
      )}
      <p className="receipt-row receipt-total">
        Total <strong className="amount">{money(sale.totalAmount)}</strong>
      </p>
      <p className="receipt-order" data-testid="receipt-order">
        {sale.orderId ? `Order ${sale.orderId}` : "Order number follows once the till is online."}
      </p>
    </article>
  );
}
