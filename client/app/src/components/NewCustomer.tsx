import { InvalidSaleError, type PosClient } from "@pos-sync/client";
import { type FormEvent, useState } from "react";

export type CartCustomer = { clientTempId: string; name: string };

/** Signs a new customer up at the counter (offline too) and puts them on the sale being rung up. */
export function NewCustomer({ pos, customer, onCustomer }: { pos: PosClient; customer: CartCustomer | null; onCustomer: (c: CartCustomer | null) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [contact, setContact] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  if (customer) {
    return (
      <p className="cart-customer">
        Customer <strong data-testid="cart-customer">{customer.name}</strong>{" "}
        <button className="secondary" onClick={() => onCustomer(null)}>
          Remove
        </button>
      </p>
    );
  }
  if (!open) {
    return (
      <button className="secondary" onClick={() => setOpen(true)}>
        New customer
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const value = contact.trim();
    try {
      const record = await pos.createCustomer({ name, ...(value.includes("@") ? { email: value } : value ? { phone: value } : {}) });
      if (record.kind !== "customer") return;
      onCustomer({ clientTempId: record.clientTempId, name: record.customer.name });
      setOpen(false);
      setName("");
      setContact("");
    } catch (error) {
      setProblem(error instanceof InvalidSaleError ? error.message : String(error));
    }
  };
  return (
    <form className="new-customer" onSubmit={submit} aria-label="New customer">
      <label>
        Name
        <input name="customerName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </label>
      <label>
        Email or phone
        <input name="customerContact" value={contact} onChange={(e) => setContact(e.target.value)} maxLength={254} />
      </label>
      <button type="submit" className="primary">
        Add customer
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {problem && <p role="alert" className="alert">{problem}</p>}
    </form>
  );
}
