import { useQuery } from "@apollo/client/react";
import { type PosClient, SaleInFlightError, type SalesQuery, SalesDocument } from "@pos-sync/client";
import { useId, useState } from "react";
import type { StaffMember } from "../cashier/staff-store";
import { money, shortId, time } from "../format";
import { SaleAttributionDocument } from "../generated/graphql";

type Sale = SalesQuery["sales"]["items"][number];

/**
 * Latest sales, this till's unsent ones first (from the outbox, through the cache): pending with
 * the local id, synced with the server's order number, failed with the reason and what to do;
 * each with the cashier who made it.
 */
export function SalesList({ pos, staff }: { pos: PosClient; staff: StaffMember[] }) {
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
          <SaleRow key={sale.clientTempId ?? sale.id} sale={sale} pos={pos} staff={staff} />
        ))}
      </ol>
    </section>
  );
}

function SaleRow({ sale, pos, staff }: { sale: Sale; pos: PosClient; staff: StaffMember[] }) {
  const units = sale.items.reduce((n, item) => n + item.quantity, 0);
  return (
    <li className={`sale ${sale.syncState}`} data-state={sale.syncState} data-client-temp-id={sale.clientTempId ?? undefined}>
      <div className="sale-head">
        <span className="sale-total">{money(sale.totalAmount)}</span>
        <span className="muted">
          {units} {units === 1 ? "item" : "items"} · {time(sale.createdAt)}
        </span>
      </div>
      {sale.syncState === "synced" ? <SyncedCashier saleId={sale.id} /> : <QueuedCashier sale={sale} pos={pos} staff={staff} />}
      <SaleState sale={sale} pos={pos} />
    </li>
  );
}

/** An unsent sale's cashier, from its outbox record and the staff list saved on the till. */
function QueuedCashier({ sale, pos, staff }: { sale: Sale; pos: PosClient; staff: StaffMember[] }) {
  const staffId = pos.outboxRecords().find((r) => r.clientTempId === sale.clientTempId)?.sale.staffId;
  const name = staffId ? (staff.find((m) => m.id === staffId)?.name ?? "a cashier no longer listed") : null;
  return name ? <CashierName name={name} /> : null;
}

/** A synced sale's cashier as the server recorded it (asked once per sale, then cached). */
function SyncedCashier({ saleId }: { saleId: string }) {
  const { data } = useQuery(SaleAttributionDocument, { variables: { id: saleId }, fetchPolicy: "cache-first" });
  const name = data?.sale?.staff?.name;
  return name ? <CashierName name={name} /> : null;
}

function CashierName({ name }: { name: string }) {
  return (
    <p className="sale-cashier muted" data-testid="sale-cashier">
      by <span className="cashier-name">{name}</span>
    </p>
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
