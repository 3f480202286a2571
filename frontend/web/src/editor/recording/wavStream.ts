// A take as a streamed WAV file: the header goes first, before anyone knows how long the take will be, so its RIFF
// and data sizes say 0xFFFFFFFF ("unknown", as ffmpeg and sox write to a pipe); the server reads such a file's data to
// its end. Samples are 32-bit float, interleaved, as the microphone gave them.

/** The 44-byte header of a streamed 32-bit float WAV. */
export function streamedWavHeader(channels: number, sampleRate: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(44));
  const text = (at: number, s: string) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 0xffffffff, true);
  text(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 3, true); // IEEE float
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 4, true);
  view.setUint16(32, channels * 4, true);
  view.setUint16(34, 32, true);
  text(36, "data");
  view.setUint32(40, 0xffffffff, true);
  return new Uint8Array(view.buffer);
}

/** Planar channels of equal length as interleaved little-endian float32 bytes. */
export function interleaved(channels: readonly Float32Array[]): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const view = new DataView(new ArrayBuffer(frames * channels.length * 4));
  for (let i = 0, at = 0; i < frames; i++) for (const channel of channels) (view.setFloat32(at, channel[i], true), (at += 4));
  return new Uint8Array(view.buffer);
}
