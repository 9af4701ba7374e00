// The four-validator network described for zombienet (zombienet/local.toml) and its fault drills
// in zombienet's test language (zombienet/faults.zndsl): `zombienet test` with the native
// provider starts the four nodes from our binary on loopback ports, runs every line, and deletes
// the network. The run is a process group of its own, killed whole if the test ends early.
// About 60 s.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { nodeBinary, repoRoot } from './lib/node.mjs';

let run;

after(() => {
  // zombienet and every node it started share the process group: whatever is left of it, even
  // after zombienet exited, goes.
  try {
    if (run) process.kill(-run.pid, 'SIGKILL');
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
});

test('zombienet: the fault drills of zombienet/faults.zndsl pass on the four-validator network', async (t) => {
  const zombienet = join(repoRoot, 'scripts/node_modules/.bin/zombienet');
  run = spawn(zombienet, ['test', '--provider', 'native', join(repoRoot, 'zombienet/faults.zndsl')], {
    cwd: join(repoRoot, 'zombienet'),
    env: { ...process.env, VIOT_NODE: nodeBinary(), NO_COLOR: '1', FORCE_COLOR: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never left behind, whatever happens to this process.
  process.on('exit', () => {
    try {
      process.kill(-run.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  let output = '';
  run.stdout.on('data', (chunk) => { output += chunk; });
  run.stderr.on('data', (chunk) => { output += chunk; });
  const code = await new Promise((resolve) => run.on('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = text.split('\n').filter((line) => /[✅❌]/.test(line)).map((line) => line.replace(/[│┃]/g, '').trim());
  for (const line of lines) t.diagnostic(line);
  const logs = text.match(/(\/tmp\/zombie-[^\s/]+)/)?.[1];
  assert.equal(code, 0, `zombienet test failed (exit ${code}); node logs under ${logs}:\n${text.slice(-6000)}`);
  const result = text.match(/Result: (\d+)\/(\d+)/);
  assert.ok(result, 'zombienet printed its result');
  assert.equal(result[1], result[2], `every line passed: ${result[0]}`);
  const steps = readFileSync(join(repoRoot, 'zombienet/faults.zndsl'), 'utf8').split('\n')
    .filter((line) => line.trim() && !line.startsWith('#') && !/^(Description|Network|Creds):/.test(line));
  assert.equal(Number(result[2]), steps.length, `every line of the drill ran: ${result[0]}`);
  if (logs) rmSync(logs, { recursive: true, force: true });
});
