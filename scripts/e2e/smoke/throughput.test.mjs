// A few seconds of the throughput benchmark (scripts/bench/throughput.mjs --strict): 24 of every
// kind of extrinsic on a dev node with 1-second slots, each of which must land and succeed. About
// 40 s.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { runBench } from '../lib/bench.mjs';

test('throughput smoke run: every kind of extrinsic lands and succeeds', async (t) => {
  const { code, output } = await runBench('throughput.mjs', ['--count', '24', '--timeout', '60', '--strict', '--slot-ms', '1000']);
  for (const line of output.trim().split('\n').slice(-20)) t.diagnostic(line);
  assert.equal(code, 0, `throughput.mjs failed (exit ${code}):\n${output.slice(-6000)}`);
});
