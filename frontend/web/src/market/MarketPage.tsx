// The marketplace's front: listings for sale, filtered by kind, genre, tempo, price and text, sorted, paged
// with "Load more". The filters live in the URL, so a search can be shared and survives going back.
import { useMemo, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { usePaged } from "../api/usePaged";
import { useUser } from "../auth/auth";
import { ErrorText } from "../ui/ui";
import {
  cardPrice,
  currencies,
  filtersFromParams,
  filtersToParams,
  listingFacts,
  listingKinds,
  listingSearchPath,
  starText,
  type ListingFilters,
  type ListingSummary,
} from "./market";
import { ListFooter } from "./parts";

export default function MarketPage() {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const paramText = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(paramText)), [paramText]);
  const search = useMemo(() => {
    try {
      return { path: listingSearchPath(filters), error: null };
    } catch (error) {
      return { path: null, error };
    }
  }, [filters]);
  const listings = usePaged<ListingSummary>(search.path);

  return (
    <main className="page">
      <div className="row">
        <h1>Marketplace</h1>
        <span className="spacer" />
        {user && (
          <>
            <Link to="/market/purchases">My purchases</Link>
            <Link to="/market/seller" className="button">
              Sell
            </Link>
          </>
        )}
      </div>
      <FilterForm key={paramText} filters={filters} onApply={(next) => setParams(filtersToParams(next))} />
      <ErrorText error={search.error} />
      <ul className="grid list-plain">
        {listings.items.map((listing) => (
          <li key={listing.id}>
            <ListingCard listing={listing} />
          </li>
        ))}
      </ul>
      <ListFooter list={listings} empty="No listings match these filters." />
    </main>
  );
}

function FilterForm({ filters, onApply }: { filters: ListingFilters; onApply: (filters: ListingFilters) => void }) {
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onApply(filtersFromParams(new FormData(e.currentTarget)));
  }
  return (
    <form role="search" aria-label="Filter listings" className="card market-filters" onSubmit={submit}>
      <label className="wide">
        Search
        <input name="q" type="search" defaultValue={filters.q} placeholder="Title, seller, tag…" />
      </label>
      <label>
        Kind
        <select name="type" defaultValue={filters.type}>
          <option value="">Any kind</option>
          {listingKinds.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Genre
        <input name="genre" defaultValue={filters.genre} />
      </label>
      <label>
        BPM from
        <input name="bpmMin" inputMode="decimal" defaultValue={filters.bpmMin} size={5} />
      </label>
      <label>
        BPM to
        <input name="bpmMax" inputMode="decimal" defaultValue={filters.bpmMax} size={5} />
      </label>
      <label>
        Currency
        <select name="currency" defaultValue={filters.currency}>
          <option value="">Any currency</option>
          {currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label>
        Price from
        <input name="priceMin" inputMode="decimal" defaultValue={filters.priceMin} size={7} />
      </label>
      <label>
        Price to
        <input name="priceMax" inputMode="decimal" defaultValue={filters.priceMax} size={7} />
      </label>
      <label>
        Sort by
        <select name="sort" defaultValue={filters.sort}>
          <option value="">Relevance</option>
          <option value="new">Newest</option>
          <option value="price">Lowest price</option>
          <option value="top">Best selling</option>
        </select>
      </label>
      <div className="row">
        <button type="submit">Search</button>
        <Link to="/market">Clear</Link>
      </div>
    </form>
  );
}

function ListingCard({ listing }: { listing: ListingSummary }) {
  return (
    <article className="card stack listing-card">
      <h3>
        <Link to={`/market/listings/${listing.id}`}>{listing.title}</Link>
      </h3>
      <p className="muted">
        by <Link to={`/users/${listing.sellerId}`}>{listing.seller}</Link>
      </p>
      <p>{listingFacts(listing)}</p>
      <p className="row">
        <strong>{cardPrice(listing)}</strong>
        <span className="spacer" />
        {listing.ratings > 0 && (
          <span aria-label={`Rated ${listing.rating.toFixed(1)} of 5 by ${listing.ratings}`}>
            {starText(listing.rating)} ({listing.ratings})
          </span>
        )}
      </p>
    </article>
  );
}
