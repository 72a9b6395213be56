import { signIn } from "@pos-sync/client";
import { type FormEvent, useId, useState } from "react";
import { pairingProblem } from "../pairing/pair-errors";
import { SERVER_URL } from "../use-pos-client";
import { type ManagerSession, managedShops } from "./manager-client";

/** Email and password (POST /api/auth/login), then the shop to manage when there are several. */
export function ManagerSignIn({ onSignedIn, onClose }: { onSignedIn: (session: ManagerSession) => void; onClose: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const headingId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const answer = await signIn(SERVER_URL(), email.trim(), password);
      const shops = managedShops(answer);
      // The first shop they manage; several shops: they pick on the Tills screen.
      if (shops.length === 0) setProblem("This account manages no shop: a manager or the owner signs in here.");
      else onSignedIn({ answer, shopId: shops[0].shopId, shopName: shops[0].shopName });
    } catch (error) {
      setProblem(pairingProblem(error, "Wrong email or password."));
    } finally {
      setPassword("");
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" aria-labelledby={headingId}>
      <form className="card" onSubmit={submit}>
        <h1 id={headingId}>Manager sign-in</h1>
        <label>
          Email
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="username" disabled={busy} />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" disabled={busy} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p role={problem ? "alert" : "status"} className={problem ? "alert" : "muted"}>
          {problem}
        </p>
        <button type="button" className="secondary" onClick={onClose}>
          Back
        </button>
      </form>
    </main>
  );
}
