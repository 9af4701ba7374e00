// Parent and child chains end to end: a parent (--chain dev) and a child (--chain child-dev) on
// loopback ports; a squatter's registration of the child's genesis proves nothing and blocks
// nobody; the child is registered on the parent with `viot-relayer register` and approved by
// governance (sudo on the dev chain); the
// relayer keeps the parent's light client of the child within a few blocks of the child's
// finality; a digest anchored on the child is proven on the parent with a storage proof and read
// back through the runtime API; a tampered proof and a tampered justification are refused by
// name; a stale and an oversized proof never enter a block; two racing relayers never pay for a
// lost race; the relayer resumes after a stop and reconnects after the child node restarts; after a
// forced authority change on the child, governance halts and re-initializes it and the same relayer
// continues (the drill).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { errorName, startDevNode, submit, waitFor, waitForBest } from './lib/node.mjs';
import { registerChild, startRelayer } from './lib/relayer.mjs';

const CHILD_ARGS = ['--chain', 'child-dev'];

let parent;
let child;
let childBase;
let relayer;
let chainId;
let alice;
let charlie;

const childInfo = async () => (await parent.api.call.childChainsApi.childChain(chainId)).unwrap();
const childFinalized = async () =>
  (await child.api.rpc.chain.getHeader(await child.api.rpc.chain.getFinalizedHead())).number.toNumber();
const lag = async () => (await childFinalized()) - (await childInfo()).bestNumber.toNumber();

/** Waits until the parent's verified child header is within `blocks` of the child's finality. */
async function waitCaughtUp(what, blocks = 3, timeoutMs = 90_000) {
  await waitFor(what, async () => (await lag()) <= blocks, { timeoutMs, intervalMs: 500 });
}

/** The next justification the child's GRANDPA publishes for a block above `above`. */
function nextJustification(above) {
  return new Promise((resolve, reject) => {
    let unsubscribe;
    const timer = setTimeout(() => reject(new Error('no child justification within 60 s')), 60_000);
    child.api.rpc.grandpa.subscribeJustifications((notification) => {
      const bytes = notification.toU8a(true);
      // round (u64) | target hash (32) | target number (u32 LE) | ...
      const number = Buffer.from(bytes).readUInt32LE(40);
      if (number > above) {
        clearTimeout(timer);
        if (unsubscribe) unsubscribe();
        resolve({ bytes, hash: u8aToHex(bytes.slice(8, 40)), number });
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

before(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = keyring.addFromUri('//Alice');
  charlie = keyring.addFromUri('//Charlie');
  childBase = mkdtempSync(join(tmpdir(), 'viot-child-'));
  parent = await startDevNode();
  child = await startDevNode({ basePath: childBase, extraArgs: CHILD_ARGS });
});

after(async () => {
  if (relayer) await relayer.stop();
  if (child) await child.stop();
  if (parent) await parent.stop();
  if (childBase) rmSync(childBase, { recursive: true, force: true });
});

test('the child chain has its own token, role and genesis', async () => {
  const [parentProps, childProps] = [await parent.api.rpc.system.properties(), await child.api.rpc.system.properties()];
  assert.equal(parentProps.tokenSymbol.unwrap()[0].toString(), 'VIOT');
  assert.equal(childProps.tokenSymbol.unwrap()[0].toString(), 'CHILD');
  assert.equal((await child.api.query.childChains.thisChain()).unwrap().role.type, 'Child');
  assert.equal((await parent.api.query.childChains.thisChain()).unwrap().role.type, 'Parent');
  assert.notEqual(parent.api.genesisHash.toHex(), child.api.genesisHash.toHex());
});

/** The error of a sudo call's inner dispatch (in its `Sudid` event), as `section.Name`. */
function sudoError(api, events) {
  const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
  assert.ok(sudid, 'the sudo call ran');
  const result = sudid.event.data[0];
  return result.isErr ? errorName(api, result.asErr) : undefined;
}

async function asGovernance(call) {
  const { events, error } = await submit(parent.api, parent.api.tx.sudo.sudo(call), alice);
  assert.equal(error, undefined);
  return sudoError(parent.api, events);
}

test('a squatter registering the child first proves nothing, blocks nobody and loses its deposit', async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const eve = keyring.addFromUri('//Eve');
  const squatterGrandpa = new Keyring({ type: 'ed25519' }).addFromUri('//Squatter');
  // The child's public genesis hash, a made-up header #5 whose state root the squatter chose,
  // and an authority set it holds.
  const madeUp = parent.api.createType('Header', {
    parentHash: blake2AsHex('made up'),
    number: 5,
    stateRoot: blake2AsHex('a trie the squatter built'),
    extrinsicsRoot: blake2AsHex('nothing'),
    digest: { logs: [] },
  });
  const registered = await submit(parent.api, parent.api.tx.childChains.registerChildChain(
    'Acme', 'CHILD', child.api.genesisHash, madeUp, [[squatterGrandpa.publicKey, 1]], 0,
  ), eve);
  assert.equal(registered.error, undefined);
  const squatted = registered.events
    .find(({ event }) => parent.api.events.childChains.ChildChainRegistered.is(event)).event.data.chainId.toNumber();
  const pending = (await parent.api.call.childChainsApi.childChain(squatted)).unwrap();
  assert.equal(pending.approved.isTrue, false, 'a registration starts pending');

  // Nothing is imported, proven or indexed against it.
  const justification = {
    round: 1,
    commit: { targetHash: madeUp.hash, targetNumber: 6, precommits: [] },
    votesAncestries: [],
  };
  const next = { ...madeUp.toJSON(), number: 6, parentHash: madeUp.hash };
  // Refused by the pool, before any block: the squatter's proof costs nobody anything.
  const notApproved = parent.api.errors.childChains.ChainNotApproved.meta.index.toNumber();
  const eveFree = (await parent.api.query.system.account(eve.address)).data.free.toBigInt();
  await assert.rejects(submit(parent.api, parent.api.tx.childChains.submitFinalityProof(squatted, next, justification), eve),
    new RegExp(`Invalid Transaction: Custom error: ${notApproved}`));
  assert.equal((await parent.api.query.system.account(eve.address)).data.free.toBigInt(), eveFree);
  const digest = blake2AsHex('a forged child anchor');
  const index = await submit(parent.api, parent.api.tx.childChains.indexChildAnchor(squatted, madeUp.hash, digest, { Account: eve.address }, []), eve);
  assert.equal(index.error, 'childChains.ChainNotApproved');
  const read = await parent.api.call.childChainsApi.verifyChildStorage(squatted, madeUp.hash, '0x00', []);
  assert.ok(read.isErr && read.asErr.type === 'NotApproved', `a pending chain answered ${read.toString()}`);

  // The child's owner registers with viot-relayer from the child's own RPC: not blocked.
  chainId = await registerChild({ sourcePort: child.rpcPort, targetPort: parent.rpcPort });
  assert.notEqual(chainId, squatted);
  let info = await childInfo();
  assert.equal(info.genesisHash.toHex(), child.api.genesisHash.toHex());
  assert.equal(info.tokenSymbol.toUtf8(), 'CHILD');
  assert.equal(info.owner.toString(), alice.address);
  assert.equal(info.authorities.length, 1, 'Alice is the child-dev authority');
  assert.equal(info.authoritySetId.toNumber(), 0);
  assert.equal(info.approved.isTrue, false);

  // Governance approves the owner's registration and rejects the squatter's, burning its deposit.
  assert.equal(await asGovernance(parent.api.tx.childChains.approveChildChain(chainId)), undefined);
  info = await childInfo();
  assert.equal(info.approved.isTrue, true);
  assert.equal((await parent.api.query.childChains.chainIdByGenesis(child.api.genesisHash)).unwrap().toNumber(), chainId);
  assert.equal(await asGovernance(parent.api.tx.childChains.approveChildChain(squatted)), 'childChains.GenesisAlreadyRegistered');
  const before = (await parent.api.query.system.account(eve.address)).data;
  const deposit = parent.api.consts.childChains.registrationDeposit.toBigInt();
  assert.equal(before.reserved.toBigInt() >= deposit, true);
  assert.equal(await asGovernance(parent.api.tx.childChains.rejectChildChain(squatted, true)), undefined);
  const after = (await parent.api.query.system.account(eve.address)).data;
  assert.equal(after.free.toBigInt() + after.reserved.toBigInt(), before.free.toBigInt() + before.reserved.toBigInt() - deposit,
    'the squatter lost its deposit');
  assert.ok((await parent.api.call.childChainsApi.childChain(squatted)).isNone);
});

test('the relayer keeps the parent within a few blocks of the child finality', async () => {
  relayer = startRelayer({ sourcePort: child.rpcPort, targetPort: parent.rpcPort, chainId });
  const start = (await childInfo()).bestNumber.toNumber();
  await waitFor('the parent verifying child headers', async () => (await childInfo()).bestNumber.toNumber() >= start + 3, {
    timeoutMs: 90_000, intervalMs: 500,
  });
  // One sample at each of the parent's next five blocks.
  const lags = [];
  let seen = (await parent.api.rpc.chain.getHeader()).number.toNumber();
  while (lags.length < 5) {
    const head = await waitForBest(parent.api, seen + 1);
    seen = head.number.toNumber();
    lags.push(await lag());
  }
  console.log(`lag of the parent's verified child header behind the child's finality: ${lags.join(', ')} blocks`);
  assert.ok(Math.max(...lags) <= 3, `lags ${lags}`);
});

test('an anchor on the child is proven and indexed on the parent', async () => {
  const digest = blake2AsHex(`child record ${Date.now()}`);
  const { blockHash, error } = await submit(child.api, child.api.tx.dataAnchoring.anchor(digest, null, 0, '0x'), alice);
  assert.equal(error, undefined);
  const anchoredAt = (await child.api.rpc.chain.getHeader(blockHash)).number.toNumber();
  await waitFor('the parent verifying the anchor block', async () => (await childInfo()).bestNumber.toNumber() >= anchoredAt, {
    timeoutMs: 90_000, intervalMs: 500,
  });
  const verified = (await childInfo()).bestHash.toHex();
  const attester = { Account: alice.address };
  const key = child.api.query.dataAnchoring.anchors.key(digest, attester);
  const proof = (await child.api.rpc.state.getReadProof([key], verified)).proof.map((node) => node.toHex());

  const read = await parent.api.call.childChainsApi.verifyChildStorage(chainId, verified, key, proof);
  assert.ok(read.isOk && read.asOk.isSome, 'the runtime API proves the value');
  const stored = await child.api.query.dataAnchoring.anchors.at(verified, digest, attester);
  assert.equal(read.asOk.unwrap().toHex(), u8aToHex(stored.unwrap().toU8a()));

  // One byte changed in one node: refused.
  const tampered = proof.map((node, i) => (i === proof.length - 1 ? node.slice(0, -2) + (node.endsWith('00') ? '01' : '00') : node));
  const bad = await parent.api.call.childChainsApi.verifyChildStorage(chainId, verified, key, tampered);
  assert.ok(bad.isErr && bad.asErr.type === 'BadProof', `tampered proof answered ${bad.toString()}`);
  const refused = await submit(parent.api, parent.api.tx.childChains.indexChildAnchor(chainId, verified, digest, attester, tampered), charlie);
  assert.equal(refused.error, 'childChains.InvalidStorageProof');

  const indexed = await submit(parent.api, parent.api.tx.childChains.indexChildAnchor(chainId, verified, digest, attester, proof), charlie);
  assert.equal(indexed.error, undefined);
  assert.ok(indexed.events.some(({ event }) => parent.api.events.childChains.ChildAnchorIndexed.is(event)));
  const records = await parent.api.call.childChainsApi.childAnchor(digest);
  assert.equal(records.length, 1);
  const [record] = records;
  assert.equal(record.chainId.toNumber(), chainId);
  assert.equal(record.childOwner.toString(), alice.address);
  assert.equal(record.attester.asAccount.toString(), alice.address);
  assert.equal(record.anchoredAt.toNumber(), anchoredAt);
  assert.equal(record.childBlockHash.toHex(), verified);
  assert.equal(record.indexedBy.toString(), charlie.address);
});

test('a tampered justification is refused; a valid one is free; the relayer resumes after a stop', async () => {
  const exit = await relayer.stop();
  assert.equal(exit.code, 0, `the relayer stops cleanly on SIGTERM (${JSON.stringify(exit)})`);
  const best = (await childInfo()).bestNumber.toNumber();
  const { bytes, hash, number } = await nextJustification(best);
  const header = await child.api.rpc.chain.getHeader(hash);

  const tampered = bytes.slice();
  tampered[8 + 32 + 4 + 1 + 32 + 4 + 5] ^= 1; // a byte of the first precommit's signature
  const forged = await submit(parent.api, parent.api.tx.childChains.submitFinalityProof(chainId, header.toU8a(), tampered), charlie);
  assert.equal(forged.error, 'childChains.InvalidAuthoritySignature');

  const valid = await submit(parent.api, parent.api.tx.childChains.submitFinalityProof(chainId, header.toU8a(), bytes), charlie);
  assert.equal(valid.error, undefined);
  const fee = valid.events.find(({ event }) => parent.api.events.transactionPayment.TransactionFeePaid.is(event)).event;
  assert.equal(fee.data.actualFee.toBigInt(), 0n, 'a valid proof is free');
  assert.equal((await childInfo()).bestNumber.toNumber(), number);

  // The same proof again (a relayer that lost the race): dropped by the pool as outdated, unpaid.
  const charlieFree = async () => (await parent.api.query.system.account(charlie.address)).data.free.toBigInt();
  const before = await charlieFree();
  await assert.rejects(submit(parent.api, parent.api.tx.childChains.submitFinalityProof(chainId, header.toU8a(), bytes), charlie),
    /Transaction is outdated/);
  // A header over the size bound (a 1 MiB digest), even with a valid justification: refused by the
  // pool, so it is neither free nor stored by any node.
  const next = await nextJustification(number);
  const big = (await child.api.rpc.chain.getHeader(next.hash)).toJSON();
  big.digest.logs.push({ other: u8aToHex(new Uint8Array(1024 * 1024)) });
  const tooLarge = parent.api.errors.childChains.HeaderTooLarge.meta.index.toNumber();
  await assert.rejects(submit(parent.api, parent.api.tx.childChains.submitFinalityProof(chainId, big, next.bytes), charlie),
    new RegExp(`Invalid Transaction: Custom error: ${tooLarge}`));
  assert.equal(await charlieFree(), before, 'nothing paid for refused proofs');

  // The child moves on while no relayer runs; a new relayer resumes from the parent's best.
  const target = (await childFinalized()) + 3;
  await waitFor('the child finalizing more blocks', async () => (await childFinalized()) >= target, { timeoutMs: 90_000 });
  relayer = startRelayer({ sourcePort: child.rpcPort, targetPort: parent.rpcPort, chainId });
  await waitCaughtUp('the restarted relayer catching up');
  assert.match(relayer.log(), new RegExp(`resuming from the target's best verified header.*best=${number}`));
});

test('two relayers racing with the same headers never pay for the loser', async () => {
  const second = startRelayer({ sourcePort: child.rpcPort, targetPort: parent.rpcPort, chainId, signer: '//Dave' });
  try {
    const from = (await parent.api.rpc.chain.getHeader()).number.toNumber();
    const start = (await childInfo()).bestNumber.toNumber();
    const raced = () => /refused the proof/.test(relayer.log()) || /refused the proof/.test(second.log());
    await waitFor('both relayers racing over five child headers', async () =>
      raced() && (await childInfo()).bestNumber.toNumber() >= start + 5, { timeoutMs: 90_000, intervalMs: 500 });
    // Every proof either relayer got into a block imported its header: none failed, none paid for
    // a race it lost.
    const to = (await parent.api.rpc.chain.getHeader()).number.toNumber();
    let imports = 0;
    for (let number = from + 1; number <= to; number += 1) {
      const events = await parent.api.query.system.events.at(await parent.api.rpc.chain.getBlockHash(number));
      for (const { event } of events) {
        assert.ok(!parent.api.events.system.ExtrinsicFailed.is(event), `block #${number}: ${event.data.toString()}`);
        if (parent.api.events.childChains.ChildHeaderImported.is(event)) imports += 1;
      }
    }
    assert.ok(imports >= 2, `${imports} imports`);
    assert.doesNotMatch(relayer.log() + second.log(), /did not import/);
  } finally {
    await second.stop();
  }
});

test('an authority-set change on the child is relayed in order, even across a relayer outage', async () => {
  await relayer.stop();
  const setId = (await childInfo()).authoritySetId.toNumber();
  // Schedule a GRANDPA set change with no delay on the child (the same key, a new set id), as its
  // governance would: pallet_grandpa's PendingChange, signalled in block `at`'s digest.
  const best = (await child.api.rpc.chain.getHeader()).number.toNumber();
  const at = best + 2;
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
  const authorities = await child.api.query.grandpa.authorities();
  const pending = u8aToHex(Buffer.concat([u32(at), u32(0), Buffer.from(authorities.toU8a()), Buffer.from([0])]));
  // pallet_grandpa::schedule_change also moves the runtime's set id on; do the same.
  const nextSetId = u8aToHex(child.api.createType('u64', setId + 1).toU8a());
  const storage = [
    [child.api.query.grandpa.pendingChange.key(), pending],
    [child.api.query.grandpa.currentSetId.key(), nextSetId],
  ];
  const { error } = await submit(child.api, child.api.tx.sudo.sudo(child.api.tx.system.setStorage(storage)), alice);
  assert.equal(error, undefined);
  await waitFor('the child enacting the new set', async () =>
    (await child.api.query.grandpa.pendingChange()).isNone, { timeoutMs: 60_000 });
  const changeBlock = await child.api.rpc.chain.getHeader(await child.api.rpc.chain.getBlockHash(at));
  assert.ok(changeBlock.digest.logs.some((log) => log.isConsensus && log.asConsensus[0].toString() === 'FRNK'),
    `block #${at} carries the GRANDPA change`);
  // Let the child finalize well past the change while no relayer runs.
  await waitFor('the child finalizing past the change', async () => (await childFinalized()) >= at + 3, { timeoutMs: 90_000 });

  relayer = startRelayer({ sourcePort: child.rpcPort, targetPort: parent.rpcPort, chainId });
  await waitFor('the parent following the new set', async () => {
    const info = await childInfo();
    return info.authoritySetId.toNumber() === setId + 1 && info.bestNumber.toNumber() > at;
  }, { timeoutMs: 90_000, intervalMs: 500 });
  const log = relayer.log();
  assert.match(log, new RegExp(`submitting an authority-set change first.*block=${at}`));
  assert.match(log, new RegExp(`header=${at} `), 'the change block itself was verified');
  await waitCaughtUp('the relayer catching up in the new set');
});

test('the relayer reconnects after the child node restarts', async () => {
  const rpcPort = child.rpcPort;
  await child.kill('SIGKILL');
  const before = (await childInfo()).bestNumber.toNumber();
  child = await startDevNode({ basePath: childBase, rpcPort, extraArgs: CHILD_ARGS });
  await waitFor('the parent verifying child headers again', async () => (await childInfo()).bestNumber.toNumber() >= before + 3, {
    timeoutMs: 150_000, intervalMs: 500,
  });
  assert.ok(relayer.running(), 'the same relayer process');
  await waitCaughtUp('the relayer catching up after the restart');

  const log = relayer.log();
  assert.match(log, /reconnecting/);
  assert.doesNotMatch(log, /refused the proof|did not import/);
  const submitted = [...log.matchAll(/header=(\d+)/g)].map((m) => Number(m[1]));
  assert.equal(new Set(submitted).size, submitted.length, 'no header submitted twice');
});

test('drill: after a forced authority change on the child, governance halts and re-initializes it and the relayer continues', async () => {
  const before = await childInfo();
  const setId = before.authoritySetId.toNumber();
  // Another approved chain on the same parent, which nothing below may touch.
  const bystander = await registerBystander();

  // The child's validators force a new set (the same key, the next set id), as after a stall:
  // pallet_grandpa's PendingChange with `forced` set, signalled in block `at`'s digest.
  const finalized = await childFinalized();
  const at = (await child.api.rpc.chain.getHeader()).number.toNumber() + 2;
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
  const authorities = await child.api.query.grandpa.authorities();
  const forced = u8aToHex(Buffer.concat([u32(at), u32(0), Buffer.from(authorities.toU8a()), Buffer.from([1]), u32(finalized)]));
  const storage = [
    [child.api.query.grandpa.pendingChange.key(), forced],
    [child.api.query.grandpa.currentSetId.key(), u8aToHex(child.api.createType('u64', setId + 1).toU8a())],
  ];
  const { error } = await submit(child.api, child.api.tx.sudo.sudo(child.api.tx.system.setStorage(storage)), alice);
  assert.equal(error, undefined);
  await waitFor('the child finalizing in its forced set', async () =>
    (await child.api.rpc.grandpa.roundState()).setId.toNumber() === setId + 1 && (await childFinalized()) > at + 2,
  { timeoutMs: 90_000, intervalMs: 500 });
  const changeBlock = await child.api.rpc.chain.getHeader(await child.api.rpc.chain.getBlockHash(at));
  assert.ok(changeBlock.digest.logs.some((log) => log.isConsensus && log.asConsensus[0].toString() === 'FRNK'),
    `block #${at} carries the forced change`);

  // The parent cannot follow it: the relayer pays for nothing and waits for governance.
  await waitFor('the relayer waiting for governance', async () =>
    /waiting for its governance to re-initialize|no stored justification to prove the next set change/.test(relayer.log()),
    { timeoutMs: 60_000, intervalMs: 500 });
  const stuck = await childInfo();
  assert.equal(stuck.authoritySetId.toNumber(), setId);
  assert.ok(stuck.bestNumber.toNumber() < at, 'nothing of the forced set was imported');

  // Governance halts the chain, then re-initializes it from a finalized child header and the
  // child's own authority set there (read from the business's nodes), which lifts the halt.
  assert.equal(await asGovernance(parent.api.tx.childChains.setChildChainHalted(chainId, true)), undefined);
  assert.equal((await childInfo()).halted.isTrue, true);
  const trusted = await child.api.rpc.chain.getFinalizedHead();
  const header = await child.api.rpc.chain.getHeader(trusted);
  const atTrusted = await child.api.at(trusted);
  const set = await atTrusted.call.grandpaApi.grandpaAuthorities();
  const trustedSetId = (await atTrusted.call.grandpaApi.currentSetId()).toNumber();
  assert.equal(trustedSetId, setId + 1);
  assert.equal(await asGovernance(parent.api.tx.childChains.reinitializeChildChain(chainId, header, set, trustedSetId)), undefined);
  const reinitialized = await childInfo();
  assert.equal(reinitialized.halted.isTrue, false);
  assert.equal(reinitialized.authoritySetId.toNumber(), setId + 1);
  assert.equal(reinitialized.bestHash.toHex(), trusted.toHex());

  // The same relayer process continues in the new set.
  const from = reinitialized.bestNumber.toNumber();
  await waitFor('the relayer continuing after the re-initialization', async () =>
    (await childInfo()).bestNumber.toNumber() >= from + 3, { timeoutMs: 90_000, intervalMs: 500 });
  assert.ok(relayer.running(), 'the same relayer process');
  assert.doesNotMatch(relayer.log(), /did not import/);
  // The other chain was never touched.
  const other = (await parent.api.call.childChainsApi.childChain(bystander.id)).unwrap();
  assert.equal(other.halted.isTrue, false);
  assert.equal(other.bestHash.toHex(), bystander.bestHash);
});

/** Registers and approves a second (made-up) child chain; returns its id and best hash. */
async function registerBystander() {
  const grandpaKey = new Keyring({ type: 'ed25519' }).addFromUri('//Bystander');
  const header = parent.api.createType('Header', {
    parentHash: blake2AsHex('bystander'), number: 0, stateRoot: blake2AsHex('bystander state'),
    extrinsicsRoot: blake2AsHex('nothing'), digest: { logs: [] },
  });
  const { events, error } = await submit(parent.api, parent.api.tx.childChains.registerChildChain(
    'Bystander', 'BYST', header.hash, header, [[grandpaKey.publicKey, 1]], 0,
  ), charlie);
  assert.equal(error, undefined);
  const id = events.find(({ event }) => parent.api.events.childChains.ChildChainRegistered.is(event)).event.data.chainId.toNumber();
  assert.equal(await asGovernance(parent.api.tx.childChains.approveChildChain(id)), undefined);
  return { id, bestHash: header.hash.toHex() };
}
