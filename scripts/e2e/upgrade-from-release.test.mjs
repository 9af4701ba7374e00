// Upgrade from an earlier release: a dev chain started with the runtime of the last release
// before the storage layouts changed (spec_version 105, kept in scripts/e2e/fixtures/) holds devices and anchors of every kind made
// through that release's API. It is upgraded without a restart to this build's runtime with
// scripts/upgrade-runtime.mjs; DataAnchoring's v1 -> v2 migration re-keys every anchor by its
// attester, and each device, anchor, batch and trace entry reads back unchanged through the new
// runtime APIs. The chain's genesis authority (no session pallet in that release) becomes the
// session's validator with its Aura and GRANDPA keys as session keys, and blocks go on being
// authored and finalized. The old device signatures stay spent, and the chain keeps working.
// About 100 s.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { anchorPayload, authenticatePayload, Batch, recordDigest } from '@viot/sdk';

import { deviceKey, deviceNonce, randomId } from './lib/devices.mjs';
import {
  asPreviousRelease, releaseSpecVersion, repoRoot, runtimeWasm, startDevNode, submit as submitTx, waitForFinalized, writeDevSpec,
} from './lib/node.mjs';

const run = promisify(execFile);

/** The runtime of the previous release (see scripts/e2e/fixtures/README.md). */
const PREVIOUS_RELEASE = join(repoRoot, 'scripts/e2e/fixtures/viot_runtime_spec105.compact.compressed.wasm');

let node;
let api;
let scratch;

const submit = (tx, signer) => submitTx(api, tx, signer);

/** The dev chain spec with the previous release's code, which then builds the genesis itself. */
function previousReleaseSpec() {
  return writeDevSpec(scratch, 'previous-release.json', (spec) => {
    assert.ok(spec.genesis.runtimeGenesis, 'the dev spec builds its genesis through the runtime');
    // Its chains run 6-second slots, as every chain started before this release does.
    assert.equal(spec.genesis.runtimeGenesis.patch.childChains.slotDurationMs, 1000);
    asPreviousRelease(spec, PREVIOUS_RELEASE);
  });
}

before(async () => {
  await cryptoWaitReady();
  scratch = mkdtempSync(join(tmpdir(), 'viot-release-upgrade-'));
  node = await startDevNode({ extraArgs: ['--chain', await previousReleaseSpec()] });
  api = node.api;
});

after(async () => {
  await node?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("devices and anchors of the previous release survive the upgrade to this release's runtime", async (t) => {
  assert.equal(api.runtimeVersion.specVersion.toNumber(), 105, 'the chain runs the previous release');
  assert.equal((await api.query.dataAnchoring.palletVersion()).toNumber(), 1);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const sudo = keyring.addFromUri('//Alice');
  const maker = keyring.addFromUri('//Charlie');
  const owner = keyring.addFromUri('//Dave');
  const gateway = keyring.addFromUri('//Eve');
  assert.equal((await submit(api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Acme')), sudo)).error, undefined);

  // Devices of two key types; one authenticates (its signature is spent) and signs an anchor.
  const devices = [];
  for (const kind of ['sr25519', 'p256']) {
    const id = randomId();
    const key = deviceKey(kind);
    assert.equal((await submit(api.tx.deviceIdentity.registerDevice(id, key.publicKey, owner.address, `model ${kind}`), maker)).error, undefined);
    devices.push({ id, key });
  }
  const [logger] = devices;
  const spent = logger.key.sign(authenticatePayload(api.genesisHash, logger.id, await deviceNonce(api, logger.id)));
  assert.equal((await submit(api.tx.deviceIdentity.authenticate(logger.id, spent), gateway)).error, undefined);

  // Anchors of every kind: an account's (traced), a device's (traced) and a batch.
  const product = randomId();
  const made = blake2AsHex(`made ${product}`, 256);
  assert.equal((await submit(api.tx.dataAnchoring.anchor(made, product, 1, 'certificate'), maker)).error, undefined);
  const shipped = blake2AsHex(`shipped ${product}`, 256);
  const signed = logger.key.sign(anchorPayload(api.genesisHash, logger.id, await deviceNonce(api, logger.id), shipped, product, 2));
  assert.equal((await submit(api.tx.dataAnchoring.anchorFromDevice(logger.id, shipped, product, 2, signed), gateway)).error, undefined);
  const records = Array.from({ length: 5 }, (_, i) => stringToU8a(`reading ${i} of ${product}`));
  const batch = Batch.fromRecords(records);
  const root = u8aToHex(batch.root);
  assert.equal((await submit(api.tx.dataAnchoring.anchorBatch(root, batch.leafCount, null, 10, 'readings'), gateway)).error, undefined);

  // What the previous release's API says, before the upgrade.
  const anchors = [
    { digest: made, attester: { Account: maker.address } },
    { digest: shipped, attester: { Device: logger.id } },
    { digest: root, attester: { Account: gateway.address } },
  ];
  for (const anchor of anchors) {
    anchor.before = (await api.call.dataAnchoringApi.anchorOf(anchor.digest)).unwrap().toJSON();
  }
  for (const device of devices) {
    device.before = (await api.call.deviceIdentityApi.device(device.id)).unwrap().toJSON();
  }
  const traceBefore = (await api.call.dataAnchoringApi.trace(product, 0, 10)).toJSON();
  assert.equal(traceBefore.length, 2);

  // The upgrade, on the running node.
  const upgraded = await run(process.execPath, [
    join(repoRoot, 'scripts/upgrade-runtime.mjs'), '--url', `ws://127.0.0.1:${node.rpcPort}`,
    '--wasm', runtimeWasm('viot_runtime'), '--suri', '//Alice',
  ], { timeout: 300_000 });
  assert.match(upgraded.stdout + upgraded.stderr, new RegExp(`spec_version 105 .*-> viot spec_version ${releaseSpecVersion()}`));
  assert.ok(node.running(), 'the node was never restarted');
  // The new code is stored in the block of the upgrade; its migrations run in the next block.
  const upgradedAt = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitForFinalized(api, upgradedAt + 1);

  // Read through a new connection, with the new metadata and runtime APIs.
  const fresh = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${node.rpcPort}`), noInitWarn: true });
  t.after(() => fresh.disconnect());
  assert.equal(fresh.runtimeVersion.specVersion.toNumber(), releaseSpecVersion());
  assert.equal((await fresh.query.dataAnchoring.palletVersion()).toNumber(), 2, 'the migration ran');
  // A chain without a genesis slot duration keeps its 6-second slot under the new runtime (a
  // different slot would stop the node's block production).
  assert.equal((await fresh.call.auraApi.slotDuration()).toNumber(), 6000);

  // Its authority became the session's validator with its Aura and GRANDPA keys as session
  // keys, bonded, in one-hour sessions; blocks are still authored and finalized after it.
  const aliceKey = sudo.address;
  assert.deepEqual((await fresh.query.session.validators()).map(String), [aliceKey]);
  assert.deepEqual((await fresh.query.validatorSet.validators()).map(String), [aliceKey]);
  const sessionKeys = (await fresh.query.session.nextKeys(aliceKey)).unwrap();
  assert.equal(sessionKeys.aura.toHex(), (await fresh.query.aura.authorities())[0].toHex());
  assert.equal(sessionKeys.grandpa.toHex(), (await fresh.query.grandpa.authorities())[0][0].toHex());
  assert.equal((await fresh.query.validatorSet.bonds(aliceKey)).unwrap().amount.toBigInt(), fresh.consts.validatorSet.validatorBond.toBigInt());
  assert.equal((await fresh.query.validatorSet.sessionLength()).toNumber(), 600);
  // A removed validator's bond stays slashable for two motion durations and an hour, in hour-long sessions.
  assert.equal((await fresh.query.validatorSet.unbondingSessions()).toNumber(), 145);
  assert.equal((await fresh.query.validatorSet.palletVersion()).toNumber(), 2);
  // Tombstones name their issuer (DeviceIdentity 1 -> 2).
  assert.equal((await fresh.query.deviceIdentity.palletVersion()).toNumber(), 2);
  await waitForFinalized(fresh, upgradedAt + 3);

  for (const { digest, attester, before } of anchors) {
    const after = await fresh.call.dataAnchoringApi.anchorOf(digest, attester);
    assert.ok(after.isSome, `${digest} is kept under its attester ${JSON.stringify(attester)}`);
    assert.deepEqual(after.unwrap().toJSON(), before, `${digest} reads back unchanged`);
    const all = await fresh.call.dataAnchoringApi.attestations(digest, 10);
    assert.equal(all.length, 1, 'one attestation each');
  }
  for (const { id, before } of devices) {
    assert.deepEqual((await fresh.call.deviceIdentityApi.device(id)).unwrap().toJSON(), before, `device ${id} is unchanged`);
  }
  assert.deepEqual((await fresh.call.dataAnchoringApi.trace(product, 0, 10)).toJSON(), traceBefore, 'the trace is unchanged');
  for (const index of [0, 4]) {
    const proven = await fresh.call.dataAnchoringApi.verifyInclusion(recordDigest(records[index]), batch.proof(index).toBytes(), gateway.address);
    assert.ok(proven.isOk, `batch record ${index} is still proven`);
  }

  // Spent signatures stay spent; the upgraded chain keeps anchoring, into the same trace.
  const replay = await submitTx(fresh, fresh.tx.deviceIdentity.authenticate(logger.id, spent), gateway);
  assert.equal(replay.error, 'deviceIdentity.BadSignature');
  const sold = blake2AsHex(`sold ${product}`, 256);
  assert.equal((await submitTx(fresh, fresh.tx.dataAnchoring.anchor(sold, product, 7, ''), maker)).error, undefined);
  const trace = await fresh.call.dataAnchoringApi.trace(product, 0, 10);
  assert.deepEqual(trace.map((entry) => entry.anchor.kind.toNumber()), [1, 2, 7]);
});
