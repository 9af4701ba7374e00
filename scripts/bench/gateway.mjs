#!/usr/bin/env node
// Ingest and anchoring speed of viot-gateway on this machine, with a bounded load.
//
//   node scripts/bench/gateway.mjs                          # sr25519 and p256, 60,000 readings each
//                                                           # at 5,000 readings/s
//   node scripts/bench/gateway.mjs --rate 0                 # as fast as the gateway takes them
//   node scripts/bench/gateway.mjs --count 5000 --kinds p256 --strict
//   node scripts/bench/gateway.mjs --json results.json
//
// It starts its own `viot-node --dev --tmp` (1-second blocks) and gateway on free loopback
// ports, registers `--devices` devices of each key type, pre-signs `--count` readings per type
// (the signing is not timed), then posts them over HTTP in arrays of 1,000, `--connections` at
// a time, at `--rate` readings per second (0: as fast as the gateway acknowledges). The gateway
// batches every `--batch-interval-ms` (500). It reports:
// - ingest: verified and durably stored readings per second (first request sent to last
//   acknowledgement);
// - anchoring: the time from the first request until every batch is finalized, and for
//   a sample of readings the time from reception to the timestamp of the block that anchors it
//   (in blocks: at most 2 is the goal) and to the gateway seeing that block finalized.
// Every process is stopped on every outcome; the load ends after `--count` readings or
// `--timeout` seconds.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { deviceKey, randomId } from '../e2e/lib/devices.mjs';
import { postReadings, signReadings, startGateway } from '../e2e/lib/gateway.mjs';
import { startDevNode, submit, waitFor, waitForFinalized } from '../e2e/lib/node.mjs';

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '60000' },
    kinds: { type: 'string', default: 'sr25519,p256' },
    devices: { type: 'string', default: '50' },
    connections: { type: 'string', default: '4' },
    rate: { type: 'string', default: '5000' },
    'batch-interval-ms': { type: 'string', default: '500' },
    timeout: { type: 'string', default: '300' },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
});
const count = Number(options.count);
const deviceCount = Number(options.devices);
const connections = Number(options.connections);
const timeoutMs = Number(options.timeout) * 1000;
const kinds = options.kinds.split(',');
const rate = Number(options.rate);
if (!(rate >= 0)) throw new Error('--rate must be a number of readings per second, 0 for no limit');
if (!(count > 0 && count <= 500_000)) throw new Error('--count must be 1..500000');
if (!(deviceCount > 0 && deviceCount <= 1_000)) throw new Error('--devices must be 1..1000');
const PER_REQUEST = 1_000;
const BLOCK_MS = 1_000;

const seconds = (ms) => (ms / 1000).toFixed(2);
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

await cryptoWaitReady();
const dir = mkdtempSync(join(tmpdir(), 'viot-gateway-bench-'));
const node = await startDevNode();
let gateway;
const results = [];
let failed = false;
try {
  const { api } = node;
  const genesis = api.genesisHash.toHex();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const maker = keyring.addFromUri('//Charlie');
  const added = await submit(api, api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Bench')), keyring.addFromUri('//Alice'));
  if (added.error) throw new Error(added.error);
  gateway = await startGateway({
    nodePort: node.rpcPort,
    db: join(dir, 'gateway.sqlite'),
    extraArgs: ['--batch-interval-ms', options['batch-interval-ms']],
  });

  for (const kind of kinds) {
    const devices = Array.from({ length: deviceCount }, () => ({ key: deviceKey(kind), id: randomId() }));
    const registered = await submit(api, api.tx.utility.batchAll(devices.map(({ key, id }) =>
      api.tx.deviceIdentity.registerDevice(id, key.publicKey, maker.address, 'bench'))), maker);
    if (registered.error) throw new Error(registered.error);
    // Wait until the registrations are final: the gateway accepts finalized devices only.
    await waitForFinalized(api, (await api.rpc.chain.getHeader(registered.blockHash)).number.toNumber());

    const signStarted = Date.now();
    const perDevice = Math.ceil(count / deviceCount);
    const readings = devices.flatMap((device) => signReadings({ ...device, genesis, count: perDevice, label: 'bench' })).slice(0, count);
    // Interleave devices, as many devices sending at once would.
    readings.sort((a, b) => a.sequence - b.sequence);
    console.log(`${kind}: ${readings.length} readings from ${deviceCount} devices signed in ${seconds(Date.now() - signStarted)} s`);

    const requests = [];
    for (let start = 0; start < readings.length; start += PER_REQUEST) requests.push(readings.slice(start, start + PER_REQUEST));
    const stored0 = await gateway.metric('viot_gateway_readings_stored_total');
    const started = Date.now();
    let accepted = 0;
    let next = 0;
    await Promise.all(Array.from({ length: connections }, async () => {
      while (next < requests.length && Date.now() - started < timeoutMs) {
        const body = requests[next];
        // Paced: request n leaves no earlier than n * 1,000 / rate seconds after the start.
        const due = rate > 0 ? started + (next * PER_REQUEST * 1000) / rate : 0;
        next += 1;
        if (due > Date.now()) await new Promise((done) => setTimeout(done, due - Date.now()));
        const { status, json } = await postReadings(gateway.url, body);
        if (status !== 200) throw new Error(`HTTP ${status}: ${JSON.stringify(json)}`);
        accepted += json.accepted;
        if (json.refused > 0) throw new Error(`refused: ${JSON.stringify(json.results.find((r) => r.status !== 'accepted'))}`);
      }
    }));
    const ingestMs = Date.now() - started;
    const stored = (await gateway.metric('viot_gateway_readings_stored_total')) - stored0;
    await waitFor('every batch finalized', async () => {
      const health = await (await fetch(`${gateway.url}/health`)).json();
      return health.unbatched === 0 && health.openBatches === 0;
    }, { timeoutMs, intervalMs: 100 });
    const anchoredMs = Date.now() - started;

    // Every 100th reading: reception to the anchoring block's timestamp and to finality as the
    // gateway saw it; and, for every batch met (each holds thousands of readings, so all are),
    // its oldest reading to its block: the worst case of every reading in it.
    const sample = readings.filter((_, i) => i % 100 === 0);
    const toBlock = [];
    const toFinal = [];
    const batchWorst = new Map();
    const anchorTimes = new Map();
    for (const reading of sample) {
      const bundle = (await (await fetch(`${gateway.url}/readings/${reading.digest}`)).json()).readings[0];
      const { root } = bundle.batch;
      if (!anchorTimes.has(root)) {
        const anchor = (await api.call.dataAnchoringApi.anchorOf(root, { Account: bundle.gateway })).unwrap();
        anchorTimes.set(root, anchor.timestamp.toNumber());
        batchWorst.set(root, anchor.timestamp.toNumber() - bundle.batch.oldestReadingAt);
      }
      toBlock.push(anchorTimes.get(root) - bundle.receivedAt);
      toFinal.push(bundle.batch.block.finalizedAt - bundle.receivedAt);
    }
    const worst = Math.max(...batchWorst.values());
    const result = {
      kind,
      rate: rate || 'unpaced',
      readings: readings.length,
      accepted,
      stored,
      ingestSeconds: Number(seconds(ingestMs)),
      ingestPerSecond: Math.round(stored / (ingestMs / 1000)),
      allFinalizedSeconds: Number(seconds(anchoredMs)),
      receptionToBlockMs: { p50: percentile(toBlock, 50), p95: percentile(toBlock, 95), max: Math.max(...toBlock) },
      receptionToFinalizedMs: { p50: percentile(toFinal, 50), p95: percentile(toFinal, 95), max: Math.max(...toFinal) },
      batches: batchWorst.size,
      worstReadingToBlockMs: worst,
      // Slots of 1 s: a reading received at t is in the block of slot ceil(t) at the latest
      // when this is 1, of the next slot when 2.
      maxBlocksToAnchor: Math.ceil(worst / BLOCK_MS),
    };
    results.push(result);
    console.log(JSON.stringify(result));
    if (options.strict && (stored !== readings.length || accepted !== readings.length)) {
      failed = true;
      console.error(`${kind}: ${stored} of ${readings.length} readings stored`);
    }
  }
  if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 2));
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  if (gateway) await gateway.stop();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
