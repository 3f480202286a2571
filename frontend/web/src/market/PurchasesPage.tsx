// My purchases: every order with its status (unpaid ones followed live); for a completed one, signed
// download links (each request spends one of its downloads), the license document, and adding its audio to
// my library for use in projects. Also where Stripe's checkout comes back to (/market/orders/:orderId).
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { api, request } from "../api/client";
import { usePaged } from "../api/usePaged";
import { ErrorText, useLoad } from "../ui/ui";
import { formatBytes, formatPrice, type DownloadLink, type Order } from "./market";
import { useLiveOrder } from "./hooks";
import { ListFooter, OrderStatusLine, PendingOrderActions } from "./parts";

export default function PurchasesPage() {
  const { orderId } = useParams();
  const [params] = useSearchParams();
  const licenseOf = params.get("license");
  const orders = usePaged<Order>("/api/orders?role=buyer&first=20");

  return (
    <main className="page stack">
      <div className="row">
        <h1>My purchases</h1>
        <span className="spacer" />
        <Link to="/market">Back to the marketplace</Link>
      </div>
      {orderId && params.has("cancelled") && (
        <p className="notice">You left the checkout without paying; the order stays open until it expires, or cancel it below.</p>
      )}
      <ul className="list">
        {orders.items.map((order) => (
          <li key={order.id} className={order.id === orderId ? "highlight" : undefined}>
            <Purchase initial={order} showLicense={order.id === licenseOf} />
          </li>
        ))}
      </ul>
      <ListFooter list={orders} empty="You have not bought anything yet." />
    </main>
  );
}

function Purchase({ initial, showLicense }: { initial: Order; showLicense: boolean }) {
  const [order, setOrder] = useLiveOrder(initial);
  return (
    <article className="stack purchase" aria-label={`${order.listingTitle}, ${order.tier.name}`}>
      <div className="row">
        <h2 className="inline-heading">
          <Link to={`/market/listings/${order.listingId}`}>{order.listingTitle}</Link>
        </h2>
        <span className="muted">
          {order.tier.name} · {formatPrice(order.tier.price, order.tier.currency)} · {new Date(order.createdAt).toLocaleDateString()} · order{" "}
          <code>{order.id}</code>
        </span>
      </div>
      <OrderStatusLine order={order} />
      <PendingOrderActions order={order} onChanged={setOrder} />
      {order.status === "completed" && <Files order={order} onChanged={setOrder} />}
      {(order.status === "completed" || order.status === "refunded") && (
        <p>
          {/* The document needs the signed-in token, so it opens on this page (?license=) rather than as a bare API link. */}
          <Link to={{ search: `?license=${order.id}` }}>License</Link>
        </p>
      )}
      {showLicense && <LicenseDocument orderId={order.id} />}
    </article>
  );
}

/** Download links on request (each request spends a download), and the files into my library. */
function Files({ order, onChanged }: { order: Order; onChanged: (order: Order) => void }) {
  const [links, setLinks] = useState<DownloadLink[] | null>(null);
  const [libraryNote, setLibraryNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function getLinks() {
    setError(null);
    try {
      setLinks(await api.post<DownloadLink[]>(`/api/orders/${order.id}/downloads`));
      onChanged(await api.get<Order>(`/api/orders/${order.id}`));
    } catch (err) {
      setError(err);
    }
  }

  async function addToLibrary() {
    setError(null);
    try {
      // Written here: the server answers with an anonymous object, whose generated schema name would follow its field types.
      const { assetIds } = await api.post<{ assetIds: string[] }>(`/api/orders/${order.id}/library`);
      setLibraryNote(`${assetIds.length} file${assetIds.length === 1 ? " is" : "s are"} in your library, ready to place in a project.`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="stack">
      <p className="muted">
        {order.downloadsLeft} download{order.downloadsLeft === 1 ? "" : "s"} left. Each time you get links uses one; links work for an hour.
      </p>
      {links && (
        <ul className="downloads">
          {links.map((link) => (
            <li key={link.url}>
              <a href={link.url} download={link.name}>
                Download {link.name}
              </a>{" "}
              <span className="muted">({formatBytes(link.size)})</span>
            </li>
          ))}
        </ul>
      )}
      <ErrorText error={error} />
      {libraryNote && <p className="ok">{libraryNote}</p>}
      <div className="row">
        <button onClick={() => void getLinks()} disabled={order.downloadsLeft === 0}>
          Get download links
        </button>
        <button className="secondary" onClick={() => void addToLibrary()}>
          Add to my library
        </button>
      </div>
    </div>
  );
}

function LicenseDocument({ orderId }: { orderId: string }) {
  const license = useLoad(async () => (await request(`/api/orders/${orderId}/license`)).text(), [orderId]);
  return (
    <section className="card stack" aria-labelledby={`license-${orderId}`}>
      <div className="row">
        <h3 id={`license-${orderId}`}>License document</h3>
        <span className="spacer" />
        <Link to={{ search: "" }}>Close</Link>
      </div>
      <ErrorText error={license.error} />
      {license.loading ? <p className="muted">Loading…</p> : license.data && <pre className="license-text">{license.data}</pre>}
    </section>
  );
}
