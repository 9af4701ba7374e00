// Device identities end to end: governance adds a manufacturer, which registers a P-256 device
// and an sr25519 device with keys made here; both authenticate with real signatures, a replay
// is refused, a key is rotated, and a revoked device can no longer authenticate.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { devicePayload, p256Key, randomId as deviceId, sr25519Key as keyringSr25519Key } from './lib/devices.mjs';
import { startDevNode, submit as submitTx } from './lib/node.mjs';

const sr25519Key = () => keyringSr25519Key(keyring);

let node;
let api;
let sudo;
let maker;
let owner;
let gateway;
let keyring;

const submit = (tx, signer) => submitTx(api, tx, signer);

/** The bytes the device signs to authenticate now: the SCALE encoding of its challenge. */
async function challenge(device) {
  const payload = await api.call.deviceIdentityApi.challenge(device);
  assert.ok(payload.isSome, 'the device has a challenge');
  return payload.unwrap().toU8a();
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

test('a manufacturer registers a P-256 device and an sr25519 device', async () => {
  const manufacturer = await api.call.deviceIdentityApi.manufacturer(maker.address);
  assert.equal(manufacturer.unwrap().name.toUtf8(), 'Acme Chips');

  for (const [name, key] of [['p256', p256Key()], ['sr25519', sr25519Key()]]) {
    const id = deviceId();
    const { events, error } = await submit(
      api.tx.deviceIdentity.registerDevice(id, key.publicKey, owner.address, `model ${name}`),
      maker,
    );
    assert.equal(error, undefined, `registering the ${name} device`);
    const registered = events.find(({ event }) => api.events.deviceIdentity.DeviceRegistered.is(event));
    assert.ok(registered, 'DeviceRegistered is emitted');
    assert.ok(registered.event.data.deposit.toBigInt() > 0n, 'a deposit is held');
    devices[name] = { id, key };

    const info = (await api.call.deviceIdentityApi.device(id)).unwrap();
    assert.equal(info.owner.toString(), owner.address);
    assert.equal(info.issuer.toString(), maker.address);
    assert.equal(info.status.toString(), 'Active');
    assert.equal(info.nonce.toNumber(), 0);
  }
  const owned = await api.call.deviceIdentityApi.devicesOf(owner.address, null, 10);
  assert.deepEqual(owned.map((d) => d.toHex()).sort(), [devices.p256.id, devices.sr25519.id].sort());
});

test('each device authenticates with a signature made here; a replay is refused', async () => {
  for (const name of ['p256', 'sr25519']) {
    const { id, key } = devices[name];
    const { signature, events, error } = await authenticate(id, key);
    assert.equal(error, undefined, `${name} authenticates`);
    const authenticated = events.find(({ event }) => api.events.deviceIdentity.DeviceAuthenticated.is(event));
    assert.ok(authenticated, 'DeviceAuthenticated is emitted');
    assert.equal(authenticated.event.data.nonce.toNumber(), 0);
    assert.equal(authenticated.event.data.submitter.toString(), gateway.address);

    const replay = await submit(api.tx.deviceIdentity.authenticate(id, signature), gateway);
    assert.equal(replay.error, 'deviceIdentity.BadSignature', `${name} replay`);
  }
});

test('a signature by the wrong key is refused', async () => {
  const { id } = devices.p256;
  const impostor = p256Key();
  const { error } = await authenticate(id, impostor);
  assert.equal(error, 'deviceIdentity.BadSignature');
});

test('the owner rotates a key with a proof of possession of the new key', async () => {
  const { id, key: oldKey } = devices.sr25519;
  const newKey = sr25519Key();
  const payload = await devicePayload(api, id, { RotateKey: { newKey: newKey.publicKey } });
  const wrongProof = oldKey.sign(payload);
  const refused = await submit(api.tx.deviceIdentity.rotateKey(id, newKey.publicKey, wrongProof), owner);
  assert.equal(refused.error, 'deviceIdentity.BadSignature', 'a proof by the old key is refused');

  const rotated = await submit(api.tx.deviceIdentity.rotateKey(id, newKey.publicKey, newKey.sign(payload)), owner);
  assert.equal(rotated.error, undefined);
  assert.ok(rotated.events.some(({ event }) => api.events.deviceIdentity.KeyRotated.is(event)));

  assert.equal((await authenticate(id, oldKey)).error, 'deviceIdentity.BadSignature', 'the old key is retired');
  assert.equal((await authenticate(id, newKey)).error, undefined, 'the new key authenticates');
});

test('a revoked device can no longer authenticate', async () => {
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
});
