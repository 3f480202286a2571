// For admins: confirming payments of the manual provider, where buyers pay outside the platform: the
// orders waiting for payment, newest first, each confirmed as paid once the money has arrived.
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { api, type Page } from "../api/client";
import { ErrorText } from "../ui/ui";
import { formatPrice, type Order } from "./market";

export function AdminOrders() {
  const [orders, setOrders] = useState<Order[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const keep = (order: Order) => setOrders((all) => all.map((o) => (o.id === order.id ? order : o)));
  const load = (path: string, append: boolean) =>
    api.get<Page<Order>>(path).then((page) => {
      setOrders((all) => (append ? [...all, ...page.items] : page.items));
      setNext(page.next);
    }, setError);

  useEffect(() => void load("/api/admin/orders?status=pending&first=20", false), []);

  return (
    <section className="card stack" aria-labelledby="admin-orders-heading">
      <h2 id="admin-orders-heading">Payments to confirm (admin)</h2>
      <p className="muted">
        Buyers pay outside the platform. When the money for an order has arrived, confirm it: the buyer gets the license and files at once.
      </p>
      <ErrorText error={error} />
      {orders.length === 0 && !error && <p className="muted">No payments are waiting.</p>}
      <ul className="list">
        {orders.map((order) => (
          <li key={order.id}>
            <PendingOrder order={order} onChanged={keep} />
          </li>
        ))}
      </ul>
      {next && (
        <button className="secondary" onClick={() => void load(next, true)}>
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
