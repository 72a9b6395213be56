import { useQuery } from "@apollo/client/react";
import { type PosClient, SaleInFlightError, SalesDocument } from "@pos-sync/client";
import { useId, useState } from "react";
import type { StaffMember } from "../cashier/staff-store";
import { money, shortId, time } from "../format";
import type { TillSession } from "../pairing/till-session";
import { Receipt } from "./Receipt";
import { RefundPanel, SaleRefunds } from "./Refunds";
import { type ListedSale as Sale, useProductNames, useSaleDetails } from "./sale-details";

type RowContext = { pos: PosClient; staff: StaffMember[]; session: TillSession };

/**
 * Latest sales, this till's unsent ones first (from the outbox, through the cache): pending with
 * the local id, synced with the server's order number, failed with the reason and what to do;
 * each with the cashier who made it.
 */
export function SalesList(context: RowContext) {
  const { data, error } = useQuery(SalesDocument, { variables: { first: 20 }, fetchPolicy: "cache-and-network", nextFetchPolicy: "cache-first" });
  const headingId = useId();
  const sales = data?.sales.items ?? [];

  return (
    <section className="sales" aria-labelledby={headingId}>
      <h2 id={headingId}>Sales</h2>
      {!data && error && <p className="muted">Sales could not be loaded: {error.message}</p>}
      {data && sales.length === 0 && <p className="muted">No sales yet.</p>}
      <ol className="sale-list" aria-labelledby={headingId}>
        {sales.map((sale) => (
          <SaleRow key={sale.clientTempId ?? sale.id} sale={sale} context={context} />
        ))}
      </ol>
    </section>
  );
}

function SaleRow({ sale, context }: { sale: Sale; context: RowContext }) {
  const { pos } = context;
  const units = sale.items.reduce((n, item) => n + item.quantity, 0);
  const details = useSaleDetails(sale, pos, context.staff);
  const productName = useProductNames(pos);
  const [showReceipt, setShowReceipt] = useState(false);
  const [refunding, setRefunding] = useState(false);
  return (
    <li className={`sale ${sale.syncState}`} data-state={sale.syncState} data-client-temp-id={sale.clientTempId ?? undefined} data-receipt={details.receipt ?? undefined}>
      <div className="sale-head">
        <span className="sale-total">{money(sale.totalAmount)}</span>
        <span className="muted">
          {units} {units === 1 ? "item" : "items"} · {time(sale.createdAt)}
        </span>
      </div>
      <p className="sale-cashier muted">
        {details.receipt && <span className="sale-receipt">{details.receipt}</span>}
        {details.receipt && details.cashier && " · "}
        {details.cashier && (
          <>
            by <span className="cashier-name">{details.cashier}</span>
          </>
        )}
      </p>
      <SaleState sale={sale} pos={pos} />
      <SaleRefunds pos={pos} sale={sale} />
      {refunding && <RefundPanel pos={pos} sale={sale} productName={productName} onDone={() => setRefunding(false)} />}
      {!refunding && sale.syncState !== "failed" && (
        <button className="secondary refund-button" onClick={() => setRefunding(true)}>
          Refund…
        </button>
      )}
      <button className="secondary receipt-button" onClick={() => setShowReceipt(true)} aria-label={`Receipt ${details.receipt ?? shortId(sale.clientTempId ?? sale.id)}`}>
        Receipt
      </button>
      {showReceipt && <Receipt sale={sale} session={context.session} facts={{ ...details, productName }} onClose={() => setShowReceipt(false)} />}
    </li>
  );
}

function SaleState({ sale, pos }: { sale: Sale; pos: PosClient }) {
  const localId = sale.clientTempId ?? sale.id;
  switch (sale.syncState) {
    case "pending":
    case "syncing":
      return (
        <p className="sale-state">
          <span className="badge pending">{sale.syncState === "syncing" ? "Sending" : "Pending"}</span> local id <code title={localId}>{shortId(localId)}</code>
        </p>
      );
    case "synced":
      return (
        <p className="sale-state">
          <span className="badge synced">Synced</span> <strong className="order-id">{sale.orderId}</strong>
          {sale.needsReview && <span className="muted"> · needs review</span>}
        </p>
      );
    case "failed":
      return <FailedSale clientTempId={localId} reason={sale.syncError} pos={pos} />;
    default:
      return sale.syncState satisfies never;
  }
}

function FailedSale({ clientTempId, reason, pos }: { clientTempId: string; reason: string | null; pos: PosClient }) {
  const [problem, setProblem] = useState<string | null>(null);
  const act = (action: (id: string) => Promise<void>) => () => {
    setProblem(null);
    action(clientTempId).catch((error: unknown) =>
      setProblem(error instanceof SaleInFlightError ? "This sale is being sent right now; try again in a moment." : error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <div className="sale-state">
      <p role="alert">
        <span className="badge failed">Rejected</span> <span className="reason">{reason ?? "The server refused this sale."}</span>
      </p>
      <div className="actions">
        <button onClick={act((id) => pos.retry(id))}>Retry</button>
        <button className="danger" onClick={act((id) => pos.discard(id))}>
          Discard
        </button>
      </div>
      {problem && <p className="muted">{problem}</p>}
    </div>
  );
}
