// The project's tempo over time, as the engine's TempoMap (audio/Rendering/TempoMap.cs): the project's tempo from the
// start, then each change from its position on, held until the next. Beats are quarter notes from the start; they
// pass at each stretch's own tempo, so beats and samples convert both ways exactly. Grids, bars, the metronome, the
// count-in, step patterns and clips that follow the tempo all read it.
import type { Project } from "./model";

export interface TempoMap {
  tempoAt(position: number): number;
  /** Quarter notes from the start at a sample position. */
  beatAt(position: number): number;
  /** The sample position of a beat. */
  positionOf(beat: number): number;
}

type Tempo = Pick<Project, "tempo" | "sampleRate"> & { tempoChanges?: Project["tempoChanges"] };

export function tempoMap(project: Tempo): TempoMap {
  const rate = project.sampleRate;
  const stretches: { position: number; tempo: number; beat: number }[] = [{ position: 0, tempo: project.tempo, beat: 0 }];
  for (const change of [...(project.tempoChanges ?? [])].filter((c) => c.position > 0).sort((a, b) => a.position - b.position)) {
    const last = stretches[stretches.length - 1];
    stretches.push({ position: change.position, tempo: change.tempo, beat: last.beat + ((change.position - last.position) * last.tempo) / 60 / rate });
  }
  const at = (position: number) => {
    let found = stretches[0];
    for (const s of stretches) if (s.position <= position) found = s; else break;
    return found;
  };
  return {
    tempoAt: (position) => at(position).tempo,
    beatAt: (position) => {
      const s = at(position);
      return s.beat + ((position - s.position) * s.tempo) / 60 / rate;
    },
    positionOf: (beat) => {
      let s = stretches[0];
      for (const t of stretches) if (t.beat <= beat) s = t; else break;
      return s.position + ((beat - s.beat) * 60 * rate) / s.tempo;
    },
  };
}

/** Quarter notes in one beat of the time signature (a 6/8 beat is half a quarter note). */
export const quartersPerBeat = (p: Pick<Project, "timeSignature">) => 4 / p.timeSignature.denominator;

/** Quarter notes in one bar. */
export const quartersPerBar = (p: Pick<Project, "timeSignature">) => p.timeSignature.numerator * quartersPerBeat(p);

/** A position snapped to the nearest multiple of `quarters` quarter notes, through the tempo changes. */
export const snapTo = (map: TempoMap, position: number, quarters: number) =>
  Math.max(0, Math.round(map.positionOf(Math.round(map.beatAt(position) / quarters) * quarters)));

/** The start of the bar a position falls in. */
export const barStart = (map: TempoMap, p: Pick<Project, "timeSignature">, position: number) =>
  Math.round(map.positionOf(Math.floor(map.beatAt(position) / quartersPerBar(p) + 1e-9) * quartersPerBar(p)));
