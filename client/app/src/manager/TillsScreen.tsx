import { ApolloProvider, useMutation, useQuery } from "@apollo/client/react";
import { receiptLabel } from "@pos-sync/client";
import { type FormEvent, useId, useMemo, useState } from "react";
import { dateTime } from "../format";
import { CreateTillPairingDocument, type CreateTillPairingMutation, RevokeTillDocument, type TillFieldsFragment, TillsDocument } from "../generated/graphql";
import { ATTENTION_POLL_MS, AttentionList } from "./AttentionList";
import { type ManagerSession, managedShops, managerApollo } from "./manager-client";

/** The manager's Tills screen for one shop: add a till (its pairing code), the list with what each still holds and the receipt numbers never received, revoke; and what needs attention. */
export function TillsScreen({ session, onShop, onLeave }: { session: ManagerSession; onShop: (next: ManagerSession) => void; onLeave: () => void }) {
  const apollo = useMemo(() => managerApollo(session), [session]);
  const shops = managedShops(session.answer);
  return (
    <ApolloProvider client={apollo}>
      <div className="manager">
        <header className="status-bar">
          <h1>
            Tills <span className="shop">{session.shopName}</span>
          </h1>
          <p className="muted">Signed in as {session.answer.user.name}</p>
          {shops.length > 1 && (
            <label className="shop-picker">
              Shop
              <select value={session.shopId} onChange={(e) => onShop({ ...session, shopId: e.target.value, shopName: shops.find((s) => s.shopId === e.target.value)?.shopName ?? "" })}>
                {shops.map((s) => (
                  <option key={s.shopId} value={s.shopId}>
                    {s.shopName}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="actions">
            <button className="secondary" onClick={onLeave}>
              Sign out and leave
            </button>
          </div>
        </header>
        <main className="manager-panes">
          <AddTill />
          <TillList />
          <AttentionList />
        </main>
      </div>
    </ApolloProvider>
  );
}

type Pairing = CreateTillPairingMutation["createTillPairing"];

function AddTill() {
  const [name, setName] = useState("");
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const [create, { loading, error }] = useMutation(CreateTillPairingDocument, { refetchQueries: [TillsDocument] });
  const headingId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await create({ variables: { name: name.trim() } }).catch(() => ({ data: null }));
    if (data) (setPairing(data.createTillPairing), setName(""));
  };
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Add a till</h2>
      <form onSubmit={submit} className="pair-form">
        <label>
          Till name
          <input name="tillName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} placeholder="Front counter" disabled={loading} />
        </label>
        <button type="submit" className="primary" disabled={loading}>
          Get a pairing code
        </button>
      </form>
      {error && <p role="alert" className="alert">The code could not be made: {error.message}</p>}
      {pairing && (
        <div className="pairing-code" role="status">
          <p>
            Enter this code on till {pairing.till.code} ({pairing.till.name}):
          </p>
          <output data-testid="pairing-code">{pairing.code}</output>
          <p className="muted">Single use, valid until {dateTime(pairing.expiresAt)}.</p>
        </div>
      )}
    </section>
  );
}

function TillList() {
  // Polled like the attention list: unsent counts and gaps change as tills sync.
  const { data, error } = useQuery(TillsDocument, { pollInterval: ATTENTION_POLL_MS });
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>This shop's tills</h2>
      {error && <p role="alert" className="alert">The tills could not be loaded: {error.message}</p>}
      {data && data.tills.length === 0 && <p className="muted">No tills yet.</p>}
      {data && data.tills.length > 0 && (
        <table className="till-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Till</th>
              <th scope="col">Paired</th>
              <th scope="col">Last seen</th>
              <th scope="col">Receipts</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {data.tills.map((till) => (
              <TillRow key={till.id} till={till} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TillRow({ till }: { till: TillFieldsFragment }) {
  const [confirming, setConfirming] = useState(false);
  const [revoke, { loading, error }] = useMutation(RevokeTillDocument);
  return (
    <tr data-till-code={till.code}>
      <th scope="row">
        {till.code} <span className="muted">{till.name}</span>
      </th>
      <td>{till.pairedAt ? dateTime(till.pairedAt) : "waiting for its code"}</td>
      <td>{till.lastSeenAt ? dateTime(till.lastSeenAt) : "never"}</td>
      <td>
        <ReceiptState till={till} />
      </td>
      <td>
        {till.revokedAt ? (
          <span className="badge failed">Revoked {dateTime(till.revokedAt)}</span>
        ) : confirming ? (
          <span className="actions">
            <button className="danger" disabled={loading} onClick={() => revoke({ variables: { id: till.id } }).catch(() => undefined)}>
              Revoke {till.code} now
            </button>
            <button className="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button className="secondary" onClick={() => setConfirming(true)}>
            Revoke…
          </button>
        )}
        {error && <p role="alert" className="alert">{error.message}</p>}
      </td>
    </tr>
  );
}

const GAP_WORDS = { MISSING: "missing", PENDING: "still on the till", REJECTED: "rejected" } as const;

/** Up to which receipt the server has everything, what the till still holds, and every gap. */
function ReceiptState({ till }: { till: TillFieldsFragment }) {
  const label = (n: number) => receiptLabel(till, n);
  const range = (from: number, to: number) => (from === to ? label(from) : `${label(from)} to ${label(to)}`);
  return (
    <div className="receipt-state">
      <p>{till.highestReceipt ? `up to ${label(till.highestReceipt)}` : "no receipts yet"}</p>
      {till.unsentCount !== null && (
        <p className="muted" data-testid="unsent">
          {till.unsentCount} unsent{till.stateReportedAt ? ` (reported ${dateTime(till.stateReportedAt)})` : ""}
        </p>
      )}
      {till.receiptGaps.length > 0 && (
        <ul className="gaps">
          {till.receiptGaps.map((gap) => (
            <li key={gap.from} className={`gap ${gap.status.toLowerCase()}`} data-status={gap.status}>
              {range(gap.from, gap.to)}: {GAP_WORDS[gap.status]}
            </li>
          ))}
        </ul>
      )}
      {till.unidentifiedRejections > 0 && <p className="alert">{till.unidentifiedRejections} refused without a usable id</p>}
    </div>
  );
}
