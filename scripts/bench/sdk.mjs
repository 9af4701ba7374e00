// Speed of the SDK's WebAssembly in Node.js: signing and verifying with each key type, building
// a batch's Merkle tree and proofs, checking proofs, and a provisioning batch of a million devices
// (leaves, root, a device's proof and its off-chain check). Bounded: a fixed count of each.
//
//   node scripts/bench/sdk.mjs [--count 2000]

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import {
  authenticatePayload, Batch, batchLeaf, DeviceKey, recordDigest, verifyBatchDevice, verifyProof, verifySignature,
} from '@viot/sdk';

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

// A provisioning batch of a million devices (one key for all: the leaves' cost does not depend
// on it, and a million key generations would time the keys, not the batch).
const million = 1_000_000;
const deviceKey = DeviceKey.generate('p256');
const ids = Array.from({ length: million }, (_, i) => {
  const id = new Uint8Array(32);
  new DataView(id.buffer).setUint32(0, i);
  return id;
});
const metadata = new TextEncoder().encode('lot 7');
let deviceLeaves;
rows.push(['provisioning 1,000,000 devices: all leaves (batchLeaf)', time(1, () => {
  deviceLeaves = ids.map((id) => batchLeaf(id, deviceKey.publicKey, metadata));
})]);
let devices;
rows.push(['provisioning 1,000,000 devices: root (new Batch)', time(1, () => { devices = new Batch(deviceLeaves); })]);
rows.push(["provisioning 1,000,000 devices: a device's proof", time(Math.min(count, 200), (i) => devices.proof(i * 4999))]);
const siblings = devices.proof(777_777).toJSON().siblings;
rows.push(['provisioning 1,000,000 devices: verifyBatchDevice', time(count, () => verifyBatchDevice(
  devices.root, million, ids[777_777], deviceKey.publicKey, metadata, 777_777, siblings,
))]);

console.log('| operation | µs |\n|---|---|');
for (const [name, us] of rows) console.log(`| ${name} | ${us.toLocaleString('en-US', { maximumFractionDigits: 1 })} |`);
