// Data anchoring end to end with Polkadot.js: a file's hash is anchored and read back and cannot
// be anchored twice; a batch of 1,000 records is anchored by its Merkle root and one record is
// proven (a tampered proof fails); a registered device signs an anchor that a gateway submits; a
// tag and a reader sign a scan; a product's trace reads back in order.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { devicePayload, p256Key, randomId, sr25519Key } from './lib/devices.mjs';
import { merkleProof, merkleRoot } from './lib/merkle.mjs';
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

test("a file's hash is anchored, read back, and cannot be anchored again", async () => {
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

    const anchor = (await api.call.dataAnchoringApi.anchorOf(digest)).unwrap();
    const header = await api.rpc.chain.getHeader(blockHash);
    const at = await api.at(blockHash);
    assert.equal(anchor.owner.toString(), shop.address);
    assert.equal(anchor.block.toNumber(), header.number.toNumber(), 'the block it was anchored in');
    assert.equal(anchor.timestamp.toNumber(), (await at.query.timestamp.now()).toNumber(), "that block's time");
    assert.equal(anchor.source.toString(), 'Account');
    assert.equal(anchor.metadata.toUtf8(), 'text/plain');

    const again = await submit(api.tx.dataAnchoring.anchor(digest, null, 0, 'text/plain'), gateway);
    assert.equal(again.error, 'dataAnchoring.AlreadyAnchored');
    assert.equal((await api.call.dataAnchoringApi.anchorOf(digest)).unwrap().owner.toString(), shop.address);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch of 1,000 records is anchored by its root and one record is proven', async () => {
  const records = Array.from({ length: 1000 }, (_, i) => `sensor 7, reading ${i}: ${20 + (i % 7)} °C`);
  const leaves = records.map((record) => blake2AsHex(stringToU8a(record), 256));
  const root = merkleRoot(leaves);

  const { events, error } = await submit(api.tx.dataAnchoring.anchorBatch(root, leaves.length, null, 10, 'readings'), gateway);
  assert.equal(error, undefined);
  assert.equal(anchoredEvent(events).data.leafCount.unwrap().toNumber(), 1000);

  const index = 421;
  const proof = merkleProof(leaves, index);
  const proven = await api.call.dataAnchoringApi.verifyInclusion(leaves[index], proof);
  assert.ok(proven.isOk, `the record is proven: ${proven.toString()}`);
  assert.equal(proven.asOk.digest.toHex(), root);
  assert.equal(proven.asOk.owner.toString(), gateway.address);
  assert.equal(proven.asOk.leafCount.unwrap().toNumber(), 1000);

  const tampered = { ...proof, siblings: [...proof.siblings] };
  tampered.siblings[2] = blake2AsHex('not the sibling', 256);
  const refused = await api.call.dataAnchoringApi.verifyInclusion(leaves[index], tampered);
  assert.ok(refused.isErr);
  assert.equal(refused.asErr.toString(), 'BadProof');

  const otherRecord = await api.call.dataAnchoringApi.verifyInclusion(blake2AsHex('forged reading', 256), proof);
  assert.equal(otherRecord.asErr.toString(), 'BadProof');

  const unknown = merkleProof(leaves.slice(0, 999), 5);
  const notAnchored = await api.call.dataAnchoringApi.verifyInclusion(leaves[5], unknown);
  assert.equal(notAnchored.asErr.toString(), 'NotAnchored');
});

test("a device's signed anchor and a tag-and-reader scan build a product's trace", async () => {
  const product = randomId();

  // 1. Manufactured: the maker anchors the production record itself.
  const made = await submit(api.tx.dataAnchoring.anchor(blake2AsHex(`made ${product}`, 256), product, MANUFACTURED, ''), maker);
  assert.equal(made.error, undefined);

  // 2. Shipped: a logger device signs, the gateway submits and pays.
  const loggerKey = sr25519Key(keyring);
  const logger = await registerDevice(loggerKey);
  const shipped = blake2AsHex(`shipped ${product}`, 256);
  const action = { Anchor: { digest: shipped, subject: product, kind: SHIPPED } };
  const signature = loggerKey.sign(await devicePayload(api, logger, action));
  const forged = p256Key().sign(await devicePayload(api, logger, action));
  const refused = await submit(api.tx.dataAnchoring.anchorFromDevice(logger, shipped, product, SHIPPED, forged), gateway);
  assert.equal(refused.error, 'deviceIdentity.BadSignature', 'a signature by another key is refused');
  const byDevice = await submit(api.tx.dataAnchoring.anchorFromDevice(logger, shipped, product, SHIPPED, signature), gateway);
  assert.equal(byDevice.error, undefined);
  assert.equal(anchoredEvent(byDevice.events).data.source.asDevice.toHex(), logger);
  assert.equal((await api.call.deviceIdentityApi.device(logger)).unwrap().nonce.toNumber(), 1, "the device's nonce moved on");

  // 3. Scanned: the product's P-256 tag and an sr25519 reader both sign the scan.
  const tagKey = p256Key();
  const readerKey = sr25519Key(keyring);
  const tag = await registerDevice(tagKey);
  const reader = await registerDevice(readerKey);
  const scanned = blake2AsHex(`scanned ${product} at dock 4`, 256);
  const scan = { Scan: { tag, reader, digest: scanned, subject: product, kind: SCANNED } };
  const tagSignature = tagKey.sign(await devicePayload(api, tag, scan));
  const readerSignature = readerKey.sign(await devicePayload(api, reader, scan));
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
});
