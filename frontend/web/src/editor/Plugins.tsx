// Hosted plugins in the effect chain: a browser to find and add one (search, category, effect or instrument), a
// parameter editor built from the plugin's declared parameters, and presets (the plugin's own and the user's).
// A preset reaches the project as ops: effect.state with the plugin's saved state, then effect.set.
import { useState, type ReactElement } from "react";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { ErrorText, useLoad } from "../ui/ui";
import type { Effect } from "./model";
import type { OpDraft } from "./session";
import { isPlugin } from "./preview";

type PluginSummary = Schema<"PluginSummary">;
type PluginInfo = Schema<"PluginInfo">;
type PluginState = Schema<"PluginState">;
type UserPreset = Schema<"PluginUserPreset">;

/** Whether an effect type names a hosted plugin ("vst2:…", "lv2:…") rather than a built-in effect. */

const describe = (id: string) => api.get<PluginInfo>(`/api/plugins/describe?id=${encodeURIComponent(id)}`);

export function PluginBrowser({ forMidiTrack, onAdd }: { forMidiTrack: boolean; onAdd: (plugin: PluginSummary) => void }) {
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState("");
  const [kind, setKind] = useState(forMidiTrack ? "" : "effect");
  const query = new URLSearchParams({ ...(search ? { q: search } : {}), ...(category ? { category } : {}), ...(kind ? { kind } : {}) });
  const all = useLoad(() => api.get<PluginSummary[]>("/api/plugins"), []);
  const found = useLoad(() => api.get<PluginSummary[]>(`/api/plugins?${query}`), [query.toString()]);
  const categories = [...new Set((all.data ?? []).map((p) => p.category))].sort();
  return (
    <div className="plugin-browser" aria-label="Plugin browser">
      <div className="row">
        <input type="search" aria-label="Search plugins" placeholder="Search plugins" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label="Plugin category" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
        <select aria-label="Plugin kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">Effects and instruments</option>
          <option value="effect">Effects</option>
          <option value="instrument">Instruments</option>
        </select>
      </div>
      {found.error ? <ErrorText error={found.error} /> : null}
      <ul className="list plugin-list">
        {(found.data ?? []).slice(0, 50).map((p) => (
          <li key={p.id} className="row">
            <span title={p.id}>
              <strong>{p.name}</strong> <span className="muted">{p.vendor} · {p.category}{p.isInstrument ? " · instrument" : ""}</span>
            </span>
            <span className="spacer" />
            {p.unsupported ? (
              <span className="muted" title={p.unsupported}>not supported</span>
            ) : (
              <button className="small" aria-label={`Add ${p.name}`} onClick={() => onAdd(p)}>Add</button>
            )}
          </li>
        ))}
      </ul>
      {(found.data?.length ?? 0) > 50 && <p className="muted">{found.data!.length - 50} more: narrow the search.</p>}
    </div>
  );
}

/** The parameter editor and presets of one plugin effect, from what the plugin declares. */
export function PluginEffect({ effect, canEdit, onEdit, Slider }: {
  effect: Effect;
  canEdit: boolean;
  onEdit: (op: OpDraft) => void;
  Slider: (props: { label: string; min: number; max: number; step: number; value: number; disabled?: boolean; format?: (v: number) => string; onCommit: (v: number) => void }) => ReactElement;
}) {
  const info = useLoad(() => describe(effect.type), [effect.type]);
  const mine = useLoad(() => api.get<UserPreset[]>(`/api/plugins/presets?pluginId=${encodeURIComponent(effect.type)}`), [effect.type]);
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<unknown>(null);
  const apply = (state: Pick<PluginState, "state" | "parameters">) => {
    onEdit({ kind: "effect.state", payload: { effectId: effect.id, state: state.state } });
    onEdit({ kind: "effect.set", payload: { effectId: effect.id, parameters: state.parameters } });
  };
  const run = (work: () => Promise<void>) => work().then(() => setError(null), setError);
  if (info.error) return <p className="muted">This plugin is not installed on this server; renders bypass it.</p>;
  if (!info.data) return null;
  const parameters = info.data.parameters.filter((p) => !filter || p.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div className="plugin-effect" aria-label={`Plugin ${info.data.name}`}>
      <div className="row">
        <span className="muted">{info.data.vendor}</span>
        <span className="spacer" />
        {info.data.presets.length > 0 && (
          <select aria-label={`Factory preset of ${info.data.name}`} value="" disabled={!canEdit}
            onChange={(e) => run(async () => apply(await api.post<PluginState>("/api/plugins/state", { pluginId: effect.type, presetId: e.target.value })))}>
            <option value="">Factory presets…</option>
            {info.data.presets.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
        )}
        {(mine.data?.length ?? 0) > 0 && (
          <select aria-label={`My preset of ${info.data.name}`} value="" disabled={!canEdit}
            onChange={(e) => { const preset = mine.data!.find((p) => p.id === e.target.value); if (preset) apply(preset); }}>
            <option value="">My presets…</option>
            {mine.data!.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
        )}
        <button className="small secondary" aria-label={`Save preset of ${info.data.name}`}
          onClick={() => {
            const name = window.prompt("Preset name");
            if (name) {
              run(async () => {
                await api.post<UserPreset>("/api/plugins/presets", { pluginId: effect.type, name, state: effect.state ?? undefined, parameters: effect.parameters });
                mine.reload();
              });
            }
          }}>Save preset</button>
      </div>
      {error ? <ErrorText error={error} /> : null}
      {info.data.parameters.length > 12 && (
        <input type="search" aria-label={`Filter parameters of ${info.data.name}`} placeholder="Filter parameters" value={filter} onChange={(e) => setFilter(e.target.value)} />
      )}
      <div className="plugin-parameters">
        {parameters.map((p) =>
          p.toggle ? (
            <label key={p.id} className="row">
              <input type="checkbox" aria-label={p.name} disabled={!canEdit} checked={(effect.parameters[p.id] ?? p.default) >= (p.min + p.max) / 2}
                onChange={(e) => onEdit({ kind: "effect.set", payload: { effectId: effect.id, parameters: { [p.id]: e.target.checked ? p.max : p.min } } })} />
              {p.name}
            </label>
          ) : (
            <Slider key={p.id} label={p.name} min={p.min} max={p.max} step={p.integer ? 1 : (p.max - p.min) / 200}
              value={effect.parameters[p.id] ?? p.default} disabled={!canEdit}
              format={(v) => `${Number(v.toPrecision(3))} ${p.unit}`.trim()}
              onCommit={(v) => onEdit({ kind: "effect.set", payload: { effectId: effect.id, parameters: { [p.id]: v } } })} />
          ),
        )}
      </div>
    </div>
  );
}

/** The name to show for an effect: a plugin's own name once known, else its type. */
export function usePluginName(type: string) {
  const info = useLoad(() => (isPlugin(type) ? describe(type) : Promise.resolve(null)), [type]);
  return info.data?.name ?? type;
}
