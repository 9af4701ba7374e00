// Speed of the SDK's WebAssembly in Node.js: signing and verifying with each key type, building
// a batch's Merkle tree and proofs, and checking proofs. Bounded: a fixed count of each.
//
//   node scripts/bench/sdk.mjs [--count 2000]

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { authenticatePayload, Batch, DeviceKey, recordDigest, verifyProof, verifySignature } from '@viot/sdk';

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' } } });
const count = Math.min(Number(values.count), 100_000);

/** Runs `fn` `n` times and returns microseconds per call. */
function time(n, fn) {
  const start = performance.now();
  for (let i = 0; i < n; i += 1) fn(i);
  return ((performance.now() - start) * 1000) / n;
}

const rows = [];
const payload = authenticatePayload(new Uint8Array(32), new Uint8Array(32), 0);
for (const kind of ['sr25519', 'ed25519', 'ecdsa', 'p256']) {
  const key = DeviceKey.generate(kind);
  const signature = key.sign(payload);
  rows.push([`${kind} key generation`, time(Math.min(count, 500), () => DeviceKey.generate(kind))]);
  rows.push([`${kind} sign`, time(count, () => key.sign(payload))]);
  rows.push([`${kind} verify`, time(count, () => verifySignature(key.publicKey, payload, signature))]);
}
const leaves = Array.from({ length: 100_000 }, (_, i) => recordDigest(Uint32Array.of(i)));
let batch;
rows.push(['batch of 100,000 leaves: root', time(1, () => { batch = new Batch(leaves); })]);
rows.push(['batch of 100,000 leaves: one proof', time(Math.min(count, 200), (i) => batch.proof(i))]);
const proof = batch.proof(4242);
rows.push(['batch of 100,000 leaves: verify a proof', time(count, () => verifyProof(leaves[4242], proof))]);

console.log('| operation | µs |\n|---|---|');
for (const [name, us] of rows) console.log(`| ${name} | ${us.toLocaleString('en-US', { maximumFractionDigits: 1 })} |`);
