// The mixer: a strip per track (volume, pan, mute, solo, output, sends) and the master, and the effect chain
// of the selected track (or the master) with the engine's built-in effects and hosted plugins (Plugins.tsx).
// Sliders send one op when released, not one per pixel. With automation write on during playback, moving a
// volume or pan slider records the lane instead (`onMove` reports every value; the release sends nothing).
import { useState } from "react";
import { api } from "../api/client";
import type { Schema } from "../api/types";
import { useLoad } from "../ui/ui";
import { DrumPads, SamplerZones, SoundFontPicker } from "./Instruments";
import type { Effect, Project, Track } from "./model";
import { PluginBrowser, PluginEffect, usePluginName } from "./Plugins";
import { isPlugin } from "./preview";
import type { OpDraft } from "./session";

interface Props {
  project: Project;
  canEdit: boolean;
  selectedTrack: string | null;
  onSelectTrack: (trackId: string | null) => void;
  onEdit: (op: OpDraft) => void;
  /** Writing automation now (write on, playing): volume and pan moves go to `onMove`, not to the mixer's setting. */
  recording?: boolean;
  onMove?: (trackId: string | null, target: "volume" | "pan", value: number) => void;
  /** The audio track armed to record on, if any; `onArm` arms one (or none). */
  armed?: string | null;
  onArm?: (trackId: string | null) => void;
}

/** A range input that shows its value while dragging and reports it once, on release. */
function Slider(props: { label: string; min: number; max: number; step: number; value: number; disabled?: boolean; format?: (v: number) => string; onCommit: (v: number) => void; onInput?: (v: number) => void }) {
  const [draft, setDraft] = useState<number | null>(null);
  const value = draft ?? props.value;
  const commit = () => {
    if (draft !== null && draft !== props.value) props.onCommit(draft);
    setDraft(null);
  };
  return (
    <label>
      <span>
        {props.label} <span className="muted">{props.format ? props.format(value) : value}</span>
      </span>
      <input
        type="range"
        aria-label={props.label}
        min={props.min}
        max={props.max}
        step={props.step}
        value={value}
        disabled={props.disabled}
        onChange={(e) => {
          setDraft(Number(e.target.value));
          props.onInput?.(Number(e.target.value));
        }}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
    </label>
  );
}

export function Mixer({ project, canEdit, selectedTrack, onSelectTrack, onEdit, recording, onMove, armed, onArm }: Props) {
  const set = (track: Track, values: Record<string, unknown>) => onEdit({ kind: "track.set", payload: { trackId: track.id, ...values } });
  const automated = (lanes: Track["automation"], target: string) => (lanes.some((l) => l.target === target) ? " (automated)" : "");
  const buses = project.tracks.filter((t) => t.kind === "bus");
  return (
    <section className="mixer" aria-label="Mixer">
      {project.tracks.map((track) => (
        <div className="strip" key={track.id} style={{ borderTop: `3px solid ${track.color}` }} aria-label={`Strip ${track.name}`}>
          <button className="link" onClick={() => onSelectTrack(track.id)} aria-pressed={selectedTrack === track.id} title="Show this track's effects">
            {track.name}
          </button>
          <Slider label={`Volume ${track.name}`} min={-60} max={12} step={0.5} value={track.volumeDb} disabled={!canEdit} format={(v) => `${v} dB${automated(track.automation, "volume")}`}
            onInput={(v) => onMove?.(track.id, "volume", v)} onCommit={(v) => !recording && set(track, { volumeDb: v })} />
          <Slider label={`Pan ${track.name}`} min={-1} max={1} step={0.05} value={track.pan} disabled={!canEdit} format={(v) => `${v}${automated(track.automation, "pan")}`}
            onInput={(v) => onMove?.(track.id, "pan", v)} onCommit={(v) => !recording && set(track, { pan: v })} />
          <div className="row">
            <button className="small secondary" aria-label={`Mute ${track.name}`} aria-pressed={track.mute} disabled={!canEdit} onClick={() => set(track, { mute: !track.mute })}>M</button>
            <button className="small secondary" aria-label={`Solo ${track.name}`} aria-pressed={track.solo} disabled={!canEdit} onClick={() => set(track, { solo: !track.solo })}>S</button>
            {track.kind === "audio" && canEdit && onArm && (
              <button className="small secondary" aria-label={`Arm ${track.name}`} aria-pressed={armed === track.id} title="Arm to record on this track"
                onClick={() => onArm(armed === track.id ? null : track.id)}>R</button>
            )}
          </div>
          {track.kind !== "bus" && buses.length > 0 && (
            <select aria-label={`Output ${track.name}`} value={track.output ?? "master"} disabled={!canEdit} onChange={(e) => set(track, { output: e.target.value })}>
              <option value="master">Master</option>
              {buses.map((b) => (
                <option key={b.id} value={b.id}>{b.name}</option>
              ))}
            </select>
          )}
          <Sends track={track} buses={buses} canEdit={canEdit} onEdit={onEdit} automated={(bus) => automated(track.automation, `send:${bus}`)} />
        </div>
      ))}
      <div className="strip" aria-label="Strip Master">
        <button className="link" onClick={() => onSelectTrack(null)} aria-pressed={selectedTrack === null}>Master</button>
        <Slider label="Master volume" min={-60} max={12} step={0.5} value={project.master.volumeDb} disabled={!canEdit} format={(v) => `${v} dB${automated(project.master.automation, "volume")}`}
          onInput={(v) => onMove?.(null, "volume", v)} onCommit={(v) => !recording && onEdit({ kind: "master.set", payload: { volumeDb: v } })} />
      </div>
    </section>
  );
}

/** A track's sends: a level each (with pre/post-fader and removal), and a bus to add one to. */
function Sends({ track, buses, canEdit, onEdit, automated }: { track: Track; buses: Track[]; canEdit: boolean; onEdit: (op: OpDraft) => void; automated: (bus: string) => string }) {
  const send = (busId: string, values: Record<string, unknown>) => onEdit({ kind: "track.send", payload: { trackId: track.id, busId, ...values } });
  const open = buses.filter((b) => b.id !== track.id && !track.sends.some((s) => s.bus === b.id));
  const name = (bus: string) => buses.find((b) => b.id === bus)?.name ?? "bus";
  return (
    <>
      {track.sends.map((s) => (
        <div key={s.bus} className="send">
          <Slider label={`Send ${track.name} to ${name(s.bus)}`} min={-60} max={12} step={0.5} value={s.levelDb} disabled={!canEdit}
            format={(v) => `${v} dB${automated(s.bus)}`} onCommit={(v) => send(s.bus, { levelDb: v })} />
          <div className="row">
            <button className="small secondary" aria-pressed={s.preFader} disabled={!canEdit} aria-label={`Pre-fader ${track.name} to ${name(s.bus)}`}
              title="Pre-fader: the send does not follow this track's fader and pan" onClick={() => send(s.bus, { preFader: !s.preFader })}>Pre</button>
            {canEdit && (
              <button className="small secondary" aria-label={`Remove send ${track.name} to ${name(s.bus)}`} onClick={() => send(s.bus, { remove: true })}>×</button>
            )}
          </div>
        </div>
      ))}
      {canEdit && open.length > 0 && (
        <select aria-label={`Add send ${track.name}`} value="" onChange={(e) => e.target.value && send(e.target.value, { levelDb: 0 })}>
          <option value="">Send to…</option>
          {open.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
      )}
    </>
  );
}

type EffectType = Schema<"EffectSpec">;

export function EffectChain({ project, canEdit, selectedTrack, onEdit }: Omit<Props, "onSelectTrack">) {
  const catalog = useLoad(() => api.get<EffectType[]>("/api/effects"), []);
  const track = project.tracks.find((t) => t.id === selectedTrack);
  const chain = track ? track.effects : project.master.effects;
  const [adding, setAdding] = useState("");
  const [browsing, setBrowsing] = useState(false);
  const typeOf = (effect: Effect) => catalog.data?.find((t) => t.type === effect.type);
  return (
    <section aria-label="Effects">
      <h3>Effects · {track ? track.name : "Master"}</h3>
      <ol className="list">
        {chain.map((effect, index) => (
          <li key={effect.id}>
            <div className="row">
              <EffectName type={effect.type} />
              <span className="spacer" />
              <button className="small secondary" aria-pressed={effect.bypass} aria-label={`Bypass ${effect.type}`} disabled={!canEdit} onClick={() => onEdit({ kind: "effect.bypass", payload: { effectId: effect.id, bypass: !effect.bypass } })}>Bypass</button>
              <button className="small secondary" aria-label={`Move ${effect.type} up`} disabled={!canEdit || index === 0} onClick={() => onEdit({ kind: "effect.reorder", payload: { effectId: effect.id, index: index - 1 } })}>↑</button>
              <button className="small danger" aria-label={`Remove ${effect.type}`} disabled={!canEdit} onClick={() => onEdit({ kind: "effect.remove", payload: { effectId: effect.id } })}>✕</button>
            </div>
            {isPlugin(effect.type) && <PluginEffect effect={effect} canEdit={canEdit} onEdit={onEdit} Slider={Slider} />}
            {effect.type === "sampler" && <SamplerZones effect={effect} canEdit={canEdit} onEdit={onEdit} />}
            {effect.type === "drums" && <DrumPads effect={effect} canEdit={canEdit} onEdit={onEdit} />}
            {effect.type === "soundfont" && <SoundFontPicker effect={effect} canEdit={canEdit} onEdit={onEdit} />}
            {typeOf(effect)?.parameters.filter((p) => effect.type !== "soundfont" || p.name === "gainDb").map((p) => (
              <Slider
                key={p.name}
                label={`${p.description || p.name}`}
                min={p.min}
                max={p.max}
                step={(p.max - p.min) / 200}
                value={effect.parameters[p.name] ?? p.default}
                disabled={!canEdit}
                format={(v) => `${Number(v.toPrecision(3))} ${p.unit}`}
                onCommit={(v) => onEdit({ kind: "effect.set", payload: { effectId: effect.id, parameters: { [p.name]: v } } })}
              />
            ))}
          </li>
        ))}
      </ol>
      {canEdit && (
        <div className="row">
          <select aria-label="Effect to add" value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Add an effect…</option>
            {catalog.data?.filter((t) => !t.instrument).map((t) => (
              <option key={t.type} value={t.type} title={t.description}>{t.type}</option>
            ))}
          </select>
          <button
            className="small"
            disabled={!adding}
            onClick={() => {
              onEdit({ kind: "effect.add", payload: { type: adding, ...(track ? { trackId: track.id } : {}) } });
              setAdding("");
            }}
          >
            Add
          </button>
          <button className="small secondary" aria-pressed={browsing} onClick={() => setBrowsing(!browsing)}>Plugins…</button>
        </div>
      )}
      {canEdit && track?.kind === "midi" && (
        // An instrument goes first in a MIDI track's chain: that is where the engine plays the notes into it.
        <select aria-label="Instrument to add" value="" onChange={(e) => e.target.value && onEdit({ kind: "effect.add", payload: { type: e.target.value, trackId: track.id, index: 0 } })}>
          <option value="">Add an instrument…</option>
          {catalog.data?.filter((t) => t.instrument).map((t) => (
            <option key={t.type} value={t.type} title={t.description}>{t.type}</option>
          ))}
        </select>
      )}
      {canEdit && browsing && (
        <PluginBrowser
          forMidiTrack={track?.kind === "midi"}
          onAdd={(plugin) => {
            // An instrument goes first in a MIDI track's chain: that is where the engine plays the notes into it.
            const first = plugin.isInstrument && track?.kind === "midi";
            onEdit({ kind: "effect.add", payload: { type: plugin.id, ...(track ? { trackId: track.id } : {}), ...(first ? { index: 0 } : {}) } });
            setBrowsing(false);
          }}
        />
      )}
    </section>
  );
}

function EffectName({ type }: { type: string }) {
  return <strong title={type}>{usePluginName(type)}</strong>;
}
