// Small pieces the marketplace pages share: an order's status line and what its buyer can do while it is
// unpaid, a tier's terms, and the footer of a cursor-paged list (its error, loading note and "Load more").
import { useState } from "react";
import { api } from "../api/client";
import type { Paged } from "../api/usePaged";
import { ErrorText } from "../ui/ui";
import { orderStatusWords, termLines, type ListingKind, type Order, type Tier } from "./market";

/** The order's status word and what it means, where an end-to-end test looks for it (data-testid "order-status"). */
export function OrderStatusLine({ order }: { order: Order }) {
  const { word, meaning } = orderStatusWords(order);
  return (
    <p data-testid="order-status" className={`order-status ${word}`} aria-live="polite">
      <strong>Status: {word}</strong> — {meaning}
    </p>
  );
}

/** For an unpaid order: pay at the provider's checkout (Stripe) and cancel. */
export function PendingOrderActions({ order, onChanged }: { order: Order; onChanged: (order: Order) => void }) {
  const [error, setError] = useState<unknown>(null);
  if (order.status !== "pending") return null;
  const cancel = () => api.post<Order>(`/api/orders/${order.id}/cancel`).then(onChanged, setError);
  return (
    <div className="stack">
      <ErrorText error={error} />
      <div className="row">
        {order.checkoutUrl && (
          <a className="button" href={order.checkoutUrl}>
            Pay at checkout
          </a>
        )}
        <button className="secondary" onClick={() => void cancel()}>
          Cancel order
        </button>
      </div>
    </div>
  );
}

export function TermsList({ tier, kind }: { tier: Pick<Tier, "terms" | "exclusive" | "formats">; kind: ListingKind }) {
  return (
    <ul className="terms">
      {termLines(tier, kind).map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

export function ListFooter({ list, empty }: { list: Paged<unknown>; empty: string }) {
  return (
    <>
      <ErrorText error={list.error} />
      {list.loading && <p className="muted">Loading…</p>}
      {!list.loading && !list.error && list.items.length === 0 && <p className="muted">{empty}</p>}
      {list.hasMore && !list.loading && (
        <button className="secondary" onClick={list.loadMore}>
          Load more
        </button>
      )}
    </>
  );
}
