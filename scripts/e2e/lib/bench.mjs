// Runs one of the benchmark scripts of scripts/bench/ as a smoke test: in a process group of its
// own (killed whole if the test ends first), its output kept; resolves with its exit and output.

import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { nodeBinary, repoRoot } from './node.mjs';

export function runBench(script, args) {
  const run = spawn(process.execPath, [join(repoRoot, 'scripts/bench', script), ...args], {
    cwd: join(repoRoot, 'scripts'),
    env: { ...process.env, VIOT_NODE: nodeBinary() },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => {
    try {
      process.kill(-run.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  // Never left behind, whatever happens to this process.
  process.on('exit', kill);
  let output = '';
  run.stdout.on('data', (chunk) => { output += chunk; });
  run.stderr.on('data', (chunk) => { output += chunk; });
  return new Promise((resolve) => run.on('exit', (code, signal) => {
    kill();
    resolve({ code: code ?? signal, output });
  }));
}
