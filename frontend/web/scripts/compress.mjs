// Compresses the built bundles once, at build time (Brotli at its best level, and gzip), so the server sends
// them compressed without spending CPU per request. Small files are left as they are.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = new URL("../../wwwroot/assets/", import.meta.url).pathname;
for (const name of readdirSync(dir)) {
  if (!/\.(js|css|svg|json|wasm)$/.test(name)) continue;
  const file = join(dir, name);
  const bytes = readFileSync(file);
  if (statSync(file).size < 1024) continue;
  writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
}
