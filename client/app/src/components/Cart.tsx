import { InvalidSaleError, type PaymentInput, type PosClient, type SaleInput, changeCents, formatCents, receiptOf, toCents } from "@pos-sync/client";
import { type Dispatch, useId, useState } from "react";
import type { Cashier } from "../cashier/staff-store";
import { type Cart as CartState, type CartAction, type CartLine, cartTotal, lineTotal, toSaleInput } from "../cart";
import { money, shortId } from "../format";
import { type CartCustomer, NewCustomer } from "./NewCustomer";
import { Tender } from "./Tender";

/**
 * The sale being rung up: lines, a new customer if there is one, and "Charge", which asks for the
 * tender (card, or cash with the change) and records the sale in the outbox (online or not), by
 * the cashier selling, then empties the cart.
 */
export function Cart({ pos, cart, dispatch, cashier }: { pos: PosClient; cart: CartState; dispatch: Dispatch<CartAction>; cashier: Cashier }) {
  const [charging, setCharging] = useState(false);
  const [customer, setCustomer] = useState<CartCustomer | null>(null);
  const headingId = useId();
  const total = cartTotal(cart);
  const { busy, message, checkout } = useCheckout(pos, cashier, () => {
    dispatch({ type: "clear" });
    setCustomer(null);
    setCharging(false);
  });
  const pay = (payments: PaymentInput[]) => void checkout({ ...toSaleInput(cart), payments, customerClientTempId: customer?.clientTempId ?? null });

  return (
    <section className="cart" aria-labelledby={headingId}>
      <h2 id={headingId}>Cart</h2>
      {cart.length === 0 ? (
        <p className="muted">Tap a product to add it.</p>
      ) : (
        <ul className="cart-lines">
          {cart.map((line) => (
            <CartLineRow key={line.productId} line={line} dispatch={dispatch} />
          ))}
        </ul>
      )}
      <p className="cart-total">
        Total <strong data-testid="cart-total">{money(total)}</strong>
      </p>
      <NewCustomer pos={pos} customer={customer} onCustomer={setCustomer} />
      {charging && cart.length > 0 ? (
        <Tender total={total} busy={busy} onPay={pay} onCancel={() => setCharging(false)} />
      ) : (
        <div className="actions">
          <button className="primary charge" onClick={() => setCharging(true)} disabled={busy || cart.length === 0}>
            Charge {money(total)}
          </button>
          <button className="secondary" onClick={() => dispatch({ type: "clear" })} disabled={busy || cart.length === 0}>
            Clear
          </button>
        </div>
      )}
      <p role={message?.kind === "error" ? "alert" : "status"} className={message?.kind === "error" ? "alert" : "muted"}>
        {message?.text}
      </p>
    </section>
  );
}

function CartLineRow({ line, dispatch }: { line: CartLine; dispatch: Dispatch<CartAction> }) {
  const setQuantity = (quantity: number) => dispatch({ type: "setQuantity", productId: line.productId, quantity });
  return (
    <li className="cart-line">
      <div className="line-head">
        <span className="name">{line.name}</span>
        <span className="line-total">{money(lineTotal(line))}</span>
      </div>
      <div className="line-controls">
        <button onClick={() => setQuantity(line.quantity - 1)} aria-label={`One ${line.name} less`}>
          −
        </button>
        <label>
          Qty
          <input
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={line.quantity}
            onChange={(e) => e.target.value !== "" && setQuantity(Number(e.target.value))}
            aria-label={`Quantity of ${line.name}`}
          />
        </label>
        <button onClick={() => setQuantity(line.quantity + 1)} aria-label={`One ${line.name} more`}>
          +
        </button>
        <label>
          Discount %
          <input
            type="number"
            inputMode="decimal"
            min={0}
            max={100}
            step={0.01}
            value={line.discountPercent}
            onChange={(e) => dispatch({ type: "setDiscount", productId: line.productId, discountPercent: Number(e.target.value) })}
            aria-label={`Discount % on ${line.name}`}
          />
        </label>
        <button className="secondary" onClick={() => dispatch({ type: "remove", productId: line.productId })} aria-label={`Remove ${line.name}`}>
          ✕
        </button>
      </div>
    </li>
  );
}

type Message = { kind: "ok" | "error"; text: string };

/** Records the sale by the cashier selling; on success the cart is emptied and the receipt number (and any change) shown. */
function useCheckout(pos: PosClient, cashier: Cashier, onRecorded: () => void) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const checkout = async (input: SaleInput) => {
    setBusy(true);
    setMessage(null);
    try {
      const record = await pos.recordSale({ ...input, staffId: cashier.id });
      onRecorded();
      const receipt = receiptOf(record);
      const change = changeCents(toCents(record.sale.totalAmount), record.sale.payments ?? []);
      const what = receipt ? `Receipt ${receipt}` : `Sale ${shortId(record.clientTempId)}`;
      setMessage({ kind: "ok", text: `${what} recorded (${money(record.sale.totalAmount)}).${change > 0 ? ` Change ${formatCents(change)}.` : ""}` });
    } catch (error) {
      const text = error instanceof InvalidSaleError ? error.message : `The sale was not recorded: ${error instanceof Error ? error.message : String(error)}`;
      setMessage({ kind: "error", text });
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, checkout };
}
