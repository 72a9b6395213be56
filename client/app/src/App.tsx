import type { TillCredential } from "@pos-sync/client";
import { useEffect, useState } from "react";
import type { AppStore } from "./app-store";
import { Till } from "./components/Till";
import { ManagerArea } from "./manager/ManagerArea";
import { PairTill } from "./pairing/PairTill";
import { type TillSession, clearSession, loadSession, saveSession, sessionOf } from "./pairing/till-session";
import { type AppStorageState, useAppStorage } from "./use-app-storage";

/**
 * The till app: "Pair this till" until a manager's code pairs it, then the till (cashier picked by
 * PIN). The manager's screen (sign in, pair, list and revoke tills) is one button away on both.
 * Which till this is lives in IndexedDB, so a reload, offline too, reopens it.
 */
export function App() {
  const storage = useAppStorage();
  switch (storage.kind) {
    case "opening":
      return <Splash text="Opening the till…" />;
    case "failed":
      return <Splash text={`This browser's storage could not be opened: ${storage.error}`} alert />;
    case "open":
      return <PairedOrNot storage={storage} />;
    default:
      return storage satisfies never;
  }
}

function PairedOrNot({ storage }: { storage: Extract<AppStorageState, { kind: "open" }> }) {
  const { session, pairedCredential, paired, unpaired } = useTillSession(storage.store);
  const [managing, setManaging] = useState(false);
  if (managing) return <ManagerArea onClose={() => setManaging(false)} />;
  if (session === undefined) return <Splash text="Opening the till…" />;
  if (session === null) return <PairTill onPaired={paired} onManager={() => setManaging(true)} />;
  return (
    <Till
      storage={storage.storage}
      store={storage.store}
      session={session}
      credential={pairedCredential}
      onRepaired={paired}
      onUnpaired={unpaired}
      onManager={() => setManaging(true)}
    />
  );
}

type PairAnswer = Parameters<typeof sessionOf>[0];

/** The stored till session (undefined while it is read); pairing stores it before the till opens. */
function useTillSession(store: AppStore) {
  const [session, setSession] = useState<TillSession | null | undefined>(undefined);
  const [pairedCredential, setPairedCredential] = useState<TillCredential | undefined>(undefined);
  useEffect(() => {
    loadSession(store).then(setSession, () => setSession(null));
  }, [store]);
  const paired = async (answer: PairAnswer) => {
    const next = sessionOf(answer);
    await saveSession(store, next);
    setPairedCredential({ refreshToken: answer.refreshToken, accessToken: answer.accessToken, expiresIn: answer.expiresIn });
    setSession(next);
  };
  const unpaired = async () => {
    await clearSession(store);
    setPairedCredential(undefined);
    setSession(null);
  };
  return { session, pairedCredential, paired, unpaired };
}

function Splash({ text, alert = false }: { text: string; alert?: boolean }) {
  return (
    <p className="splash" role={alert ? "alert" : "status"}>
      {text}
    </p>
  );
}
