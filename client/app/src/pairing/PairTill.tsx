import { type PairTillAnswer, pairTill } from "@pos-sync/client";
import { type FormEvent, useId, useState } from "react";
import { SERVER_URL } from "../use-pos-client";
import { pairingProblem } from "./pair-errors";

/** The pairing code as a person types it: any case, spaces and dashes (the server ignores dashes and case too). */
const CODE_PATTERN = "\\s*[A-Za-z0-9]{4}[\\s-]*[A-Za-z0-9]{4}\\s*";

/**
 * Trades the 8-character code a manager got for this till's own credential (POST /api/tills/pair).
 * `onPaired` stores which till this is; the client package then keeps and refreshes the credential.
 */
export function PairTillForm({ onPaired, submitLabel = "Pair this till" }: { onPaired: (answer: PairTillAnswer) => Promise<void>; submitLabel?: string }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const statusId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await onPaired(await pairTill(SERVER_URL(), code.replace(/[\s-]/g, "")));
    } catch (error) {
      setProblem(pairingProblem(error, "That code is not valid: it may be mistyped, used already or older than 10 minutes. Ask a manager for a new one."));
      setBusy(false);
    }
  };

  return (
    <form className="pair-form" onSubmit={submit} aria-describedby={statusId}>
      <label>
        Pairing code
        <input
          name="code"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          required
          pattern={CODE_PATTERN}
          title="The 8 characters a manager got when adding this till, e.g. K7QM-2XPA"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          disabled={busy}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Pairing…" : submitLabel}
      </button>
      <p id={statusId} role={problem ? "alert" : "status"} className={problem ? "alert" : "muted"}>
        {problem ?? "A manager adds the till on the Tills screen and gets the code (valid 10 minutes)."}
      </p>
    </form>
  );
}

/** First start: nothing but pairing (and the way to the manager's screen, to get a code here). */
export function PairTill({ onPaired, onManager }: { onPaired: (answer: PairTillAnswer) => Promise<void>; onManager: () => void }) {
  const headingId = useId();
  return (
    <main className="sign-in" aria-labelledby={headingId}>
      <div className="card">
        <h1 id={headingId}>Pair this till</h1>
        <PairTillForm onPaired={onPaired} />
        <button className="secondary" onClick={onManager}>
          Manager sign-in
        </button>
      </div>
    </main>
  );
}
