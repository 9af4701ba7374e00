// The four-validator `local` network of scripts/local-net.sh (Alice, Bob, Charlie, Dave) on free
// loopback ports in a throw-away directory, for tests that need real finality.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';

import { nodeBinary, repoRoot, waitFor } from './node.mjs';

const run = promisify(execFile);

/** The validators of the `local` chain, in the order of their ports. */
export const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

/** Whether nothing listens on 127.0.0.1:`port`. */
function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A base port with `count` free ports from it. */
export async function freePortRange(count) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no range of free loopback ports');
}

/**
 * Connects Polkadot.js to `url`, retrying until the node answers (up to 180 s: a node compiles
 * its runtime before it serves RPC, ~10 s of CPU, and the end-to-end files start four-validator
 * networks side by side on two cores; at 60 s both such files timed out when they started
 * together).
 */
export async function connectApi(url) {
  return waitFor(`the RPC at ${url}`, async () => {
    const provider = new WsProvider(url, false);
    try {
      await provider.connect();
      return await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
    } catch {
      await provider.disconnect().catch(() => {});
      return false;
    }
  }, { timeoutMs: 180_000, intervalMs: 500 });
}

/**
 * Starts the four validators and returns `{ apis, connect(name), disconnect(name), localNet(...args),
 * rpcPort(name), bootnode(), purge() }`. `localNet` runs scripts/local-net.sh with this network's
 * settings (start, stop, kill NAME...); `purge()` stops every node and deletes the directory.
 */
export async function startLocalNet() {
  const netDir = mkdtempSync(join(tmpdir(), 'viot-local-net-'));
  const rpcBase = await freePortRange(VALIDATORS.length);
  const p2pBase = await freePortRange(VALIDATORS.length);
  const env = {
    ...process.env,
    VIOT_NODE: nodeBinary(),
    VIOT_NET_DIR: netDir,
    VIOT_NET_RPC_PORT: String(rpcBase),
    VIOT_NET_P2P_PORT: String(p2pBase),
    VIOT_NET_NO_BUILD: '1',
  };
  const apis = {};
  const localNet = (...args) => run(join(repoRoot, 'scripts/local-net.sh'), args, { env, timeout: 120_000 });
  const rpcPort = (name) => rpcBase + VALIDATORS.indexOf(name);
  const net = {
    apis,
    localNet,
    rpcPort,
    async connect(name) {
      apis[name] = await connectApi(`ws://127.0.0.1:${rpcPort(name)}`);
      return apis[name];
    },
    async disconnect(name) {
      await apis[name]?.disconnect().catch(() => {});
      delete apis[name];
    },
    /** Alice's address for `--bootnodes` (local-net.sh gives her node key 1). */
    async bootnode() {
      const { stdout } = await run(nodeBinary(), ['key', 'inspect-node-key', '--file', join(netDir, 'alice/node-key')]);
      return `/ip4/127.0.0.1/tcp/${p2pBase}/p2p/${stdout.trim()}`;
    },
    async purge() {
      for (const name of Object.keys(apis)) await net.disconnect(name);
      await localNet('purge').catch(() => {});
      rmSync(netDir, { recursive: true, force: true });
    },
  };
  try {
    await localNet('start');
  } catch (error) {
    await net.purge();
    throw error;
  }
  return net;
}
