// Charlie transfers VIOT to Bob: balances and events are what a wallet shows; the fee goes to
// Alice, who authors every block of the dev chain.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';

import { signAndSendInBlock, startDevNode } from './lib/node.mjs';

const UNIT = 10n ** 12n;

let node;
let alice;
let bob;
let charlie;
before(async () => {
  node = await startDevNode();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  charlie = keyring.addFromUri('//Charlie');
});
after(async () => {
  await node?.stop();
});

const free = async (api, who, at) => {
  const account = at ? await (await api.at(at)).query.system.account(who) : await api.query.system.account(who);
  return account.data.free.toBigInt();
};

test('Charlie transfers 1.5 VIOT to Bob; the fee goes to the block author', async () => {
  const { api } = node;
  const amount = 3n * UNIT / 2n;

  const { blockHash, events, dispatchError } = await signAndSendInBlock(
    api.tx.balances.transferKeepAlive(bob.address, amount),
    charlie,
  );
  const { parentHash } = await api.rpc.chain.getHeader(blockHash);
  const [aliceBefore, bobBefore, charlieBefore] = await Promise.all(
    [alice, bob, charlie].map((who) => free(api, who.address, parentHash)),
  );
  assert.equal(dispatchError, undefined);

  const names = events.map(({ event }) => `${event.section}.${event.method}`);
  assert.ok(names.includes('system.ExtrinsicSuccess'), names.join(', '));
  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, `no balances.Transfer in ${names.join(', ')}`);
  const [from, to, value] = transfer.event.data;
  assert.equal(from.toString(), charlie.address);
  assert.equal(to.toString(), bob.address);
  assert.equal(value.toBigInt(), amount);

  const feePaid = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  assert.ok(feePaid, 'the fee is reported');
  const fee = feePaid.event.data.actualFee.toBigInt();
  assert.ok(fee > 0n, 'transfers are not free');

  assert.equal(await free(api, bob.address, blockHash), bobBefore + amount);
  assert.equal(await free(api, charlie.address, blockHash), charlieBefore - amount - fee);
  assert.equal(await free(api, alice.address, blockHash), aliceBefore + fee, 'the author received the fee');
});
