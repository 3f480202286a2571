// The AudioWorklet that runs a chain of built-in effects (chain.ts) on the audio thread: input 0 is the track's
// signal, inputs 1.. the sidechain keys; the main thread posts ChainMessages when the chain, the tempo or the
// timeline's passes change.
import { Chain, type ChainMessage } from "./chain";

// The AudioWorkletGlobalScope, which the DOM library does not describe.
declare const sampleRate: number;
declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
/** What the node is made with: the timeline's rate, and the chain to start with (its first quantum may come before any message). */
interface Options { processorOptions: { projectRate: number; message?: ChainMessage } }
declare function registerProcessor(name: string, processor: new (options: Options) => AudioWorkletProcessor): void;

class EffectChainProcessor extends AudioWorkletProcessor {
  private readonly chain: Chain;
  private ended = false;

  constructor(options: Options) {
    super(options);
    this.chain = new Chain(sampleRate, options.processorOptions.projectRate);
    if (options.processorOptions.message) this.chain.configure(options.processorOptions.message);
    this.port.onmessage = (e: MessageEvent<ChainMessage>) => (e.data.end ? (this.ended = true) : this.chain.configure(e.data));
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const [input, ...keys] = inputs;
    const output = outputs[0];
    // No active input reads as silence; the chain still runs (a reverb's tail, a delay's echoes).
    output.forEach((channel, c) => (input.length ? channel.set(input[Math.min(c, input.length - 1)]) : channel.fill(0)));
    this.chain.process(output, currentFrame, keys);
    return !this.ended;
  }
}

registerProcessor("effect-chain", EffectChainProcessor);
