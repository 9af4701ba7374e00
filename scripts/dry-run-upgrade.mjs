#!/usr/bin/env node
// Dry-runs a runtime upgrade on a copy of a running VIoT chain's real state, changing nothing on
// the chain:
//
//   node scripts/dry-run-upgrade.mjs --url ws://127.0.0.1:9944 --wasm <try-runtime build>
//
// With chopsticks (@acala-network/chopsticks): every storage item of every pallet is copied from
// the node at its best block into a local database (`chopsticks fetch-storages`), the new
// runtime is put on that copy, and its `TryRuntime_on_runtime_upgrade` runs there with every
// check (`--checks All`): each migration's pre_upgrade/post_upgrade, that the whole state decodes,
// and every pallet's try_state. The WASM must be built with the `try-runtime` feature
// (`cargo build --release -p viot-runtime --features try-runtime` writes
// viot_runtime_try_runtime.compact.compressed.wasm). Prints the versions, each migration and
// check, and the weight; exit code 0 when every check passed, 1 otherwise.
//
// Copying the state first matters: a fork that loads state lazily runs the migrations over the
// little it has fetched, and a broken entry elsewhere goes unnoticed.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';

const USAGE = `usage: node scripts/dry-run-upgrade.mjs --wasm <file> [--url ws://127.0.0.1:9944] [--timeout 600]

  --wasm     the new runtime, built with the try-runtime feature
  --url      a node's WebSocket RPC endpoint (default ws://127.0.0.1:9944)
  --timeout  seconds for copying the state and for the checks, each (default 600)`;

const chopsticks = join(dirname(fileURLToPath(import.meta.url)), 'node_modules/.bin/chopsticks');

/** chopsticks' output without the warnings about its own nested Polkadot.js copies. */
const clean = (text) => (text ?? '')
  .split('\n')
  .filter((line) => line.trim() && !/multiple versions|conflicting packages|^\s+(cjs|esm) \d|Either remove|dedupe using/.test(line))
  .join('\n');

async function main() {
  const { values } = parseArgs({
    options: {
      wasm: { type: 'string' },
      url: { type: 'string', default: 'ws://127.0.0.1:9944' },
      timeout: { type: 'string', default: '600' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.wasm) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (!existsSync(values.wasm)) {
    console.error(`cannot read ${values.wasm}`);
    return 2;
  }
  const timeout = Number(values.timeout) * 1000;

  // The best block and the pallets that keep storage, from the node itself.
  const api = await ApiPromise.create({ provider: new WsProvider(values.url), noInitWarn: true, throwOnConnect: true });
  let block;
  let pallets;
  try {
    block = (await api.rpc.chain.getHeader()).number.toNumber();
    pallets = api.runtimeMetadata.asLatest.pallets
      .filter((pallet) => pallet.storage.isSome)
      .map((pallet) => pallet.name.toString());
  } finally {
    await api.disconnect();
  }

  const scratch = mkdtempSync(join(tmpdir(), 'viot-dry-run-'));
  const db = join(scratch, 'state.sqlite');
  const run = (args) => promisify(execFile)(chopsticks, args, { timeout, maxBuffer: 256 * 1024 * 1024 });
  try {
    const started = Date.now();
    await run(['fetch-storages', ...pallets, '--endpoint', values.url, '--block', String(block), '--db', db]);
    console.log(`copied the state of ${pallets.length} pallets at block #${block} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    try {
      const { stdout, stderr } = await run([
        'try-runtime', '--endpoint', values.url, '--block', String(block), '--db', db,
        '--runtime', values.wasm, '--checks', 'All', '--runtime-log-level', '3',
      ]);
      console.log(clean(stdout));
      if (clean(stderr)) console.error(clean(stderr));
      console.log('dry run passed: every migration and check succeeded on the copy');
      return 0;
    } catch (error) {
      console.log(clean(error.stdout));
      console.error(clean(error.stderr));
      console.error('dry run FAILED: the upgrade would break the chain (see above); nothing on chain changed');
      return 1;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
