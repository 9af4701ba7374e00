// Spam: 25 accounts flood a dev node with 5,000 pre-signed anchors for a bounded time. The chain
// stays live, every block stays within its weight and length limits, the pool stays bounded,
// and every anchor that made it into a block paid its fee and holds its deposit.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { signAndSendInBlock, startDevNode, waitFor, waitForBest } from './lib/node.mjs';

const ACCOUNTS = 25;
const PER_ACCOUNT = 200;
const UNIT = 10n ** 12n;
/// The node's default transaction pool limit (--pool-limit).
const POOL_LIMIT = 8192;

let node;
let api;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
});

after(async () => {
  await node?.stop();
});

test('5,000 anchors from 25 accounts: blocks stay within limits and every anchor paid', async (t) => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const sudo = keyring.addFromUri('//Alice');
  const spammers = Array.from({ length: ACCOUNTS }, (_, i) => keyring.addFromUri(`//Spam/${i}`));
  const funding = 100n * UNIT;
  const funded = await signAndSendInBlock(
    api.tx.sudo.sudo(api.tx.utility.batchAll(spammers.map((pair) => api.tx.balances.forceSetBalance(pair.address, funding)))),
    sudo,
  );
  assert.equal(funded.dispatchError, undefined);
  const firstBlock = (await api.rpc.chain.getHeader()).number.toNumber() + 1;

  // Pre-sign everything (immortal, explicit nonces), then submit as fast as the RPC takes it.
  const signed = [];
  for (const pair of spammers) {
    for (let nonce = 0; nonce < PER_ACCOUNT; nonce++) {
      const digest = blake2AsHex(`${pair.address} ${nonce}`, 256);
      const tx = api.tx.dataAnchoring.anchor(digest, null, 10, '');
      await tx.signAsync(pair, { nonce, era: 0 });
      signed.push(tx.toHex());
    }
  }
  const started = Date.now();
  let accepted = 0;
  let refused = 0;
  let maxPending = 0;
  const sampler = setInterval(async () => {
    const pending = await api.rpc.author.pendingExtrinsics().catch(() => []);
    maxPending = Math.max(maxPending, pending.length);
  }, 2_000);
  try {
    for (let i = 0; i < signed.length && Date.now() - started < 60_000; i += 50) {
      const results = await Promise.allSettled(signed.slice(i, i + 50).map((hex) => api.rpc.author.submitExtrinsic(hex)));
      for (const result of results) result.status === 'fulfilled' ? accepted++ : refused++;
    }
    // Bounded wait for the pool to drain into blocks.
    await waitFor('the pool to drain', async () => (await api.rpc.author.pendingExtrinsics()).length === 0, {
      timeoutMs: 120_000,
      intervalMs: 2_000,
    }).catch(() => {});
  } finally {
    clearInterval(sampler);
  }
  const lastBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(accepted > 0, 'the pool took anchors');
  assert.ok(maxPending <= POOL_LIMIT, `the pool stayed bounded (${maxPending} pending at most)`);

  // Read the chain's own blocks.
  const maxNormal = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  const maxLength = api.consts.system.blockLength.max.normal.toNumber();
  const anchoredBy = new Map();
  const feesBy = new Map();
  let included = 0;
  let fullest = 0;
  for (let number = firstBlock; number <= lastBlock; number++) {
    const hash = await api.rpc.chain.getBlockHash(number);
    const [block, at] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash)]);
    const [weight, events] = await Promise.all([at.query.system.blockWeight(), at.query.system.events()]);
    const normal = weight.normal.refTime.toBigInt();
    assert.ok(normal <= maxNormal, `block #${number} within its weight limit`);
    assert.ok(block.block.encodedLength <= maxLength, `block #${number} within its length limit`);
    fullest = Math.max(fullest, Number((normal * 1000n) / maxNormal) / 10);
    for (const { event } of events) {
      if (api.events.dataAnchoring.Anchored.is(event)) {
        const owner = event.data.owner.toString();
        anchoredBy.set(owner, (anchoredBy.get(owner) ?? 0n) + event.data.deposit.toBigInt());
        included++;
      } else if (api.events.transactionPayment.TransactionFeePaid.is(event)) {
        const who = event.data.who.toString();
        feesBy.set(who, (feesBy.get(who) ?? 0n) + event.data.actualFee.toBigInt());
      }
    }
  }
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(
    `${accepted} accepted, ${refused} refused by the pool, ${included} included in blocks #${firstBlock}-#${lastBlock} ` +
      `(${(included / Math.max(1, lastBlock - firstBlock + 1)).toFixed(0)} per block, fullest block ${fullest}% of the normal-class weight), ` +
      `${maxPending} pending at most, ${seconds.toFixed(0)} s`,
  );
  assert.ok(included > 0, 'anchors were included');

  // Every included anchor paid: each account's hold equals its anchors' deposits, and what left
  // its free balance is exactly those deposits plus the fees it paid.
  for (const pair of spammers) {
    const deposits = anchoredBy.get(pair.address) ?? 0n;
    const fees = feesBy.get(pair.address) ?? 0n;
    const account = await api.query.system.account(pair.address);
    assert.equal(account.data.reserved.toBigInt(), deposits, `${pair.address}: deposits held`);
    assert.equal(funding - account.data.free.toBigInt() - account.data.reserved.toBigInt(), fees, `${pair.address}: fees paid`);
    if (deposits > 0n) assert.ok(fees > 0n, 'anchors paid fees');
  }

  // The chain is still live.
  await waitForBest(api, lastBlock + 2);
});
