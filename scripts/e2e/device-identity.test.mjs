// Device identities end to end, with keys and payloads from the VIoT SDK: SDK keys are the keys
// Polkadot.js derives from the same secrets; governance adds a manufacturer, which registers a
// device of every key type; each authenticates with a payload built and signed by the SDK, a
// replay, a wrong key and a tampered payload are refused; a chip's own P-256 key (made outside
// the SDK, DER signatures) registers and authenticates through the SDK's conversions. Attacks
// refused: a key rotation without the chip's consent, a replay after the device was removed and
// registered again, and removing a revoked device to free its key. A key is rotated with the
// chip's consent, the issuer replaces a lost chip's key, and a revoked device stays revoked. A
// batch of 10,000 devices is provisioned in one transaction and a device of it is used at once
// with its membership proof; a counterfeit key, a revoked device and a closed batch are refused,
// and a repeated claim changes nothing.

import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import {
  authenticatePayload, Batch, batchLeaf, DeviceKey, publicKeyFromRaw, rotateKeyPayload, signatureFromRaw,
  verifyBatchDevice, verifySignature,
} from '@viot/sdk';

import { deviceKey, deviceNonce, KEY_KINDS, randomId as deviceId } from './lib/devices.mjs';
import { startDevNode, submit as submitTx } from './lib/node.mjs';

let node;
let api;
let sudo;
let maker;
let owner;
let gateway;
let keyring;

const submit = (tx, signer) => submitTx(api, tx, signer);

/** The bytes `device` signs to authenticate now, built by the SDK. */
async function challenge(device) {
  return authenticatePayload(api.genesisHash, device, await deviceNonce(api, device));
}

async function authenticate(device, key) {
  const signature = key.sign(await challenge(device));
  return { signature, ...(await submit(api.tx.deviceIdentity.authenticate(device, signature), gateway)) };
}

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  sudo = keyring.addFromUri('//Alice');
  maker = keyring.addFromUri('//Charlie');
  owner = keyring.addFromUri('//Dave');
  gateway = keyring.addFromUri('//Eve');
  const added = await submit(api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Acme Chips')), sudo);
  assert.equal(added.error, undefined);
  assert.ok(added.events.some(({ event }) => api.events.deviceIdentity.ManufacturerAdded.is(event)));
});

after(async () => {
  await node?.stop();
});

const devices = {};

test('SDK keys are the keys Polkadot.js makes from the same secrets, and their signatures cross-verify', () => {
  for (const kind of ['sr25519', 'ed25519', 'ecdsa']) {
    const key = deviceKey(kind);
    const pair = new Keyring({ type: kind }).addFromSeed(key.secret);
    assert.equal(u8aToHex(key.rawPublicKey), u8aToHex(pair.publicKey), kind);
    const message = new TextEncoder().encode(`signed by a ${kind} device`);
    assert.ok(signatureVerify(message, key.sign(message).subarray(1), pair.publicKey).isValid, `${kind}: SDK -> Polkadot.js`);
    const byPolkadot = Uint8Array.of(key.publicKey[0], ...pair.sign(message));
    assert.equal(verifySignature(key.publicKey, message, byPolkadot), true, `${kind}: Polkadot.js -> SDK`);
  }
});

test('a manufacturer registers a device of every key type', async () => {
  const manufacturer = await api.call.deviceIdentityApi.manufacturer(maker.address);
  assert.equal(manufacturer.unwrap().name.toUtf8(), 'Acme Chips');

  for (const kind of KEY_KINDS) {
    const id = deviceId();
    const key = deviceKey(kind);
    const { events, error } = await submit(
      api.tx.deviceIdentity.registerDevice(id, key.publicKey, owner.address, `model ${kind}`),
      maker,
    );
    assert.equal(error, undefined, `registering the ${kind} device`);
    const registered = events.find(({ event }) => api.events.deviceIdentity.DeviceRegistered.is(event));
    assert.ok(registered, 'DeviceRegistered is emitted');
    assert.ok(registered.event.data.deposit.toBigInt() > 0n, 'a deposit is held');
    assert.equal(registered.event.data.key.toHex(), u8aToHex(key.publicKey), "the SDK's key encoding is the runtime's");
    devices[kind] = { id, key };

    const info = (await api.call.deviceIdentityApi.device(id)).unwrap();
    assert.equal(info.owner.toString(), owner.address);
    assert.equal(info.issuer.toString(), maker.address);
    assert.equal(info.status.toString(), 'Active');
    assert.equal(info.nonce.toNumber(), 0);
  }
  const owned = await api.call.deviceIdentityApi.devicesOf(owner.address, null, 10);
  assert.deepEqual(owned.map((d) => d.toHex()).sort(), KEY_KINDS.map((kind) => devices[kind].id).sort());
});

test("the SDK's authentication payload is the runtime's challenge", async () => {
  for (const kind of KEY_KINDS) {
    const { id } = devices[kind];
    const fromChain = (await api.call.deviceIdentityApi.challenge(id)).unwrap().toU8a();
    assert.equal(u8aToHex(await challenge(id)), u8aToHex(fromChain), kind);
  }
});

test('each device authenticates with a payload signed by the SDK; a replay is refused', async () => {
  for (const kind of KEY_KINDS) {
    const { id, key } = devices[kind];
    const { signature, events, error } = await authenticate(id, key);
    assert.equal(error, undefined, `${kind} authenticates`);
    const authenticated = events.find(({ event }) => api.events.deviceIdentity.DeviceAuthenticated.is(event));
    assert.ok(authenticated, 'DeviceAuthenticated is emitted');
    assert.equal(authenticated.event.data.nonce.toNumber(), 0);
    assert.equal(authenticated.event.data.submitter.toString(), gateway.address);

    const replay = await submit(api.tx.deviceIdentity.authenticate(id, signature), gateway);
    assert.equal(replay.error, 'deviceIdentity.BadSignature', `${kind} replay`);
  }
});

test('a signature by the wrong key or over a tampered payload is refused', async () => {
  const { id, key } = devices.p256;
  assert.equal((await authenticate(id, deviceKey('p256'))).error, 'deviceIdentity.BadSignature', 'another key');

  const nonce = await deviceNonce(api, id);
  const tampered = [
    authenticatePayload(api.genesisHash, id, nonce + 1n), // a future nonce
    authenticatePayload(new Uint8Array(32), id, nonce), // another chain
    authenticatePayload(api.genesisHash, devices.sr25519.id, nonce), // another device
  ];
  for (const payload of tampered) {
    const { error } = await submit(api.tx.deviceIdentity.authenticate(id, key.sign(payload)), gateway);
    assert.equal(error, 'deviceIdentity.BadSignature');
  }
  const check = await api.call.deviceIdentityApi.checkSignature(id, 'Authenticate', key.sign(await challenge(id)));
  assert.ok(check.isOk, 'the untampered payload still verifies');
});

test("a chip's own P-256 key, made outside the SDK, registers and authenticates", async () => {
  // The chip keeps its secret: only its uncompressed public point and DER signatures leave it.
  const chip = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = chip.publicKey.export({ format: 'jwk' });
  const point = Uint8Array.from([4, ...Buffer.from(x, 'base64url'), ...Buffer.from(y, 'base64url')]);
  const id = deviceId();
  const registered = await submit(
    api.tx.deviceIdentity.registerDevice(id, publicKeyFromRaw('p256', point), owner.address, 'chip'),
    maker,
  );
  assert.equal(registered.error, undefined);

  const payload = await challenge(id);
  const signature = signatureFromRaw('p256', nodeSign('sha256', payload, chip.privateKey));
  const { error } = await submit(api.tx.deviceIdentity.authenticate(id, signature), gateway);
  assert.equal(error, undefined, 'the chip authenticates');
  assert.equal(await deviceNonce(api, id), 1n);
});

test('a counterfeiter with a genuine tag cannot move its identity to a software key', async () => {
  // The owner holds the tag, but not its secret: the chip (the sr25519 device) does not sign.
  const { id, key: chip } = devices.sr25519;
  const certified = await submit(api.tx.deviceIdentity.setAttribute(id, 'genuine', 'yes'), maker);
  assert.equal(certified.error, undefined);
  const software = deviceKey('ed25519');
  const payload = rotateKeyPayload(api.genesisHash, id, await deviceNonce(api, id), software.publicKey);
  const proof = software.sign(payload);

  const forged = await submit(api.tx.deviceIdentity.rotateKey(id, software.publicKey, proof, software.sign(payload)), owner);
  assert.equal(forged.error, 'deviceIdentity.BadCurrentKeySignature', "a consent not made by the chip's key is refused");
  const asIssuer = await submit(api.tx.deviceIdentity.replaceKey(id, software.publicKey, proof), owner);
  assert.equal(asIssuer.error, 'deviceIdentity.NotIssuer', "the issuer's replacement path is the issuer's alone");
  const info = (await api.call.deviceIdentityApi.device(id)).unwrap();
  assert.equal(info.key.toHex(), u8aToHex(chip.publicKey), 'the chip keeps the identity');
  assert.equal((await authenticate(id, software)).error, 'deviceIdentity.BadSignature');
});

test('the owner rotates a key with the chip\'s consent and a proof of possession of the new key', async () => {
  const { id, key: oldKey } = devices.sr25519;
  const newKey = deviceKey('ed25519');
  const payload = rotateKeyPayload(api.genesisHash, id, await deviceNonce(api, id), newKey.publicKey);
  const consent = oldKey.sign(payload);
  const refused = await submit(api.tx.deviceIdentity.rotateKey(id, newKey.publicKey, consent, consent), owner);
  assert.equal(refused.error, 'deviceIdentity.BadSignature', 'a proof by the old key is refused');

  const rotated = await submit(api.tx.deviceIdentity.rotateKey(id, newKey.publicKey, newKey.sign(payload), consent), owner);
  assert.equal(rotated.error, undefined);
  const event = rotated.events.find(({ event }) => api.events.deviceIdentity.KeyRotated.is(event));
  assert.ok(event, 'KeyRotated is emitted');
  assert.equal(event.event.data.byIssuer.isTrue, false);

  assert.equal((await authenticate(id, oldKey)).error, 'deviceIdentity.BadSignature', 'the old key is retired');
  const restored = DeviceKey.fromSecret('ed25519', newKey.secret);
  assert.equal((await authenticate(id, restored)).error, undefined, 'the new key, exported and imported, authenticates');
  const info = (await api.call.deviceIdentityApi.device(id)).unwrap();
  assert.ok(info.attributes.some((a) => a.key.toUtf8() === 'genuine' && a.certified.isTrue), 'certification stays');
  devices.sr25519.key = restored;
});

test("the issuer replaces a lost chip's key", async () => {
  const { id } = devices.ed25519;
  const replacement = deviceKey('p256');
  const payload = rotateKeyPayload(api.genesisHash, id, await deviceNonce(api, id), replacement.publicKey);
  const replaced = await submit(api.tx.deviceIdentity.replaceKey(id, replacement.publicKey, replacement.sign(payload)), maker);
  assert.equal(replaced.error, undefined);
  const event = replaced.events.find(({ event }) => api.events.deviceIdentity.KeyRotated.is(event));
  assert.equal(event.event.data.byIssuer.isTrue, true);
  assert.equal((await authenticate(id, replacement)).error, undefined, 'the new chip authenticates');
});

test('a removed device never accepts an old signature, even registered again with the same key', async () => {
  const id = deviceId();
  const key = deviceKey('ed25519');
  assert.equal((await submit(api.tx.deviceIdentity.registerDevice(id, key.publicKey, owner.address, 'tag'), maker)).error, undefined);
  const published = [];
  for (let i = 0; i < 2; i += 1) {
    const { signature, error } = await authenticate(id, key);
    assert.equal(error, undefined);
    published.push(signature);
  }
  const removed = await submit(api.tx.deviceIdentity.removeDevice(id), owner);
  assert.equal(removed.error, undefined);
  const event = removed.events.find(({ event }) => api.events.deviceIdentity.DeviceRemoved.is(event));
  assert.ok(event.event.data.kept.toBigInt() > 0n, "the tombstone's deposit is kept");
  assert.ok((await api.call.deviceIdentityApi.device(id)).isNone);

  const again = await submit(api.tx.deviceIdentity.registerDevice(id, key.publicKey, owner.address, 'tag'), maker);
  assert.equal(again.error, undefined);
  assert.equal(await deviceNonce(api, id), 2n, 'the nonce continues from the tombstone');
  for (const signature of published) {
    const replay = await submit(api.tx.deviceIdentity.authenticate(id, signature), gateway);
    assert.equal(replay.error, 'deviceIdentity.BadSignature', 'an old signature is refused');
  }
  assert.equal((await authenticate(id, key)).error, undefined, 'a fresh signature is accepted');
});

test('a revoked device can no longer authenticate and stays revoked', async () => {
  const { id, key } = devices.p256;
  const revoked = await submit(api.tx.deviceIdentity.revokeDevice(id), maker);
  assert.equal(revoked.error, undefined);
  assert.ok(revoked.events.some(({ event }) => api.events.deviceIdentity.DeviceRevoked.is(event)));
  assert.equal((await api.call.deviceIdentityApi.device(id)).unwrap().status.toString(), 'Revoked');

  const { error } = await authenticate(id, key);
  assert.equal(error, 'deviceIdentity.DeviceNotActive');
  const check = await api.call.deviceIdentityApi.checkSignature(id, 'Authenticate', key.sign(await challenge(id)));
  assert.ok(check.isErr);
  assert.equal(check.asErr.toString(), 'DeviceNotActive');

  const removal = await submit(api.tx.deviceIdentity.removeDevice(id), owner);
  assert.equal(removal.error, 'deviceIdentity.RevokedDeviceStays');
  const reuse = await submit(api.tx.deviceIdentity.registerDevice(deviceId(), key.publicKey, owner.address, 'clone'), maker);
  assert.equal(reuse.error, 'deviceIdentity.KeyInUse', "the revoked key is never bound again");
  assert.equal((await api.call.deviceIdentityApi.device(id)).unwrap().status.toString(), 'Revoked');
});

test('a batch of 10,000 devices is provisioned in one transaction and a device of it is used at once with its proof', async () => {
  const size = 10_000;
  const encoder = new TextEncoder();
  const batchDevices = Array.from({ length: size }, (_, i) => ({
    id: deviceId(),
    key: DeviceKey.generate('ed25519'),
    metadata: encoder.encode(`lot 9, tag ${i}`),
  }));
  const tree = new Batch(batchDevices.map((d) => batchLeaf(d.id, d.key.publicKey, d.metadata)));
  const provisioned = await submit(api.tx.deviceIdentity.provisionBatch(tree.root, size, owner.address), maker);
  assert.equal(provisioned.error, undefined);
  const event = provisioned.events.find(({ event }) => api.events.deviceIdentity.BatchProvisioned.is(event));
  const number = event.event.data.batch.toNumber();
  const onChain = (await api.call.deviceIdentityApi.batch(number)).unwrap();
  assert.equal(onChain.deviceCount.toNumber(), size);
  assert.equal(onChain.issuer.toString(), maker.address);

  const siblings = (i) => tree.proof(i).toJSON().siblings;
  const claim = (i, key = batchDevices[i].key.publicKey, index = i) => api.tx.deviceIdentity.claimDevice(
    number, batchDevices[i].id, key, u8aToHex(batchDevices[i].metadata), index, siblings(index),
  );
  // Off chain, anyone checks a device against the batch's root before it is on chain.
  const tag = batchDevices[4242];
  verifyBatchDevice(onChain.root, size, tag.id, tag.key.publicKey, tag.metadata, 4242, siblings(4242));
  const counterfeit = DeviceKey.generate('ed25519');
  assert.throws(() => verifyBatchDevice(onChain.root, size, tag.id, counterfeit.publicKey, tag.metadata, 4242, siblings(4242)));

  // First use: the claim and the device's first signature in one transaction, paid by the gateway.
  const firstUse = await submit(api.tx.utility.batchAll([
    claim(4242),
    api.tx.deviceIdentity.authenticate(tag.id, tag.key.sign(authenticatePayload(api.genesisHash, tag.id, 0))),
  ]), gateway);
  assert.equal(firstUse.error, undefined);
  assert.ok(firstUse.events.some(({ event }) => api.events.deviceIdentity.DeviceClaimed.is(event)));
  assert.ok(firstUse.events.some(({ event }) => api.events.deviceIdentity.DeviceAuthenticated.is(event)));
  const record = (await api.call.deviceIdentityApi.device(tag.id)).unwrap();
  assert.equal(record.owner.toString(), owner.address);
  assert.equal(record.issuer.toString(), maker.address);
  assert.equal(record.nonce.toNumber(), 1);
  // Later uses need no proof.
  assert.equal((await authenticate(tag.id, tag.key)).error, undefined);

  // A counterfeiter's key under a genuine tag's id and proof, a second claim: refused.
  assert.equal((await submit(claim(7, counterfeit.publicKey), gateway)).error, 'deviceIdentity.BadBatchProof');
  assert.equal((await submit(claim(7, batchDevices[7].key.publicKey, 8), gateway)).error, 'deviceIdentity.BadBatchProof');
  // The same claim again (a racing claim) is a no-op, so it never breaks a gateway's first use.
  const again = await submit(claim(4242), gateway);
  assert.equal(again.error, undefined);
  assert.ok(!again.events.some(({ event }) => api.events.deviceIdentity.DeviceClaimed.is(event)));

  // The manufacturer revokes tag 13 before anyone claims it: it reads as revoked and is never claimed.
  const revoked = await submit(api.tx.deviceIdentity.revokeBatchDevice(
    number, batchDevices[13].id, batchDevices[13].key.publicKey, u8aToHex(batchDevices[13].metadata), 13, siblings(13),
  ), maker);
  assert.equal(revoked.error, undefined);
  assert.equal((await api.call.deviceIdentityApi.device(batchDevices[13].id)).unwrap().status.toString(), 'Revoked');
  assert.equal((await submit(claim(13), gateway)).error, 'deviceIdentity.DeviceRevoked');

  // A carton: a gateway claims devices 0 to 63 at once with one range proof and one hold; tag 13,
  // revoked, stays revoked. Each device's first use is then an ordinary authenticate.
  const carton = batchDevices.slice(0, 64).map((d) => ({ device: d.id, key: d.key.publicKey, metadata: u8aToHex(d.metadata) }));
  const rangeProof = tree.rangeProof(0, 64);
  assert.ok(rangeProof.length <= 8, `${rangeProof.length} siblings for 64 devices`);
  const claimCarton = api.tx.deviceIdentity.claimDevices(number, 0, carton, rangeProof);
  const shifted = await submit(api.tx.deviceIdentity.claimDevices(number, 1, carton, rangeProof), gateway);
  assert.equal(shifted.error, 'deviceIdentity.BadBatchProof');
  const relabelled = carton.map((d, i) => (i === 5 ? { ...d, key: counterfeit.publicKey } : d));
  assert.equal((await submit(api.tx.deviceIdentity.claimDevices(number, 0, relabelled, rangeProof), gateway)).error, 'deviceIdentity.BadBatchProof');
  const cartonFee = (await claimCarton.paymentInfo(gateway.address)).partialFee.toBigInt();
  const tag40 = batchDevices[40];
  const authenticateFee = (await api.tx.deviceIdentity.authenticate(
    tag40.id, tag40.key.sign(authenticatePayload(api.genesisHash, tag40.id, 0)),
  ).paymentInfo(gateway.address)).partialFee.toBigInt();
  const claimedCarton = await submit(claimCarton, gateway);
  assert.equal(claimedCarton.error, undefined);
  const claimedIds = claimedCarton.events.filter(({ event }) => api.events.deviceIdentity.DeviceClaimed.is(event));
  assert.equal(claimedIds.length, 63, 'every device of the carton but the revoked one');
  assert.equal((await api.call.deviceIdentityApi.device(batchDevices[13].id)).unwrap().status.toString(), 'Revoked');
  assert.ok(claimedIds.every(({ event }) => event.data.submitter.toString() === gateway.address));
  assert.equal((await api.call.deviceIdentityApi.device(tag40.id)).unwrap().owner.toString(), owner.address);
  assert.equal((await authenticate(tag40.id, tag40.key)).error, undefined);
  // What a device's first use costs: its share of the carton's claim and an ordinary authenticate.
  const firstUseRatio = (Number(cartonFee) / 64 + Number(authenticateFee)) / Number(authenticateFee);
  console.log(`ed25519 carton of 64: claim ${cartonFee}, authenticate ${authenticateFee}: first use ${firstUseRatio.toFixed(2)}x`);
  assert.ok(firstUseRatio <= 1.6, `first use ${firstUseRatio.toFixed(2)}x an authenticate`);

  // Closed: no more claims; the claimed device stays.
  assert.equal((await submit(api.tx.deviceIdentity.closeBatch(number), maker)).error, undefined);
  assert.ok((await api.call.deviceIdentityApi.batch(number)).isNone);
  assert.equal((await submit(claim(99), gateway)).error, 'deviceIdentity.UnknownBatch');
  assert.equal((await api.call.deviceIdentityApi.device(tag.id)).unwrap().status.toString(), 'Active');
});
