// The built-in instruments' editors. A sampler's zones (a sample each, with the key it sounds as recorded at, and the
// keys and velocities it answers), a drum machine's pads (a sample per key from 36), and a drum clip's step pattern: a
// row per pad, a column per sixteenth; a click adds or removes the note of that step. Every change is one op:
// effect.zones with the whole list, or note.add / note.remove.
import { api, type Page } from "../api/client";
import type { Schema } from "../api/types";
import type { Asset } from "../api/jobs";
import { useLoad } from "../ui/ui";
import type { Clip, Effect, Project, Zone } from "./model";
import { pitchName } from "./PianoRoll";
import type { OpDraft } from "./session";
import { tempoMap } from "./tempo";

/** The drum machine's pads: General MIDI's drum keys from 36. */
export const pads = ["Kick", "Rim", "Snare", "Clap", "Snare 2", "Low tom", "Closed hat", "Mid tom", "Pedal hat", "High tom", "Open hat", "Tom", "Tom 2", "Crash", "Tom 3", "Ride"]
  .map((name, i) => ({ name, key: 36 + i }));

/** Steps a pattern shows at most (four bars of sixteenths in 4/4). */
const maxSteps = 64;

const zoneOps = (effect: Effect, zones: Zone[]): OpDraft => ({ kind: "effect.zones", payload: { effectId: effect.id, zones } });

/** The caller's ready audio, and the samples the instrument already plays (a collaborator's, perhaps), to choose from. */
function useSamples(effect: Effect): { id: string; name: string }[] {
  const mine = useLoad(() => api.get<Page<Asset>>("/api/assets?first=100"), []);
  const ready = (mine.data?.items ?? []).filter((a) => a.status === "ready").map((a) => ({ id: a.id, name: a.fileName }));
  const others = effect.zones.map((z) => z.assetId).filter((id, i, all) => all.indexOf(id) === i && !ready.some((a) => a.id === id))
    .map((id) => ({ id, name: `In the project (${id.slice(0, 8)})` }));
  return [...ready, ...others];
}

function SampleSelect({ label, value, samples, disabled, onChange }: { label: string; value: string; samples: { id: string; name: string }[]; disabled: boolean; onChange: (id: string) => void }) {
  return (
    <select aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      <option value="">No sample</option>
      {samples.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
    </select>
  );
}

function KeyInput({ label, value, min, max, disabled, onChange }: { label: string; value: number; min: number; max: number; disabled: boolean; onChange: (v: number) => void }) {
  return (
    <input type="number" aria-label={label} title={label} min={min} max={max} value={value} disabled={disabled} style={{ width: "4em" }}
      onChange={(e) => {
        const v = Math.round(Number(e.target.value));
        if (Number.isFinite(v) && v >= min && v <= max) onChange(v);
      }} />
  );
}

/** A sampler's zones: add one, set its sample, root, key range and velocity range, remove it. */
export function SamplerZones({ effect, canEdit, onEdit }: { effect: Effect; canEdit: boolean; onEdit: (op: OpDraft) => void }) {
  const samples = useSamples(effect);
  const set = (index: number, change: Partial<Zone>) => onEdit(zoneOps(effect, effect.zones.map((z, i) => (i === index ? { ...z, ...change } : z))));
  return (
    <div aria-label="Zones">
      <ol className="list">
        {effect.zones.map((zone, i) => (
          <li key={i} className="row" aria-label={`Zone ${i + 1}`}>
            <SampleSelect label={`Zone ${i + 1} sample`} value={zone.assetId} samples={samples} disabled={!canEdit}
              onChange={(id) => id && set(i, { assetId: id })} />
            <span className="muted">root {pitchName(zone.root)}</span>
            <KeyInput label={`Zone ${i + 1} root`} value={zone.root} min={0} max={127} disabled={!canEdit} onChange={(root) => set(i, { root })} />
            <KeyInput label={`Zone ${i + 1} lowest key`} value={zone.low} min={0} max={zone.high} disabled={!canEdit} onChange={(low) => set(i, { low })} />
            <KeyInput label={`Zone ${i + 1} highest key`} value={zone.high} min={zone.low} max={127} disabled={!canEdit} onChange={(high) => set(i, { high })} />
            <KeyInput label={`Zone ${i + 1} lowest velocity`} value={zone.lowVelocity} min={1} max={zone.highVelocity} disabled={!canEdit} onChange={(lowVelocity) => set(i, { lowVelocity })} />
            <KeyInput label={`Zone ${i + 1} highest velocity`} value={zone.highVelocity} min={zone.lowVelocity} max={127} disabled={!canEdit} onChange={(highVelocity) => set(i, { highVelocity })} />
            {canEdit && <button className="small danger" aria-label={`Remove zone ${i + 1}`} onClick={() => onEdit(zoneOps(effect, effect.zones.filter((_, k) => k !== i)))}>✕</button>}
          </li>
        ))}
      </ol>
      {canEdit && (
        <SampleSelect label="Add a zone" value="" samples={samples} disabled={false}
          onChange={(id) => id && onEdit(zoneOps(effect, [...effect.zones, { assetId: id, root: 60, low: 0, high: 127, lowVelocity: 1, highVelocity: 127 }]))} />
      )}
    </div>
  );
}

/** A drum machine's pads: a sample for each, or none. */
export function DrumPads({ effect, canEdit, onEdit }: { effect: Effect; canEdit: boolean; onEdit: (op: OpDraft) => void }) {
  const samples = useSamples(effect);
  const setPad = (key: number, assetId: string) => {
    const others = effect.zones.filter((z) => !(z.low === key && z.high === key));
    onEdit(zoneOps(effect, assetId ? [...others, { assetId, root: key, low: key, high: key, lowVelocity: 1, highVelocity: 127 }] : others));
  };
  return (
    <div className="pads" aria-label="Pads">
      {pads.map((pad) => (
        <label key={pad.key} className="row">
          <span style={{ minWidth: "6em" }}>{pad.name}</span>
          <SampleSelect label={`Pad ${pad.name}`} value={effect.zones.find((z) => z.low === pad.key && z.high === pad.key)?.assetId ?? ""} samples={samples}
            disabled={!canEdit} onChange={(id) => setPad(pad.key, id)} />
        </label>
      ))}
    </div>
  );
}

/**
 * A drum clip's pattern: the pads with a sample (or, when none has, all of them) down, the clip's sixteenths across. A
 * step holds a note when one starts inside it on that pad's key; a click there removes it, elsewhere adds one a step long.
 */
export function StepGrid({ project, clip, kit, canEdit, onEdit }: { project: Project; clip: Clip; kit: Effect; canEdit: boolean; onEdit: (op: OpDraft) => void }) {
  // Sixteenths from the clip's start, through the tempo changes.
  const map = tempoMap(project);
  const first = map.beatAt(clip.start);
  const stepAt = (n: number) => Math.round(map.positionOf(first + n / 4)) - clip.start;
  const steps = Math.min(maxSteps, Math.max(1, Math.floor((map.beatAt(clip.start + clip.length) - first) * 4 + 1e-9)));
  const loaded = pads.filter((p) => kit.zones.some((z) => p.key >= z.low && p.key <= z.high));
  const rows = loaded.length > 0 ? loaded : pads;
  const noteAt = (key: number, n: number) => clip.notes.find((note) => note.pitch === key && note.start >= stepAt(n) && note.start < stepAt(n + 1));
  return (
    <section className="steps" aria-label="Step pattern">
      <h3>Pattern</h3>
      <table>
        <tbody>
          {rows.map((pad) => (
            <tr key={pad.key}>
              <th scope="row">{pad.name}</th>
              {Array.from({ length: steps }, (_, n) => {
                const note = noteAt(pad.key, n);
                return (
                  <td key={n}>
                    <button className={`step${n % 4 === 0 ? " beat" : ""}`} aria-label={`${pad.name} step ${n + 1}`} aria-pressed={!!note} disabled={!canEdit}
                      onClick={() => onEdit(note
                        ? { kind: "note.remove", payload: { clipId: clip.id, noteId: note.id } }
                        : { kind: "note.add", payload: { clipId: clip.id, pitch: pad.key, velocity: 100, start: stepAt(n), length: stepAt(n + 1) - stepAt(n) } })} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type SoundFontSummary = Schema<"SoundFontSummary">;

/** A soundfont instrument's SoundFont (one the server has installed) and preset (bank and program, by name). */
export function SoundFontPicker({ effect, canEdit, onEdit }: { effect: Effect; canEdit: boolean; onEdit: (op: OpDraft) => void }) {
  const fonts = useLoad(() => api.get<SoundFontSummary[]>("/api/soundfonts"), []);
  const font = fonts.data?.find((f) => f.id === effect.soundFont);
  const preset = `${effect.parameters.bank ?? 0}:${effect.parameters.program ?? 0}`;
  return (
    <div className="row">
      <select aria-label="SoundFont" value={effect.soundFont ?? ""} disabled={!canEdit}
        onChange={(e) => onEdit({ kind: "effect.soundfont", payload: { effectId: effect.id, soundFont: e.target.value || null } })}>
        <option value="">Choose a SoundFont…</option>
        {fonts.data?.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
      </select>
      {font && (
        <select aria-label="Preset" value={preset} disabled={!canEdit} onChange={(e) => {
          const [bank, program] = e.target.value.split(":").map(Number);
          onEdit({ kind: "effect.set", payload: { effectId: effect.id, parameters: { bank, program } } });
        }}>
          {font.presets.map((p) => (
            <option key={`${p.bank}:${p.program}`} value={`${p.bank}:${p.program}`}>{p.bank === 128 ? "Drums" : p.bank}:{p.program} {p.name}</option>
          ))}
        </select>
      )}
    </div>
  );
}
