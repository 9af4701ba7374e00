// Runs `viot-gateway` and a Mosquitto broker for the end-to-end tests, and signs readings as
// devices do. Every process started here is stopped (SIGTERM, then SIGKILL) however the test
// ends, also when this process exits.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { u8aToHex } from '@polkadot/util';
import { readingPayload, recordDigest } from '@viot/sdk';

import { freePort, startProcess, waitFor } from './node.mjs';

const targetDir = () => process.env.CARGO_TARGET_DIR || join(process.env.HOME || '/root', '.cache/viot/target');

/** The gateway binary: $VIOT_GATEWAY, or the release build in the shared target dir. */
export function gatewayBinary() {
  const binary = process.env.VIOT_GATEWAY || join(targetDir(), 'release', 'viot-gateway');
  if (!existsSync(binary)) {
    throw new Error(`viot-gateway not found at ${binary}; build it with cargo build --release -p viot-gateway`);
  }
  return binary;
}

/** Mosquitto's binary: Debian installs it in /usr/sbin. */
function mosquittoBinary() {
  for (const binary of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) {
    if (existsSync(binary)) return binary;
  }
  throw new Error('mosquitto not found; scripts/setup.sh installs it (Debian package mosquitto)');
}

/**
 * Starts a Mosquitto broker on a free loopback port: QoS 1 messages of a disconnected
 * persistent session are queued without limit, so a gateway that was killed gets them all.
 */
export async function startMosquitto() {
  const dir = mkdtempSync(join(tmpdir(), 'viot-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'max_queued_messages 0',
    'max_inflight_messages 64',
    'log_dest stderr',
    '',
  ].join('\n'));
  const broker = startProcess(mosquittoBinary(), ['-c', config], join(dir, 'mosquitto.log'));
  await waitFor(`mosquitto on port ${port} (log: ${broker.logFile})`, () => {
    if (!broker.running()) throw Object.assign(new Error(`mosquitto exited: ${broker.log()}`), { fatal: true });
    return /mosquitto version .* running/.test(broker.log());
  }, { timeoutMs: 15_000, intervalMs: 50 });
  return { ...broker, port, url: `mqtt://127.0.0.1:${port}` };
}

/**
 * Starts the gateway against the node at `nodePort` with its store at `db`; resolves once its
 * HTTP API answers and it follows the chain (`GET /health` is 200). Returns the process handle
 * with `url` (the HTTP API) and `metric(name)`.
 */
export async function startGateway({ nodePort, db, mqttUrl, signer = '//Eve', httpPort, extraArgs = [], readyTimeoutMs = 30_000 }) {
  const port = httpPort ?? (await freePort());
  const logFile = join(mkdtempSync(join(tmpdir(), 'viot-gateway-')), 'gateway.log');
  const gateway = startProcess(gatewayBinary(), [
    'run',
    '--node', `ws://127.0.0.1:${nodePort}`,
    '--signer', signer,
    '--db', db,
    '--http', `127.0.0.1:${port}`,
    ...(mqttUrl ? ['--mqtt', mqttUrl] : []),
    ...extraArgs,
  ], logFile);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the gateway's API on ${url} (log: ${logFile})`, async () => {
    if (!gateway.running()) {
      throw Object.assign(new Error(`viot-gateway exited (${JSON.stringify(gateway.exited())}): ${gateway.log()}`), { fatal: true });
    }
    return (await fetch(`${url}/health`)).status === 200;
  }, { timeoutMs: readyTimeoutMs, intervalMs: 100 });
  /** The value of the metric line that starts with `name` (summed over its labels), or 0. */
  const metric = async (name) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return text.split('\n')
      .filter((line) => line.startsWith(name) && !line.startsWith('#'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  };
  return { ...gateway, url, port, metric };
}

/**
 * `count` readings (event code `eventKind`) of the device `id` signed with `key` (an SDK
 * DeviceKey) for the chain `genesis`, sequence numbers from `firstSequence`: the JSON a device
 * sends, its digest among it.
 */
export function signReadings({ key, id, genesis, count, firstSequence = 1, eventKind = 10, label = 'reading' }) {
  const readings = [];
  for (let i = 0; i < count; i += 1) {
    const sequence = firstSequence + i;
    const digest = u8aToHex(recordDigest(new TextEncoder().encode(`${label} ${id} ${sequence} ${Math.random()}`)));
    const signature = key.sign(readingPayload(genesis, id, sequence, digest, null, eventKind));
    // The gateway takes the signature as the key type gives it: drop SCALE's variant byte.
    readings.push({ device: id, digest, sequence, kind: eventKind, signature: u8aToHex(signature.slice(1)) });
  }
  return readings;
}

/** Posts `body` (one reading or an array) to the gateway; resolves with `{ status, json }`. */
export async function postReadings(url, body) {
  const response = await fetch(`${url}/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/**
 * Publishes `messages` (JSON values) to `topic` at QoS 1, one per line through
 * `mosquitto_pub -l`; resolves once every message was acknowledged by the broker.
 */
export function publish(brokerPort, topic, messages) {
  return new Promise((done, reject) => {
    const child = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(brokerPort), '-t', topic, '-q', '1', '-l'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? done() : reject(new Error(`mosquitto_pub exited ${code}: ${stderr}`))));
    child.stdin.end(messages.map((message) => JSON.stringify(message)).join('\n') + '\n');
  });
}
