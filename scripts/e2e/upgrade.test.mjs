// A forkless runtime upgrade of a running dev chain with scripts/upgrade-runtime.mjs: state made
// by our pallets under the current runtime survives an upgrade to the `upgrade-test` build (one
// spec_version higher, with a v2 -> v3 storage migration of DeviceIdentity), the node is never
// restarted, blocks keep being produced and finalized, and Polkadot.js follows the new metadata.
// Wrong files, a spec_version that does not go up and a key that is not sudo are refused first.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { deviceKey, randomId } from './lib/devices.mjs';
import { repoRoot, runtimeWasm, startDevNode, submit as submitTx, waitForFinalized } from './lib/node.mjs';

const run = promisify(execFile);

let node;
let api;
let url;
let keyring;
let sudo;
let scratch;

const submit = (tx, signer) => submitTx(api, tx, signer);

/** Runs the upgrade script; resolves with `{ code, output }`, never rejects. */
async function upgradeRuntime(...args) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(repoRoot, 'scripts/upgrade-runtime.mjs'), '--url', url, ...args], {
      timeout: 300_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    return { code: error.code, output: `${error.stdout}${error.stderr}` };
  }
}

const specVersion = async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  url = `ws://127.0.0.1:${node.rpcPort}`;
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  sudo = keyring.addFromUri('//Alice');
  scratch = mkdtempSync(join(tmpdir(), 'viot-upgrade-'));
});

after(async () => {
  await node?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('a running chain is upgraded with a storage migration, without a restart', async (t) => {
  const upgradeWasm = runtimeWasm('viot_runtime_upgrade_test');
  const currentWasm = runtimeWasm('viot_runtime');
  const pid = node.pid;

  // State made through our pallets under the current runtime.
  const maker = keyring.addFromUri('//Charlie');
  const owner = keyring.addFromUri('//Dave');
  const added = await submit(api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Acme')), sudo);
  assert.equal(added.error, undefined);
  const device = randomId();
  const key = deviceKey('sr25519');
  const registered = await submit(api.tx.deviceIdentity.registerDevice(device, key.publicKey, owner.address, 'model x'), maker);
  assert.equal(registered.error, undefined);
  const product = randomId();
  const digest = blake2AsHex(`made ${product}`, 256);
  const anchored = await submit(api.tx.dataAnchoring.anchor(digest, product, 1, 'certificate'), maker);
  assert.equal(anchored.error, undefined);
  const deviceBefore = (await api.call.deviceIdentityApi.device(device)).unwrap().toJSON();
  const anchorBefore = (await api.call.dataAnchoringApi.anchorOf(digest, { Account: maker.address })).unwrap().toJSON();
  const ownerBalanceBefore = (await api.query.system.account(owner.address)).data.free.toBigInt();
  assert.equal((await api.query.deviceIdentity.palletVersion()).toNumber(), 2);

  const before = await specVersion();

  // Refusals change nothing.
  const notWasm = join(scratch, 'notes.txt');
  writeFileSync(notWasm, 'not a runtime');
  const wrongFile = await upgradeRuntime('--wasm', notWasm, '--suri', '//Alice');
  assert.notEqual(wrongFile.code, 0);
  assert.match(wrongFile.output, /is not a runtime WASM/);

  const notSudo = await upgradeRuntime('--wasm', upgradeWasm, '--suri', '//Bob');
  assert.notEqual(notSudo.code, 0);
  assert.match(notSudo.output, /is not the sudo key/);

  const sameVersion = await upgradeRuntime('--wasm', currentWasm, '--suri', '//Alice');
  assert.notEqual(sameVersion.code, 0);
  assert.match(sameVersion.output, /system\.SpecVersionNeedsToIncrease/);
  assert.equal(await specVersion(), before, 'the refusals changed nothing');
  assert.equal((await api.query.deviceIdentity.palletVersion()).toNumber(), 2);

  // The upgrade.
  const upgraded = await upgradeRuntime('--wasm', upgradeWasm, '--suri', '//Alice');
  assert.equal(upgraded.code, 0, upgraded.output);
  assert.match(upgraded.output, new RegExp(`spec_version ${before} .*-> viot spec_version ${before + 1}`));

  // Same process, new runtime, blocks produced and finalized after it.
  assert.equal(node.pid, pid);
  assert.ok(node.running(), 'the node was never restarted');
  assert.equal(await specVersion(), before + 1);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitForFinalized(api, best + 2);

  // Polkadot.js follows the new metadata (the System.Version constant comes from it).
  assert.equal(api.runtimeVersion.specVersion.toNumber(), before + 1);
  assert.equal(api.consts.system.version.specVersion.toNumber(), before + 1);

  // The migration ran once and changed exactly what it should. After an upgrade, a running
  // ApiPromise reloads the metadata as v14, which has no runtime API definitions, so our runtime
  // APIs (api.call.*) are read through a new connection, as a restarted client would.
  assert.equal((await api.query.deviceIdentity.palletVersion()).toNumber(), 3);
  const fresh = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  t.after(() => fresh.disconnect());
  const deviceAfter = (await fresh.call.deviceIdentityApi.device(device)).unwrap().toJSON();
  assert.equal(Buffer.from(deviceAfter.metadata.slice(2), 'hex').toString(), 'v3:model x');
  assert.deepEqual({ ...deviceAfter, metadata: undefined }, { ...deviceBefore, metadata: undefined });
  assert.deepEqual((await fresh.call.dataAnchoringApi.anchorOf(digest, { Account: maker.address })).unwrap().toJSON(), anchorBefore);
  assert.equal((await api.query.system.account(owner.address)).data.free.toBigInt(), ownerBalanceBefore);

  // The upgraded chain keeps working through our pallets.
  const next = blake2AsHex(`shipped ${product}`, 256);
  const afterUpgrade = await submit(api.tx.dataAnchoring.anchor(next, product, 2, ''), maker);
  assert.equal(afterUpgrade.error, undefined);
  const trace = await fresh.call.dataAnchoringApi.trace(product, 0, 10);
  assert.deepEqual(trace.map((entry) => entry.anchor.kind.toNumber()), [1, 2]);
});
