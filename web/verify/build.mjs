// Bundles the verify page into dist/: main.js (the page, polkadot-api and smoldot; ES module,
// minified), the SDK's WebAssembly module, index.html and style.css. Prints every file's size
// and the page weight gzipped.
//
//   node build.mjs            (from web/verify, after npm ci and scripts/build-sdk.sh)

import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const sdkWasm = join(here, 'node_modules/@viot/sdk/web/viot_sdk_bg.wasm');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
await build({
  entryPoints: [join(here, 'src/main.js')],
  outfile: join(dist, 'main.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(sdkWasm, join(dist, 'viot_sdk_bg.wasm'));
for (const file of ['index.html', 'style.css']) copyFileSync(join(here, file), join(dist, file));

let total = 0;
let gzipped = 0;
for (const file of readdirSync(dist).sort()) {
  const bytes = readFileSync(join(dist, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += statSync(join(dist, file)).size;
  gzipped += gz;
  console.log(`${file.padEnd(20)} ${String(bytes.length).padStart(9)} bytes  ${String(gz).padStart(9)} gzipped`);
}
console.log(`${'page'.padEnd(20)} ${String(total).padStart(9)} bytes  ${String(gzipped).padStart(9)} gzipped`);
