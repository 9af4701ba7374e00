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
  outdir: dist,
  // The NFC chip library is a chunk of its own, fetched only when a phone checks a tag; what it
  // takes from Node.js's crypto comes from WebCrypto (src/shims/crypto.js).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  alias: { crypto: join(here, 'src/shims/crypto.js') },
  define: { global: 'globalThis' },
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

// What every visit loads (the top-level files), and the chunks a tag check on an NFC phone adds.
const sizes = { page: [0, 0], 'NFC chip chunks': [0, 0] };
const files = readdirSync(dist, { recursive: true }).filter((file) => statSync(join(dist, file)).isFile()).sort();
for (const file of files) {
  const bytes = readFileSync(join(dist, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  const total = sizes[file.startsWith('chunks') ? 'NFC chip chunks' : 'page'];
  total[0] += bytes.length;
  total[1] += gz;
  console.log(`${file.padEnd(36)} ${String(bytes.length).padStart(9)} bytes  ${String(gz).padStart(9)} gzipped`);
}
for (const [name, [raw, gz]] of Object.entries(sizes)) {
  console.log(`${name.padEnd(36)} ${String(raw).padStart(9)} bytes  ${String(gz).padStart(9)} gzipped`);
}
