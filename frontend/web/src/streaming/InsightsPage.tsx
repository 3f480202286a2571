// An artist's insights: plays and listeners per day as a chart, the window's totals, the top releases,
// countries and where plays came from, and what sales earned. Everything comes from GET /api/insights.
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText, useLoad } from "../ui/ui";

type Insights = Schema<"InsightsResponse">;
type Day = Schema<"InsightsDay">;

export const windows = [28, 90, 365] as const;

const sourceNames: Record<string, string> = {
  direct: "Direct (release page, links)",
  search: "Search",
  feed: "Followers' feeds",
  charts: "Trending",
  playlist: "Playlists",
  profile: "Your profile",
  embed: "Embedded players",
};

/** "12.50 USD" from minor units. */
export const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

export default function InsightsPage() {
  const [days, setDays] = useState<(typeof windows)[number]>(28);
  const insights = useLoad(() => api.get<Insights>(`/api/insights?days=${days}`), [days]);
  const data = insights.data;
  return (
    <main className="page stack">
      <h1>Insights</h1>
      <div role="group" aria-label="Window" className="row">
        {windows.map((w) => (
          <button key={w} type="button" aria-pressed={w === days} onClick={() => setDays(w)}>
            {w === 365 ? "A year" : `${w} days`}
          </button>
        ))}
      </div>
      <ErrorText error={insights.error} />
      {data && (
        <>
          <dl className="row wrap" aria-label="Totals">
            {(
              [
                ["Plays", data.totals.plays],
                ["Listeners", data.totals.listeners],
                ["Likes", data.totals.likes],
                ["Reposts", data.totals.reposts],
                ["Sales", data.totals.sales],
                ["Downloads", data.totals.downloads],
              ] as const
            ).map(([name, value]) => (
              <div key={name} className="card">
                <dt className="muted">{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <DayChart series={data.series} />
          <section aria-labelledby="top-heading">
            <h2 id="top-heading">Top releases</h2>
            {data.topReleases.length === 0 ? (
              <p className="muted">No plays in this window yet.</p>
            ) : (
              <ol>
                {data.topReleases.map((r) => (
                  <li key={r.releaseId}>
                    <Link to={`/releases/${r.releaseId}`}>{r.title}</Link> · {r.plays} {r.plays === 1 ? "play" : "plays"}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <Shares heading="Countries" counts={data.topCountries} name={(key) => (key === "unknown" ? "Unknown" : key)} />
          <Shares heading="Where plays came from" counts={data.sources} name={(key) => sourceNames[key] ?? key} />
          {data.revenue.length > 0 && (
            <section aria-labelledby="revenue-heading">
              <h2 id="revenue-heading">Earnings</h2>
              <ul>
                {data.revenue.map((r) => (
                  <li key={r.key}>{money(r.count, r.key)}</li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </main>
  );
}

/** Plays per day as bars, listeners as a line over them; one <title> per bar says the day's figures. */
export function DayChart({ series }: { series: Day[] }) {
  const width = 720;
  const height = 180;
  const top = Math.max(1, ...series.map((d) => d.plays));
  const step = width / Math.max(1, series.length);
  const y = (v: number) => height - (v / top) * (height - 10);
  const line = series.map((d, i) => `${i === 0 ? "M" : "L"}${(i + 0.5) * step},${y(d.listeners)}`).join(" ");
  return (
    <figure className="card">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Plays per day, highest ${top}`} width="100%">
        {series.map((d, i) => (
          <rect key={d.day} data-day={d.day} x={i * step + 1} y={y(d.plays)} width={Math.max(1, step - 2)} height={height - y(d.plays)} fill="currentColor" opacity={0.6}>
            <title>{`${d.day}: ${d.plays} plays, ${d.listeners} listeners`}</title>
          </rect>
        ))}
        <path d={line} fill="none" stroke="currentColor" strokeWidth={2} />
      </svg>
      <figcaption className="muted">
        Plays per day (bars) and listeners (line), {series[0]?.day} to {series[series.length - 1]?.day}, UTC.
      </figcaption>
    </figure>
  );
}

function Shares({ heading, counts, name }: { heading: string; counts: Schema<"InsightsCount">[]; name: (key: string) => string }) {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return null;
  return (
    <section aria-label={heading}>
      <h2>{heading}</h2>
      <ul>
        {counts.map((c) => (
          <li key={c.key}>
            {name(c.key)}: {c.count} ({Math.round((100 * c.count) / total)}%)
          </li>
        ))}
      </ul>
    </section>
  );
}
