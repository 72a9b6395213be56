import { type PaymentInput, changeCents, formatCents, toCents } from "@pos-sync/client";
import { useId, useState } from "react";

/**
 * How the customer pays, once Charge is pressed: Card (the total), or Cash with the amount handed
 * over and the change to give back shown as it is typed. Works offline like the rest of the till.
 */
export function Tender({ total, busy, onPay, onCancel }: { total: number; busy: boolean; onPay: (payments: PaymentInput[]) => void; onCancel: () => void }) {
  const [cash, setCash] = useState<string | null>(null);
  const cashId = useId();
  const totalCents = toCents(total);
  if (cash === null) {
    return (
      <div className="tender" role="group" aria-label="Payment">
        <button className="primary" disabled={busy} onClick={() => onPay([{ method: "CARD", amount: total }])}>
          Card
        </button>
        <button className="primary" disabled={busy} onClick={() => setCash(total.toFixed(2))}>
          Cash
        </button>
        <button className="secondary" disabled={busy} onClick={onCancel}>
          Back
        </button>
      </div>
    );
  }
  const handed = Number(cash);
  const valid = cash !== "" && Number.isFinite(handed) && toCents(handed) >= totalCents;
  const payments: PaymentInput[] = [{ method: "CASH", amount: toCents(handed) / 100 }];
  return (
    <div className="tender" role="group" aria-label="Cash payment">
      <label htmlFor={cashId}>Cash received</label>
      <input id={cashId} type="number" inputMode="decimal" min={0} step={0.01} value={cash} onChange={(e) => setCash(e.target.value)} autoFocus />
      <p className="change" data-testid="change">
        Change <strong>{valid ? formatCents(changeCents(totalCents, payments)) : "—"}</strong>
      </p>
      <button className="primary" disabled={busy || !valid} onClick={() => onPay(payments)}>
        Take cash
      </button>
      <button className="secondary" disabled={busy} onClick={() => setCash(null)}>
        Back
      </button>
    </div>
  );
}
