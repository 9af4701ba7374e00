#!/usr/bin/env node
// Runs the end-to-end test files side by side and prints, at the end, how long each took
// against its budget (e2e/budgets.json), so that a suite that grows slower is seen at once.
//
//   node e2e/run.mjs [--concurrency N] [file.test.mjs ...]
//
// Every file starts its own nodes on free loopback ports, so files run in parallel: the
// longest budgets start first, `--concurrency` (default $VIOT_E2E_CONCURRENCY, else 3) at a
// time. Each file's output is printed in one piece when it ends. A file that runs past four
// times its budget (at least five minutes) is stopped with everything it started and fails.
// Exits non-zero when any file fails; a file over budget is reported, not failed.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const budgets = JSON.parse(readFileSync(join(here, 'budgets.json'), 'utf8'));

function parseArgs(argv) {
  const options = { concurrency: Number(process.env.VIOT_E2E_CONCURRENCY || 3), files: [] };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--concurrency') options.concurrency = Number(argv[(i += 1)]);
    else options.files.push(argv[i]);
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new Error('--concurrency takes a whole number of at least 1');
  }
  if (options.files.length === 0) {
    options.files = readdirSync(here)
      .filter((name) => name.endsWith('.test.mjs'))
      .map((name) => join(here, name));
  }
  return options;
}

const budgetOf = (file) => budgets[basename(file)];
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
const clock = () => new Date().toISOString().slice(11, 19);

/** Runs one file under `node --test`; resolves with its outcome and its whole output. */
function runFile(file) {
  const budget = budgetOf(file) ?? 120;
  const limitMs = Math.max(4 * budget, 300) * 1000;
  const started = Date.now();
  // Its own process group, so that stopping it also stops every node and relayer it started.
  const child = spawn(process.execPath, ['--test', '--test-reporter=tap', file], {
    cwd: dirname(here),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  running.add(child);
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  child.stderr.on('data', (chunk) => chunks.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup(child);
  }, limitMs);
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const output = Buffer.concat(chunks).toString();
      const count = (name) => Number(output.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
      done({
        file,
        budget,
        ms: Date.now() - started,
        passed: code === 0 && !timedOut,
        timedOut,
        exit: signal ?? code,
        tests: count('tests'),
        failedTests: count('fail'),
        output,
      });
    });
  });
}

const running = new Set();

function stopGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 10_000).unref();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) stopGroup(child);
    process.exit(130);
  });
}

async function main() {
  const { concurrency, files } = parseArgs(process.argv.slice(2));
  const unbudgeted = files.filter((file) => budgetOf(file) === undefined).map((file) => basename(file));
  // Longest first, so that the slowest file does not start last.
  const queue = [...files].sort((a, b) => (budgetOf(b) ?? 120) - (budgetOf(a) ?? 120));
  const started = Date.now();
  console.log(`${clock()} running ${queue.length} end-to-end files, ${concurrency} at a time`);
  const results = [];
  const worker = async () => {
    while (queue.length > 0) {
      const file = queue.shift();
      console.log(`${clock()} start  ${relative(process.cwd(), file)}`);
      const result = await runFile(file);
      results.push(result);
      const verdict = result.passed ? 'passed' : result.timedOut ? 'TIMED OUT' : 'FAILED';
      console.log(`\n${clock()} ---- ${relative(process.cwd(), file)}: ${verdict} in ${seconds(result.ms)} ----`);
      process.stdout.write(result.output);
      console.log(`---- end of ${basename(file)} ----\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  const wall = Date.now() - started;
  const rows = results
    .sort((a, b) => b.ms - a.ms)
    .map((r) => {
      const over = r.ms > r.budget * 1000 ? `over budget by ${seconds(r.ms - r.budget * 1000)}` : '';
      const state = r.passed ? 'ok' : r.timedOut ? 'timed out' : `failed (${r.failedTests} of ${r.tests})`;
      return [basename(r.file), String(r.tests), state, seconds(r.ms), `${r.budget} s`, over];
    });
  const header = ['file', 'tests', 'result', 'time', 'budget', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`End-to-end files (${concurrency} at a time), wall time ${seconds(wall)}, `
    + `sum of file times ${seconds(results.reduce((sum, r) => sum + r.ms, 0))}:`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  if (unbudgeted.length > 0) {
    console.log(`no budget in e2e/budgets.json (120 s assumed): ${unbudgeted.join(', ')}`);
  }
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    console.log(`${failed.length} file(s) failed: ${failed.map((r) => basename(r.file)).join(', ')}`);
    process.exit(1);
  }
}

await main();
