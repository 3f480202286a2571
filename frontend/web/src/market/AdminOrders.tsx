// For admins: confirming payments of the manual provider, where buyers pay outside the platform. The API
// has no list of every pending order, so the admin finds each by the order number the buyer passes on (it
// shows on the listing after buying and in My purchases), checks it, and confirms it as paid.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../api/client";
import { ErrorText } from "../ui/ui";
import { formatPrice, type Order } from "./market";

export function AdminOrders() {
  const [orders, setOrders] = useState<Order[]>([]);
  const [error, setError] = useState<unknown>(null);
  const keep = (order: Order) => setOrders((all) => [order, ...all.filter((o) => o.id !== order.id)]);

  async function find(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = e.currentTarget.elements.namedItem("orderId") as HTMLInputElement;
    setError(null);
    try {
      keep(await api.get<Order>(`/api/orders/${encodeURIComponent(input.value.trim())}`));
      input.value = "";
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card stack" aria-labelledby="admin-orders-heading">
      <h2 id="admin-orders-heading">Payments to confirm (admin)</h2>
      <p className="muted">
        Buyers pay outside the platform. When the money for an order has arrived, find the order by its number and confirm it: the buyer gets the
        license and files at once.
      </p>
      <form className="row" onSubmit={find}>
        <label className="wide">
          Order number
          <input name="orderId" required pattern="[0-9a-fA-F-]{36}" title="The order number: 36 characters of digits, letters a-f and dashes." />
        </label>
        <button type="submit">Find order</button>
      </form>
      <ErrorText error={error} />
      <ul className="list">
        {orders.map((order) => (
          <li key={order.id}>
            <PendingOrder order={order} onChanged={keep} />
          </li>
        ))}
      </ul>
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
