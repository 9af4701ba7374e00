// Fault drills: a four-validator network started with scripts/local-net.sh survives a validator
// killed with kill -9 (it restarts, syncs and authors again) and two validators stopped
// (finality halts, nothing is lost, and it resumes when one comes back); a dev node killed with
// kill -9 while anchors are being submitted reopens its database and still holds every anchor
// that was finalized before the crash. Every process is stopped on every outcome.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { startLocalNet } from './lib/local-net.mjs';
import { bestNumber, finalizedNumber, startDevNode, waitFor, waitForFinalized } from './lib/node.mjs';

describe('a four-validator local network', () => {
  let net;
  let apis;
  let localNet;
  const connect = (name) => net.connect(name);

  before(async () => {
    await cryptoWaitReady();
    net = await startLocalNet();
    ({ apis, localNet } = net);
    await connect('alice');
    await waitForFinalized(apis.alice, 2, 120_000);
  });

  after(async () => {
    await net?.purge();
  });

  test('kill -9 of one validator: the other three go on; restarted, it syncs and authors again', async (t) => {
    const { alice } = apis;
    await localNet('kill', 'bob');
    const atKill = await finalizedNumber(alice);
    const killedAt = Date.now();
    await waitForFinalized(alice, atKill + 3, 90_000);
    t.diagnostic(`three validators finalized 3 blocks in ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);

    await localNet('start', 'bob');
    const bob = await connect('bob');
    const target = await finalizedNumber(alice);
    await waitForFinalized(bob, target, 90_000);

    // Bob authors again: a finalized block from one of his Aura slots after the restart.
    const authorities = (await alice.query.aura.authorities()).map((key) => key.toHex());
    const bobKey = u8aToHex(new Keyring({ type: 'sr25519' }).addFromUri('//Bob').publicKey);
    const bobIndex = authorities.indexOf(bobKey);
    assert.ok(bobIndex >= 0, 'Bob is an authority');
    await waitFor('a finalized block authored by Bob after his restart', async () => {
      const finalized = await finalizedNumber(alice);
      for (let number = target + 1; number <= finalized; number++) {
        const header = await alice.rpc.chain.getHeader(await alice.rpc.chain.getBlockHash(number));
        const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
        const slot = alice.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
        if (Number(slot % BigInt(authorities.length)) === bobIndex) return true;
      }
      return false;
    }, { timeoutMs: 90_000, intervalMs: 2_000 });
  });

  test('two of four stopped: finality halts and nothing is lost; one back: it resumes and catches up', async (t) => {
    const { alice } = apis;
    const hashesBefore = [];
    const finalizedBefore = await finalizedNumber(alice);
    for (let number = 1; number <= finalizedBefore; number++) hashesBefore.push((await alice.rpc.chain.getBlockHash(number)).toHex());

    await localNet('stop', 'charlie', 'dave');
    // Let a round that was under way end, then watch finality stand still while blocks go on.
    const startBest = await bestNumber(alice);
    await waitFor('two new blocks', async () => (await bestNumber(alice)) >= startBest + 2, { timeoutMs: 60_000 });
    const halted = await finalizedNumber(alice);
    await waitFor('three more blocks', async () => (await bestNumber(alice)) >= startBest + 5, { timeoutMs: 90_000 });
    assert.equal(await finalizedNumber(alice), halted, 'no block is finalized with two of four validators');
    assert.ok((await bestNumber(alice)) > halted, 'blocks are still produced');

    await localNet('start', 'charlie');
    const best = await bestNumber(alice);
    const restartedAt = Date.now();
    await waitForFinalized(alice, best, 120_000);
    t.diagnostic(`finality resumed from #${halted} and reached #${best} ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the third validator came back`);

    for (let number = 1; number <= finalizedBefore; number++) {
      assert.equal((await alice.rpc.chain.getBlockHash(number)).toHex(), hashesBefore[number - 1], `block #${number} kept`);
    }
  });
});

test('kill -9 while anchors are submitted: every finalized anchor survives the restart', async (t) => {
  await cryptoWaitReady();
  const basePath = mkdtempSync(join(tmpdir(), 'viot-crash-'));
  let node = await startDevNode({ basePath });
  t.after(async () => {
    await node.stop();
    rmSync(basePath, { recursive: true, force: true });
  });
  const { api } = node;
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  let nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();

  const finalized = new Map();
  const submitted = [];
  const deadline = Date.now() + 40_000;
  // A bounded stream: 3 anchors a second until 12 are finalized, 120 in all, or 40 s.
  while (finalized.size < 12 && submitted.length < 120 && Date.now() < deadline) {
    const digest = blake2AsHex(`reading ${submitted.length} ${Date.now()}`, 256);
    submitted.push(digest);
    api.tx.dataAnchoring
      .anchor(digest, null, 10, '')
      .signAndSend(alice, { nonce: nonce++ }, ({ status, dispatchError }) => {
        if (status.isFinalized && !dispatchError) finalized.set(digest, status.asFinalized.toHex());
      })
      .catch(() => {});
    await new Promise((done) => setTimeout(done, 330));
  }
  assert.ok(finalized.size >= 1, `anchors were finalized before the crash (${finalized.size} of ${submitted.length})`);
  const bestAtCrash = await bestNumber(api);
  t.diagnostic(`${finalized.size} of ${submitted.length} submitted anchors finalized before kill -9 at best #${bestAtCrash}`);

  await node.kill('SIGKILL');
  node = await startDevNode({ basePath });

  for (const [digest, blockHash] of finalized) {
    const anchor = await node.api.call.dataAnchoringApi.anchorOf(digest, { Account: alice.address });
    assert.ok(anchor.isSome, `finalized anchor ${digest} survived`);
    const header = await node.api.rpc.chain.getHeader(blockHash);
    assert.equal(anchor.unwrap().block.toNumber(), header.number.toNumber());
  }
  await waitForFinalized(node.api, bestAtCrash + 2, 90_000);
});
