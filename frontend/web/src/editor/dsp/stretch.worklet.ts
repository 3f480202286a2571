// The AudioWorklet that plays a stretched or transposed clip in the studio (stretch.ts): silent until its start frame,
// then the clip's stretched source for its length, then it ends. The clip's gain and fades follow it in a GainNode.
import { FormantKeeper, type Pull } from "./formants";
import { Stretcher } from "./stretch";

// The AudioWorkletGlobalScope, which the DOM library does not describe.
declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
/**
 * `source`: the channels to read (from the first sample the clip can reach on); `from`: where in them the output starts
 * (fractional); `ratio` and `semitones` as the clip's; `formants`: whether a transposition keeps them; `start`: the context
 * frame it starts at; `frames`: how long it plays.
 */
export interface StretchOptions { source: Float32Array[]; from: number; ratio: number; semitones: number; formants: boolean; start: number; frames: number }
declare function registerProcessor(name: string, processor: new (options: { processorOptions: StretchOptions }) => AudioWorkletProcessor): void;

class ClipStretchProcessor extends AudioWorkletProcessor {
  private readonly stretcher: Pull;
  private readonly start: number;
  private left: number;

  constructor(options: { processorOptions: StretchOptions }) {
    super(options);
    const o = options.processorOptions;
    const stretcher = new Stretcher(o.source, o.ratio, o.semitones, o.from);
    this.stretcher = o.formants && o.semitones !== 0 ? new FormantKeeper(stretcher, Math.pow(2, o.semitones / 12), 2) : stretcher;
    [this.start, this.left] = [o.start, o.frames];
    this.port.onmessage = () => (this.left = 0); // stop
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    const quantum = output[0].length;
    const skip = Math.min(quantum, Math.max(0, this.start - currentFrame));
    output.forEach((channel) => channel.fill(0));
    const frames = Math.min(quantum - skip, this.left);
    if (frames > 0) {
      this.stretcher.process(output, frames, skip);
      this.left -= frames;
    }
    return this.left > 0;
  }
}

registerProcessor("clip-stretch", ClipStretchProcessor);
