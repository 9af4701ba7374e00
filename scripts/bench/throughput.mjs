#!/usr/bin/env node
// Throughput of a VIoT dev chain, kind by kind, measured from the chain's own blocks.
//
//   node scripts/bench/throughput.mjs                       # every kind, 10,000 extrinsics each
//   node scripts/bench/throughput.mjs --count 200 --kinds remark,anchor
//   node scripts/bench/throughput.mjs --json results.json   # also write the figures as JSON
//   node scripts/bench/throughput.mjs --count 24 --strict   # smoke run: exit 1 unless every
//                                                           # extrinsic landed and succeeded
//   node scripts/bench/throughput.mjs --slot-ms 1000        # on 1-second slots (default: 6 s,
//                                                           # a production chain's)
//   node scripts/bench/throughput.mjs --validators 4        # on the four validators of the
//                                                           # `local` chain; also reports how
//                                                           # long the other three took to import
//                                                           # each kind's fullest block
//
// It starts its own `viot-node --dev --tmp` (with the slot of `--slot-ms`) on free loopback ports, and for each kind pre-signs
// `--count` extrinsics from 12 funded accounts (immortal, explicit nonces), submits them all,
// and follows the best chain until all are in blocks or `--timeout` seconds pass. It then reads
// every block that holds them: how many of ours, how full (normal-class weight and length), and
// reports extrinsics (and records) per second and per block. Each kind is bounded in count and
// time; the node is stopped on every outcome.

import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Keyring } from '@polkadot/keyring';
import { bnToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

import { anchorPayload } from '@viot/sdk';

import { deviceKey, deviceNonce, randomId } from '../e2e/lib/devices.mjs';
import { startDevNode, submit, waitFor, writeDevSpec } from '../e2e/lib/node.mjs';

const KINDS = ['remark', 'transfer', 'anchor', 'batch', 'device-sr25519', 'device-p256', 'finality-proof'];
const UNIT = 10n ** 12n;
const SENDERS = 12;
const BATCH_LEAVES = 1024;

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    kinds: { type: 'string', default: KINDS.join(',') },
    timeout: { type: 'string', default: '120' },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'slot-ms': { type: 'string', default: '6000' },
    validators: { type: 'string', default: '1' },
  },
});
const count = Number(options.count);
const kinds = options.kinds.split(',').map((kind) => kind.trim());
const timeoutMs = Number(options.timeout) * 1000;
for (const kind of kinds) {
  if (!KINDS.includes(kind)) throw new Error(`unknown kind ${kind}; kinds: ${KINDS.join(', ')}`);
}
if (!(count > 0 && count <= 50_000)) throw new Error('--count must be 1..50000');
const validators = Number(options.validators);
if (validators !== 1 && validators !== 4) throw new Error('--validators must be 1 (dev chain) or 4 (local chain)');

/** Splits `total` items over the senders: [[sender, index-within-sender], ...]. */
function plan(senders, total) {
  return Array.from({ length: total }, (_, i) => [senders[i % senders.length], Math.floor(i / senders.length)]);
}

async function main() {
  await cryptoWaitReady();
  // The dev chain with the slot asked for: 6 s (a production chain's) by default, as capacity is
  // what is measured; the smoke run uses the dev chain's 1 s.
  const scratch = mkdtempSync(join(tmpdir(), 'viot-throughput-'));
  const spec = await writeDevSpec(scratch, 'throughput.json', (json) => {
    json.genesis.runtimeGenesis.patch.childChains.slotDurationMs = Number(options['slot-ms']);
  }, validators === 4 ? 'local' : 'dev');
  // Included extrinsics stay in the pool until their block is finalized: room for every kind.
  const poolArgs = ['--chain', spec, '--pool-limit', String(kinds.length * count + 1_000), '--pool-kbytes', String(Math.max(20_480, kinds.length * count))];
  const nodes = [];
  let node;
  try {
    node = await startDevNode({ extraArgs: poolArgs, prometheus: validators > 1 });
    nodes.push(node);
    if (validators > 1) {
      // Bob, Charlie and Dave join Alice (every node gets the extrinsics through gossip).
      const bootnode = `/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${(await node.api.rpc.system.localPeerId()).toString()}`;
      for (const name of ['bob', 'charlie', 'dave']) {
        nodes.push(await startDevNode({ extraArgs: [...poolArgs, `--${name}`, '--bootnodes', bootnode], prometheus: true }));
      }
      await waitFor('four validators in a network', async () => (await node.api.rpc.system.health()).peers.toNumber() >= 3);
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const imports = validators > 1 ? sampleImports(nodes) : null;
  const { api } = node;
  console.error(`node log: ${node.logFile}`);
  const results = [];
  try {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = keyring.addFromUri('//Alice');
    const senders = Array.from({ length: SENDERS }, (_, i) => keyring.addFromUri(`//Throughput/${i}`));
    const funded = await submit(api, api.tx.sudo.sudo(api.tx.utility.batchAll(
      senders.map((pair) => api.tx.balances.forceSetBalance(pair.address, 1_000_000n * UNIT)),
    )), alice);
    if (funded.error) throw new Error(`funding failed: ${funded.error}`);
    const maxWeight = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
    const maxLength = api.consts.system.blockLength.max.normal.toNumber();

    const builders = {
      remark: async () => plan(senders, count).map(([pair]) => [pair, api.tx.system.remark(u8aToHex(randomBytes(32)))]),
      transfer: async () => plan(senders, count).map(([pair], i) => [pair, api.tx.balances.transferKeepAlive(senders[(i + 1) % SENDERS].address, UNIT)]),
      anchor: async () => plan(senders, count).map(([pair]) => [pair, api.tx.dataAnchoring.anchor(randomId(), null, 0, '0x')]),
      // The chain stores only the root; the tree is built off chain by the client.
      batch: async () => plan(senders, count).map(([pair]) => [pair, api.tx.dataAnchoring.anchorBatch(randomId(), BATCH_LEAVES, null, 0, '0x')]),
      'device-sr25519': () => deviceAnchors(api, alice, senders, 'sr25519'),
      'device-p256': () => deviceAnchors(api, alice, senders, 'p256'),
      'finality-proof': () => finalityProofs(api, senders),
    };

    for (const kind of kinds) {
      const calls = await builders[kind]();
      const result = await measure(api, kind, calls, { maxWeight, maxLength, logFiles: nodes.map((n) => n.logFile), imports });
      if (kind === 'batch') result.recordsPerSecond = result.perSecond * BATCH_LEAVES;
      results.push(result);
      console.error(`${kind}: ${JSON.stringify(result)}`);
    }
  } finally {
    imports?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
  }
  report(results);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  const short = results.filter((r) => r.refused || r.failed !== 0 || r.included < r.submitted);
  if (options.strict && short.length) {
    throw new Error(`not every extrinsic landed and succeeded: ${short.map((r) => r.kind).join(', ')}`);
  }
}

/** Registers one device per sender and pre-builds `count` device-signed anchors. */
async function deviceAnchors(api, alice, senders, kind) {
  const maker = senders[0];
  await submit(api, api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Bench')), alice);
  const devices = senders.map((pair) => ({ pair, id: randomId(), key: deviceKey(kind) }));
  const registered = await submit(api, api.tx.utility.batchAll(
    devices.map(({ pair, id, key }) => api.tx.deviceIdentity.registerDevice(id, key.publicKey, pair.address, '')),
  ), maker);
  if (registered.error) throw new Error(`device registration failed: ${registered.error}`);
  for (const device of devices) device.nonce = await deviceNonce(api, device.id);
  const calls = [];
  for (const [pair, k] of plan(senders, count)) {
    const device = devices.find((d) => d.pair === pair);
    const digest = randomId();
    const payload = anchorPayload(api.genesisHash, device.id, device.nonce + BigInt(k), digest, null, 0);
    calls.push([pair, api.tx.dataAnchoring.anchorFromDevice(device.id, digest, null, 0, device.key.sign(payload))]);
  }
  return calls;
}

/**
 * Registers one child chain per sender, each with one GRANDPA authority whose key is held here,
 * has governance (sudo) approve them, and pre-builds `count` finality proofs of consecutive headers, each signed by that key. Each
 * sender relays its own chain, whose headers must land in order (as its nonces do); one chain
 * per sender keeps every sender's queue short, as with one relayer per child chain.
 */
async function finalityProofs(api, senders) {
  const header = (number, parentHash, chain) => api.createType('Header', {
    parentHash, number, stateRoot: blake2AsHex(`chain ${chain} state ${number}`), extrinsicsRoot: blake2AsHex(''), digest: { logs: [] },
  });
  const chains = await Promise.all(senders.map(async (sender, n) => {
    const authority = new Keyring({ type: 'ed25519' }).addFromUri(`//Bench child ${n} ${Date.now()}`);
    const genesis = header(0, `0x${'00'.repeat(32)}`, n);
    const registered = await submit(api, api.tx.childChains.registerChildChain(
      `bench ${n}`, 'BENCH', genesis.hash, genesis, [[authority.publicKey, 1]], 0,
    ), sender);
    if (registered.error) throw new Error(`child registration failed: ${registered.error}`);
    const event = registered.events.find(({ event }) => api.events.childChains.ChildChainRegistered.is(event)).event;
    return { sender, n, authority, chainId: event.data.chainId.toNumber(), parent: genesis };
  }));
  // Registrations are pending until governance (sudo on the dev chain) approves them.
  const sudo = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
  const approved = await submit(api, api.tx.sudo.sudo(api.tx.utility.batchAll(
    chains.map(({ chainId }) => api.tx.childChains.approveChildChain(chainId)),
  )), sudo);
  const sudid = approved.events.find(({ event }) => api.events.sudo.Sudid.is(event))?.event.data[0];
  if (approved.error || !sudid?.isOk) throw new Error(`approving the child chains failed: ${approved.error ?? sudid}`);
  return plan(senders, count).map(([pair, k]) => {
    const chain = chains.find((c) => c.sender === pair);
    const number = k + 1;
    const next = header(number, chain.parent.hash, chain.n);
    const round = 1n;
    const message = u8aConcat([1], next.hash, bnToU8a(number, { bitLength: 32 }), bnToU8a(round, { bitLength: 64 }), bnToU8a(0, { bitLength: 64 }));
    const justification = {
      round,
      commit: {
        targetHash: next.hash,
        targetNumber: number,
        precommits: [{ precommit: { targetHash: next.hash, targetNumber: number }, signature: chain.authority.sign(message), id: chain.authority.publicKey }],
      },
      votesAncestries: [],
    };
    chain.parent = next;
    return [pair, api.tx.childChains.submitFinalityProof(chain.chainId, next, justification)];
  });
}

/** Pre-signs, submits and follows `calls`; returns the figures read from the blocks. */
async function measure(api, kind, calls, { maxWeight, maxLength, logFiles, imports }) {
  const immortal = api.createType('ExtrinsicEra');
  const signingStarted = Date.now();
  const nonces = new Map();
  const signed = [];
  for (const [pair, call] of calls) {
    if (!nonces.has(pair.address)) nonces.set(pair.address, (await api.rpc.system.accountNextIndex(pair.address)).toNumber());
    const nonce = nonces.get(pair.address);
    nonces.set(pair.address, nonce + 1);
    // An era object and the genesis as block hash: signing needs no RPC round trip.
    await call.signAsync(pair, { nonce, era: immortal, blockHash: api.genesisHash });
    signed.push(call);
  }
  const ours = new Set(signed.map((tx) => tx.hash.toHex()));
  const startBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const started = Date.now();
  let refused = 0;
  const reasons = {};
  for (let i = 0; i < signed.length; i += 200) {
    const outcomes = await Promise.allSettled(signed.slice(i, i + 200).map((tx) => api.rpc.author.submitExtrinsic(tx.toHex())));
    for (const outcome of outcomes) {
      if (outcome.status !== 'rejected') continue;
      refused += 1;
      const reason = outcome.reason?.message ?? String(outcome.reason);
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
  }
  const submitMs = Date.now() - started;
  console.error(`${kind}: ${signed.length} signed in ${started - signingStarted} ms, submitted in ${submitMs} ms`);
  if (refused) console.error(`${kind}: refused by the pool: ${JSON.stringify(reasons)}`);

  // Follow the best chain until every accepted extrinsic is in a block, or the time is up.
  const blocks = [];
  let included = 0;
  let next = startBlock + 1;
  const expected = signed.length - refused;
  // Raw blocks (no Polkadot.js decoding of thousands of extrinsics); events are decoded to count
  // failures only for blocks of up to 500 of ours (smoke runs), larger ones report `failed: null`.
  let unchecked = false;
  await waitFor(`${kind}: ${expected} extrinsics in blocks`, async () => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; next <= best; next++) {
      const hash = (await api.rpc.chain.getBlockHash(next)).toHex();
      const { block } = await api._rpcCore.provider.send('chain_getBlock', [hash]);
      const indices = block.extrinsics.map((hex, i) => (ours.has(blake2AsHex(hexToU8a(hex))) ? i : -1)).filter((i) => i >= 0);
      if (indices.length === 0 && blocks.length === 0) continue;
      let failed = 0;
      if (indices.length <= 500) {
        const events = await api.query.system.events.at(hash);
        failed = events.filter(({ phase, event }) => phase.isApplyExtrinsic &&
          indices.includes(phase.asApplyExtrinsic.toNumber()) && api.events.system.ExtrinsicFailed.is(event)).length;
      } else {
        unchecked = true;
      }
      const length = block.extrinsics.reduce((sum, hex) => sum + (hex.length - 2) / 2, 0);
      const weight = (await api.query.system.blockWeight.at(hash)).normal.refTime.toBigInt();
      blocks.push({ number: next, ours: indices.length, failed, weightPercent: Number((weight * 10000n) / maxWeight) / 100, lengthPercent: Math.round((length / maxLength) * 10000) / 100 });
      included += indices.length;
    }
    return included >= expected;
  }, { timeoutMs, intervalMs: 500 }).catch((error) => console.error(`${kind}: ${error.message}`));
  // Let the pool empty before the next kind, so nonces and blocks are not shared.
  await waitFor(`${kind}: the pool to empty`, async () => (await api.rpc.author.pendingExtrinsics()).length === 0, {
    timeoutMs: 60_000, intervalMs: 1_000,
  }).catch((error) => console.error(error.message));

  // The span from the first to the last block holding ours.
  while (blocks.length && blocks[blocks.length - 1].ours === 0) blocks.pop();
  // How long the node took to build each block and why it stopped adding extrinsics, from its
  // log: "Prepared block for proposing at N (X ms) ... end: HitBlockWeightLimit; ...".
  const built = new Map(
    [...logFiles.map((file) => readFileSync(file, 'utf8')).join('\n').matchAll(/Prepared block for proposing at (\d+) \((\d+) ms\)[^\n]*?end: (\w+)/g)]
      .map(([, n, ms, end]) => [Number(n), { ms: Number(ms), end }]),
  );
  for (const block of blocks) {
    block.buildMs = built.get(block.number)?.ms ?? null;
    block.end = built.get(block.number)?.end ?? null;
  }
  const slotSeconds = Number(api.consts.aura.slotDuration.toBigInt()) / 1000;
  const span = blocks.length;
  const failed = blocks.reduce((sum, b) => sum + b.failed, 0);
  const succeeded = included - failed;
  const top = fullest(blocks);
  return {
    kind,
    submitted: signed.length,
    refused,
    included,
    failed: unchecked ? null : failed,
    blocks: span,
    perBlockMax: Math.max(0, top.ours),
    perBlockMean: span ? Math.round(included / span) : 0,
    // What a full block carries, per second of chain time: the capacity.
    perSecond: Math.round((Math.max(0, ...blocks.map((b) => b.ours - b.failed)) / slotSeconds) * 10) / 10,
    // Over the whole run, partly filled first and last blocks included.
    sustainedPerSecond: span ? Math.round((succeeded / (span * slotSeconds)) * 10) / 10 : 0,
    // How full the fullest block was: normal-class weight and length.
    weightPercent: top.weightPercent ?? 0,
    lengthPercent: top.lengthPercent ?? 0,
    // The fullest block: the real time the node spent building it (its normal-class weight
    // allows 1,500 ms) and why the node stopped adding extrinsics to it.
    fullestBlockBuildMs: top.buildMs,
    fullestBlockEnd: top.end,
    // With four validators: how long each of the three that did not author the fullest block
    // took to verify and import it (their import queue's time).
    fullestBlockImportMs: imports ? imports.of(top.number) : undefined,
    submitMs,
  };
}

/**
 * Samples the import queue's `substrate_block_verification_and_import_time` (sum and count) of
 * each node's Prometheus endpoint and its best block (over RPC: the block-height metric is
 * refreshed only every 5 s) every 100 ms. A node's own blocks do not go through its queue; a
 * window in which the count grew by one is the import of the block that became its best.
 */
function sampleImports(nodes) {
  const seen = new Map(); // block number -> [ms, ...]
  const last = nodes.map(() => null);
  const metric = (text, name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)$`, 'm').exec(text)?.[1]);
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    await Promise.all(nodes.map(async (n, i) => {
      const text = await (await fetch(`http://127.0.0.1:${n.prometheusPort}/metrics`)).text();
      const best = (await n.api.rpc.chain.getHeader()).number.toNumber();
      const now = {
        sum: metric(text, 'substrate_block_verification_and_import_time_sum'),
        count: metric(text, 'substrate_block_verification_and_import_time_count'),
        best,
      };
      const before = last[i];
      last[i] = now;
      if (before && now.count === before.count + 1 && now.best === before.best + 1) {
        const list = seen.get(now.best) ?? [];
        list.push(Math.round((now.sum - before.sum) * 10_000) / 10);
        seen.set(now.best, list);
      }
    })).catch(() => {});
    busy = false;
  }, 100);
  return { of: (number) => seen.get(number) ?? [], stop: () => clearInterval(timer) };
}

/** The block holding most of ours. */
function fullest(blocks) {
  return blocks.reduce((best, b) => (b.ours > best.ours ? b : best), { ours: -1, buildMs: null, end: null });
}

function report(results) {
  const remark = results.find((r) => r.kind === 'remark')?.perSecond;
  const imports = results.some((r) => r.fullestBlockImportMs);
  console.log(`| kind | included / submitted | blocks | per block (max / mean) | per second (full block) | vs remark | sustained per second | fullest block: weight, length, build time, why it ended |${imports ? ' its import on the other validators |' : ''}`);
  console.log(`|---|---|---|---|---|---|---|---|${imports ? '---|' : ''}`);
  for (const r of results) {
    const ratio = remark ? `${(r.perSecond / remark).toFixed(2)}×` : '–';
    const perSecond = r.recordsPerSecond ? `${r.perSecond} (${Math.round(r.recordsPerSecond).toLocaleString('en')} records)` : `${r.perSecond}`;
    console.log(`| ${r.kind} | ${r.included - (r.failed ?? 0)} / ${r.submitted} | ${r.blocks} | ${r.perBlockMax} / ${r.perBlockMean} | ${perSecond} | ${ratio} | ${r.sustainedPerSecond} | ${r.weightPercent} %, ${r.lengthPercent} %, ${r.fullestBlockBuildMs ?? '–'} ms, ${r.fullestBlockEnd ?? '–'} |${imports ? ` ${r.fullestBlockImportMs.join(', ')} ms |` : ''}`);
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
