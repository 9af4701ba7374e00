// Transactions and RPC input the chain must refuse are refused with an error a user can read,
// and the node goes on.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { startDevNode, waitForBest } from './lib/node.mjs';

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

/** A raw JSON-RPC call over HTTP: `{ status, body }`. */
async function rpcHttp(payload) {
  const response = await fetch(`http://127.0.0.1:${node.rpcPort}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

const submitRaw = (params) => rpcHttp({ jsonrpc: '2.0', id: 1, method: 'author_submitExtrinsic', params });

test('malformed and oversized input over RPC is refused with readable errors, and the node goes on', async () => {
  const { api } = node;
  const alice = keyring.addFromUri('//Alice');
  const bestBefore = (await api.rpc.chain.getHeader()).number.toNumber();

  // Bytes that are no extrinsic.
  const garbage = await submitRaw(['0xdeadbeef']);
  assert.match(JSON.stringify(garbage.body.error), /decode|invalid/i, 'undecodable bytes');

  // A parameter that is not hex.
  const notHex = await submitRaw(['hello']);
  assert.ok(notHex.body.error, 'a non-hex parameter is an error');
  assert.match(notHex.body.error.message, /invalid/i);

  // Not JSON at all.
  const notJson = await rpcHttp('{"jsonrpc": "2.0", "method": ');
  assert.equal(notJson.body.error?.code, -32700, 'a parse error');

  // Metadata longer than DataAnchoring's bound (256 bytes) does not decode as a call. The
  // runtime's transaction validation cannot decode its input and stops (a contained trap), which
  // the pool reports as a verification error; nothing enters the pool.
  const overlong = api.tx.dataAnchoring.anchor(`0x${'11'.repeat(32)}`, null, 0, `0x${'ab'.repeat(300)}`);
  await overlong.signAsync(alice);
  const overlongResult = await submitRaw([overlong.toHex()]);
  assert.equal(overlongResult.body.error?.code, 1002, 'an over-bound argument');
  assert.match(overlongResult.body.error.message, /Verification Error/);
  assert.equal((await api.rpc.author.pendingExtrinsics()).length, 0);

  // An extrinsic larger than a block (5 MiB) is refused by the pool.
  const huge = api.tx.system.remark(`0x${'00'.repeat(6 * 1024 * 1024)}`);
  await huge.signAsync(alice);
  const hugeResult = await submitRaw([huge.toHex()]);
  assert.ok(hugeResult.status === 413 || hugeResult.body.error, 'a 6 MiB extrinsic is refused');
  assert.match(
    `${hugeResult.status} ${JSON.stringify(hugeResult.body)}`,
    /exhaust the block limits|too large|413|exceeded/i,
  );

  // A request over the RPC server's size limit. The server may answer 413 and close the
  // connection while the body is still being sent; the client then sees the reset instead of the
  // answer. Either way the request is refused.
  let tooBig;
  try {
    tooBig = await submitRaw([`0x${'00'.repeat(16 * 1024 * 1024)}`]);
  } catch (error) {
    const code = error.cause?.code;
    assert.ok(
      ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(code),
      `a refused upload closes the connection, not ${error.message} (${code})`,
    );
    tooBig = { status: 'connection closed by the server', body: { error: code } };
  }
  assert.ok(tooBig.status === 413 || tooBig.body.error, 'a 16 MiB request is refused');

  // The node is healthy and keeps producing blocks.
  const health = await rpcHttp({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] });
  assert.equal(health.body.result.shouldHavePeers, false);
  await waitForBest(api, bestBefore + 2);
});
