// One listing: its details, the tagged preview (the only audio anyone hears before buying), its license
// tiers with a Buy button each, the order that a purchase opens (followed live until it is paid), and the
// reviews, with a form for those who bought it.
import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { api, type Page } from "../api/client";
import { usePaged } from "../api/usePaged";
import { useUser } from "../auth/auth";
import { ErrorText, useLoad } from "../ui/ui";
import { formatBytes, formatPrice, listingFacts, starText, type Listing, type Order, type Review, type Tier } from "./market";
import { useLiveOrder } from "./hooks";
import { ListFooter, OrderStatusLine, PendingOrderActions, TermsList } from "./parts";

export default function ListingPage() {
  const { listingId = "" } = useParams();
  const listing = useLoad(() => api.get<Listing>(`/api/listings/${listingId}`), [listingId]);
  return (
    <main className="page stack">
      {/* Kept on screen while it reloads (after a review), so the order shown below it stays too. */}
      {listing.data ? <ListingView listing={listing.data} onChanged={listing.reload} /> : <ErrorText error={listing.error} />}
      {listing.loading && !listing.data && <p className="muted">Loading…</p>}
    </main>
  );
}

/** The hosted plugins a preset pack needs, by name (installed on this platform when the pack was listed). */
function RequiredPlugins({ ids }: { ids: string[] }) {
  const names = useLoad(
    () => Promise.all(ids.map((id) => api.get<{ name: string }>(`/api/plugins/describe?id=${encodeURIComponent(id)}`).then((p) => p.name, () => id))),
    [ids.join("\n")],
  );
  return <p className="muted">Needs plugins: {(names.data ?? ids).join(", ")}</p>;
}

function ListingView({ listing, onChanged }: { listing: Listing; onChanged: () => void }) {
  const user = useUser();
  const [order, setOrder] = useLiveOrder<Order | null>(null);
  const isSeller = user?.id === listing.sellerId;

  return (
    <>
      <header className="stack">
        <h1>{listing.title}</h1>
        <p className="muted">
          by <Link to={`/users/${listing.sellerId}`}>{listing.seller}</Link> · {listingFacts(listing)}
          {listing.ratingCount > 0 && ` · ${starText(listing.ratingAverage)} (${listing.ratingCount})`}
        </p>
        {listing.status !== "published" && <p className="notice">{statusNotice(listing)}</p>}
        {listing.description && <p className="prewrap">{listing.description}</p>}
        {(listing.plugins ?? []).length > 0 && <RequiredPlugins ids={listing.plugins ?? []} />}
      </header>

      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview</h2>
        {listing.hasPreview ? (
          <audio controls preload="none" src={`/api/listings/${listing.id}/preview`} aria-label={`Tagged preview of ${listing.title}`} />
        ) : (
          <p className="muted">{listing.type === "presetPack" ? "A preset pack has no audio preview." : "The preview is not ready yet."}</p>
        )}
        {listing.hasPreview && <p className="muted small-print">The preview carries an audio tag; what you buy does not.</p>}
      </section>

      <section aria-labelledby="tiers-heading">
        <h2 id="tiers-heading">Licenses</h2>
        {isSeller && <p className="muted">You sell this listing, so you cannot buy it.</p>}
        <ul className="grid list-plain">
          {listing.tiers.map((tier) => (
            <li key={tier.id}>
              <TierCard listing={listing} tier={tier} canBuy={!isSeller && listing.status === "published"} onOrdered={setOrder} />
            </li>
          ))}
        </ul>
      </section>

      {order && <OrderPanel order={order} onChanged={setOrder} />}

      <Reviews listing={listing} justBought={order?.status === "completed"} onReviewed={onChanged} />
    </>
  );
}

function statusNotice(listing: Listing): string {
  switch (listing.status) {
    case "draft":
      return listing.error ? `Draft: its files could not be prepared (${listing.error}).` : "Draft: only you see it until you publish it.";
    case "paused":
      return "Paused by the seller: it cannot be bought for now.";
    case "soldExclusively":
      return "Sold exclusively: it is no longer for sale.";
    default:
      return "Removed: it is no longer for sale.";
  }
}

function TierCard({ listing, tier, canBuy, onOrdered }: { listing: Listing; tier: Tier; canBuy: boolean; onOrdered: (order: Order) => void }) {
  const user = useUser();
  const navigate = useNavigate();
  const location = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const files = listing.files.filter((f) => tier.formats.includes(f.format));

  async function buy() {
    if (!user) return navigate(`/signin?returnTo=${encodeURIComponent(location.pathname)}`);
    setBusy(true);
    setError(null);
    try {
      const order = await api.post<Order>("/api/orders", { listingId: listing.id, tierId: tier.id });
      onOrdered(order);
      // With Stripe the payment happens on its checkout page, which comes back to the order afterwards.
      if (order.status === "pending" && order.checkoutUrl) window.location.assign(order.checkoutUrl);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card stack">
      <h3>{tier.name}</h3>
      <p className="price">{formatPrice(tier.price, tier.currency)}</p>
      <TermsList tier={tier} kind={listing.type} />
      {files.length > 0 && (
        <p className="muted">
          Files: {files.map((f) => `${f.name} (${[formatBytes(f.size), ...loopFacts(f.loop)].join(", ")})`).join(", ")}
        </p>
      )}
      <ErrorText error={error} />
      {canBuy && (
        <button onClick={() => void buy()} disabled={busy} aria-label={`Buy ${tier.name}`}>
          {busy ? "Ordering…" : tier.price === 0 ? "Get it free" : `Buy for ${formatPrice(tier.price, tier.currency)}`}
        </button>
      )}
    </article>
  );
}

function OrderPanel({ order, onChanged }: { order: Order; onChanged: (order: Order) => void }) {
  return (
    <section className="card stack" aria-labelledby="order-heading">
      <h2 id="order-heading">Your order</h2>
      <p>
        {order.tier.name} license of “{order.listingTitle}”, {formatPrice(order.tier.price, order.tier.currency)}. Order number:{" "}
        <code data-testid="order-id">{order.id}</code>
      </p>
      <OrderStatusLine order={order} />
      <PendingOrderActions order={order} onChanged={onChanged} />
      <Link to="/market/purchases">My purchases</Link>
    </section>
  );
}

function Reviews({ listing, justBought, onReviewed }: { listing: Listing; justBought: boolean; onReviewed: () => void }) {
  const user = useUser();
  const reviews = usePaged<Review>(`/api/listings/${listing.id}/reviews?first=10`);
  // Only buyers with a license may review: look for a completed order of this listing among my purchases.
  const licensed = useLoad(
    async () =>
      user !== null &&
      user.id !== listing.sellerId &&
      (await api.get<Page<Order>>("/api/orders?role=buyer&first=100")).items.some((o) => o.listingId === listing.id && o.status === "completed"),
    [user?.id, listing.id, justBought],
  );
  const mine = reviews.items.find((r) => r.buyerId === user?.id);

  return (
    <section aria-labelledby="reviews-heading" className="stack">
      <h2 id="reviews-heading">Reviews</h2>
      {licensed.data && (
        <ReviewForm
          listingId={listing.id}
          mine={mine}
          onSaved={() => {
            reviews.reload();
            onReviewed();
          }}
        />
      )}
      <ul className="list">
        {reviews.items.map((review) => (
          <li key={review.buyerId}>
            <p aria-label={`${review.stars} of 5 stars`}>{starText(review.stars)}</p>
            {review.text && <p className="prewrap">{review.text}</p>}
            <p className="muted">
              <Link to={`/users/${review.buyerId}`}>A buyer</Link>, {new Date(review.updatedAt).toLocaleDateString()}
            </p>
          </li>
        ))}
      </ul>
      <ListFooter list={reviews} empty="No reviews yet." />
    </section>
  );
}

function ReviewForm({ listingId, mine, onSaved }: { listingId: string; mine?: Review; onSaved: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    setSaved(false);
    try {
      await api.put(`/api/listings/${listingId}/review`, { stars: Number(form.get("stars")), text: String(form.get("text") ?? "") || null });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} key={mine?.updatedAt}>
      <h3>{mine ? "Edit your review" : "Review what you bought"}</h3>
      <label>
        Stars
        <select name="stars" defaultValue={mine?.stars ?? 5}>
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {starText(n)} ({n})
            </option>
          ))}
        </select>
      </label>
      <label>
        Your review
        <textarea name="text" rows={3} maxLength={2000} defaultValue={mine?.text ?? ""} />
      </label>
      <ErrorText error={error} />
      {saved && <p className="ok">Thanks, your review is saved.</p>}
      <button type="submit">Save review</button>
    </form>
  );
}

/** What analysis found in a sample pack's file, as a buyer reads it: "100 BPM", "8 beats", "A minor", or "one-shot". */
export function loopFacts(loop: Listing["files"][number]["loop"]): string[] {
  if (!loop) return [];
  const facts = loop.bpm && loop.beats ? [`${Math.round(loop.bpm * 10) / 10} BPM`, `${loop.beats} beats`] : ["one-shot"];
  return loop.key ? [...facts, loop.key] : facts;
}
