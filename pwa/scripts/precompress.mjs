// After `vite build`: a Brotli and a gzip copy of each build asset, made once at the highest
// levels (too slow to do per request), so that the server sends a tablet ~27 % of the bytes
// when it installs or updates the app — often over the meeting room's weak link.
// The server picks the copy the browser accepts (server/web/routes.py). Only the hashed,
// public build files get copies: nothing here holds a secret (compressing answers that
// carry a token is what BREACH needs; the app decides per route).
//
// Usage: node scripts/precompress.mjs [dist directory, default ./dist]

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(js|css|wasm|svg|json)$/;
const WORTH_IT = 0.9; // a copy that saves less than a tenth is not kept

const assets = join(process.argv[2] ?? "dist", "assets");
let before = 0;
let after = 0;
for (const name of readdirSync(assets)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const data = readFileSync(join(assets, name));
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  const gz = gzipSync(data, { level: 9 });
  before += data.length;
  after += Math.min(data.length, br.length);
  if (br.length < WORTH_IT * data.length) writeFileSync(join(assets, `${name}.br`), br);
  if (gz.length < WORTH_IT * data.length) writeFileSync(join(assets, `${name}.gz`), gz);
}
console.log(`precompressed ${assets}: ${Math.round(before / 1024)} KB -> ${Math.round(after / 1024)} KB (brotli)`);
