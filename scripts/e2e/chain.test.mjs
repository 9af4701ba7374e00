// The dev chain produces and finalizes blocks, names its token and serves the runtime APIs
// Polkadot.js needs.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startDevNode, waitForBest, waitForFinalized } from './lib/node.mjs';

let node;
before(async () => {
  node = await startDevNode();
});
after(async () => {
  await node?.stop();
});

test('the dev node produces and finalizes blocks on its own', async () => {
  const best = await waitForBest(node.api, 3);
  assert.ok(best.number.toNumber() >= 3);
  const finalized = await waitForFinalized(node.api, 2);
  assert.ok(finalized.number.toNumber() >= 2);
  const finalizedHash = await node.api.rpc.chain.getFinalizedHead();
  const finalizedHeader = await node.api.rpc.chain.getHeader(finalizedHash);
  assert.ok(finalizedHeader.number.toNumber() >= 2, 'chain_getFinalizedHead moved past genesis');
  // One-second slots: each block's Aura slot (in its pre-runtime digest) is its timestamp in
  // whole seconds, and consecutive blocks are in different slots.
  const slots = [];
  for (const number of [2, 3]) {
    const hash = await node.api.rpc.chain.getBlockHash(number);
    const header = await node.api.rpc.chain.getHeader(hash);
    const [engine, data] = header.digest.logs.find((log) => log.isPreRuntime).asPreRuntime;
    assert.equal(engine.toString(), 'aura');
    const slot = Number(Buffer.from(data.toU8a(true)).readBigUInt64LE(0));
    const moment = (await node.api.query.timestamp.now.at(hash)).toNumber();
    assert.equal(slot, Math.floor(moment / 1000), `block ${number}: slot ${slot}, timestamp ${moment}`);
    slots.push(slot);
  }
  assert.ok(slots[1] > slots[0], `blocks 2 and 3 in slots ${slots}`);
});

test('chain properties name the VIOT token', async () => {
  const properties = await node.api.rpc.system.properties();
  assert.deepEqual(properties.tokenSymbol.unwrap().map((s) => s.toString()), ['VIOT']);
  assert.deepEqual(properties.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
  assert.equal(properties.ss58Format.unwrap().toNumber(), 42);
  assert.equal(node.api.registry.chainDecimals[0], 12);
  assert.equal(node.api.registry.chainTokens[0], 'VIOT');
  assert.equal((await node.api.rpc.system.chain()).toString(), 'VIoT Development');
});

test('runtime version is viot from spec 100 up', async () => {
  const version = node.api.runtimeVersion;
  assert.equal(version.specName.toString(), 'viot');
  assert.ok(version.specVersion.toNumber() >= 100);
});

test('metadata lists every runtime API and Polkadot.js can call them', async () => {
  const metadata = node.api.runtimeMetadata;
  assert.ok(metadata.version >= 15, `metadata v${metadata.version} has no runtime APIs`);
  const apis = metadata.asLatest.apis.map((api) => api.name.toString());
  for (const expected of [
    'Core',
    'Metadata',
    'BlockBuilder',
    'TaggedTransactionQueue',
    'OffchainWorkerApi',
    'SessionKeys',
    'AuraApi',
    'GrandpaApi',
    'AccountNonceApi',
    'TransactionPaymentApi',
    'TransactionPaymentCallApi',
    'GenesisBuilder',
    'DeviceIdentityApi',
    'DataAnchoringApi',
    'ChildChainsApi',
  ]) {
    assert.ok(apis.includes(expected), `runtime API ${expected} missing from ${apis.join(', ')}`);
  }
  const presets = await node.api.call.genesisBuilder.presetNames();
  assert.deepEqual(presets.map((p) => p.toString()).sort(), [
    'child_development',
    'child_local_testnet',
    'development',
    'local_testnet',
    'staging',
  ]);
  // A dev chain: the slot its genesis sets (1 s), the same through the runtime API the node and
  // light clients read and through the constants Polkadot.js reads.
  const slot = await node.api.call.auraApi.slotDuration();
  assert.equal(slot.toNumber(), 1000);
  assert.equal(node.api.consts.aura.slotDuration.toNumber(), 1000);
  assert.equal(node.api.consts.timestamp.minimumPeriod.toNumber(), 500);
  const grandpa = await node.api.call.grandpaApi.grandpaAuthorities();
  assert.equal(grandpa.length, 1);
});

test('pallets of the foundation are in the runtime', () => {
  const pallets = node.api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
  for (const pallet of ['System', 'Timestamp', 'Aura', 'Grandpa', 'Balances', 'TransactionPayment', 'Sudo', 'Utility', 'DeviceIdentity', 'DataAnchoring', 'ChildChains']) {
    assert.ok(pallets.includes(pallet), `pallet ${pallet} missing`);
  }
});
