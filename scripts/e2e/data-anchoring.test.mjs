// Data anchoring end to end with Polkadot.js and the VIoT SDK: a file's hash is anchored and read
// back and cannot be anchored twice by one attester; a batch of 1,000 records built by the SDK is anchored by its
// Merkle root and one record is proven on chain and by the SDK (a tampered proof fails both); a
// registered device signs an anchor (SDK payload) that a gateway submits, a wrong key and a
// tampered payload are refused; a tag and a reader sign a scan; a product's trace reads back in
// order and the SDK verifies it against the records. Attack refused: a squatter who anchors a
// device's digest and a gateway's batch root first blocks and breaks nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { Anchor, anchorPayload, Batch, InclusionProof, recordDigest, scanPayload, verifyTrace } from '@viot/sdk';

import { deviceKey, deviceNonce, randomId } from './lib/devices.mjs';
import { startDevNode, submit as submitTx } from './lib/node.mjs';

// Event codes of viot_primitives::anchor::kind.
const MANUFACTURED = 1;
const SHIPPED = 2;
const SCANNED = 6;
const SOLD = 7;

let node;
let api;
let keyring;
let sudo;
let maker;
let gateway;
let shop;

const submit = (tx, signer) => submitTx(api, tx, signer);

const anchoredEvent = (events) => events.find(({ event }) => api.events.dataAnchoring.Anchored.is(event))?.event;

/** Registers a device with `key` (made by `maker`) and returns its id. */
async function registerDevice(key) {
  const id = randomId();
  const { error } = await submit(api.tx.deviceIdentity.registerDevice(id, key.publicKey, gateway.address, 'e2e'), maker);
  assert.equal(error, undefined, 'the device registers');
  return id;
}

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  sudo = keyring.addFromUri('//Alice');
  maker = keyring.addFromUri('//Charlie');
  gateway = keyring.addFromUri('//Eve');
  shop = keyring.addFromUri('//Ferdie');
  const added = await submit(api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Acme Tags')), sudo);
  assert.equal(added.error, undefined);
});

after(async () => {
  await node?.stop();
});

test("a file's hash is anchored, read back, and cannot be anchored again by the same attester", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'viot-anchor-'));
  try {
    const file = join(dir, 'certificate.txt');
    writeFileSync(file, `Certificate of conformity, lot ${randomId()}\n`);
    const digest = blake2AsHex(readFileSync(file), 256);

    const { blockHash, events, error } = await submit(api.tx.dataAnchoring.anchor(digest, null, 0, 'text/plain'), shop);
    assert.equal(error, undefined);
    const event = anchoredEvent(events);
    assert.ok(event, 'Anchored is emitted');
    assert.equal(event.data.digest.toHex(), digest);
    assert.ok(event.data.deposit.toBigInt() > 0n, 'a deposit is held');

    const anchor = (await api.call.dataAnchoringApi.anchorOf(digest, { Account: shop.address })).unwrap();
    const header = await api.rpc.chain.getHeader(blockHash);
    const at = await api.at(blockHash);
    assert.equal(anchor.owner.toString(), shop.address);
    assert.equal(anchor.block.toNumber(), header.number.toNumber(), 'the block it was anchored in');
    assert.equal(anchor.timestamp.toNumber(), (await at.query.timestamp.now()).toNumber(), "that block's time");
    assert.equal(anchor.source.toString(), 'Account');
    assert.equal(anchor.metadata.toUtf8(), 'text/plain');

    const again = await submit(api.tx.dataAnchoring.anchor(digest, null, 0, 'text/plain'), shop);
    assert.equal(again.error, 'dataAnchoring.AlreadyAnchored');
    assert.equal((await api.call.dataAnchoringApi.anchorOf(digest, { Account: shop.address })).unwrap().owner.toString(), shop.address);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch of 1,000 records built by the SDK is anchored by its root and one record is proven', async () => {
  const records = Array.from({ length: 1000 }, (_, i) => stringToU8a(`sensor 7, reading ${i}: ${20 + (i % 7)} °C`));
  const batch = Batch.fromRecords(records);
  const root = u8aToHex(batch.root);

  const { events, error } = await submit(api.tx.dataAnchoring.anchorBatch(root, batch.leafCount, null, 10, 'readings'), gateway);
  assert.equal(error, undefined);
  assert.equal(anchoredEvent(events).data.leafCount.unwrap().toNumber(), 1000);

  // The runtime accepts the SDK's proof, given as SCALE bytes or as JSON.
  const index = 421;
  const leaf = recordDigest(records[index]);
  const proof = batch.proof(index);
  for (const given of [proof.toBytes(), proof.toJSON()]) {
    const proven = await api.call.dataAnchoringApi.verifyInclusion(leaf, given, gateway.address);
    assert.ok(proven.isOk, `the record is proven: ${proven.toString()}`);
    assert.equal(proven.asOk.digest.toHex(), root);
    assert.equal(proven.asOk.owner.toString(), gateway.address);
    assert.equal(proven.asOk.leafCount.unwrap().toNumber(), 1000);
  }

  // A reader who trusts only the chain: the anchor from the runtime API, the proof checked by the SDK.
  const anchor = Anchor.fromBytes((await api.call.dataAnchoringApi.anchorOf(root, { Account: gateway.address })).unwrap().toU8a());
  assert.equal(anchor.verifyLeaf(leaf, proof), index);
  assert.equal(anchor.leafCount, 1000);
  assert.equal(u8aToHex(anchor.owner), u8aToHex(gateway.publicKey));

  const bytes = proof.toBytes();
  bytes[bytes.length - 1] ^= 1; // the last sibling
  const tampered = InclusionProof.fromBytes(bytes);
  const refused = await api.call.dataAnchoringApi.verifyInclusion(leaf, tampered.toBytes(), gateway.address);
  assert.ok(refused.isErr);
  assert.equal(refused.asErr.toString(), 'BadProof');
  assert.throws(() => anchor.verifyLeaf(leaf, tampered), /does not lead from the leaf to the root/);

  const forged = recordDigest(stringToU8a('forged reading'));
  const otherRecord = await api.call.dataAnchoringApi.verifyInclusion(forged, proof.toBytes(), gateway.address);
  assert.equal(otherRecord.asErr.toString(), 'BadProof');
  assert.throws(() => anchor.verifyLeaf(forged, proof), /does not lead from the leaf to the root/);

  const unknown = Batch.fromRecords(records.slice(0, 999)).proof(5);
  const notAnchored = await api.call.dataAnchoringApi.verifyInclusion(recordDigest(records[5]), unknown.toBytes(), gateway.address);
  assert.equal(notAnchored.asErr.toString(), 'NotAnchored');
  assert.throws(() => anchor.verifyLeaf(recordDigest(records[5]), unknown), /another batch/);
});

test("a device's signed anchor and a tag-and-reader scan build a product's trace", async () => {
  const product = randomId();

  // 1. Manufactured: the maker anchors the production record itself.
  const made = await submit(api.tx.dataAnchoring.anchor(blake2AsHex(`made ${product}`, 256), product, MANUFACTURED, ''), maker);
  assert.equal(made.error, undefined);

  // 2. Shipped: a logger device signs, the gateway submits and pays.
  const loggerKey = deviceKey('sr25519');
  const logger = await registerDevice(loggerKey);
  const shipped = blake2AsHex(`shipped ${product}`, 256);
  const payload = anchorPayload(api.genesisHash, logger, await deviceNonce(api, logger), shipped, product, SHIPPED);
  const signature = loggerKey.sign(payload);
  const forged = deviceKey('p256').sign(payload);
  const refused = await submit(api.tx.dataAnchoring.anchorFromDevice(logger, shipped, product, SHIPPED, forged), gateway);
  assert.equal(refused.error, 'deviceIdentity.BadSignature', 'a signature by another key is refused');
  const otherKind = loggerKey.sign(anchorPayload(api.genesisHash, logger, 0, shipped, product, SOLD));
  const tampered = await submit(api.tx.dataAnchoring.anchorFromDevice(logger, shipped, product, SHIPPED, otherKind), gateway);
  assert.equal(tampered.error, 'deviceIdentity.BadSignature', 'a signature over another payload is refused');
  const byDevice = await submit(api.tx.dataAnchoring.anchorFromDevice(logger, shipped, product, SHIPPED, signature), gateway);
  assert.equal(byDevice.error, undefined);
  assert.equal(anchoredEvent(byDevice.events).data.source.asDevice.toHex(), logger);
  assert.equal((await api.call.deviceIdentityApi.device(logger)).unwrap().nonce.toNumber(), 1, "the device's nonce moved on");

  // 3. Scanned: the product's P-256 tag and an sr25519 reader both sign the scan.
  const tagKey = deviceKey('p256');
  const readerKey = deviceKey('sr25519');
  const tag = await registerDevice(tagKey);
  const reader = await registerDevice(readerKey);
  const scanned = blake2AsHex(`scanned ${product} at dock 4`, 256);
  const scan = async (signer) =>
    scanPayload(api.genesisHash, signer, await deviceNonce(api, signer), tag, reader, scanned, product, SCANNED);
  const tagSignature = tagKey.sign(await scan(tag));
  const readerSignature = readerKey.sign(await scan(reader));
  const halfSigned = await submit(
    api.tx.dataAnchoring.anchorScan(tag, reader, scanned, product, SCANNED, tagSignature, tagSignature),
    gateway,
  );
  assert.equal(halfSigned.error, 'deviceIdentity.BadSignature', "the reader's signature is required");
  const bothSigned = await submit(
    api.tx.dataAnchoring.anchorScan(tag, reader, scanned, product, SCANNED, tagSignature, readerSignature),
    gateway,
  );
  assert.equal(bothSigned.error, undefined);
  const source = anchoredEvent(bothSigned.events).data.source.asScan;
  assert.deepEqual([source.tag.toHex(), source.reader.toHex()], [tag, reader]);

  // 4. Sold.
  const sold = await submit(api.tx.dataAnchoring.anchor(blake2AsHex(`sold ${product}`, 256), product, SOLD, 'receipt'), shop);
  assert.equal(sold.error, undefined);

  const trace = await api.call.dataAnchoringApi.trace(product, 0, 100);
  assert.deepEqual(trace.map((entry) => entry.index.toNumber()), [0, 1, 2, 3]);
  assert.deepEqual(trace.map((entry) => entry.anchor.kind.toNumber()), [MANUFACTURED, SHIPPED, SCANNED, SOLD]);
  assert.deepEqual(
    trace.map((entry) => entry.anchor.source.type),
    ['Account', 'Device', 'Scan', 'Account'],
  );
  const blocks = trace.map((entry) => entry.anchor.block.toNumber());
  assert.deepEqual(blocks, [...blocks].sort((a, b) => a - b), 'in block order');
  assert.equal((await api.call.dataAnchoringApi.traceLength(product)).toNumber(), 4);
  assert.equal(u8aToHex(trace[1].anchor.digest.toU8a()), shipped);

  // The SDK checks the trace against the records, in order, as a consumer would.
  const records = [`made ${product}`, `shipped ${product}`, `scanned ${product} at dock 4`, `sold ${product}`]
    .map((record) => blake2AsHex(record, 256));
  const anchors = verifyTrace(product, trace.toU8a(), records);
  assert.deepEqual(anchors.map((a) => a.source), ['account', 'device', 'scan', 'account']);
  assert.deepEqual(anchors[2].devices.map((id) => u8aToHex(id)), [tag, reader]);
  assert.throws(() => verifyTrace(product, trace.toU8a(), [records[0], records[2], records[1], records[3]]),
    /trace entry 1 is not the expected record/);
  assert.throws(() => verifyTrace(randomId(), trace.toU8a()), /trace entry 0 concerns another item/);
});

test("front-running a device's anchor or a gateway's batch blocks and replaces nothing", async () => {
  // The device signs an anchor; before the gateway's transaction lands, a squatter anchors the
  // same digest, and the same batch root with another leaf count, from its own account.
  const squatter = shop;
  const key = deviceKey('p256');
  const device = await registerDevice(key);
  const digest = blake2AsHex(`inspected ${randomId()}`, 256);
  const signature = key.sign(anchorPayload(api.genesisHash, device, await deviceNonce(api, device), digest, null, SHIPPED));
  const records = Array.from({ length: 16 }, (_, i) => stringToU8a(`front-run reading ${i} ${randomId()}`));
  const batch = Batch.fromRecords(records);
  const root = u8aToHex(batch.root);

  assert.equal((await submit(api.tx.dataAnchoring.anchor(digest, null, SOLD, 'first!'), squatter)).error, undefined);
  assert.equal((await submit(api.tx.dataAnchoring.anchorBatch(root, 17, null, 0, 'squatted'), squatter)).error, undefined);

  const byDevice = await submit(api.tx.dataAnchoring.anchorFromDevice(device, digest, null, SHIPPED, signature), gateway);
  assert.equal(byDevice.error, undefined, "the device's attestation still lands");
  const batched = await submit(api.tx.dataAnchoring.anchorBatch(root, batch.leafCount, null, 10, 'readings'), gateway);
  assert.equal(batched.error, undefined, "the gateway's batch still lands");

  const attested = (await api.call.dataAnchoringApi.anchorOf(digest, { Device: device })).unwrap();
  assert.equal(attested.kind.toNumber(), SHIPPED);
  assert.equal(attested.source.asDevice.toHex(), device);
  const all = await api.call.dataAnchoringApi.attestations(digest, 10);
  assert.deepEqual(all.map((a) => a.source.type), ['Account', 'Device'], 'both attestations, earliest first');

  for (const index of [0, 7, 15]) {
    const proof = batch.proof(index).toBytes();
    const leaf = recordDigest(records[index]);
    const proven = await api.call.dataAnchoringApi.verifyInclusion(leaf, proof, gateway.address);
    assert.ok(proven.isOk, `record ${index} is proven against the gateway's batch`);
    const squatted = await api.call.dataAnchoringApi.verifyInclusion(leaf, proof, squatter.address);
    assert.equal(squatted.asErr.toString(), 'BadProof', "the squatter's leaf count matches no proof");
  }
});
