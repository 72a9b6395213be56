import { type SaleInput, centsToAmount, lineCents, saleTotalCents } from "@pos-sync/client";

/** The sale being rung up: one line per product, with its own quantity and discount. */
export type CartLine = { productId: string; name: string; price: number; quantity: number; discountPercent: number };
export type Cart = CartLine[];

export type CartAction =
  | { type: "add"; product: { id: string; name: string; price: number } }
  | { type: "setQuantity"; productId: string; quantity: number }
  | { type: "setDiscount"; productId: string; discountPercent: number }
  | { type: "remove"; productId: string }
  | { type: "clear" };

export function cartReducer(cart: Cart, action: CartAction): Cart {
  switch (action.type) {
    case "add": {
      const { id, name, price } = action.product;
      if (!cart.some((l) => l.productId === id)) return [...cart, { productId: id, name, price, quantity: 1, discountPercent: 0 }];
      return cart.map((l) => (l.productId === id ? { ...l, quantity: l.quantity + 1 } : l));
    }
    case "setQuantity": {
      const quantity = Math.floor(action.quantity);
      if (!Number.isFinite(quantity)) return cart;
      if (quantity <= 0) return cart.filter((l) => l.productId !== action.productId);
      return cart.map((l) => (l.productId === action.productId ? { ...l, quantity } : l));
    }
    case "setDiscount": {
      const discountPercent = clampDiscount(action.discountPercent);
      return cart.map((l) => (l.productId === action.productId ? { ...l, discountPercent } : l));
    }
    case "remove":
      return cart.filter((l) => l.productId !== action.productId);
    case "clear":
      return [];
    default:
      return assertNever(action);
  }
}

/** 0..100 with at most two decimals, as the server accepts. */
export function clampDiscount(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.round(Math.min(100, Math.max(0, value)) * 100) / 100;
}

/** A line's total, by the client's money rule: the server's, so the cart shows what the server stores. */
export function lineTotal(line: CartLine): number {
  return centsToAmount(lineCents(line));
}

/** The sum of the lines, each rounded on its own, as the server totals a sale. */
export function cartTotal(cart: Cart): number {
  return centsToAmount(saleTotalCents(cart));
}

export function toSaleInput(cart: Cart): SaleInput {
  return { items: cart.map(({ productId, quantity, price, discountPercent }) => ({ productId, quantity, price, discountPercent })) };
}

function assertNever(value: never): never {
  throw new Error(`unexpected cart action ${JSON.stringify(value)}`);
}
