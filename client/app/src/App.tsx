import { useState } from "react";
import { SignIn } from "./components/SignIn";
import { Till } from "./components/Till";
import { type Session, clearSession, loadSession, saveSession } from "./session";

/** Signed in: the till; otherwise the sign-in form. The session survives reloads (offline too). */
export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  if (!session) {
    return (
      <SignIn
        onSignIn={(next) => {
          saveSession(next);
          setSession(next);
        }}
      />
    );
  }
  return (
    <Till
      session={session}
      onSignOut={() => {
        clearSession();
        setSession(null);
      }}
    />
  );
}
