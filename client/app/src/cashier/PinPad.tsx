import { type FormEvent, useState } from "react";
import { MAX_FAILURES } from "./pin-lock";
import { type PinHash, pinMatches } from "./pin";
import type { PinLockState } from "./use-pin-lock";

const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/**
 * Enters one member's PIN, checked here (offline) against their downloaded hash. Five wrong PINs
 * in a row lock the pad for a minute, also across a reload; the PIN field is disabled meanwhile.
 */
export function PinPad({ name, pinHash, pinLock, onRight, onCancel }: { name: string; pinHash: PinHash; pinLock: PinLockState; onRight: () => void; onCancel: () => void }) {
  const [pin, setPin] = useState("");
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const locked = pinLock.remainingMs > 0;
  const disabled = checking || locked || !pinLock.loaded;

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (disabled || pin.length < 4) return;
    setChecking(true);
    const right = await pinMatches(pin, pinHash).catch(() => false);
    const lock = await pinLock.record(right);
    setChecking(false);
    setPin("");
    if (right) return onRight();
    setMessage(lock.lockedUntil ? null : `Wrong PIN. ${MAX_FAILURES - lock.failures} more wrong and the pad locks for a minute.`);
  };
  const press = (digit: string) => setPin((p) => (p.length < 8 ? p + digit : p));

  return (
    <form className="pin-pad" onSubmit={submit} aria-label={`PIN pad for ${name}`}>
      <h2>{name}</h2>
      <label>
        PIN
        <input type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} disabled={disabled} autoFocus onChange={(e) => setPin(e.target.value.replace(/\D/g, "").slice(0, 8))} />
      </label>
      <div className="pin-keys">
        {[...DIGITS, "⌫", "0"].map((key) => (
          <button key={key} type="button" disabled={disabled} onClick={() => (key === "⌫" ? setPin((p) => p.slice(0, -1)) : press(key))} aria-label={key === "⌫" ? "Delete a digit" : undefined}>
            {key}
          </button>
        ))}
        <button type="submit" className="primary" disabled={disabled || pin.length < 4}>
          {checking ? "…" : "OK"}
        </button>
      </div>
      {locked ? (
        <p role="alert" className="alert" data-testid="pin-locked">
          Too many wrong PINs: the pad is locked. Try again in {Math.ceil(pinLock.remainingMs / 1000)} s.
        </p>
      ) : (
        <p role="status" className={message ? "alert" : "muted"}>
          {message ?? "Enter your PIN (4 to 8 digits)."}
        </p>
      )}
      <button type="button" className="secondary" onClick={onCancel}>
        Someone else
      </button>
    </form>
  );
}
