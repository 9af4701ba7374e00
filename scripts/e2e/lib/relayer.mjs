// Runs `viot-relayer` for the end-to-end tests: `register` as a one-shot command, relaying as a
// background process that is always stopped (SIGTERM, then SIGKILL) however the test ends.

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { relayerBinary, startProcess } from './node.mjs';

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
export function startRelayer({ sourcePort, targetPort, chainId, signer = '//Bob', extraArgs = [] }) {
  const logFile = join(mkdtempSync(join(tmpdir(), 'viot-relayer-')), 'relayer.log');
  const { log, running, stop, kill } = startProcess(relayerBinary(), [
    '--source', `ws://127.0.0.1:${sourcePort}`,
    '--target', `ws://127.0.0.1:${targetPort}`,
    '--chain-id', String(chainId),
    '--signer', signer,
    ...extraArgs,
  ], logFile);
  return { logFile, log, running, stop, kill };
}
