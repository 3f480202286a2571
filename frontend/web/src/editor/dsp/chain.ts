// A track's (or the master's) chain of built-in effects as the browser plays it: the effects in order, their
// parameters with automation lanes applied every 64 frames at the timeline position (as the engine's control rate),
// bypass, and a compressor's sidechain key. A new configuration keeps each effect that is still there (same id and
// type, same fixed parameters) with its state, so a parameter moved while playing is heard at once, without a click.
import { valueAt, type Point } from "../automation";
import { createEffect, type Effect, type EffectContext, type Parameters } from "./effects";

/** One effect of a chain: all parameters (defaults filled), which are fixed while it runs, its lanes by parameter, and its key input. */
export interface ChainEffect {
  id: string;
  type: string;
  parameters: Parameters;
  fixed: readonly string[];
  lanes: Readonly<Record<string, readonly Point[]>>;
  /** The index of the node input carrying the sidechain key (1 or more); absent for the effect's own input. */
  key?: number;
}

/** A scheduled pass of the timeline: from context frame `frame` on, the playhead runs from `from` (project samples). */
export interface Pass { frame: number; from: number }

/** What the main thread tells a chain: its effects, the tempo, the passes; `end` stops the worklet for good. */
export interface ChainMessage { effects?: ChainEffect[]; tempo?: number; passes?: Pass[]; end?: boolean }

/** Frames between parameter updates from lanes: the engine's control rate for built-in effects. */
export const controlFrames = 64;

/** A running effect with its lanes listed once and the values object it is updated from, so a quantum allocates nothing. */
interface Running { spec: ChainEffect; effect: Effect; lanes: [string, readonly Point[]][]; values: Record<string, number> }

export class Chain {
  private running: Running[] = [];
  private passes: Pass[] = [];
  private tempo = 120;

  /** `rate`: the context's; `projectRate`: the timeline's (lanes are in its samples). */
  constructor(private readonly rate: number, private readonly projectRate: number, private readonly channels = 2) {}

  configure(message: ChainMessage) {
    if (message.tempo !== undefined) this.tempo = message.tempo;
    if (message.passes) this.passes = [...message.passes].sort((a, b) => a.frame - b.frame);
    if (!message.effects) return;
    const context: EffectContext = { sampleRate: this.rate, channels: this.channels, tempo: this.tempo };
    const previous = new Map(this.running.map((r) => [r.spec.id, r]));
    this.running = message.effects.flatMap((spec) => {
      const kept = previous.get(spec.id);
      const lanes = Object.entries(spec.lanes).filter(([, points]) => points.length > 0);
      const running = (effect: Effect): Running[] => [{ spec, effect, lanes, values: { ...spec.parameters } }];
      if (kept && kept.effect.update && kept.spec.type === spec.type && spec.fixed.every((n) => kept.spec.parameters[n] === spec.parameters[n])) {
        kept.effect.update(spec.parameters);
        return running(kept.effect);
      }
      const effect = createEffect(spec.type, spec.parameters, context);
      return effect ? running(effect) : [];
    });
  }

  get length() { return this.running.length; }

  /** The playhead (project samples) at context frame `frame`, or null when no pass has started by then. */
  position(frame: number): number | null {
    let pass: Pass | null = null;
    for (const p of this.passes) if (p.frame <= frame) pass = p;
    return pass ? pass.from + ((frame - pass.frame) * this.projectRate) / this.rate : null;
  }

  /** Processes `channels` in place; `frame` is the context frame of their first sample, `keys` the node's other inputs. */
  process(channels: Float32Array[], frame: number, keys: readonly Float32Array[][] = []) {
    const frames = channels[0]?.length ?? 0;
    for (const { spec, effect, lanes, values } of this.running) {
      if (effect.key !== undefined) effect.key = spec.key !== undefined && keys[spec.key - 1]?.length ? keys[spec.key - 1] : null;
      if (lanes.length === 0 || !effect.update) {
        effect.process(channels, 0, frames);
        continue;
      }
      for (let offset = 0; offset < frames; offset += controlFrames) {
        const at = this.position(frame + offset);
        if (at !== null) {
          for (const [name, points] of lanes) values[name] = valueAt(points, at);
          effect.update(values);
        }
        effect.process(channels, offset, Math.min(controlFrames, frames - offset));
      }
    }
  }
}
