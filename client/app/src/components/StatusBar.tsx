import type { PosClient } from "@pos-sync/client";
import { useState } from "react";
import { shortId, time } from "../format";
import { useSyncStatus } from "../use-pos-client";

/** Always on screen: online or offline, what waits to be sent, "Sync now" and sign out. */
export function StatusBar({ pos, shopId, onSignOut }: { pos: PosClient; shopId: string; onSignOut: () => void }) {
  const status = useSyncStatus(pos);
  const [syncError, setSyncError] = useState<string | null>(null);

  const syncNow = () => {
    setSyncError(null);
    pos.sync().catch((error: unknown) => setSyncError(error instanceof Error ? error.message : String(error)));
  };

  return (
    <header className="status-bar">
      <h1>
        Till <span className="shop">shop {shortId(shopId)}</span>
      </h1>
      <p className={`connection ${status.online ? "online" : "offline"}`} role="status" aria-live="polite" data-testid="connection">
        <span className="dot" aria-hidden="true" />
        <strong>{status.online ? "Online" : "Offline"}</strong>
        <span>
          <span data-testid="pending-count">{status.pending}</span> pending
        </span>
        {status.failed > 0 && <span className="failed-count">{status.failed} failed</span>}
        {status.syncing && <span>Syncing…</span>}
        {!status.syncing && status.lastSyncedAt && <span className="muted">last sync {time(status.lastSyncedAt)}</span>}
      </p>
      {status.authRequired && (
        <p className="alert" role="alert">
          The server refused the token: sales are kept. Sign out and paste a new token.
        </p>
      )}
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
        <button onClick={onSignOut} className="secondary">
          Sign out
        </button>
      </div>
    </header>
  );
}
