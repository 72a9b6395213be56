import type { PairTillAnswer, PosClient } from "@pos-sync/client";
import { useState } from "react";
import type { Cashier } from "../cashier/staff-store";
import { time } from "../format";
import { PairTillForm } from "../pairing/PairTill";
import type { TillSession } from "../pairing/till-session";
import { useSyncStatus } from "../use-pos-client";

type StatusBarProps = {
  pos: PosClient;
  session: TillSession;
  cashier: Cashier;
  onSwitchCashier: () => void;
  onManager: () => void;
  onRepaired: (answer: PairTillAnswer) => Promise<void>;
  onUnpaired: () => Promise<void>;
};

/** Always on screen: which till, who is selling, online or offline, what waits to be sent, "Sync now". */
export function StatusBar(props: StatusBarProps) {
  const { pos, session, cashier } = props;
  const status = useSyncStatus(pos);
  const [syncError, setSyncError] = useState<string | null>(null);

  const syncNow = () => {
    setSyncError(null);
    pos.sync().catch((error: unknown) => setSyncError(error instanceof Error ? error.message : String(error)));
  };

  return (
    <header className="status-bar">
      <h1>
        {session.code} <span className="shop">{session.name} · {session.shopName}</span>
      </h1>
      <p className="cashier" data-testid="cashier">
        Selling: <strong>{cashier.name}</strong>
      </p>
      <p className={`connection ${status.online ? "online" : "offline"}`} role="status" aria-live="polite" data-testid="connection">
        <span className="dot" aria-hidden="true" />
        <strong>{status.online ? "Online" : "Offline"}</strong>
        <span>
          <span data-testid="pending-count">{status.pending}</span> pending
        </span>
        {status.failed > 0 && <span className="failed-count">{status.failed} failed</span>}
        {status.syncing && <span>Syncing…</span>}
        {!status.syncing && status.lastSyncedAt && <span className="muted">last sync {time(status.lastSyncedAt)}</span>}
        {status.catalogSyncedAt && (
          <span className="muted" data-testid="catalog-from">
            catalogue from {time(status.catalogSyncedAt)}
          </span>
        )}
      </p>
      {status.authRequired && <PairAgain {...props} pending={status.pending + status.failed} />}
      {syncError && <p className="muted last-error">{syncError}</p>}
      {!syncError && status.lastError && !status.authRequired && (
        <p className="muted last-error" data-testid="last-error">
          Sync paused: {status.lastError.replace(/\.$/, "")}. Sales are kept and will be sent automatically.
        </p>
      )}
      <div className="actions">
        <button onClick={syncNow} disabled={status.syncing}>
          Sync now
        </button>
        <button onClick={props.onSwitchCashier} className="secondary">
          Switch cashier
        </button>
        <button onClick={props.onManager} className="secondary">
          Manager
        </button>
      </div>
    </header>
  );
}

/**
 * The server refused the till's refresh token (revoked, or unused for REFRESH_TOKEN_TTL): sales
 * are kept in the outbox; a new code from a manager pairs it again and the sync resumes by itself.
 */
function PairAgain({ pos, session, onRepaired, onUnpaired, pending }: StatusBarProps & { pending: number }) {
  const [problem, setProblem] = useState<string | null>(null);
  const repaired = async (answer: PairTillAnswer) => {
    // Another shop's code would strand this shop's unsent sales on the device.
    if (answer.till.shopId !== session.shopId) throw new Error(`That code is for ${answer.till.shopName}; this till sells for ${session.shopName}.`);
    await pos.setCredential({ refreshToken: answer.refreshToken, accessToken: answer.accessToken, expiresIn: answer.expiresIn });
    await onRepaired(answer);
  };
  const forget = () => {
    setProblem(null);
    pos.signOut().then(onUnpaired, (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  };
  return (
    <div className="alert pair-again" role="alert">
      <p>The server no longer accepts this till (a manager may have revoked it). Sales are kept on the till. Enter a new pairing code to carry on:</p>
      <PairTillForm onPaired={repaired} submitLabel="Pair again" />
      <button className="secondary" onClick={forget} disabled={pending > 0} title={pending > 0 ? "This till still holds unsent sales" : undefined}>
        Forget this till
      </button>
      {problem && <p>{problem}</p>}
    </div>
  );
}
