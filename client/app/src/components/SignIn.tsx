import { type FormEvent, useState } from "react";
import { type Session, lastShopId } from "../session";

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** Paste the cashier token (printed by `npm start`) and choose the shop this till sells for. */
export function SignIn({ onSignIn }: { onSignIn: (session: Session) => void }) {
  const [token, setToken] = useState("");
  const [shopId, setShopId] = useState(lastShopId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSignIn({ token: token.trim().replace(/^Bearer\s+/i, ""), shopId: shopId.trim() });
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Open the till</h1>
        <label>
          Cashier token
          <textarea name="token" value={token} onChange={(e) => setToken(e.target.value)} required rows={4} spellCheck={false} autoComplete="off" />
        </label>
        <label>
          Shop ID
          <input
            name="shopId"
            value={shopId}
            onChange={(e) => setShopId(e.target.value)}
            required
            pattern={`\\s*${UUID}\\s*`}
            title="The shop's UUID, e.g. 5e5e0000-0000-4000-8000-000000000001"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="primary">
          Open till
        </button>
      </form>
    </main>
  );
}
