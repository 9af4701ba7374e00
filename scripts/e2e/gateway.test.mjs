// The gateway end to end (about 60 s): a dev node, a Mosquitto broker and viot-gateway. Devices
// of the four key types send 3,200 signed readings over MQTT and HTTP; every reading is anchored
// in a batch and finalized, and every bundle the gateway serves verifies in the SDK and on chain
// (dataAnchoringApi.verifyInclusion). Refused by name: unknown device, signature for another
// reading or chain, a reused sequence number, malformed input; a device revoked on chain is
// refused as soon as the revocation is in a block. kill -9 drill: the gateway is killed three
// times while devices publish over MQTT and batches are anchored, then between building a batch
// and submitting it (its account had no funds) and while its anchor waits for finality; after
// each restart every acknowledged reading is anchored exactly once and provable.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Anchor, InclusionProof, readingLeaf, verifyReading } from '@viot/sdk';

import { deviceKey, randomId } from './lib/devices.mjs';
import { gatewayBinary, postReadings, publish, signReadings, startGateway, startMosquitto } from './lib/gateway.mjs';
import { freePort, startDevNode, submit as submitTx, waitFor, waitForFinalized } from './lib/node.mjs';

let node;
let api;
let broker;
let gateway;
let genesis;
let dir;
let sudo;
let maker;
let eve;
const devices = {};
const started = [];

const submit = (tx, signer) => submitTx(api, tx, signer);

async function registerDevices(kinds) {
  const made = kinds.map((kind) => ({ kind, key: deviceKey(kind), id: randomId() }));
  const { error, blockHash } = await submit(api.tx.utility.batchAll(made.map(({ key, id }) =>
    api.tx.deviceIdentity.registerDevice(id, key.publicKey, maker.address, 'gateway e2e'))), maker);
  assert.equal(error, undefined, 'the devices register');
  // The gateway accepts devices whose registration is final.
  const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  await waitForFinalized(api, number);
  return made;
}

/** Fetches the bundles of `digest` from the gateway. */
async function bundlesOf(url, digest) {
  const response = await fetch(`${url}/readings/${digest}`);
  return { status: response.status, json: await response.json() };
}

/** Waits until the gateway has no unbatched reading and no open batch. */
async function allFinalized(gatewayHandle, timeoutMs = 60_000) {
  await waitFor('every reading anchored and finalized', async () => {
    const health = await (await fetch(`${gatewayHandle.url}/health`)).json();
    return health.unbatched === 0 && health.openBatches === 0;
  }, { timeoutMs, intervalMs: 200 });
}

/**
 * Checks every reading's bundle in the SDK and on chain, against batches anchored by
 * `account`; returns the roots and `root/leaf` places.
 */
async function verifyAll(url, readings, account = eve.address) {
  const keys = new Map();
  const anchors = new Map();
  const roots = new Set();
  const leaves = [];
  for (let start = 0; start < readings.length; start += 100) {
    await Promise.all(readings.slice(start, start + 100).map(async (reading) => {
      const { status, json } = await bundlesOf(url, reading.digest);
      assert.equal(status, 200, `a bundle for ${reading.digest}`);
      assert.equal(json.readings.length, 1, 'stored once');
      const bundle = json.readings[0];
      assert.equal(bundle.status, 'finalized');
      assert.equal(bundle.sequence, reading.sequence);
      assert.equal(bundle.genesisHash, genesis);
      // The anchor and the device's key (at the anchor's block) come from the chain, and the
      // reading must be of this chain, this device and this record: nothing is taken from the
      // gateway but the payload, the signature and the proof.
      const root = bundle.batch.root;
      roots.add(root);
      leaves.push(`${root}/${bundle.batch.leafIndex}`);
      if (!anchors.has(root)) {
        const anchor = (await api.call.dataAnchoringApi.anchorOf(root, { Account: account })).unwrap();
        assert.equal(anchor.block.toNumber(), bundle.batch.block.number);
        anchors.set(root, { anchor: Anchor.fromBytes(anchor.toU8a()), at: await api.at(await api.rpc.chain.getBlockHash(anchor.block)) });
      }
      const { anchor, at } = anchors.get(root);
      const keyAt = `${reading.device}@${root}`;
      if (!keys.has(keyAt)) keys.set(keyAt, (await at.call.deviceIdentityApi.device(reading.device)).unwrap().key.toU8a());
      const proof = InclusionProof.fromBytes(bundle.batch.proofBytes);
      assert.equal(verifyReading(genesis, reading.device, reading.digest, bundle.payload, bundle.signature, keys.get(keyAt), anchor, proof), bundle.batch.leafIndex);
      // The leaf verifyReading recomputed from payload and signature is the bundle's.
      assert.deepEqual(u8aToHex(readingLeaf(bundle.payload, bundle.signature)), bundle.leaf);
      const onChain = await api.call.dataAnchoringApi.verifyInclusion(bundle.leaf, proof.toBytes(), account);
      assert.ok(onChain.isOk, `verifyInclusion: ${onChain.toString()}`);
    }));
  }
  return { roots, leaves };
}

before(async () => {
  await cryptoWaitReady();
  gatewayBinary();
  dir = mkdtempSync(join(tmpdir(), 'viot-gateway-e2e-'));
  broker = await startMosquitto();
  started.push(broker);
  // The gateway starts before its node, as scripts/run-gateway.sh may beside a node still
  // starting: it waits for the node (--wait-for-node) instead of exiting.
  const rpcPort = await freePort();
  const gatewayStarting = startGateway({
    nodePort: rpcPort, db: join(dir, 'gateway.sqlite'), mqttUrl: broker.url, extraArgs: ['--batch-interval-ms', '500'], readyTimeoutMs: 90_000,
  });
  gatewayStarting.catch(() => {}); // awaited below, after the node has started
  node = await startDevNode({ rpcPort });
  gateway = await gatewayStarting;
  started.push(gateway);
  assert.match(gateway.log(), /waiting for the node/, 'it was started first and waited');
  api = node.api;
  genesis = api.genesisHash.toHex();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  sudo = keyring.addFromUri('//Alice');
  maker = keyring.addFromUri('//Charlie');
  eve = keyring.addFromUri('//Eve');
  const added = await submit(api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Acme Sensors')), sudo);
  assert.equal(added.error, undefined);
  for (const device of await registerDevices(['sr25519', 'ed25519', 'ecdsa', 'p256', 'sr25519', 'p256'])) {
    devices[Object.keys(devices).length] = device;
  }
});

after(async () => {
  await Promise.all(started.map((process) => process.stop().catch(() => {})));
  if (node) await node.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('3,200 readings over MQTT and HTTP from four key types are anchored, finalized and proven', async () => {
  const perDevice = 800;
  const signed = [0, 1, 2, 3].map((i) => signReadings({ ...devices[i], genesis, count: perDevice }));
  const startedAt = Date.now();
  await Promise.all([
    // sr25519 and ecdsa devices over MQTT, one reading per message.
    publish(broker.port, `viot/readings/${devices[0].id}`, signed[0]),
    publish(broker.port, `viot/readings/${devices[2].id}`, signed[2]),
    // ed25519 and p256 devices over HTTP, 200 readings per request.
    ...[1, 3].map(async (i) => {
      for (let start = 0; start < perDevice; start += 200) {
        const { status, json } = await postReadings(gateway.url, signed[i].slice(start, start + 200));
        assert.equal(status, 200);
        assert.equal(json.accepted, 200, JSON.stringify(json.results.find((r) => r.status !== 'accepted')));
      }
    }),
  ]);
  await waitFor('every reading stored', async () => (await gateway.metric('viot_gateway_readings_stored_total')) >= 4 * perDevice, { timeoutMs: 30_000, intervalMs: 100 });
  await allFinalized(gateway);
  console.log(`# 3,200 readings received, anchored and finalized in ${Date.now() - startedAt} ms`);
  const { roots, leaves } = await verifyAll(gateway.url, signed.flat());
  assert.equal(new Set(leaves).size, 4 * perDevice);
  console.log(`# ${roots.size} batches`);
  assert.equal(await gateway.metric('viot_gateway_readings_refused_total'), 0);

  // The CLI prints the same bundle from the store.
  const { stdout } = await promisify(execFile)(gatewayBinary(), ['prove', signed[3][5].digest, '--db', join(dir, 'gateway.sqlite')]);
  const fromCli = JSON.parse(stdout).readings[0];
  const fromApi = (await bundlesOf(gateway.url, signed[3][5].digest)).json.readings[0];
  assert.deepEqual(fromCli, fromApi);
});

test('unknown devices, wrong signatures, reused sequence numbers and malformed input are refused by name', async () => {
  const device = devices[4];
  const [first, second] = signReadings({ ...device, genesis, count: 2, firstSequence: 1 });
  const accepted = await postReadings(gateway.url, first);
  assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
  assert.equal(accepted.json.duplicate, false);
  // A retry after a lost acknowledgement is the same reading: accepted, stored once.
  const retry = await postReadings(gateway.url, first);
  assert.deepEqual([retry.status, retry.json.id, retry.json.duplicate], [202, accepted.json.id, true]);
  // Another reading under a used sequence number (a replay with a new digest).
  const reused = await postReadings(gateway.url, { ...second, sequence: 1 });
  assert.equal(reused.status, 403, 'its signature covers sequence 2');
  assert.equal(reused.json.reason, 'bad-signature');
  const [again] = signReadings({ ...device, genesis, count: 1, firstSequence: 1, label: 'other' });
  const replayed = await postReadings(gateway.url, again);
  assert.deepEqual([replayed.status, replayed.json.reason], [409, 'sequence-reused']);
  // Signed for another chain, or by another key, or for another digest.
  const [otherChain] = signReadings({ ...device, genesis: u8aToHex(new Uint8Array(32).fill(1)), count: 1, firstSequence: 9 });
  assert.equal((await postReadings(gateway.url, otherChain)).json.reason, 'bad-signature');
  const [otherKey] = signReadings({ ...device, key: deviceKey('sr25519'), genesis, count: 1, firstSequence: 10 });
  assert.equal((await postReadings(gateway.url, otherKey)).json.reason, 'bad-signature');
  assert.equal((await postReadings(gateway.url, { ...second, digest: first.digest })).json.reason, 'bad-signature');
  // A device the chain does not know.
  const [unknown] = signReadings({ key: deviceKey('sr25519'), id: randomId(), genesis, count: 1 });
  const refusedUnknown = await postReadings(gateway.url, unknown);
  assert.deepEqual([refusedUnknown.status, refusedUnknown.json.reason], [403, 'unknown-device']);
  // Malformed: not JSON, a short digest, a signature of the wrong length, an unknown field.
  const notJson = await fetch(`${gateway.url}/readings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  assert.equal(notJson.status, 400);
  assert.equal((await postReadings(gateway.url, { ...second, digest: '0x00' })).status, 400);
  assert.equal((await postReadings(gateway.url, { ...second, signature: '0x00' })).json.reason, 'malformed');
  assert.equal((await postReadings(gateway.url, { ...second, extra: 1 })).status, 400);
  // In an array, each reading gets its own answer.
  const mixed = await postReadings(gateway.url, [second, { nonsense: true }, unknown]);
  assert.deepEqual(mixed.json.results.map((r) => r.reason ?? r.status), ['accepted', 'malformed', 'unknown-device']);
  assert.equal((await fetch(`${gateway.url}/readings/0x1234`)).status, 400);
  assert.equal((await bundlesOf(gateway.url, u8aToHex(new Uint8Array(32).fill(7)))).status, 404);
  assert.ok(await gateway.metric('viot_gateway_readings_refused_total{reason="bad-signature"}') >= 4);
});

test('a device revoked on chain is refused as soon as the revocation is in a block', async () => {
  const device = devices[5];
  const readings = signReadings({ ...device, genesis, count: 20 });
  assert.equal((await postReadings(gateway.url, readings[0])).status, 202);
  const { blockHash, error } = await submit(api.tx.deviceIdentity.revokeDevice(device.id), maker);
  assert.equal(error, undefined);
  const revokedIn = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  let refusedAt;
  for (const reading of readings.slice(1)) {
    const { json } = await postReadings(gateway.url, reading);
    if (json.reason === 'revoked') {
      refusedAt = (await api.rpc.chain.getHeader()).number.toNumber();
      break;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.ok(refusedAt !== undefined, 'the revoked device is refused');
  console.log(`# revoked in block #${revokedIn}, refused at best block #${refusedAt}`);
  assert.ok(refusedAt <= revokedIn + 1, `refused within a block of #${revokedIn} (at #${refusedAt})`);
});

test('kill -9 while receiving, batching and anchoring loses and duplicates nothing', async () => {
  const device = devices[0];
  const db = join(dir, 'gateway.sqlite');
  // The first test used sequences 1-800 of this device.
  const readings = signReadings({ ...device, genesis, count: 1500, firstSequence: 10_001, label: 'drill' });
  let current = gateway;
  const storedBefore = await gateway.metric('viot_gateway_readings_stored_total');
  const sending = publish(broker.port, `viot/readings/${device.id}`, readings);
  for (let kill = 1; kill <= 3; kill += 1) {
    // Each gateway process counts from zero: kill it once it stored 150 readings, while
    // devices still publish, batches are built and anchors wait for finality.
    await waitFor(`kill ${kill}: the gateway stores readings`, async () =>
      (await current.metric('viot_gateway_readings_stored_total')) >= (kill === 1 ? storedBefore : 0) + 150, { timeoutMs: 30_000, intervalMs: 20 });
    await current.kill();
    current = await startGateway({ nodePort: node.rpcPort, db, mqttUrl: broker.url, extraArgs: ['--batch-interval-ms', '500'] });
    started.push(current);
  }
  await sending;
  await waitFor('every drill reading stored', async () => {
    const results = await Promise.all([readings[0], readings.at(-1)].map((r) => bundlesOf(current.url, r.digest)));
    return results.every(({ status }) => status === 200);
  }, { timeoutMs: 30_000 });
  await allFinalized(current);
  const { roots, leaves } = await verifyAll(current.url, readings);
  console.log(`# kill -9 drill: 1,500 readings in ${roots.size} batches after 3 kills, each stored and anchored once`);
  // Every reading has one bundle (verifyAll) and its own leaf; every root is anchored once.
  assert.equal(new Set(leaves).size, readings.length, 'no two readings share a leaf');
  for (const root of roots) {
    const anchors = await api.call.dataAnchoringApi.attestations(root, 10);
    assert.equal(anchors.length, 1, `root ${root} anchored once`);
  }
});

test('kill -9 between building a batch and submitting it, and while its anchor waits for finality', async () => {
  const db = join(dir, 'drill.sqlite');
  // An account without funds: its gateway builds batches the node refuses to take.
  const poor = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//GatewayDrill');
  const args = { nodePort: node.rpcPort, db, signer: '//GatewayDrill', extraArgs: ['--batch-interval-ms', '300'] };
  let drill = await startGateway(args);
  started.push(drill);
  const device = devices[1];
  const first = signReadings({ ...device, genesis, count: 50, firstSequence: 20_001, label: 'unfunded' });
  assert.equal((await postReadings(drill.url, first)).json.accepted, 50);
  await waitFor('a batch built and refused by the node', async () =>
    (await drill.metric('viot_gateway_anchor_submissions_total{outcome="refused"}')) >= 1, { timeoutMs: 20_000, intervalMs: 100 });
  const [bundle] = (await bundlesOf(drill.url, first[0].digest)).json.readings;
  assert.equal(bundle.status, 'batched', 'built, never taken by the node');
  await drill.kill();
  const funded = await submit(api.tx.balances.transferKeepAlive(poor.address, 100n * 10n ** 12n), sudo);
  assert.equal(funded.error, undefined);
  drill = await startGateway(args);
  started.push(drill);
  await allFinalized(drill);
  await verifyAll(drill.url, first, poor.address);

  // Killed while the anchor of a batch is in a block and not yet final.
  const second = signReadings({ ...device, genesis, count: 50, firstSequence: 20_101, label: 'in-block' });
  assert.equal((await postReadings(drill.url, second)).json.accepted, 50);
  await waitFor('the batch in a block, not final', async () => {
    const [b] = (await bundlesOf(drill.url, second[0].digest)).json.readings;
    return b.status === 'in-block';
  }, { timeoutMs: 20_000, intervalMs: 50 });
  await drill.kill();
  drill = await startGateway(args);
  started.push(drill);
  await allFinalized(drill);
  const { roots } = await verifyAll(drill.url, [...first, ...second], poor.address);
  for (const root of roots) {
    assert.equal((await api.call.dataAnchoringApi.attestations(root, 10)).length, 1, 'anchored once');
  }
  assert.equal(await drill.metric('viot_gateway_anchor_submissions_total{outcome="refused"}'), 0, 'nothing refused after the restart');
});
