// The home page: search releases with filters (kept in the address), results a page at a time; when not
// searching, the signed-in user's feed and unread notifications, what is trending, and the genres.
import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../api/client";
import { on } from "../api/hub";
import type { Schema } from "../api/types";
import { usePaged } from "../api/usePaged";
import { useUser } from "../auth/auth";
import { ErrorText, Loading, useLoad } from "../ui/ui";
import { countOf, PagedSection, ReleaseList } from "./components";
import { useUserNames } from "./hooks";
import { bpmProblem, formFromParams, isSearching, musicalKeys, searchQuery, searchUrl, sorts, type SearchForm } from "./search";
import type { FeedItem, GenreCount, ReleaseSummary } from "./types";

export default function DiscoverPage() {
  const [params, setParams] = useSearchParams();
  const user = useUser();
  const asked = formFromParams(params);
  const searching = isSearching(asked);

  return (
    <main className="page stack">
      <h1>Discover</h1>
      {/* Keyed by the address so the fields follow back and forward. */}
      <SearchBox key={params.toString()} initial={asked} onSearch={(form) => setParams(new URLSearchParams(searchQuery(form)))} />
      {searching ? (
        <SearchResults form={asked} />
      ) : (
        <>
          {user && <Notifications />}
          {user && <Feed />}
          <Trending />
          <Genres />
        </>
      )}
    </main>
  );
}

function SearchBox({ initial, onSearch }: { initial: SearchForm; onSearch: (form: SearchForm) => void }) {
  const [form, setForm] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const set = <K extends keyof SearchForm>(field: K) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value as SearchForm[K] }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const reason = bpmProblem(form);
    setProblem(reason);
    if (!reason) onSearch(form);
  }

  return (
    <form role="search" className="stack card" onSubmit={submit}>
      <div className="row">
        <input type="search" aria-label="Search releases" placeholder="Songs, artists, tags…" value={form.q} onChange={set("q")} className="grow" />
        <button type="submit">Search</button>
      </div>
      <div className="row filters">
        <label>
          Genre
          <input value={form.genre} onChange={set("genre")} maxLength={50} />
        </label>
        <label>
          BPM from
          <input type="number" min={20} max={300} value={form.bpmMin} onChange={set("bpmMin")} />
        </label>
        <label>
          BPM to
          <input type="number" min={20} max={300} value={form.bpmMax} onChange={set("bpmMax")} />
        </label>
        <label>
          Key
          <select value={form.key} onChange={set("key")}>
            <option value="">Any key</option>
            {musicalKeys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Sort
          <select value={form.sort} onChange={set("sort")}>
            {sorts.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {problem && <ErrorText error={new Error(problem)} />}
    </form>
  );
}

function SearchResults({ form }: { form: SearchForm }) {
  const results = usePaged<ReleaseSummary>(searchUrl(form));
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      <PagedSection paged={results}>
        <ReleaseList label="Search results" source="search" items={results.items} release={(r) => r} empty="Nothing matches; try fewer words or filters." />
      </PagedSection>
      <Link to="/">Clear the search</Link>
    </section>
  );
}

function Feed() {
  const feed = usePaged<FeedItem>("/api/feed?first=20");
  const names = useUserNames(feed.items.filter((i) => i.repost).map((i) => i.actorId));
  return (
    <section aria-labelledby="feed-heading">
      <h2 id="feed-heading">Feed</h2>
      <PagedSection paged={feed}>
        <ReleaseList
          label="Feed"
          source="feed"
          items={feed.items}
          release={(i) => i.release}
          note={(i) => (i.repost ? <>Reposted by <Link to={`/users/${i.actorId}`}>{names[i.actorId] ?? "…"}</Link></> : null)}
          empty="Follow artists to see their releases and reposts here."
        />
      </PagedSection>
    </section>
  );
}

/** How many notifications are unread, live from the hub, and a way to mark them read. */
function Notifications() {
  const [unread, setUnread] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Schema<"NotificationsResponse">>("/api/notifications?first=1").then((n) => setUnread(n.unread), setError);
    return on("Notification", () => setUnread((n) => (n ?? 0) + 1));
  }, []);
  const markRead = () => api.post("/api/notifications/read").then(() => setUnread(0), setError);
  if (unread === null) return <ErrorText error={error} />;
  return (
    <p className="row" data-testid="notifications">
      <span>
        {unread === 0 ? "No unread notifications" : countOf(unread, "unread notification")}
      </span>
      {unread > 0 && (
        <button className="link" onClick={markRead}>
          Mark all read
        </button>
      )}
      <ErrorText error={error} />
    </p>
  );
}

function Trending() {
  const charts = usePaged<ReleaseSummary>("/api/charts?first=20");
  return (
    <section aria-labelledby="trending-heading">
      <h2 id="trending-heading">Trending</h2>
      <PagedSection paged={charts}>
        <ReleaseList label="Trending" source="charts" items={charts.items} release={(r) => r} empty="Nothing is out yet." />
      </PagedSection>
    </section>
  );
}

/** Each genre links to its chart: the search for that genre, trending first. */
function Genres() {
  const genres = useLoad(() => api.get<GenreCount[]>("/api/genres"), []);
  return (
    <section aria-labelledby="genres-heading">
      <h2 id="genres-heading">Genres</h2>
      <Loading state={genres}>
        {genres.data?.length ? (
          <ul className="chips">
            {genres.data.map((g) => (
              <li key={g.genre}>
                <Link to={`/?genre=${encodeURIComponent(g.genre)}&sort=trending`}>
                  {g.genre} <span className="muted">{g.releases}</span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No genres yet.</p>
        )}
      </Loading>
    </section>
  );
}
