// Runs `viot-relayer` for the end-to-end tests: `register` as a one-shot command, relaying as a
// background process that is always stopped (SIGTERM, then SIGKILL) however the test ends.

import { execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { relayerBinary } from './node.mjs';

/** Registers the chain at `sourcePort` on the chain at `targetPort`; resolves with its chain id. */
export async function registerChild({ sourcePort, targetPort, signer = '//Alice', extraArgs = [] }) {
  const { stdout } = await promisify(execFile)(relayerBinary(), [
    'register',
    '--source', `ws://127.0.0.1:${sourcePort}`,
    '--target', `ws://127.0.0.1:${targetPort}`,
    '--signer', signer,
    ...extraArgs,
  ], { timeout: 120_000 });
  return Number(stdout.trim());
}

/**
 * Starts relaying `chainId` from `sourcePort` to `targetPort`; returns
 * `{ logFile, log(), running(), stop() }`, `stop()` resolving with the exit code.
 */
export function startRelayer({ sourcePort, targetPort, chainId, signer = '//Bob' }) {
  const logFile = join(mkdtempSync(join(tmpdir(), 'viot-relayer-')), 'relayer.log');
  const log = createWriteStream(logFile);
  const child = spawn(relayerBinary(), [
    '--source', `ws://127.0.0.1:${sourcePort}`,
    '--target', `ws://127.0.0.1:${targetPort}`,
    '--chain-id', String(chainId),
    '--signer', signer,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  const exitPromise = new Promise((done) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    done(exited);
  }));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    return exited;
  };
  return {
    logFile,
    log: () => readFileSync(logFile, 'utf8'),
    running: () => !exited,
    stop,
  };
}
