// Governance on the four-validator `local` network (council: Alice, Bob, Charlie, Dave): a fifth
// node starts with fresh keys, rotates them, sets them with session.setKeys, bonds, and is
// admitted by a council motion of three of four; after the session change it authors blocks and
// its GRANDPA votes count (with Dave removed by another motion and Charlie stopped, Alice, Bob
// and the new validator still finalize). Motions admit a manufacturer and approve a child chain;
// two of four cannot; a runtime upgrade passes by motion through scripts/upgrade-runtime.mjs
// --council. Finality lags the best block by a few blocks at most throughout. Fees go to the
// block's author. Every process stops on every outcome. About 165 s alone, 195 s beside two
// other files.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { runMotion } from '../lib/council.mjs';
import { connectApi, startLocalNet } from './lib/local-net.mjs';
import {
  errorName, finalizedNumber, freePort, nodeBinary, repoRoot, runtimeWasm, startProcess, submit as submitTx,
  waitFor, waitForFinalized,
} from './lib/node.mjs';

const run = promisify(execFile);

/** A step of a motion that failed, by its error's name. */
class MotionRefused extends Error {}

/** Most blocks the finalized head may lag the best one at any time in this file. */
const MAX_FINALITY_LAG = 10;

describe('governance on a four-validator network with a council of four', () => {
  let net;
  let api;
  let fifth;
  let fifthApi;
  let scratch;
  let stopWatching;
  let lag = { max: 0, at: 0 };
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
    .map((name) => keyring.addFromUri(`//${name}`));
  /** Eve's fresh session keys, as the fifth node generated them. */
  let eveKeys;

  const submit = (tx, signer) => submitTx(api, tx, signer);

  /**
   * Executes `call` by a council motion that `ayes` vote for (the first also proposes and closes
   * it; the threshold is their number); resolves with the call's error name, undefined when it
   * succeeded.
   */
  async function motion(call, ayes) {
    const send = async (tx, signer) => {
      const result = await submit(tx, signer);
      if (result.error) throw new MotionRefused(result.error);
      return result;
    };
    try {
      const { executed } = await runMotion(api, call, { proposer: ayes[0], voters: ayes, threshold: ayes.length, send });
      assert.ok(executed, 'the motion was approved and executed');
      return executed.result.isErr ? errorName(api, executed.result.asErr) : undefined;
    } catch (error) {
      if (error instanceof MotionRefused) return error.message;
      throw error;
    }
  }

  const auraKeys = async (at) => (await (at ? api.query.aura.authorities.at(at) : api.query.aura.authorities())).map((k) => k.toHex());
  const grandpaKeys = async (at) => (await (at ? api.query.grandpa.authorities.at(at) : api.query.grandpa.authorities()))
    .map(([key]) => key.toHex());

  /** The Aura key that authored block `hash` (its slot in the authorities of its parent). */
  async function authorKey(hash) {
    const header = await api.rpc.chain.getHeader(hash);
    const preRuntime = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
    const slot = api.createType('u64', preRuntime.asPreRuntime[1]).toBigInt();
    const authorities = await auraKeys(header.parentHash);
    return authorities[Number(slot % BigInt(authorities.length))];
  }

  before(async () => {
    await cryptoWaitReady();
    scratch = mkdtempSync(join(tmpdir(), 'viot-governance-'));
    net = await startLocalNet();
    api = await net.connect('alice');
    await waitForFinalized(api, 2, 120_000);
    // How far finality lags at every new best block, for the whole file.
    stopWatching = await api.rpc.chain.subscribeNewHeads(async (header) => {
      const behind = header.number.toNumber() - (await finalizedNumber(api).catch(() => header.number.toNumber()));
      if (behind > lag.max) lag = { max: behind, at: header.number.toNumber() };
    });
  });

  after(async () => {
    if (stopWatching) stopWatching();
    await fifthApi?.disconnect().catch(() => {});
    await fifth?.stop();
    await net?.purge();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('fees and tips go to the author of the block', async () => {
    const { blockHash, events } = await submit(api.tx.balances.transferKeepAlive(ferdie.address, 10n ** 12n), eve);
    const paid = events.filter(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
      .reduce((sum, { event }) => sum + event.data.actualFee.toBigInt() + event.data.tip.toBigInt(), 0n);
    assert.ok(paid > 0n, 'a fee was paid');
    const author = keyring.encodeAddress(hexToU8a(await authorKey(blockHash)));
    const { parentHash } = await api.rpc.chain.getHeader(blockHash);
    const free = async (at) => (await api.query.system.account.at(at, author)).data.free.toBigInt();
    // Only this transaction paid a fee in the block (the test is the only sender).
    assert.equal(await free(blockHash) - await free(parentHash), paid, `the author ${author} received the fee`);
  });

  test('a fifth node with fresh keys sets them, bonds, is admitted by three of four, authors and votes', async (t) => {
    const [rpcPort, p2pPort] = [await freePort(), await freePort()];
    // A validator's node needs its network key first (as every new validator generates it).
    await run(nodeBinary(), ['key', 'generate-node-key', '--chain', 'local', '--base-path', join(scratch, 'fifth')]);
    fifth = startProcess(nodeBinary(), [
      '--chain', 'local', '--validator', '--name', 'fifth',
      '--base-path', join(scratch, 'fifth'),
      '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
      '--rpc-port', String(rpcPort),
      '--bootnodes', await net.bootnode(),
      '--allow-private-ip', '--no-mdns', '--no-prometheus', '--no-telemetry',
    ], join(scratch, 'fifth.log'));
    fifthApi = await connectApi(`ws://127.0.0.1:${rpcPort}`);
    const target = await finalizedNumber(api);
    await waitFor('the fifth node to sync', async () => (await finalizedNumber(fifthApi)) >= target, { timeoutMs: 90_000 });

    // author_rotateKeys with the owner: fresh keys in the fifth node's keystore, and the proof
    // that Eve's account holds them.
    const generated = await fifthApi._rpcCore.provider.send('author_rotateKeysWithOwner', [u8aToHex(eve.publicKey)]);
    assert.ok(generated.keys && generated.proof, 'keys and an ownership proof');
    eveKeys = { aura: generated.keys.slice(0, 66), grandpa: `0x${generated.keys.slice(66, 130)}` };
    assert.ok(!(await auraKeys()).includes(eveKeys.aura));

    // A proof for another account is refused.
    const stolen = await submit(api.tx.session.setKeys(generated.keys, generated.proof), ferdie);
    assert.equal(stolen.error, 'session.InvalidProof');
    // Not admitted without a bond; not bonded without funds beyond the bond.
    assert.equal(await submit(api.tx.session.setKeys(generated.keys, generated.proof), eve).then((r) => r.error), undefined);
    assert.equal(await motion(api.tx.validatorSet.admitValidator(eve.address), [alice, bob, charlie]), 'validatorSet.NotBonded');
    const bonded = await submit(api.tx.validatorSet.announceCandidacy(), eve);
    assert.equal(bonded.error, undefined);
    assert.ok(bonded.events.some(({ event }) => api.events.validatorSet.CandidacyAnnounced.is(event)));
    // Two of four cannot admit it; three of four do.
    assert.equal(await motion(api.tx.validatorSet.admitValidator(eve.address), [alice, bob]), 'BadOrigin');
    const admittedAt = Date.now();
    assert.equal(await motion(api.tx.validatorSet.admitValidator(eve.address), [alice, bob, charlie]), undefined);

    await waitFor('the new validator among the Aura authorities', async () => (await auraKeys()).includes(eveKeys.aura), { timeoutMs: 90_000, intervalMs: 1_000 });
    const from = (await api.rpc.chain.getHeader()).number.toNumber();
    t.diagnostic(`an Aura authority ${((Date.now() - admittedAt) / 1000).toFixed(1)} s after the motion (#${from})`);
    const authored = await waitFor('a finalized block authored by the fifth node', async () => {
      const finalized = await finalizedNumber(api);
      for (let number = from; number <= finalized; number++) {
        const hash = await api.rpc.chain.getBlockHash(number);
        if ((await authorKey(hash)) === eveKeys.aura) return number;
      }
      return false;
    }, { timeoutMs: 90_000, intervalMs: 2_000 });
    t.diagnostic(`block #${authored}, authored by the fifth node, is finalized`);
    await waitFor('the new validator in the finalized GRANDPA set', async () =>
      (await grandpaKeys(await api.rpc.chain.getFinalizedHead())).includes(eveKeys.grandpa), { timeoutMs: 90_000, intervalMs: 1_000 });
    assert.equal((await grandpaKeys()).length, 5);
  });

  test('a motion removes Dave; with Charlie stopped too, the new validator\'s votes keep finality going', async (t) => {
    assert.ok(eveKeys, 'the fifth validator was admitted');
    const daveAura = u8aToHex(dave.publicKey);
    assert.equal(await motion(api.tx.validatorSet.removeValidator(dave.address), [alice, bob, charlie]), undefined);
    // Dave's bond stays held while he can still validate, and he cannot drop out of the set
    // earlier by purging his session keys.
    assert.equal((await submit(api.tx.validatorSet.withdrawCandidacy(), dave)).error, 'validatorSet.BondLocked');
    assert.equal((await submit(api.tx.session.purgeKeys(), dave)).error, 'system.CallFiltered');
    assert.equal((await submit(api.tx.validatorSet.purgeKeys(), dave)).error, 'validatorSet.StillActive');
    await waitFor('Dave out of the finalized GRANDPA set', async () => {
      const finalized = await api.rpc.chain.getFinalizedHead();
      return !(await auraKeys(finalized)).includes(daveAura) && (await grandpaKeys(finalized)).length === 4;
    }, { timeoutMs: 90_000, intervalMs: 1_000 });
    // Let the set change be enacted by the voters, then take Dave and Charlie away: only Alice,
    // Bob and the new validator vote, three of four.
    await waitForFinalized(api, (await finalizedNumber(api)) + 2, 60_000);
    await net.localNet('stop', 'dave', 'charlie');
    const stoppedAt = await finalizedNumber(api);
    const started = Date.now();
    await waitForFinalized(api, stoppedAt + 5, 60_000);
    t.diagnostic(`Alice, Bob and the new validator finalized 5 blocks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await net.localNet('start', 'charlie');

    // Two sessions after the removal, Dave takes his bond back.
    const { withdrawableFrom } = (await api.query.validatorSet.bonds(dave.address)).unwrap().toJSON();
    await waitFor('the session in which Dave may withdraw', async () =>
      (await api.query.session.currentIndex()).toNumber() >= withdrawableFrom, { timeoutMs: 60_000, intervalMs: 1_000 });
    const withdrawn = await submit(api.tx.validatorSet.withdrawCandidacy(), dave);
    assert.equal(withdrawn.error, undefined);
    assert.ok((await api.query.validatorSet.bonds(dave.address)).isNone);
    // Out of the set, he removes his keys and gets their deposit back.
    const purged = await submit(api.tx.validatorSet.purgeKeys(), dave);
    assert.equal(purged.error, undefined);
    assert.ok(purged.events.some(({ event }) => api.events.validatorSet.SessionKeysPurged.is(event)));
    assert.ok((await api.query.session.nextKeys(dave.address)).isNone);
  });

  test('motions admit a manufacturer and approve a child chain; non-members and two of four cannot', async () => {
    const addFerdie = api.tx.deviceIdentity.addManufacturer(ferdie.address, 'Acme Tags');
    assert.equal(await motion(addFerdie, [eve, alice, bob]), 'council.NotMember');
    assert.equal(await motion(addFerdie, [alice, bob]), 'BadOrigin');
    assert.ok((await api.query.deviceIdentity.manufacturers(ferdie.address)).isNone);
    assert.equal(await motion(addFerdie, [alice, bob, charlie]), undefined);
    assert.ok((await api.query.deviceIdentity.manufacturers(ferdie.address)).isSome);

    const header = api.createType('Header', {
      parentHash: blake2AsHex('acme child'), number: 0, stateRoot: blake2AsHex('acme state'),
      extrinsicsRoot: blake2AsHex('nothing'), digest: { logs: [] },
    });
    const grandpa = new Keyring({ type: 'ed25519' }).addFromUri('//AcmeChild');
    const registered = await submit(api.tx.childChains.registerChildChain('Acme', 'ACME', header.hash, header, [[grandpa.publicKey, 1]], 0), ferdie);
    assert.equal(registered.error, undefined);
    const id = registered.events.find(({ event }) => api.events.childChains.ChildChainRegistered.is(event)).event.data.chainId.toNumber();
    assert.equal((await api.call.childChainsApi.childChain(id)).unwrap().approved.isTrue, false);
    assert.equal(await motion(api.tx.childChains.approveChildChain(id), [bob, charlie, alice]), undefined);
    assert.equal((await api.call.childChainsApi.childChain(id)).unwrap().approved.isTrue, true);
  });

  test('a runtime upgrade passes by motion with scripts/upgrade-runtime.mjs --council', async (t) => {
    const wasm = runtimeWasm('viot_runtime_upgrade_test');
    const url = `ws://127.0.0.1:${net.rpcPort('alice')}`;
    const upgrade = (council) => run(process.execPath, [join(repoRoot, 'scripts/upgrade-runtime.mjs'), '--url', url, '--wasm', wasm, '--council', council], { timeout: 300_000 });
    const refused = (council) => upgrade(council).then(() => assert.fail('refused'), (error) => error.stderr);
    assert.match(await refused('//Alice,//Eve,//Bob'), /is not a council member/);
    assert.match(await refused('//Alice,//Bob'), /a motion needs 3 of the 4 council members; --council gives 2/);
    assert.ok((await api.query.system.authorizedUpgrade()).isNone, 'nothing was proposed');

    const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
    const { stdout } = await upgrade('//Alice,//Bob,//Charlie');
    for (const line of stdout.trim().split('\n')) t.diagnostic(line);
    assert.match(stdout, /council\.propose: motion #\d+/);
    assert.match(stdout, /council\.vote: aye from/);
    assert.match(stdout, /council\.close: approved and executed\ncouncil\.releaseProposalCost: the proposal deposit is back/);
    assert.match(stdout, /system\.UpgradeAuthorized 0x/);
    assert.match(stdout, new RegExp(`-> viot spec_version ${before + 1}`));
    await waitForFinalized(api, (await finalizedNumber(api)) + 3, 60_000);
    assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), before + 1);
  });

  test('finality never lagged more than a few blocks', (t) => {
    t.diagnostic(`largest lag of the finalized head: ${lag.max} blocks (at #${lag.at})`);
    assert.ok(lag.max <= MAX_FINALITY_LAG, `finality lagged ${lag.max} blocks at #${lag.at}`);
  });
});
