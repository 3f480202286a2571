// For admins: confirming payments of the manual provider, where buyers pay outside the platform: the
// orders waiting for payment, newest first, each confirmed as paid once the money has arrived.
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client";
import { usePaged } from "../api/usePaged";
import { ErrorText } from "../ui/ui";
import { formatPrice, type Order } from "./market";

export function AdminOrders() {
  const orders = usePaged<Order>("/api/admin/orders?status=pending&first=20");
  // A confirmed order stays in the list, with its new status.
  const keep = (order: Order) => orders.update((all) => all.map((o) => (o.id === order.id ? order : o)));

  return (
    <section className="card stack" aria-labelledby="admin-orders-heading">
      <h2 id="admin-orders-heading">Payments to confirm (admin)</h2>
      <p className="muted">
        Buyers pay outside the platform. When the money for an order has arrived, confirm it: the buyer gets the license and files at once.
      </p>
      <ErrorText error={orders.error} />
      {orders.items.length === 0 && !orders.loading && !orders.error && <p className="muted">No payments are waiting.</p>}
      <ul className="list">
        {orders.items.map((order) => (
          <li key={order.id}>
            <PendingOrder order={order} onChanged={keep} />
          </li>
        ))}
      </ul>
      {orders.hasMore && !orders.loading && (
        <button className="secondary" onClick={orders.loadMore}>
          Load more
        </button>
      )}
    </section>
  );
}

function PendingOrder({ order, onChanged }: { order: Order; onChanged: (order: Order) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.post<Order>(`/api/admin/orders/${order.id}/paid`));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="row">
        <Link to={`/market/listings/${order.listingId}`}>{order.listingTitle}</Link>
        <span>
          {order.tier.name}, {formatPrice(order.tier.price, order.tier.currency)}
        </span>
        <span className="muted">
          order <code>{order.id}</code>, placed {new Date(order.createdAt).toLocaleString()} by <Link to={`/users/${order.buyerId}`}>the buyer</Link>
        </span>
        <span className="spacer" />
        <strong data-testid="admin-order-status">Status: {order.status}</strong>
      </div>
      {order.status === "pending" && order.provider !== "manual" && <p className="muted">Paid through {order.provider}, which confirms it itself.</p>}
      <ErrorText error={error} />
      {order.status === "pending" && order.provider === "manual" && (
        <button onClick={() => void confirm()} disabled={busy} aria-label={`Confirm payment ${order.id}`}>
          Confirm payment
        </button>
      )}
    </div>
  );
}
