// The seller's desk: my listings (create one, follow its files being prepared, publish, pause, resume), my
// sales, my earnings (available and still clearing) with payouts, and for admins the manual payments to
// confirm.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../api/client";
import { useJob } from "../api/jobs";
import { usePaged } from "../api/usePaged";
import { useUser } from "../auth/auth";
import { ErrorText, Loading, ProgressBar, useLoad } from "../ui/ui";
import { AdminOrders } from "./AdminOrders";
import { cardPrice, formatAmount, formatPrice, kindLabel, parsePrice, type Balance, type ListingSummary, type Order, type Payout } from "./market";
import { NewListingForm, type Created } from "./NewListingForm";
import { ListFooter } from "./parts";

export default function SellerPage() {
  const user = useUser();
  if (!user) return null; // The route requires a signed-in user.
  return (
    <main className="page stack">
      <div className="row">
        <h1>Sell</h1>
        <span className="spacer" />
        <Link to="/market">Marketplace</Link>
        <Link to="/market/purchases">My purchases</Link>
      </div>
      <MyListings sellerId={user.id} />
      <Sales />
      <Earnings />
      {user.role === "admin" && <AdminOrders />}
    </main>
  );
}

function MyListings({ sellerId }: { sellerId: string }) {
  const [creating, setCreating] = useState(false);
  // The preparation job of each listing created here, to show its progress.
  const [preparing, setPreparing] = useState<Record<string, string>>({});
  const listings = usePaged<ListingSummary>(`/api/users/${sellerId}/listings?first=20`);

  function created({ listing, jobId }: Created) {
    setCreating(false);
    if (jobId) setPreparing((all) => ({ ...all, [listing.id]: jobId }));
    listings.reload();
  }

  return (
    <section className="stack" aria-labelledby="my-listings-heading">
      <div className="row">
        <h2 id="my-listings-heading">My listings</h2>
        <span className="spacer" />
        {!creating && <button onClick={() => setCreating(true)}>New listing</button>}
      </div>
      {creating && <NewListingForm onCreated={created} onCancel={() => setCreating(false)} />}
      <ul className="list">
        {listings.items.map((listing) => (
          <li key={listing.id}>
            <MyListing listing={listing} jobId={preparing[listing.id] ?? null} onChanged={listings.reload} />
          </li>
        ))}
      </ul>
      <ListFooter list={listings} empty="Nothing listed yet." />
    </section>
  );
}

/** The status change a listing offers its seller: publish a draft, pause what is on sale, resume what is paused. */
const nextStep = {
  draft: { action: "publish", label: "Publish" },
  published: { action: "pause", label: "Pause" },
  paused: { action: "publish", label: "Resume" },
} as const;

function MyListing({ listing, jobId, onChanged }: { listing: ListingSummary; jobId: string | null; onChanged: () => void }) {
  const job = useJob(jobId);
  const [error, setError] = useState<unknown>(null);
  const step = listing.status in nextStep ? nextStep[listing.status as keyof typeof nextStep] : null;
  const preparingNow = job !== null && (job.status === "queued" || job.status === "running");

  async function change(action: string) {
    setError(null);
    try {
      await api.post(`/api/listings/${listing.id}/${action}`);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="stack">
      <div className="row">
        <Link to={`/market/listings/${listing.id}`}>{listing.title}</Link>
        <span className="muted">
          {kindLabel(listing.type)} · {cardPrice(listing)} · {listing.sales} sold
        </span>
        <span className="spacer" />
        <strong data-testid="listing-status">{listing.status === "soldExclusively" ? "sold exclusively" : listing.status}</strong>
        {step && (
          <button className="small" onClick={() => void change(step.action)} disabled={preparingNow} aria-label={`${step.label} ${listing.title}`}>
            {step.label}
          </button>
        )}
      </div>
      {preparingNow && <ProgressBar value={job.progress} label={`Preparing the files of ${listing.title}`} />}
      {job?.status === "succeeded" && listing.status === "draft" && <p className="ok">Files ready: publish it to put it on sale.</p>}
      {job?.status === "failed" && <p className="error">The files could not be prepared: {job.error ?? "unknown reason"}.</p>}
      <ErrorText error={error} />
    </div>
  );
}

function Sales() {
  const sales = usePaged<Order>("/api/orders?role=seller&first=20");
  return (
    <section className="stack" aria-labelledby="sales-heading">
      <h2 id="sales-heading">Sales</h2>
      <ul className="list">
        {sales.items.map((order) => (
          <li key={order.id} className="row">
            <Link to={`/market/listings/${order.listingId}`}>{order.listingTitle}</Link>
            <span>
              {order.tier.name}, {formatPrice(order.tier.price, order.tier.currency)}
            </span>
            <span className="muted">{new Date(order.createdAt).toLocaleString()}</span>
            <span className="spacer" />
            <strong>{order.status}</strong>
          </li>
        ))}
      </ul>
      <ListFooter list={sales} empty="No sales yet." />
    </section>
  );
}

function Earnings() {
  const balances = useLoad(() => api.get<Balance[]>("/api/seller/balance"), []);
  const [payouts, setPayouts] = useState<Payout[]>([]);
  const payable = balances.data?.filter((b) => b.available > 0) ?? [];

  function paid(payout: Payout) {
    setPayouts((all) => [payout, ...all]);
    balances.reload();
  }

  return (
    <section className="stack" aria-labelledby="earnings-heading">
      <h2 id="earnings-heading">Earnings</h2>
      <p className="muted">Earnings from a sale clear a week after it (refunds can still take them back until then); what has cleared can be paid out.</p>
      <Loading state={balances}>
        {balances.data?.length ? (
          <ul className="list">
            {balances.data.map((b) => (
              <li key={b.currency} className="row" aria-label={`Balance in ${b.currency}`}>
                <strong>{b.currency}</strong>
                <span>Available: {formatAmount(b.available, b.currency)}</span>
                <span className="muted">Pending (clearing): {formatAmount(b.clearing, b.currency)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No earnings yet.</p>
        )}
      </Loading>
      {payable.length > 0 && <PayoutForm balances={payable} onPaid={paid} />}
      {payouts.length > 0 && (
        <ul className="list" aria-label="Payouts">
          {payouts.map((p) => (
            <li key={p.id}>
              Payout of {formatAmount(p.amount, p.currency)} on {new Date(p.at).toLocaleString()}: {p.status}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PayoutForm({ balances, onPaid }: { balances: Balance[]; onPaid: (payout: Payout) => void }) {
  const [currency, setCurrency] = useState(balances[0].currency);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    setError(null);
    try {
      const amount = parsePrice(String(new FormData(form).get("amount") ?? ""), currency);
      onPaid(await api.post<Payout>("/api/seller/payouts", { currency, amount }));
      form.reset();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="payout-heading">
      <h3 id="payout-heading">Request a payout</h3>
      <div className="row">
        <label>
          Currency
          <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {balances.map((b) => (
              <option key={b.currency}>{b.currency}</option>
            ))}
          </select>
        </label>
        <label>
          Amount (blank: all available)
          <input name="amount" inputMode="decimal" size={10} />
        </label>
      </div>
      <ErrorText error={error} />
      <button type="submit">Request payout</button>
    </form>
  );
}
