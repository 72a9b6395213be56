import { useMutation, useQuery } from "@apollo/client/react";
import { MarkNotificationReadDocument, NotificationsDocument } from "@pos-sync/client";
import { useId } from "react";

/** Unread low-stock alerts from the server (refetched after each sync, and every minute). */
export function Notifications() {
  const { data } = useQuery(NotificationsDocument, {
    variables: { unreadOnly: true },
    fetchPolicy: "cache-and-network",
    nextFetchPolicy: "cache-first",
    pollInterval: 60_000,
  });
  const [markRead] = useMutation(MarkNotificationReadDocument);
  const headingId = useId();
  const unread = (data?.notifications ?? []).filter((n) => !n.readAt);
  if (unread.length === 0) return null;

  return (
    <section className="notifications" aria-labelledby={headingId}>
      <h2 id={headingId}>Low stock</h2>
      <ul>
        {unread.map((n) => (
          <li key={n.id} className="notification">
            <span className="message">{n.message}</span>
            <button className="secondary" onClick={() => markRead({ variables: { id: n.id } }).catch(() => undefined)} aria-label={`Dismiss the alert for ${n.product.name}`}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
