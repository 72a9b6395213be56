import { ApolloProvider } from "@apollo/client/react";
import { type IndexedDbStorage, NotificationsDocument, type PairTillAnswer, type PosClient, ProductsDocument, type TillCredential } from "@pos-sync/client";
import { useEffect, useReducer } from "react";
import type { AppStore } from "../app-store";
import { cartReducer } from "../cart";
import { CashierPicker } from "../cashier/CashierPicker";
import { type Cashier } from "../cashier/staff-store";
import { useCashier } from "../cashier/use-cashier";
import { usePinLock } from "../cashier/use-pin-lock";
import { type StaffState, useStaff } from "../cashier/use-staff";
import type { TillSession } from "../pairing/till-session";
import { usePosClient } from "../use-pos-client";
import { Cart } from "./Cart";
import { Notifications } from "./Notifications";
import { ProductGrid } from "./ProductGrid";
import { SalesList } from "./SalesList";
import { StatusBar } from "./StatusBar";

export type TillProps = {
  storage: IndexedDbStorage;
  store: AppStore;
  session: TillSession;
  /** The pairing's credential, on the first open after pairing only (the client stores it). */
  credential?: TillCredential;
  onRepaired: (answer: PairTillAnswer) => Promise<void>;
  onUnpaired: () => Promise<void>;
  onManager: () => void;
};

/** A paired till: opens the POS client with the till's credential, then asks who is selling. */
export function Till(props: TillProps) {
  const state = usePosClient(props.storage, props.session, props.credential);
  switch (state.kind) {
    case "opening":
      return <p className="splash" role="status">Opening the till…</p>;
    case "failed":
      return (
        <main className="splash" role="alert">
          <p>The till could not open: {state.error}</p>
          <button onClick={() => window.location.reload()}>Try again</button>
        </main>
      );
    case "open":
      return (
        <ApolloProvider client={state.pos.apollo}>
          <OpenTill {...props} pos={state.pos} />
        </ApolloProvider>
      );
    default:
      return state satisfies never;
  }
}

function OpenTill(props: TillProps & { pos: PosClient }) {
  const { pos, store, session } = props;
  const staff = useStaff(pos, store, session.shopId);
  const pinLock = usePinLock(store);
  const cashier = useCashier(store, session.shopId);
  if (!cashier.loaded) return <p className="splash" role="status">Opening the till…</p>;
  if (!cashier.current) return <CashierPicker staff={staff} pinLock={pinLock} onPicked={(next) => void cashier.set(next)} />;
  return <TillScreen {...props} staff={staff} cashier={cashier.current} onSwitchCashier={() => void cashier.set(null)} />;
}

function TillScreen(props: TillProps & { pos: PosClient; staff: StaffState; cashier: Cashier; onSwitchCashier: () => void }) {
  const { pos, session, cashier } = props;
  const [cart, dispatch] = useReducer(cartReducer, []);
  useRefreshAfterSync(pos);
  return (
    <div className="till">
      <StatusBar
        pos={pos}
        session={session}
        cashier={cashier}
        onSwitchCashier={props.onSwitchCashier}
        onManager={props.onManager}
        onRepaired={props.onRepaired}
        onUnpaired={props.onUnpaired}
      />
      <main className="panes">
        <ProductGrid onAdd={(product) => dispatch({ type: "add", product })} />
        <Cart pos={pos} cart={cart} dispatch={dispatch} cashier={cashier} />
        <div className="side">
          <Notifications />
          <SalesList pos={pos} staff={props.staff.staff ?? []} session={session} />
        </div>
      </main>
    </div>
  );
}

/** When sales reach the server, its stock figures and low-stock alerts change: fetch them again. */
function useRefreshAfterSync(pos: PosClient) {
  useEffect(() => {
    let seen = pos.status().lastSyncedAt;
    return pos.subscribe((status) => {
      if (status.lastSyncedAt === seen) return;
      seen = status.lastSyncedAt;
      pos.apollo.refetchQueries({ include: [ProductsDocument, NotificationsDocument] }).catch(() => undefined);
    });
  }, [pos]);
}
