// A WAV file of an AudioBuffer, 32-bit float (format 3), so a mix made in the browser keeps every bit it has.

export function wavOf(buffer: Pick<AudioBuffer, "numberOfChannels" | "length" | "sampleRate" | "getChannelData">): Blob {
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  const bytes = buffer.length * channels.length * 4;
  const view = new DataView(new ArrayBuffer(44 + bytes));
  const text = (at: number, s: string) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + bytes, true);
  text(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 3, true); // IEEE float
  view.setUint16(22, channels.length, true);
  view.setUint32(24, buffer.sampleRate, true);
  view.setUint32(28, buffer.sampleRate * channels.length * 4, true);
  view.setUint16(32, channels.length * 4, true);
  view.setUint16(34, 32, true);
  text(36, "data");
  view.setUint32(40, bytes, true);
  for (let i = 0, at = 44; i < buffer.length; i++) for (const channel of channels) (view.setFloat32(at, channel[i], true), (at += 4));
  return new Blob([view.buffer], { type: "audio/wav" });
}
