import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useId, useState } from "react";
import { dateTime } from "../format";
import { type AttentionItemFieldsFragment, AttentionDocument, ResolveAttentionDocument } from "../generated/graphql";

/** How often the list is asked again: a new rejection shows within a minute without a reload. */
export const ATTENTION_POLL_MS = 20_000;

/** Everything in the shop that needs a person (the server's `attention`), each with Resolve. */
export function AttentionList() {
  const { data, error } = useQuery(AttentionDocument, { variables: { first: 100 }, pollInterval: ATTENTION_POLL_MS, fetchPolicy: "cache-and-network" });
  const headingId = useId();
  const items = data?.attention ?? [];
  return (
    <section className="card attention" aria-labelledby={headingId}>
      <h2 id={headingId}>Needs attention</h2>
      {error && <p role="alert" className="alert">The list could not be loaded: {error.message}</p>}
      {data && items.length === 0 && <p className="muted">Nothing needs attention.</p>}
      <ul className="attention-list">
        {items.map((item) => (
          <AttentionRow key={item.id} item={item} />
        ))}
      </ul>
    </section>
  );
}

function AttentionRow({ item }: { item: AttentionItemFieldsFragment }) {
  const [note, setNote] = useState("");
  const [open, setOpen] = useState(false);
  const [resolve, { loading, error }] = useMutation(ResolveAttentionDocument, { refetchQueries: [AttentionDocument] });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resolve({ variables: { id: item.id, note: note.trim() || null } }).catch(() => undefined);
  };
  return (
    <li className={`attention-item ${item.kind.toLowerCase()}`} data-kind={item.kind}>
      <p className="attention-head">
        <span className="badge failed">{kindName(item.kind)}</span> {item.till && <strong>{item.till.code}</strong>} <span className="muted">{dateTime(item.at)}</span>
      </p>
      <p className="attention-message">{item.message}</p>
      {open ? (
        <form onSubmit={submit} className="resolve-form">
          <label>
            What was done
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder="e.g. product created, till restored" />
          </label>
          <button type="submit" className="primary" disabled={loading}>
            Mark resolved
          </button>
        </form>
      ) : (
        <button className="secondary" onClick={() => setOpen(true)}>
          Resolve…
        </button>
      )}
      {error && <p role="alert" className="alert">{error.message}</p>}
    </li>
  );
}

const KIND_NAMES: Record<AttentionItemFieldsFragment["kind"], string> = {
  REJECTION: "Rejected sale",
  REVIEW: "Sale to review",
  REFUND_REVIEW: "Refund to review",
  MISSING_RECEIPTS: "Missing receipts",
  NEGATIVE_STOCK: "Stock below zero",
  SILENT_TILL: "Till not seen",
};

function kindName(kind: AttentionItemFieldsFragment["kind"]): string {
  return KIND_NAMES[kind];
}
