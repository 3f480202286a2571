// The studio's SoundFont player: a note of a preset as the server's FluidSynth renders it (audio/Instruments/
// SoundFontSynth.cs). Each region of the note is a buffer source over its sample (looped where the region loops), at
// the region's pitch (key against root key, scale tuning, coarse and fine tune, the sample's correction), through the
// volume envelope of SF2 stepped as FluidSynth steps it (a value per 64-frame block, ramped across the block: delay, a
// linear attack, hold, then decay and release linear in decibels over 96 dB), the level of its attenuation and
// velocity, and its pan. FluidSynth starts and ends notes at the start of its blocks, so the studio does too. Not
// played here: modulation envelopes and LFOs, filters, reverb and chorus sends (the server's synth has reverb and
// chorus off), exclusive classes.
import { request } from "../../api/client";
import { Cache } from "../assets";
import type { Note } from "../model";
import { Gen, SoundFont, type Region } from "./sf2";

/** FluidSynth's block: a note sounds from the first multiple of 64 frames (of the render) at or after its start. */
export const blockFrames = 64;
export const blockStart = (frame: number) => Math.ceil(frame / blockFrames) * blockFrames;

const amplitude = (centibels: number) => Math.pow(10, -centibels / 200);

const fonts = new Cache<SoundFont>();

/** An installed SoundFont, downloaded and read once. */
export const loadSoundFont = (id: string) =>
  fonts.get(id, () => request(`/api/soundfonts/${encodeURIComponent(id)}`).then((r) => r.arrayBuffer()).then((bytes) => SoundFont.parse(bytes)));

const buffers = new WeakMap<SoundFont, Map<number, AudioBuffer>>();

/** A sample's points as an AudioBuffer at its own rate (the context resamples as it plays), made once per font. */
function sampleBuffer(font: SoundFont, region: Region): AudioBuffer {
  let own = buffers.get(font);
  if (!own) buffers.set(font, (own = new Map()));
  let buffer = own.get(region.sampleIndex);
  if (!buffer) {
    const { start, end, sampleRate } = region.sample;
    const points = font.data.subarray(start, Math.min(end, font.data.length));
    buffer = new AudioBuffer({ numberOfChannels: 1, length: Math.max(1, points.length), sampleRate: Math.min(768000, Math.max(3000, sampleRate)) });
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < points.length; i++) channel[i] = points[i] / 32768;
    own.set(region.sampleIndex, buffer);
  }
  return buffer;
}

/** A region's pitch as a playback rate: 2^(cents/1200), cents from the key against the root and the tunings. */
export function playbackRate(region: Region, key: number): number {
  const rootKey = region.value(Gen.overridingRootKey);
  const root = rootKey >= 0 ? rootKey : region.sample.originalPitch <= 127 ? region.sample.originalPitch : 60;
  const cents = (key - root) * region.value(Gen.scaleTuning) + region.value(Gen.coarseTune) * 100 + region.value(Gen.fineTune) + region.sample.pitchCorrection;
  return Math.pow(2, cents / 1200);
}

/**
 * A note's level before its envelope: SF2's default velocity modulator (concave, 960 cB, as FluidSynth computes it),
 * the region's attenuation (which FluidSynth, as EMU's hardware did, takes at 0.4 of its value), and the gain.
 */
export const noteLevel = (region: Region, velocity: number, gain: number) =>
  gain * amplitude(Math.min(1440, Math.max(0, 0.4 * region.value(Gen.initialAttenuation))) - 800 * Math.log10(Math.max(1, velocity) / 127));

const enum Section { Delay, Attack, Hold, Decay, Sustain, Release, Finished }

/**
 * FluidSynth's volume envelope, as it steps it: once per 64-frame block, each section a number of blocks (delay and
 * attack floored, hold and decay rounded, release at least 16 ms), the attack linear in amplitude, the rest linear in
 * decibels over 96 dB; the key let go after `heldBlocks` blocks. Gives the level (0-1) at the end of each block, after
 * a 0 where the note starts: FluidSynth ramps the level linearly across each block to that value. `held`: from the start
 * to where the level settles (it holds there) or the key is let go; `released`: from the block the key is let go (its
 * level then first) to the envelope's end, empty while the key stays down.
 */
export function envelopeBlocks(region: Region, key: number, rate: number, heldBlocks: number): { held: number[]; released: number[] } {
  const blocks = (seconds: number) => (rate * seconds) / blockFrames;
  const tc = (g: number, low: number, high: number) => Math.min(high, Math.max(low, region.value(g)));
  const keyed = (g: number, byKey: number, high: number) => {
    const t = Math.min(high, region.value(g) + region.value(byKey) * (60 - key));
    return t <= -32768 ? 0 : Math.trunc(blocks(Math.pow(2, Math.max(-12000, t) / 1200)) + 0.5);
  };
  const attack = 1 + Math.trunc(blocks(Math.pow(2, tc(Gen.attackVolEnv, -12000, 8000) / 1200)));
  const decay = keyed(Gen.decayVolEnv, 40, 8000);
  const release = 1 + Math.trunc(blocks(Math.pow(2, tc(Gen.releaseVolEnv, -7200, 8000) / 1200)));
  // [count, increment, min, max] per section; every section multiplies the value by 1 but the delay (by 0).
  const sections: [number, number, number, number][] = [
    [Math.trunc(blocks(Math.pow(2, tc(Gen.delayVolEnv, -12000, 5000) / 1200))), 0, -1, 1],
    [attack, 1 / attack, -1, 1],
    [keyed(Gen.holdVolEnv, 39, 5000), 0, -1, 2],
    [decay, decay ? -1 / decay : 0, Math.min(1, Math.max(0, 1 - 0.001 * region.value(Gen.sustainVolEnv))), 2],
    [Infinity, 0, -1, 2],
    [release, -1 / release, 0, 1],
    [Infinity, 0, -1, 1],
  ];
  let [section, count, value] = [Section.Delay as number, 0, 0];
  const held = [0];
  let levels = held;
  const released: number[] = [];
  for (let block = 0; section !== Section.Finished && block < 1e6; block++) {
    if (section === Section.Sustain && block < heldBlocks) {
      if (!Number.isFinite(heldBlocks)) break;
      block = heldBlocks; // settled: the level holds until the key is let go
    }
    if (block === heldBlocks) {
      released.push(levels[levels.length - 1]);
      levels = released;
      // Let go during the attack: its amplitude is carried over into the decibel course.
      if (section === Section.Attack && value > 0) value = Math.min(1, Math.max(0, 1 + (200 * Math.log10(value)) / 960));
      [section, count] = [Section.Release, 0];
    }
    while (count >= sections[section][0]) {
      if (section === Section.Decay) value = sections[section][2];
      [section, count] = [section + 1, 0];
    }
    const [, increment, min, max] = sections[section];
    let next = (section === Section.Delay ? 0 : value) + increment;
    if (next < min || next > max) [next, section, count] = [Math.min(max, Math.max(min, next)), section + 1, 0];
    else count++;
    value = next;
    levels.push(section === Section.Delay ? 0 : section === Section.Attack ? value : value <= 0 ? 0 : amplitude(960 * (1 - value)));
  }
  return { held, released };
}

/**
 * Schedules a note's envelope on a gain, one value per block end, from `into` seconds into the note, which is at
 * context time `at`; returns when (seconds into the note) it has ended, or Infinity.
 */
export function scheduleEnvelope(param: Pick<AudioParam, "setValueAtTime" | "setValueCurveAtTime">, region: Region, key: number, rate: number, at: number, into: number, held: number, peak: number): number {
  const heldBlocks = Number.isFinite(held) ? Math.round((held * rate) / blockFrames) : Infinity;
  const block = blockFrames / rate;
  const past = Math.floor(into / block); // blocks already gone when playback starts
  // A curve over blocks [from, from + levels.length − 1], less the blocks already gone.
  const curve = (levels: number[], from: number) => {
    const drop = Math.max(0, past - from);
    if (drop >= levels.length) return;
    const rest = levels.slice(drop);
    const time = at + (from + drop) * block - into;
    if (rest.length < 2) param.setValueAtTime(rest[0] * peak, Math.max(at, time));
    else param.setValueCurveAtTime(rest.map((l) => l * peak), time, (rest.length - 1) * block);
  };
  const envelope = envelopeBlocks(region, key, rate, heldBlocks);
  curve(envelope.held, 0);
  if (envelope.released.length === 0) return Infinity;
  curve(envelope.released, heldBlocks);
  return (heldBlocks + envelope.released.length - 1) * block;
}

/**
 * Schedules a note of a preset on `out`, `into` seconds into it (0: from its start, which the caller puts on FluidSynth's
 * block) at context time `at`; its key let go `held` seconds after it started (also on a block). Returns its sources:
 * none for a note over by then, or a preset the font lacks (silent, as on the server).
 */
export function playFontNote(context: BaseAudioContext, out: AudioNode, at: number, into: number, note: Note, held: number,
  font: SoundFont, bank: number, program: number, gain: number): AudioBufferSourceNode[] {
  return font.regions(bank, program, note.pitch, note.velocity).flatMap((region) => {
    const source = context.createBufferSource();
    source.buffer = sampleBuffer(font, region);
    source.playbackRate.value = playbackRate(region, note.pitch);
    const rate = region.sample.sampleRate;
    const offset = (g: number, coarse: number) => region.value(g) + 32768 * region.value(coarse);
    // Where the sample is `into` seconds in (its own seconds run playbackRate times as fast), inside its loop if it loops.
    let position = Math.max(0, offset(Gen.startAddrsOffset, Gen.startAddrsCoarseOffset)) / rate + into * source.playbackRate.value;
    const mode = region.value(Gen.sampleModes) & 3;
    if (mode === 1 || mode === 3) {
      source.loop = true;
      source.loopStart = (region.sample.loopStart + offset(Gen.startloopAddrsOffset, Gen.startloopAddrsCoarseOffset) - region.sample.start) / rate;
      source.loopEnd = (region.sample.loopEnd + offset(Gen.endloopAddrsOffset, Gen.endloopAddrsCoarseOffset) - region.sample.start) / rate;
      if (source.loopEnd > source.loopStart && position > source.loopEnd) {
        position = source.loopStart + ((position - source.loopStart) % (source.loopEnd - source.loopStart));
      }
    } else if (position >= source.buffer.duration) {
      return [];
    }
    const env = context.createGain();
    const end = scheduleEnvelope(env.gain, region, note.pitch, context.sampleRate, at, into, held, noteLevel(region, note.velocity, gain));
    if (end <= into) return [];
    // Pan: FluidSynth's constant-power law over −50%..50%, the centre at √½ each side.
    const pan = Math.min(500, Math.max(-500, region.value(Gen.pan))) / 1000;
    const merge = context.createChannelMerger(2);
    [Math.cos((pan + 0.5) * Math.PI / 2), Math.sin((pan + 0.5) * Math.PI / 2)].forEach((level, channel) => {
      const side = context.createGain();
      side.gain.value = level;
      env.connect(side).connect(merge, 0, channel);
    });
    source.connect(env);
    merge.connect(out);
    source.start(at, position);
    if (Number.isFinite(end)) source.stop(at + end - into);
    return [source];
  });
}
