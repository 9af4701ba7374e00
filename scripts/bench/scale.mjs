#!/usr/bin/env node
// How the chain's costs grow with its state: builds dev chains holding N devices and N anchors
// and measures each one.
//
//   node scripts/bench/scale.mjs                                  # 10k, 100k and 1M
//   node scripts/bench/scale.mjs --sizes 2000 --block-anchors 400 --out /tmp/scale   # smoke run
//   node scripts/bench/scale.mjs --plots docs/scale               # also write the PNG plots
//
// Fast path: the state is written at genesis. The dev chain spec's `deviceIdentity.population`
// and `dataAnchoring.population` make the runtime itself store N devices (with their key and
// owner indexes and held deposits) and N anchors on N/10 subjects' traces while it builds the
// genesis state, as registrations and anchors would have; nothing is hand-encoded.
//
// At each size, with the production runtime and ParityDB:
// - genesis: time from the node's start until its RPC answers (building and committing the
//   genesis state) and its peak memory (VmHWM) then; the database's size on disk; the memory
//   (VmHWM) of the node restarted on that database through the measurements below;
// - runtime API latency through RPC `state_call` (`device`, `anchor_of`, a 10-entry `trace`
//   page): median and 95th percentile of 200 calls at random existing keys;
// - a full block of `anchor` extrinsics: submitted from 12 accounts, not in block 2; its import
//   is then timed by `viot-node benchmark block` (`importTime`: executed once per process, the
//   runtime's compilation subtracted);
// - sync of a fresh node from the first one: full (every block, after building the genesis state
//   itself) and warp (GRANDPA proofs and the state at the finalized block); `--skip-sync` leaves
//   them out (at 1M a warp-syncing node and the node serving it need ~23 GiB together);
// - `viot-node benchmark storage --state-version 1 --database paritydb`: read and write cost per
//   key, on `--keys-limit` keys chosen at random, writes committed `--batch-size` at a time.
// `benchmark storage` and `benchmark block` run on the node users run ($VIOT_BENCH_NODE, else the
// chain's node: $VIOT_NODE or $CARGO_TARGET_DIR/release/viot-node). Results go
// to `--out` as scale.json and scale.dat; `--plots DIR` draws them with gnuplot;
// `--write-db-weights` makes the largest size's read and write costs the runtime's database
// weights (runtime/src/weights/paritydb_weights.rs); `--db-weights-only` does only that, from the
// files an earlier run left in `--out`.
//
// Every node runs on free loopback ports and is stopped on every outcome.

import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

import { freePort, nodeBinary, repoRoot, rpcAnswers, startProcess, waitFor } from '../e2e/lib/node.mjs';

const run = promisify(execFile);
const PER_SUBJECT = 10;
const SENDERS = 12;
const API_CALLS = 200;

const { values: options } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    'block-anchors': { type: 'string', default: '3000' },
    'keys-limit': { type: 'string', default: '50000' },
    'batch-size': { type: 'string', default: '1000' },
    out: { type: 'string', default: join(repoRoot, 'target', 'scale') },
    plots: { type: 'string' },
    'write-db-weights': { type: 'boolean', default: false },
    'db-weights-only': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    'skip-sync': { type: 'boolean', default: false },
  },
});
const sizes = options.sizes.split(',').map(Number);
const blockAnchors = Number(options['block-anchors']);
if (sizes.some((n) => !(n >= 100 && n <= 2_000_000))) throw new Error('--sizes: each 100..2000000');
if (!(blockAnchors > 0 && blockAnchors <= 20_000)) throw new Error('--block-anchors must be 1..20000');

function benchNode() {
  const binary = process.env.VIOT_BENCH_NODE || nodeBinary();
  if (!existsSync(binary)) throw new Error(`${binary} not found; build it with scripts/build.sh`);
  return binary;
}

const le32 = (n) => new Uint8Array(new Uint32Array([n]).buffer);
const derive = (label, n) => blake2AsU8a(u8aConcat(new TextEncoder().encode(label), le32(n)), 256);
/** Device `n` of the genesis population (pallet-device-identity's `population_device`). */
const populationDevice = (n) => derive('viot/population/device', n);
/** Anchor `n`'s digest and subject (pallet-data-anchoring's `population_anchor`). */
const populationAnchor = (n) => [derive('viot/population/anchor', n), derive('viot/population/subject', Math.floor(n / PER_SUBJECT))];

const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
};

function diskBytes(path) {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? diskBytes(full) : statSync(full).blocks * 512;
  }
  return total;
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Stops a node whose database is measured next: it must close it itself, not be killed. */
async function stopCleanly(node) {
  await node.stop();
  const { signal } = node.exited();
  if (signal === 'SIGKILL') throw new Error(`viot-node did not close its database in time (log: ${node.logFile})`);
}

/** Starts `viot-node` on free loopback ports; resolves once its RPC answers. */
async function startNode(binary, args, logFile) {
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const started = Date.now();
  const node = startProcess(binary, [
    ...args,
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--database', 'paritydb',
    '--node-key', randomBytes(32).toString('hex'),
    '--no-prometheus', '--no-telemetry', '--no-mdns',
  // A node on a million-entry ParityDB may take minutes to close (it re-indexes tables after a
  // large commit); killing it earlier loses its last blocks.
  ], logFile, { stopGraceMs: 900_000 });
  try {
    await waitFor(`viot-node RPC on ${rpcPort} (log: ${logFile})`, async () => {
      if (!node.running()) {
        const error = new Error(`viot-node exited: ${JSON.stringify(node.exited())}; see ${logFile}`);
        error.fatal = true;
        throw error;
      }
      return rpcAnswers(rpcPort);
    }, { timeoutMs: 1_800_000, intervalMs: 200 });
    const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${rpcPort}`), noInitWarn: true, throwOnConnect: true });
    return { ...node, api, rpcPort, p2pPort, startMs: Date.now() - started, stop: async () => { await api.disconnect().catch(() => {}); await node.stop(); } };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/** Median and 95th percentile (ms) of `API_CALLS` calls of `call(i)` at random population items. */
async function latency(size, call) {
  const times = [];
  for (let i = 0; i < API_CALLS; i += 1) {
    const n = Math.floor(Math.random() * size);
    const started = process.hrtime.bigint();
    const result = await call(n);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!result) throw new Error(`runtime API call found nothing for population item ${n}`);
  }
  return { medianMs: percentile(times, 50), p95Ms: percentile(times, 95) };
}

/** Submits `blockAnchors` anchors and returns the number of the block holding most of them. */
async function fullBlockOfAnchors(api) {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie', 'Alice//stash', 'Bob//stash', 'Charlie//stash', 'Dave//stash', 'Eve//stash', 'Ferdie//stash'];
  const senders = names.slice(0, SENDERS).map((name) => keyring.addFromUri(`//${name}`));
  const immortal = api.createType('ExtrinsicEra');
  const signed = [];
  for (const [s, pair] of senders.entries()) {
    const nonce = (await api.rpc.system.accountNextIndex(pair.address)).toNumber();
    for (let i = s; i < blockAnchors; i += SENDERS) {
      const tx = api.tx.dataAnchoring.anchor(u8aToHex(randomBytes(32)), null, 0, '0x');
      await tx.signAsync(pair, { nonce: nonce + Math.floor(i / SENDERS), era: immortal, blockHash: api.genesisHash });
      signed.push(tx);
    }
  }
  const ours = new Set(signed.map((tx) => tx.hash.toHex()));
  // Not in the chain's first block, whose initialization differs from later blocks', nor in
  // block 2, which `importTime` executes empty.
  await waitFor('block #2', async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 2);
  const from = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  for (let i = 0; i < signed.length; i += 200) {
    await Promise.all(signed.slice(i, i + 200).map((tx) => api.rpc.author.submitExtrinsic(tx.toHex())));
  }
  const counts = new Map();
  let seen = 0;
  let next = from;
  await waitFor(`${signed.length} anchors in blocks`, async () => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; next <= best; next += 1) {
      const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(next));
      const mine = block.block.extrinsics.filter((tx) => ours.has(tx.hash.toHex())).length;
      counts.set(next, mine);
      seen += mine;
    }
    return seen === signed.length;
  }, { timeoutMs: 600_000, intervalMs: 500 });
  const [number, anchors] = [...counts].sort((a, b) => b[1] - a[1])[0];
  const hash = await api.rpc.chain.getBlockHash(number);
  const weight = (await api.query.system.blockWeight.at(hash)).normal.refTime.toBigInt();
  const maxWeight = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  return { number, anchors, fullness: Number((weight * 1000n) / maxWeight) / 1000 };
}

/** Time (s) a fresh node takes to reach block `target` from `source` with `--sync mode`. */
async function syncTime(spec, source, target, mode, dir) {
  const peerId = (await source.api.rpc.system.localPeerId()).toString();
  const started = Date.now();
  const node = await startNode(nodeBinary(), [
    '--chain', spec, '--base-path', join(dir, `sync-${mode}`), '--sync', mode, '--warp-sync-min-peers', '1',
    '--bootnodes', `/ip4/127.0.0.1/tcp/${source.p2pPort}/p2p/${peerId}`,
  ], join(dir, `sync-${mode}.log`));
  try {
    await waitFor(`${mode} sync to #${target}`, async () => (await node.api.rpc.chain.getHeader()).number.toNumber() >= target,
      { timeoutMs: 1_800_000, intervalMs: 200 });
    const seconds = (Date.now() - started) / 1000;
    return { seconds, peakMiB: memory(node.pid).peakMiB };
  } finally {
    await node.stop();
  }
}

/** `benchmark storage`: ns per read and per write (averages), from its generated weights file. */
async function storageCosts(spec, base, dir) {
  const weights = join(dir, 'weights');
  mkdirSync(weights, { recursive: true });
  const { stdout, stderr } = await run(benchNode(), [
    'benchmark', 'storage', '--chain', spec, '--base-path', base, '--database', 'paritydb',
    '--state-version', '1', '--warmups', '1', '--keys-limit', options['keys-limit'], '--random-seed', '7',
    // Writes are committed in batches of this many keys, their cost averaged per key (a block of
    // anchors writes a few thousand); a solochain records no proof of validity.
    '--batch-size', options['batch-size'], '--disable-pov-recorder',
    '--weight-path', weights,
  ], { maxBuffer: 256 * 1024 * 1024 });
  const file = readFileSync(join(weights, 'paritydb_weights.rs'), 'utf8');
  const ns = (what) => Number(new RegExp(`${what}: ([\\d_]+) \\* constants::WEIGHT_REF_TIME_PER_NANOS`).exec(file)[1].replaceAll('_', ''));
  writeFileSync(join(dir, 'storage.log'), stdout + stderr);
  return { readNs: ns('read'), writeNs: ns('write'), weightsFile: file };
}

/** One `benchmark block` process executing block `number` once: ms and the block's weight. */
async function executeOnce(spec, base, number, log) {
  const { stdout, stderr } = await run(benchNode(), [
    'benchmark', 'block', '--chain', spec, '--base-path', base, '--database', 'paritydb',
    '--from', String(number), '--to', String(number), '--repeat', '1',
  ], { maxBuffer: 64 * 1024 * 1024 });
  const output = stdout + stderr;
  writeFileSync(log, output);
  const match = /Block \d+ with\s+\d+ tx used\s+[\d.]+% of its weight \(\s*([\d,]+) of\s+([\d,]+) ns\)/.exec(output);
  if (!match) throw new Error(`no timing in benchmark block output:\n${output.slice(-2000)}`);
  const ns = (text) => Number(text.replaceAll(',', ''));
  return { ms: ns(match[1]) / 1e6, weightMs: ns(match[2]) / 1e6 };
}

const median3 = (values) => [...values].sort((x, y) => x - y)[1];

/**
 * The import time of block `number`: `benchmark block` executes it once in a fresh process, so
 * its state comes from the database as in a node's first import of it, with an empty trie cache
 * that the block fills itself (repeats in one process would find the block's own state cached).
 * A fresh process also compiles the runtime at its first execution, which a running node has
 * done long before: that time, measured the same way on the near-empty block 2 (only the
 * timestamp), is subtracted. Three processes of each; medians.
 */
async function importTime(spec, base, number, dir) {
  const full = [];
  const empty = [];
  for (let i = 0; i < 3; i += 1) {
    full.push(await executeOnce(spec, base, number, join(dir, `block-${number}-${i}.log`)));
    empty.push(await executeOnce(spec, base, 2, join(dir, `block-2-${i}.log`)));
  }
  const compileMs = median3(empty.map((r) => r.ms));
  const firstMs = median3(full.map((r) => r.ms));
  const importMs = firstMs - compileMs;
  return { importMs, firstExecutionMs: firstMs, compileMs, weightMs: full[0].weightMs, ofWeight: importMs / full[0].weightMs };
}

async function measureSize(size, scratch) {
  const dir = join(scratch, String(size));
  mkdirSync(dir, { recursive: true });
  const base = join(dir, 'chain');
  const population = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Ferdie').address;
  const { stdout } = await run(nodeBinary(), ['build-spec', '--chain', 'dev', '--disable-default-bootnode'], { maxBuffer: 64 * 1024 * 1024 });
  const json = JSON.parse(stdout);
  const patch = json.genesis.runtimeGenesis.patch;
  // A production chain's 6-second slot, so that a full block is as large as it would be there.
  patch.childChains.slotDurationMs = 6000;
  patch.deviceIdentity = { population: [population, size] };
  patch.dataAnchoring = { population: [population, size, PER_SUBJECT] };
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify(json));

  const result = { size };
  // Archive: `benchmark block` needs the measured block's parent state after the syncs; a pool
  // large enough for every anchor submitted at once.
  const validatorArgs = ['--chain', spec, '--base-path', base, '--alice', '--validator', '--force-authoring',
    '--state-pruning', 'archive', '--pool-limit', String(blockAnchors + 1_000), '--pool-kbytes', String(Math.max(20_480, blockAnchors * 2))];
  // The first start builds and commits the genesis state; its peak memory is that of building it.
  const first = await startNode(nodeBinary(), validatorArgs, join(dir, 'genesis.log'));
  result.genesisSeconds = first.startMs / 1000;
  result.genesisPeakMiB = memory(first.pid).peakMiB;
  await stopCleanly(first);
  console.error(`${size}: genesis and start ${result.genesisSeconds} s, peak ${result.genesisPeakMiB.toFixed(0)} MiB`);
  // The node measured from here on runs on the committed state, as any node after its first day.
  const node = await startNode(nodeBinary(), validatorArgs, join(dir, 'node.log'));
  try {
    result.startMemory = memory(node.pid);
    const { api } = node;
    const attester = { Account: population };
    result.api = {
      device: await latency(size, async (n) => (await api.call.deviceIdentityApi.device(populationDevice(n))).isSome),
      anchorOf: await latency(size, async (n) => (await api.call.dataAnchoringApi.anchorOf(populationAnchor(n)[0], attester)).isSome),
      tracePage: await latency(size, async (n) => (await api.call.dataAnchoringApi.trace(populationAnchor(n)[1], 0, PER_SUBJECT)).length === Math.min(PER_SUBJECT, size - Math.floor(n / PER_SUBJECT) * PER_SUBJECT)),
    };
    console.error(`${size}: API ${JSON.stringify(result.api)}`);
    result.block = await fullBlockOfAnchors(api);
    console.error(`${size}: block ${JSON.stringify(result.block)}`);
    // Let GRANDPA finalize the block, so that warp sync reaches it.
    await waitFor('the anchors finalized', async () =>
      (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() >= result.block.number,
    { timeoutMs: 120_000 });
    const target = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    if (!options['skip-sync']) {
      result.sync = {
        full: await syncTime(spec, node, target, 'full', dir),
        warp: await syncTime(spec, node, target, 'warp', dir),
      };
      console.error(`${size}: sync ${JSON.stringify(result.sync)}`);
    }
    result.memory = memory(node.pid);
  } finally {
    await stopCleanly(node);
  }
  result.dbBytes = diskBytes(base);
  Object.assign(result.block, await importTime(spec, base, result.block.number, dir));
  result.importMs = result.block.importMs;
  console.error(`${size}: import ${JSON.stringify(result.block)}, db ${(result.dbBytes / 2 ** 20).toFixed(1)} MiB`);
  const storage = await storageCosts(spec, base, dir);
  result.storage = { readNs: storage.readNs, writeNs: storage.writeNs };
  writeFileSync(join(options.out, `paritydb_weights_${size}.rs`), storage.weightsFile);
  console.error(`${size}: storage ${JSON.stringify(result.storage)}`);
  return result;
}

function plot(results, plots) {
  mkdirSync(plots, { recursive: true });
  const dat = join(options.out, 'scale.dat');
  const charts = [
    ['scale-storage.png', 'ParityDB cost per key (ns)', [[6, 'read'], [7, 'write']]],
    ['scale-import.png', 'full block of anchors: import (ms)', [[2, 'import']]],
    ['scale-api.png', 'runtime API latency, median (ms)', [[8, 'device'], [9, 'anchor\\_of'], [10, 'trace page']]],
    ['scale-disk-memory.png', 'MiB', [[3, 'database on disk'], [4, 'node peak RSS'], [13, 'peak RSS building genesis']]],
    ['scale-sync.png', 'seconds', [[11, 'full sync'], [12, 'warp sync'], [5, 'genesis build']]],
  ];
  for (const [file, ylabel, series] of charts) {
    const script = [
      'set terminal pngcairo size 800,500',
      `set output '${join(plots, file)}'`,
      'set logscale x', "set xlabel 'devices and anchors in state'", `set ylabel '${ylabel}'`,
      'set key left top', 'set grid', 'set yrange [0:*]', 'set format x "%.0s%c"',
      `plot ${series.map(([column, title]) => `'${dat}' using 1:${column} with linespoints title '${title}'`).join(', ')}`,
    ].join('\n');
    const done = spawnSync('gnuplot', [], { input: script, encoding: 'utf8' });
    if (done.status !== 0) throw new Error(`gnuplot failed for ${file}: ${done.stderr || done.error}`);
  }
}

/** The runtime's `DbWeight` from `benchmark storage` on the chain of `size`. */
function writeDbWeights(size) {
  const generated = readFileSync(join(options.out, `paritydb_weights_${size}.rs`), 'utf8');
  const header = [
    `//! The runtime's database weights: ParityDB measured by \`viot-node benchmark storage\` on a chain`,
    `//! holding ${size.toLocaleString('en')} devices and ${size.toLocaleString('en')} anchors (and their indexes, traces and`,
    '//! deposits). Written by `node scripts/bench/scale.mjs --write-db-weights` (or `--db-weights-only`',
    '//! from a run\'s output); the command it ran is below (the chain and its paths were temporary).',
    '//! The figures at every size and how they were chosen: docs/BENCHMARKS.md, "Scale".',
    '//!',
    '',
  ].join('\n');
  const body = generated
    .replace(/^\s*\n/, '')
    .replace(/(\/\/\/ Storage DB weights[^\n]*\n)/, '$1')
    // The generated test checks polkadot-sdk's constant of the same name; check ours.
    .replace('use super::constants::ParityDbWeight as W;', 'use super::ParityDbWeight as W;')
    // Comments, not doc comments, on the struct's fields (rustdoc documents no expression).
    .replace(/^(\t\t\t+)\/\/\//gm, '$1//')
    .replace(/\t\t\/\/\/ `ParityDB` can be enabled[^\n]*\n\t\t\/\/\/ are available[^\n]*\n/,
      '\t\t/// What reading and writing one storage item costs on a VIoT node (ParityDB).\n');
  writeFileSync(join(repoRoot, 'runtime', 'src', 'weights', 'paritydb_weights.rs'), header + body);
}

async function main() {
  if (options['db-weights-only']) {
    writeDbWeights(Math.max(...sizes));
    return;
  }
  await cryptoWaitReady();
  benchNode();
  mkdirSync(options.out, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'viot-scale-'));
  const results = [];
  for (const size of sizes) {
    // On failure the chains and logs stay in `scratch` for a look.
    console.error(`${size}: chains and logs in ${scratch}`);
    results.push(await measureSize(size, scratch));
  }
  rmSync(scratch, { recursive: true, force: true });
  writeFileSync(join(options.out, 'scale.json'), `${JSON.stringify(results, null, 2)}\n`);
  const rows = results.map((r) => [r.size, r.importMs, r.dbBytes / 2 ** 20, r.memory.peakMiB, r.genesisSeconds, r.storage.readNs, r.storage.writeNs,
    r.api.device.medianMs, r.api.anchorOf.medianMs, r.api.tracePage.medianMs, r.sync?.full.seconds ?? '-', r.sync?.warp.seconds ?? '-', r.genesisPeakMiB].map((v) => (typeof v === 'number' ? +v.toFixed(3) : v)).join(' '));
  writeFileSync(join(options.out, 'scale.dat'), `# size importMs dbMiB peakMiB genesisS readNs writeNs deviceMs anchorOfMs traceMs fullSyncS warpSyncS genesisPeakMiB\n${rows.join('\n')}\n`);
  console.log('| devices + anchors | genesis s (peak MiB) | DB MiB | peak RSS MiB | read ns | write ns | block of anchors | import ms (of weight) | device ms | anchor_of ms | trace ms | full sync s | warp sync s |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.size.toLocaleString('en')} | ${r.genesisSeconds.toFixed(1)} (${r.genesisPeakMiB.toFixed(0)}) | ${(r.dbBytes / 2 ** 20).toFixed(0)} | ${r.memory.peakMiB.toFixed(0)} | ${r.storage.readNs} | ${r.storage.writeNs} | ${r.block.anchors} (${(r.block.fullness * 100).toFixed(0)}%) | ${r.importMs.toFixed(1)} (${(r.block.ofWeight * 100).toFixed(0)}%) | ${r.api.device.medianMs.toFixed(2)} | ${r.api.anchorOf.medianMs.toFixed(2)} | ${r.api.tracePage.medianMs.toFixed(2)} | ${r.sync?.full.seconds.toFixed(1) ?? '–'} | ${r.sync?.warp.seconds.toFixed(1) ?? '–'} |`);
  }
  if (options.plots) plot(results, options.plots);
  if (options['write-db-weights']) writeDbWeights(Math.max(...sizes));
  if (options.strict) {
    for (const r of results) {
      if (!(r.importMs > 0 && r.storage.readNs > 0 && r.storage.writeNs > 0 && r.block.anchors > 0 && r.dbBytes > 0)) {
        throw new Error(`incomplete measurement at ${r.size}: ${JSON.stringify(r)}`);
      }
    }
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
