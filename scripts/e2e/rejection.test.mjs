// Transactions the chain must refuse are refused with an error a user can read.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { startDevNode } from './lib/node.mjs';

let node;
let keyring;
before(async () => {
  node = await startDevNode();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
});
after(async () => {
  await node?.stop();
});

test('a transaction with a bad signature is rejected', async () => {
  const { api } = node;
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const tx = api.tx.balances.transferKeepAlive(bob.address, 1_000_000_000_000n);
  await tx.signAsync(alice);
  // Flip one byte inside the signature of the encoded extrinsic.
  const signed = tx.toHex();
  const signature = tx.signature.toU8a();
  const tampered = signature.slice();
  tampered[10] ^= 0xff;
  const raw = signed.replace(u8aToHex(signature).slice(2), u8aToHex(tampered).slice(2));
  assert.notEqual(raw, signed);
  await assert.rejects(
    api.rpc.author.submitExtrinsic(raw),
    (error) => {
      assert.match(error.message, /1010/);
      assert.match(error.message, /bad signature/i);
      return true;
    },
  );
});

test('a transaction from an account that cannot pay its fee is rejected', async () => {
  const { api } = node;
  const pauper = keyring.addFromUri('//ViotPauper');
  const account = await api.query.system.account(pauper.address);
  assert.equal(account.data.free.toBigInt(), 0n);
  const tx = api.tx.balances.transferKeepAlive(keyring.addFromUri('//Bob').address, 1n);
  await assert.rejects(
    tx.signAndSend(pauper),
    (error) => {
      assert.match(error.message, /1010/);
      assert.match(error.message, /Inability to pay some fees/i);
      return true;
    },
  );
});

test('a transfer larger than the balance fails with a named error', async () => {
  const { api } = node;
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const { data } = await api.query.system.account(alice.address);
  const tx = api.tx.balances.transferKeepAlive(bob.address, data.free.toBigInt() * 2n);
  const outcome = await new Promise((resolve, reject) => {
    tx.signAndSend(alice, (result) => {
      if (result.isInBlock) resolve(result);
      else if (result.isError) reject(new Error(result.status.type));
    }).catch(reject);
  });
  assert.ok(outcome.dispatchError, 'the transfer fails');
  assert.ok(outcome.dispatchError.isModule || outcome.dispatchError.isToken, outcome.dispatchError.toString());
  const readable = outcome.dispatchError.isModule
    ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(outcome.dispatchError.asModule))
    : `Token.${outcome.dispatchError.asToken.type}`;
  assert.match(readable, /FundsUnavailable|InsufficientBalance/);
});
