// The runtime that ships carries the hash of its metadata (CheckMetadataHash, RFC-0078), which
// offline signers such as Ledger check: a transaction signed with the metadata hash a client
// computes from the chain's own metadata (polkadot-api's merkleize-metadata, as wallets do) is
// accepted; one signed with another hash is refused as a bad signature. About 15 s.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';

import { startDevNode } from './lib/node.mjs';

let node;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
});

after(async () => {
  await node?.stop();
});

/** Signs `tx` with CheckMetadataHash enabled and `metadataHash`, sends it, resolves in a block. */
async function sendWithHash(tx, signer, metadataHash) {
  await tx.signAsync(signer, { mode: 1, metadataHash });
  return new Promise((resolve, reject) => {
    tx.send(({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(dispatchError.toString()));
      else if (status.isInBlock) resolve(status.asInBlock);
    }).catch(reject);
  });
}

test('a transaction signed with the metadata hash is accepted, with another hash refused', async () => {
  const { api } = node;
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const metadata = (await api.call.metadata.metadataAtVersion(15)).unwrap().toU8a(true);
  const hash = u8aToHex(merkleizeMetadata(metadata, { decimals: 12, tokenSymbol: 'VIOT' }).digest());

  const block = await sendWithHash(api.tx.system.remark('0x01'), alice, hash);
  assert.ok(block, 'included');

  const wrong = `0x${'00'.repeat(32)}`;
  await assert.rejects(sendWithHash(api.tx.system.remark('0x02'), alice, wrong), /bad signature/i);
});
