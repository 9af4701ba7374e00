// The scale benchmark at a small size (scripts/bench/scale.mjs --strict): a chain with 2,000
// devices and anchors at genesis, runtime API latency, a block of 400 anchors, full and warp
// sync, then the node's own `benchmark block` and `benchmark storage` on its database, and the
// plots; every figure must have been measured. About 3 min.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { runBench } from '../lib/bench.mjs';

const out = mkdtempSync(join(tmpdir(), 'viot-scale-smoke-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('scale smoke run: every figure is measured at 2,000 devices and anchors', async (t) => {
  const { code, output } = await runBench('scale.mjs', [
    '--sizes', '2000', '--block-anchors', '400', '--keys-limit', '2000', '--strict',
    '--out', out, '--plots', join(out, 'plots'),
  ]);
  for (const line of output.trim().split('\n').slice(-6)) t.diagnostic(line);
  assert.equal(code, 0, `scale.mjs failed (exit ${code}):\n${output.slice(-6000)}`);
  const [result] = JSON.parse(readFileSync(join(out, 'scale.json'), 'utf8'));
  assert.equal(result.size, 2000);
  assert.ok(result.block.anchors > 0 && result.importMs > 0, 'a block of anchors was built and its import timed');
  assert.ok(result.storage.readNs > 0 && result.storage.writeNs > 0, '`benchmark storage` measured reads and writes');
  assert.ok(existsSync(join(out, 'plots')), 'the plots were drawn');
});
