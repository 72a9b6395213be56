import { signOut } from "@pos-sync/client";
import { useState } from "react";
import { SERVER_URL } from "../use-pos-client";
import { ManagerSignIn } from "./ManagerSignIn";
import type { ManagerSession } from "./manager-client";
import { TillsScreen } from "./TillsScreen";

/** The manager's screen on a till: sign in, then the Tills screen; leaving it ends the sign-in. */
export function ManagerArea({ onClose }: { onClose: () => void }) {
  const [session, setSession] = useState<ManagerSession | null>(null);
  if (!session) return <ManagerSignIn onSignedIn={setSession} onClose={onClose} />;
  const leave = () => {
    // Ended on the server too (best effort: offline, it expires on its own), never kept here.
    signOut(SERVER_URL(), session.answer.refreshToken, { requestTimeoutMs: 5_000 }).catch(() => undefined);
    setSession(null);
    onClose();
  };
  return <TillsScreen session={session} onShop={setSession} onLeave={leave} />;
}
