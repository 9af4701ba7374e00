// Starts a throw-away `viot-node --dev --tmp` on free loopback ports and connects Polkadot.js
// to it. Every test file starts its own node and stops it in an `after` hook, so a failing test
// never leaves a node behind.

import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';

export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');

const targetDir = () => process.env.CARGO_TARGET_DIR || join(process.env.HOME || '/root', '.cache/viot/target');

/** The relayer binary: $VIOT_RELAYER, or the release build in the shared target dir. */
export function relayerBinary() {
  const binary = process.env.VIOT_RELAYER || join(targetDir(), 'release', 'viot-relayer');
  if (!existsSync(binary)) {
    throw new Error(`viot-relayer not found at ${binary}; build it with cargo build --release -p viot-relayer`);
  }
  return binary;
}

/** The node binary: $VIOT_NODE, or the release build in the shared target dir. */
export function nodeBinary() {
  const binary = process.env.VIOT_NODE || join(targetDir(), 'release', 'viot-node');
  if (!existsSync(binary)) {
    throw new Error(`viot-node not found at ${binary}; build it with cargo build --release -p viot-node`);
  }
  return binary;
}

/**
 * A runtime WASM built in the shared target dir: `viot_runtime` (the node's own runtime) or
 * `viot_runtime_upgrade_test` (built with the runtime's `upgrade-test` feature).
 */
export function runtimeWasm(name) {
  const wasm = join(targetDir(), 'release', 'wbuild', 'viot-runtime', `${name}.compact.compressed.wasm`);
  if (!existsSync(wasm)) {
    const feature = name === 'viot_runtime' ? '' : ' --features upgrade-test';
    throw new Error(`${wasm} not found; build it with cargo build --release -p viot-runtime${feature}`);
  }
  return wasm;
}

/**
 * Writes the `dev` chain spec (or `chain`'s), changed by `edit(spec)`, to `dir/name` and returns
 * its path: for a dev chain with another runtime or slot (pass it as `--chain <path>` next to
 * `--dev`).
 */
export async function writeDevSpec(dir, name, edit, chain = 'dev') {
  const { stdout } = await promisify(execFile)(nodeBinary(), ['build-spec', '--chain', chain, '--disable-default-bootnode'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const spec = JSON.parse(stdout);
  edit(spec);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

/** The spec_version of this release's runtime (the first `spec_version` in runtime/src/lib.rs). */
export function releaseSpecVersion() {
  const source = readFileSync(join(repoRoot, 'runtime/src/lib.rs'), 'utf8');
  return Number(source.match(/spec_version: (\d+),/)[1]);
}

/**
 * Turns this release's `dev` chain spec into one the runtime `wasmPath` of the previous release
 * (spec_version 105, scripts/e2e/fixtures/) builds its genesis from: its code; no genesis slot
 * duration (its chains run 6-second slots); and, as it has no session pallet, validator set or
 * council, the validators as Aura's and GRANDPA's genesis authorities.
 */
export function asPreviousRelease(spec, wasmPath) {
  const { runtimeGenesis } = spec.genesis;
  runtimeGenesis.code = `0x${readFileSync(wasmPath).toString('hex')}`;
  const { patch } = runtimeGenesis;
  delete patch.childChains.slotDurationMs;
  const keys = patch.session.keys.map(([, , sessionKeys]) => sessionKeys);
  patch.aura = { authorities: keys.map(({ aura }) => aura) };
  patch.grandpa = { authorities: keys.map(({ grandpa }) => [grandpa, 1]) };
  delete patch.session;
  delete patch.validatorSet;
  delete patch.councilMembership;
}

/**
 * Spawns `command` with its output appended to `logFile`; returns `{ logFile, log(), running(),
 * exited(), stop(), kill() }`: `stop()` ends it with SIGTERM (SIGKILL after `stopGraceMs`,
 * default 10 s), `kill()` with
 * SIGKILL at once (as a crash would), both resolving with how it exited. It is also killed when
 * this process exits.
 */
export function startProcess(command, args, logFile, { stopGraceMs = 10_000 } = {}) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exitPromise = new Promise((done) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    done(exited);
  }));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const end = async (signal) => {
    if (!exited) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), signal === 'SIGKILL' ? 0 : stopGraceMs);
      await exitPromise;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    return exited;
  };
  return {
    logFile,
    pid: child.pid,
    log: () => readFileSync(logFile, 'utf8'),
    running: () => !exited,
    exited: () => exited,
    stop: () => end('SIGTERM'),
    /** Ends it at once, as a crash would. */
    kill: () => end('SIGKILL'),
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Polls `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. An
 * error thrown by `check` is retried, unless it is marked `fatal` (waiting cannot help).
 */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      if (error?.fatal) throw error;
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
}

/** Asks the JSON-RPC server over HTTP whether it answers yet. */
/** Whether a node's JSON-RPC answers on `rpcPort` (throws while nothing listens). */
export async function rpcAnswers(rpcPort) {
  const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
  });
  return response.ok && (await response.json()).result !== undefined;
}

/**
 * Starts a dev node (state in a throw-away directory, or in `basePath`; RPC on a free port or on
 * `rpcPort`) and returns
 * `{ api, rpcPort, logFile, pid, running, stop, kill }`; `running()` says whether the process is
 * still the one started here and alive.
 * `stop()` disconnects Polkadot.js and ends the node (SIGTERM, then SIGKILL after 10 s).
 */
export async function startDevNode(options = {}) {
  // Test files run side by side, so a port found free can be taken by another file's node
  // before this one binds it: then start again on other ports.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startDevNodeOnce(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startDevNodeOnce({ extraArgs = [], basePath, rpcPort: fixedRpcPort, p2pWebSocket = false, prometheus = false } = {}) {
  const [rpcPort, p2pPort] = [fixedRpcPort ?? (await freePort()), await freePort()];
  // With `prometheus`, its metrics on a free port (chosen again on every attempt).
  const prometheusPort = prometheus ? await freePort() : undefined;
  const logDir = mkdtempSync(join(tmpdir(), 'viot-e2e-'));
  const logFile = join(logDir, 'node.log');
  const log = createWriteStream(logFile);
  const args = [
    '--dev',
    ...(basePath ? ['--base-path', basePath] : ['--tmp']),
    '--rpc-port', String(rpcPort),
    // With p2pWebSocket, peers (light clients in browsers among them) connect over WebSocket.
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}${p2pWebSocket ? '/ws' : ''}`,
    ...(prometheusPort ? ['--prometheus-port', String(prometheusPort)] : ['--no-prometheus']),
    '--no-telemetry',
    '--no-mdns',
    ...extraArgs,
  ];
  const child = spawn(nodeBinary(), args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exitPromise = new Promise((done) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      done(exited);
    }),
  );
  // Never leave a node behind, whatever happens to this process.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let api;
  const stop = async () => {
    if (api) await api.disconnect().catch(() => {});
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
  };

  try {
    await waitFor(`the node's RPC on port ${rpcPort} (log: ${logFile})`, async () => {
      if (exited) {
        const message = `viot-node exited early (${JSON.stringify(exited)}); see ${logFile}`;
        const portTaken = !fixedRpcPort && /address already in use/i.test(readFileSync(logFile, 'utf8'));
        const error = portTaken ? new PortTakenError(message) : new Error(message);
        error.fatal = true;
        throw error;
      }
      return rpcAnswers(rpcPort);
    }, { timeoutMs: 120_000 });
    api = await ApiPromise.create({
      provider: new WsProvider(`ws://127.0.0.1:${rpcPort}`),
      noInitWarn: true,
      throwOnConnect: true,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  /** Ends the node with `signal` at once (SIGKILL: as a crash would) and waits for it. */
  const kill = async (signal = 'SIGKILL') => {
    if (api) await api.disconnect().catch(() => {});
    if (!exited) {
      child.kill(signal);
      await exitPromise;
    }
    process.off('exit', killOnExit);
  };
  return { api, rpcPort, p2pPort, prometheusPort, logFile, pid: child.pid, running: () => !exited, stop, kill };
}

/** The number of the chain's finalized block. */
export const finalizedNumber = async (api) => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** The number of the chain's best block. */
export const bestNumber = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();

/** Resolves with the header once the finalized chain reaches `number`. */
export function waitForFinalized(api, number, timeoutMs = 90_000) {
  return waitForHead(api.rpc.chain.subscribeFinalizedHeads, number, timeoutMs, 'finalized');
}

/** Resolves with the header once the best chain reaches `number`. */
export function waitForBest(api, number, timeoutMs = 90_000) {
  return waitForHead(api.rpc.chain.subscribeNewHeads, number, timeoutMs, 'best');
}

function waitForHead(subscribe, number, timeoutMs, kind) {
  return new Promise((resolveHead, reject) => {
    let unsubscribe;
    const timer = setTimeout(() => {
      if (unsubscribe) unsubscribe();
      reject(new Error(`no ${kind} block #${number} within ${timeoutMs} ms`));
    }, timeoutMs);
    subscribe((header) => {
      if (header.number.toNumber() >= number) {
        clearTimeout(timer);
        if (unsubscribe) unsubscribe();
        resolveHead(header);
      }
    }).then((unsub) => {
      unsubscribe = unsub;
    }, reject);
  });
}

/**
 * Signs and submits `tx`, resolving once it is in a block with `{ blockHash, events }` (the
 * events of this extrinsic only), or rejecting with the pool's error.
 */
export function signAndSendInBlock(tx, signer) {
  return new Promise((resolveResult, reject) => {
    let unsubscribe;
    tx.signAndSend(signer, (result) => {
      if (result.isInBlock) {
        if (unsubscribe) unsubscribe();
        resolveResult({ blockHash: result.status.asInBlock, events: result.events, dispatchError: result.dispatchError });
      } else if (result.isError) {
        if (unsubscribe) unsubscribe();
        reject(new Error(`transaction failed: ${result.status.type}`));
      }
    }).then((unsub) => {
      unsubscribe = unsub;
    }, reject);
  });
}

/** `Section.Name` of a dispatch error, as Polkadot.js decodes it from the metadata. */
export function errorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.toString();
}

/** Submits `tx` and resolves with `{ blockHash, events, error }`, `error` being `Section.Name`. */
export async function submit(api, tx, signer) {
  const { blockHash, events, dispatchError } = await signAndSendInBlock(tx, signer);
  return { blockHash, events, error: dispatchError ? errorName(api, dispatchError) : undefined };
}
