// Recording into the studio: the microphone opened raw (no echo cancellation, noise suppression or gain control,
// which would colour a vocal), captured by an AudioWorklet on the playback's own context, so captured frames and the
// timeline share one clock. A take is the captured frames sung to a window of the timeline (takes.ts, latency
// compensated by the loopback measurement in latency.ts), written as a streamed WAV into IndexedDB and uploaded as it
// grows (tus with a deferred length), then placed as a clip for every collaborator, the takes under it muted (the
// take lane). With the loop on, each pass over the loop region is a take of its own (punch in and out at its ends).
import { whenAssetReady } from "../../api/jobs";
import { uploadStream } from "../../api/uploads";
import { samplesPerBar, type Project } from "../model";
import type { Playback, Region } from "../playback";
import type { OpDraft } from "../session";
import { tempoMap } from "../tempo";
import captureWorklet from "./capture.worklet.ts?worker&url";
import type { CapturedBlock } from "./capture.worklet";
import { calibrationBurst, findDelay, savedLatency, saveLatency } from "./latency";
import { appendChunk, chunksOf, forgetTake, saveTake, takesOf, type StoredTake } from "./takeStore";
import { blockPart, captureFrames, overlapping, timelineLength, type Pass } from "./takes";
import { interleaved, streamedWavHeader } from "./wavStream";

/** Frames per captured block: 16 render quanta, about 43 ms at 48 kHz. */
const blockFrames = 2048;

/** A take being recorded: its window in context frames, the stream its bytes go up by, and what it has kept. */
interface OpenTake {
  stored: StoredTake;
  first: number;
  last: number;
  frames: number;
  stream: ReadableStreamDefaultController<Blob>;
  /** Writes to IndexedDB in order, each before its bytes go up. */
  writes: Promise<unknown>;
  /** Its upload gave up while recording: it is sent again from IndexedDB once it ends. */
  failed?: boolean;
}

export interface RecorderEvents {
  /** Sends ops (the placed take) and resolves with the server's reasons for any it refused. */
  submit: (...ops: OpDraft[]) => Promise<string[]>;
  /** The project as it is now (the takes under a new one are read when it lands). */
  project: () => Project | null;
  /** A take landed, failed, or is waiting to be sent again. */
  onStatus: (message: string | null) => void;
}

export class Recorder {
  private stream: MediaStream | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private capture: AudioWorkletNode | null = null;
  private monitorGain: GainNode | null = null;
  private listeners = new Set<(block: CapturedBlock) => void>();
  private takes: OpenTake[] = [];
  /** Takes going up now, by id. */
  private landing = new Set<string>();
  private recording: { project: Project; trackId: string; loop: Region | null; at: number; passes: Set<number>; latency: number } | null = null;
  private channels = 1;

  constructor(private readonly playback: Playback, private readonly events: RecorderEvents) {}

  /** Opens the microphone and starts capturing into nothing yet (a take starts with `record`). */
  async arm(): Promise<void> {
    if (this.capture) return;
    const context = this.playback.audioContext();
    await context.resume();
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: { ideal: 1 } },
    });
    this.channels = Math.min(2, Math.max(1, this.stream.getAudioTracks()[0]?.getSettings().channelCount ?? 1));
    await context.audioWorklet.addModule(captureWorklet);
    this.source = context.createMediaStreamSource(this.stream);
    this.capture = new AudioWorkletNode(context, "capture", {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], channelCount: this.channels, channelCountMode: "explicit",
      processorOptions: { channels: this.channels, blockFrames },
    });
    this.capture.port.onmessage = (e: MessageEvent<CapturedBlock>) => this.listeners.forEach((l) => l(e.data));
    // Pulled by the graph: its output (silence) goes to a muted gain on the destination.
    const sink = context.createGain();
    sink.gain.value = 0;
    this.source.connect(this.capture).connect(sink).connect(context.destination);
    this.monitorGain = context.createGain();
    this.monitorGain.gain.value = 0;
    this.source.connect(this.monitorGain).connect(context.destination);
    this.listeners.add((block) => this.keep(block));
  }

  /** Input monitoring: hear the microphone as it is captured (with the input's and output's latency). */
  monitor(on: boolean) {
    if (this.monitorGain) this.monitorGain.gain.value = on ? 1 : 0;
  }

  disarm() {
    this.capture?.port.postMessage("end");
    this.capture?.disconnect();
    this.source?.disconnect();
    this.monitorGain?.disconnect();
    this.stream?.getTracks().forEach((t) => t.stop());
    [this.capture, this.source, this.monitorGain, this.stream] = [null, null, null, null];
    this.listeners.clear();
  }

  /**
   * Measures the round trip: plays a burst and finds it in what is captured. Resolves with the latency in seconds
   * (and keeps it for the takes to come), or null when the burst was not heard back.
   */
  async calibrate(): Promise<number | null> {
    await this.arm();
    const context = this.playback.audioContext();
    const burst = calibrationBurst();
    const buffer = context.createBuffer(1, burst.length, context.sampleRate);
    buffer.copyToChannel(burst, 0);
    const player = context.createBufferSource();
    player.buffer = buffer;
    player.connect(context.destination);
    const at = context.currentTime + 0.2;
    const first = Math.round(at * context.sampleRate);
    const heard = new Float32Array(Math.round(context.sampleRate * 1));
    await new Promise<void>((done) => {
      const listen = (block: CapturedBlock) => {
        const part = blockPart(block.frame, blockFrames, first, first + heard.length);
        if (part) heard.set(block.channels[0].subarray(part.from, part.to), block.frame + part.from - first);
        if (block.frame + blockFrames >= first + heard.length) {
          this.listeners.delete(listen);
          done();
        }
      };
      this.listeners.add(listen);
      player.start(at);
    });
    const delay = findDelay(burst, heard);
    if (delay === null) return null;
    const seconds = delay / context.sampleRate;
    saveLatency(seconds);
    return seconds;
  }

  /**
   * Counts in one bar, then plays from `from` and records onto the track: until `stop`, or with a loop region, a
   * take per pass over it. Resolves when playback started.
   */
  async record(project: Project, trackId: string, from: number, loop: Region | null, metronome: boolean): Promise<void> {
    await this.arm();
    const context = this.playback.audioContext();
    // A bar at the tempo where recording starts.
    const tempo = tempoMap(project).tempoAt(from);
    const bar = samplesPerBar(project, tempo);
    const at = context.currentTime + 0.3 + bar / project.sampleRate;
    this.recording = { project, trackId, loop, at, passes: new Set(), latency: savedLatency() };
    await this.playback.play(project, from, loop, metronome, at);
    this.playback.countIn(project, at, bar, tempo);
  }

  /** Stops recording (and playback): each open take keeps what was sung up to now, then goes up and lands. */
  async stop(): Promise<void> {
    const recording = this.recording;
    if (!recording) return;
    this.recording = null;
    const context = this.playback.audioContext();
    const now = Math.round((context.currentTime + recording.latency) * context.sampleRate);
    this.playback.stop();
    const open = this.takes;
    for (const take of open) take.last = Math.max(take.first + 1, Math.min(take.last, now));
    // The last frames come in the next blocks; the take ends once a block reaches past its end.
    await Promise.all(open.map((take) => this.whenCaptured(take)));
    this.takes = [];
  }

  /** Sends the takes of the project this browser still holds (a tab closed or a connection lost mid-upload), and places them. */
  async resume(projectId: string): Promise<void> {
    for (const take of await takesOf(projectId)) {
      if (!this.takes.some((t) => t.stored.id === take.id)) await this.resend(take).catch(() => undefined);
    }
  }

  /** Sends a take again from what IndexedDB holds of it (the upload goes on from the server's offset), and places it. */
  private async resend(take: StoredTake): Promise<void> {
    if (this.landing.has(take.id)) return;
    const chunks = await chunksOf(take);
    if (!take.ended) {
      // Cut off mid-recording (the tab closed): what was written is the take.
      const frames = Math.floor((chunks.reduce((n, c) => n + c.size, 0) - 44) / (4 * take.channels));
      take.ended = true;
      take.length = timelineLength(frames, this.events.project()?.sampleRate ?? take.sampleRate, take.sampleRate);
      await saveTake(take);
    }
    const stream = new ReadableStream<Blob>({ start: (c) => { chunks.forEach((chunk) => c.enqueue(chunk)); c.close(); } });
    await this.land(take, stream);
  }

  private whenCaptured(take: OpenTake): Promise<void> {
    return new Promise((done) => {
      const listen = (block: CapturedBlock) => {
        if (block.frame + blockFrames < take.last) return;
        this.listeners.delete(listen);
        void this.end(take).then(done, done);
      };
      this.listeners.add(listen);
    });
  }

  /** A captured block: opens the take of a pass that reached it, and gives each open take its part of the block. */
  private keep(block: CapturedBlock) {
    const recording = this.recording;
    if (recording) for (const pass of this.playback.passStarts()) this.open(recording, pass, block.frame + blockFrames);
    for (const take of this.takes) {
      const part = blockPart(block.frame, blockFrames, take.first, take.last);
      if (!part) continue;
      take.frames += part.to - part.from;
      this.write(take, interleaved(block.channels.map((c) => c.subarray(part.from, part.to))));
      if (block.frame + part.to >= take.last && !take.stored.ended) void this.end(take);
    }
  }

  /** Opens the take of a pass of this recording once the capture reached its first frame (`reached`: the block's end). */
  private open(recording: NonNullable<Recorder["recording"]>, pass: Pass, reached: number) {
    // Passes of an earlier playback, or of this one not begun yet, make no take (yet).
    if (recording.passes.has(pass.when) || pass.when < recording.at - 1e-6) return;
    const context = this.playback.audioContext();
    const { project, loop } = recording;
    const end = loop ? loop.end : Number.MAX_SAFE_INTEGER / 4;
    const { first, last } = captureFrames(pass, pass.from, end, project.sampleRate, context.sampleRate, recording.latency);
    if (reached <= first) return;
    recording.passes.add(pass.when);
    // A new pass (the loop came round, or a seek) ends the takes of the passes before it.
    for (const older of this.takes) older.last = Math.min(older.last, first);
    const clips = project.tracks.find((t) => t.id === recording.trackId)?.clips ?? [];
    const stored: StoredTake = {
      id: crypto.randomUUID(), projectId: project.id, trackId: recording.trackId, start: pass.from, name: `Take ${clips.length + recording.passes.size}.wav`,
      channels: this.channels, sampleRate: context.sampleRate, chunks: 0, ended: false,
    };
    let controller!: ReadableStreamDefaultController<Blob>;
    const stream = new ReadableStream<Blob>({ start: (c) => void (controller = c) });
    const take: OpenTake = { stored, first, last, frames: 0, stream: controller, writes: saveTake(stored) };
    this.takes.push(take);
    this.write(take, streamedWavHeader(this.channels, context.sampleRate));
    void this.land(stored, stream).catch(() => {
      take.failed = true;
      if (take.stored.ended) void this.resend(take.stored).catch(() => undefined);
    });
  }

  private write(take: OpenTake, bytes: Uint8Array) {
    const chunk = new Blob([bytes as BlobPart]);
    // Kept in this browser before it goes up: a lost connection or a closed tab loses none of it.
    take.writes = take.writes.then(() => appendChunk(take.stored, chunk)).catch(() => undefined);
    take.stream.enqueue(chunk);
  }

  private async end(take: OpenTake) {
    if (take.stored.ended) return;
    const context = this.playback.audioContext();
    take.stored.ended = true;
    take.stored.length = timelineLength(take.frames, this.events.project()?.sampleRate ?? context.sampleRate, context.sampleRate);
    take.writes = take.writes.then(() => saveTake(take.stored));
    await take.writes;
    take.stream.close();
    this.takes = this.takes.filter((t) => t !== take);
    if (take.failed) await this.resend(take.stored).catch(() => undefined);
  }

  /** Uploads the take (going on with its upload when it has one), waits for its asset, then places it. */
  private async land(take: StoredTake, stream: ReadableStream<Blob>): Promise<void> {
    this.landing.add(take.id);
    try {
      const uploaded = await uploadStream(stream, take.name, {
        uploadUrl: take.uploadUrl,
        onUrl: (url) => {
          take.uploadUrl = url;
          void saveTake(take);
        },
      });
      const asset = await whenAssetReady(uploaded.id);
      const stored = (await takesOf(take.projectId)).find((t) => t.id === take.id) ?? take;
      const project = this.events.project();
      const track = project?.tracks.find((t) => t.id === stored.trackId);
      const length = stored.length ?? Math.max(1, Math.round((asset.durationSeconds ?? 0) * (project?.sampleRate ?? 48000)));
      const clipId = crypto.randomUUID();
      // The take lane: the newest take plays, the ones under it are muted (any of them can be picked again).
      const under = overlapping(track?.clips ?? [], stored.start, stored.start + length).filter((c) => !c.muted);
      const reasons = await this.events.submit(
        { kind: "clip.add", payload: { trackId: stored.trackId, clipId, start: stored.start, length, assetId: asset.id } },
        ...under.map((c): OpDraft => ({ kind: "clip.set", payload: { clipId: c.id, muted: true } })),
      );
      if (reasons.length) throw new Error(reasons.join(" "));
      await forgetTake(take);
      this.events.onStatus(null);
    } catch (error) {
      this.events.onStatus(`A take is kept in this browser and goes up when the connection is back: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      this.landing.delete(take.id);
    }
  }
}
