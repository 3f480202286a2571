// A SoundFont 2 file read for playing: its presets, instruments and samples (RIFF "sfbk": INFO, sdta/smpl, pdta), and
// what a note plays: each region (preset zone × instrument zone) that holds its key and velocity, with the generators
// of both levels combined as the SF2 specification says (an instrument's global zone under its local zones, a preset's
// values added on top; key and velocity ranges intersect). Modulators are not read: the defaults every player applies
// (velocity to level) are in player.ts.

/** A sample header (shdr): positions are in sample points of the smpl chunk. */
export interface SampleHeader { name: string; start: number; end: number; loopStart: number; loopEnd: number; sampleRate: number; originalPitch: number; pitchCorrection: number }

interface Zone { generators: Map<number, number>; keyRange: [number, number]; velRange: [number, number] }
interface Preset { name: string; bank: number; program: number; zones: Zone[]; global: Zone | null }
interface Instrument { name: string; zones: Zone[]; global: Zone | null }

/** The generators the player reads (SF2 2.01, section 8.1.2). */
export const Gen = {
  startAddrsOffset: 0, endAddrsOffset: 1, startloopAddrsOffset: 2, endloopAddrsOffset: 3, startAddrsCoarseOffset: 4,
  endAddrsCoarseOffset: 12, pan: 17, delayVolEnv: 33, attackVolEnv: 34, holdVolEnv: 35, decayVolEnv: 36, sustainVolEnv: 37,
  releaseVolEnv: 38, instrument: 41, keyRange: 43, velRange: 44, startloopAddrsCoarseOffset: 45, initialAttenuation: 48,
  endloopAddrsCoarseOffset: 50, coarseTune: 51, fineTune: 52, sampleID: 53, sampleModes: 54, scaleTuning: 56, overridingRootKey: 58,
} as const;

const defaults: Record<number, number> = {
  [Gen.delayVolEnv]: -12000, [Gen.attackVolEnv]: -12000, [Gen.holdVolEnv]: -12000, [Gen.decayVolEnv]: -12000, [Gen.releaseVolEnv]: -12000,
  [Gen.scaleTuning]: 100, [Gen.overridingRootKey]: -1,
};

/** What one region of a note plays: its sample and every generator's value (instrument's, plus the preset's offsets). */
export interface Region { sample: SampleHeader; sampleIndex: number; value: (generator: number) => number }

export class SoundFontError extends Error {}

export class SoundFont {
  private constructor(
    readonly name: string,
    private readonly presets: Preset[],
    private readonly instruments: Instrument[],
    readonly samples: SampleHeader[],
    /** The smpl chunk: 16-bit sample points. */
    readonly data: Int16Array,
  ) {}

  static parse(buffer: ArrayBuffer): SoundFont {
    const view = new DataView(buffer);
    const id = (at: number) => String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
    if (buffer.byteLength < 12 || id(0) !== "RIFF" || id(8) !== "sfbk") throw new SoundFontError("not a SoundFont (RIFF sfbk)");
    const chunks = new Map<string, { at: number; size: number }>();
    const walk = (from: number, to: number) => {
      for (let at = from; at + 8 <= to;) {
        const [name, size] = [id(at), view.getUint32(at + 4, true)];
        if (at + 8 + size > to) throw new SoundFontError(`its chunk '${name}' runs past the end of the file`);
        if (name === "LIST") walk(at + 12, at + 8 + size);
        else chunks.set(name, { at: at + 8, size });
        at += 8 + size + (size % 2);
      }
    };
    walk(12, Math.min(buffer.byteLength, 8 + view.getUint32(4, true)));
    const records = (name: string, size: number) => {
      const chunk = chunks.get(name);
      if (!chunk || chunk.size % size !== 0 || chunk.size < size) throw new SoundFontError(`its ${name} chunk is missing or not whole records`);
      return Array.from({ length: chunk.size / size }, (_, i) => chunk.at + i * size);
    };
    const text = (at: number, length: number) => {
      let s = "";
      for (let i = 0; i < length && view.getUint8(at + i) !== 0; i++) s += String.fromCharCode(view.getUint8(at + i));
      return s.trim();
    };
    const generators = (bags: number[], gens: number[], first: number, last: number): Zone[] => {
      const zones: Zone[] = [];
      for (let b = first; b < last && b + 1 < bags.length; b++) {
        const zone: Zone = { generators: new Map(), keyRange: [0, 127], velRange: [0, 127] };
        for (let g = view.getUint16(bags[b], true); g < view.getUint16(bags[b + 1], true) && g < gens.length; g++) {
          const [oper, at] = [view.getUint16(gens[g], true), gens[g] + 2];
          if (oper === Gen.keyRange) zone.keyRange = [view.getUint8(at), view.getUint8(at + 1)];
          else if (oper === Gen.velRange) zone.velRange = [view.getUint8(at), view.getUint8(at + 1)];
          else zone.generators.set(oper, oper === Gen.instrument || oper === Gen.sampleID || oper === Gen.sampleModes ? view.getUint16(at, true) : view.getInt16(at, true));
        }
        zones.push(zone);
      }
      return zones;
    };
    // A level's zones: a first zone without its terminal generator (instrument or sampleID) is the global one.
    const split = (zones: Zone[], terminal: number) =>
      zones.length > 0 && !zones[0].generators.has(terminal) ? { global: zones[0], zones: zones.slice(1).filter((z) => z.generators.has(terminal)) }
        : { global: null, zones: zones.filter((z) => z.generators.has(terminal)) };

    const [phdr, pbag, pgen, inst, ibag, igen, shdr] = [records("phdr", 38), records("pbag", 4), records("pgen", 4), records("inst", 22), records("ibag", 4), records("igen", 4), records("shdr", 46)];
    const presets = phdr.slice(0, -1).map((at, i) => ({
      name: text(at, 20), program: view.getUint16(at + 20, true), bank: view.getUint16(at + 22, true),
      ...split(generators(pbag, pgen, view.getUint16(at + 24, true), view.getUint16(phdr[i + 1] + 24, true)), Gen.instrument),
    }));
    const instruments = inst.slice(0, -1).map((at, i) => ({
      name: text(at, 20), ...split(generators(ibag, igen, view.getUint16(at + 20, true), view.getUint16(inst[i + 1] + 20, true)), Gen.sampleID),
    }));
    const samples = shdr.slice(0, -1).map((at) => ({
      name: text(at, 20), start: view.getUint32(at + 20, true), end: view.getUint32(at + 24, true), loopStart: view.getUint32(at + 28, true),
      loopEnd: view.getUint32(at + 32, true), sampleRate: view.getUint32(at + 36, true), originalPitch: view.getUint8(at + 40), pitchCorrection: view.getInt8(at + 41),
    }));
    const smpl = chunks.get("smpl");
    if (!smpl) throw new SoundFontError("it has no sample data (sdta/smpl)");
    const data = new Int16Array(buffer.slice(smpl.at, smpl.at + smpl.size - (smpl.size % 2)));
    return new SoundFont(text(chunks.get("INAM")?.at ?? 0, chunks.get("INAM")?.size ?? 0) || "SoundFont", presets, instruments, samples, data);
  }

  /** The regions a note of a preset plays; none where the preset does not exist. */
  regions(bank: number, program: number, key: number, velocity: number): Region[] {
    const preset = this.presets.find((p) => p.bank === bank && p.program === program);
    if (!preset) return [];
    const holds = (z: Zone) => key >= z.keyRange[0] && key <= z.keyRange[1] && velocity >= z.velRange[0] && velocity <= z.velRange[1];
    const regions: Region[] = [];
    for (const pz of preset.zones.filter(holds)) {
      const instrument = this.instruments[pz.generators.get(Gen.instrument)!];
      for (const iz of instrument?.zones.filter(holds) ?? []) {
        const sampleIndex = iz.generators.get(Gen.sampleID)!;
        const sample = this.samples[sampleIndex];
        if (!sample || sample.end <= sample.start || sample.sampleRate <= 0) continue;
        const own = (zone: Zone | null, g: number) => zone?.generators.get(g);
        const value = (g: number) => (own(iz, g) ?? own(instrument.global, g) ?? defaults[g] ?? 0)
          // A preset adds to the instrument's values, except where a value is an index or a mode.
          + (g === Gen.sampleModes || g === Gen.overridingRootKey ? 0 : (own(pz, g) ?? own(preset.global, g) ?? 0));
        regions.push({ sample, sampleIndex, value });
      }
    }
    return regions;
  }

  /** Every preset, as the server lists them. */
  presetList(): { bank: number; program: number; name: string }[] {
    return this.presets.map((p) => ({ bank: p.bank, program: p.program, name: p.name }));
  }
}
