// The AudioWorklet that captures the microphone: the samples exactly as the input delivers them, no re-encoding,
// gathered into blocks of `blockFrames` and posted to the main thread stamped with the context frame of their first
// sample, which is what places them on the timeline (takes.ts). Its output is silent: it is pulled by being connected.

declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
interface Options { processorOptions: { channels: number; blockFrames: number } }
declare function registerProcessor(name: string, processor: new (options: Options) => AudioWorkletProcessor): void;

/** What the capture posts: `channels` planar, each `length` samples, the first at context frame `frame`. */
export interface CapturedBlock { frame: number; channels: Float32Array[] }

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly channels: number;
  private readonly blockFrames: number;
  private block: Float32Array[];
  private filled = 0;
  private frame = 0;
  private ended = false;

  constructor(options: Options) {
    super(options);
    this.channels = options.processorOptions.channels;
    this.blockFrames = options.processorOptions.blockFrames;
    this.block = this.fresh();
    this.port.onmessage = () => (this.ended = true);
  }

  private fresh() {
    return Array.from({ length: this.channels }, () => new Float32Array(this.blockFrames));
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    const length = input[0]?.length ?? 128;
    if (this.filled === 0) this.frame = currentFrame;
    // A quantum always follows the one before it, so a block's frames are contiguous from its stamp.
    for (let c = 0; c < this.channels; c++) {
      const source = input.length ? input[Math.min(c, input.length - 1)] : null;
      if (source) this.block[c].set(source, this.filled);
      else this.block[c].fill(0, this.filled, this.filled + length);
    }
    this.filled += length;
    if (this.filled >= this.blockFrames) {
      const message: CapturedBlock = { frame: this.frame, channels: this.block };
      this.port.postMessage(message, this.block.map((b) => b.buffer));
      this.block = this.fresh();
      this.filled = 0;
    }
    return !this.ended;
  }
}

registerProcessor("capture", CaptureProcessor);
