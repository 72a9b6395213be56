import { ApolloProvider } from "@apollo/client/react";
import { type PosClient, NotificationsDocument, ProductsDocument } from "@pos-sync/client";
import { useEffect, useReducer } from "react";
import { cartReducer } from "../cart";
import type { Session } from "../session";
import { usePosClient } from "../use-pos-client";
import { Cart } from "./Cart";
import { Notifications } from "./Notifications";
import { ProductGrid } from "./ProductGrid";
import { SalesList } from "./SalesList";
import { StatusBar } from "./StatusBar";

/** The till for one session: opens the POS client, then shows the status bar and the three panes. */
export function Till({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const state = usePosClient(session);
  switch (state.kind) {
    case "opening":
      return <p className="splash" role="status">Opening the till…</p>;
    case "failed":
      return (
        <main className="splash" role="alert">
          <p>The till could not open: {state.error}</p>
          <button onClick={onSignOut}>Sign out</button>
        </main>
      );
    case "open":
      return (
        <ApolloProvider client={state.pos.apollo}>
          <TillScreen pos={state.pos} shopId={session.shopId} onSignOut={onSignOut} />
        </ApolloProvider>
      );
    default:
      return state satisfies never;
  }
}

function TillScreen({ pos, shopId, onSignOut }: { pos: PosClient; shopId: string; onSignOut: () => void }) {
  const [cart, dispatch] = useReducer(cartReducer, []);
  useRefreshAfterSync(pos);
  return (
    <div className="till">
      <StatusBar pos={pos} shopId={shopId} onSignOut={onSignOut} />
      <main className="panes">
        <ProductGrid onAdd={(product) => dispatch({ type: "add", product })} />
        <Cart pos={pos} cart={cart} dispatch={dispatch} />
        <div className="side">
          <Notifications />
          <SalesList pos={pos} />
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
