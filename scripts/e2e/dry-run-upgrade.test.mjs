// Dry-running an upgrade on a chain's real state with chopsticks (scripts/dry-run-upgrade.mjs):
// a dev chain started with the previous release's runtime (spec_version 105) holds anchors; the
// dry run of this build's runtime (its try-runtime build) copies the state, runs the v1 -> v2
// and v1 -> v3 migrations with their pre/post checks and every try_state, and passes; with an
// undecodable anchor planted in the state first, it fails. The chain itself never changes.
// About 30 s.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { asPreviousRelease, releaseSpecVersion, repoRoot, runtimeWasm, startDevNode, submit, writeDevSpec } from './lib/node.mjs';

const PREVIOUS_RELEASE = join(repoRoot, 'scripts/e2e/fixtures/viot_runtime_spec105.compact.compressed.wasm');

let node;
let scratch;
let alice;

before(async () => {
  await cryptoWaitReady();
  alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  scratch = mkdtempSync(join(tmpdir(), 'viot-dry-run-test-'));
  const spec = await writeDevSpec(scratch, 'previous-release.json', (spec) => {
    asPreviousRelease(spec, PREVIOUS_RELEASE);
  });
  node = await startDevNode({ extraArgs: ['--chain', spec] });
});

after(async () => {
  await node?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs the dry run against the node; resolves with `{ code, output }`. */
async function dryRun() {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      join(repoRoot, 'scripts/dry-run-upgrade.mjs'), '--url', `ws://127.0.0.1:${node.rpcPort}`,
      '--wasm', runtimeWasm('viot_runtime_try_runtime'),
    ], { timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    return { code: error.code, output: `${error.stdout}${error.stderr}` };
  }
}

test("the next runtime's migrations pass on the chain's copied state; a broken entry fails them", async () => {
  const { api } = node;
  assert.equal(api.runtimeVersion.specVersion.toNumber(), 105);
  for (const n of [1, 2, 3]) {
    const { error } = await submit(api, api.tx.dataAnchoring.anchor(blake2AsHex(`record ${n}`), blake2AsHex('item'), n, ''), alice);
    assert.equal(error, undefined);
  }

  const passed = await dryRun();
  assert.equal(passed.code, 0, passed.output);
  assert.match(passed.output, new RegExp(`spec_version: 105[\\s\\S]*spec_version: ${releaseSpecVersion()}`));
  assert.match(passed.output, /"DataAnchoring" VersionedMigration migrating storage version from 1 to 2/);
  assert.match(passed.output, /"ChildChains" VersionedMigration migrating storage version from 2 to 3/);
  assert.match(passed.output, /Running "DataAnchoring" try-state checks/);
  assert.match(passed.output, /dry run passed/);

  // An anchor whose stored bytes are not an anchor: the copy shows it, the checks fail.
  const key = api.query.dataAnchoring.anchors.key(blake2AsHex('record 2'));
  const { error } = await submit(api, api.tx.sudo.sudo(api.tx.system.setStorage([[key, '0x0102']])), alice);
  assert.equal(error, undefined);
  const failed = await dryRun();
  assert.equal(failed.code, 1, failed.output);
  assert.match(failed.output, /failed to decode/);
  assert.match(failed.output, /dry run FAILED/);

  // The chain itself still runs the previous release.
  assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), 105);
});
