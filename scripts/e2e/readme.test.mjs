// The READMEs' JavaScript examples run as written: every ```js block of README.md and
// sdk/js/README.md is saved as a script next to the scripts' node_modules (so `@polkadot/api` and `@viot/sdk` resolve as in a
// user's project) and run with Node.js against a dev node, its URL the only change; a block
// fails the test if it throws, exits non-zero or runs over a minute. For the "Parent and child
// chains" section, what its shell block does comes first: a child node (child-dev),
// `viot-relayer register` (chain 0) and a relayer; its blocks get both URLs. A block that needs no
// chain (keys and signatures alone) runs as it is. Takes ~80 s.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { repoRoot, startDevNode } from './lib/node.mjs';
import { registerChild, startRelayer } from './lib/relayer.mjs';

const CHILD_SECTION = 'Parent and child chains';

/** The ```js blocks of a Markdown file: `{ section, text }`, list indentation removed. */
function jsBlocks(file) {
  const blocks = [];
  let section = '';
  let block = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const fence = line.match(/^(\s*)```(\w*)\s*$/);
    if (block) {
      if (fence) {
        blocks.push({ section, text: block.lines.join('\n') });
        block = null;
      } else {
        block.lines.push(line.startsWith(block.indent) ? line.slice(block.indent.length) : line);
      }
    } else if (fence && ['js', 'javascript', 'mjs'].includes(fence[2])) {
      block = { indent: fence[1], lines: [] };
    } else if (line.startsWith('## ')) {
      section = line.slice(3).trim();
    }
  }
  return blocks;
}

let node;
let child;
let relayer;
// Inside scripts/, so that its node_modules resolve the imports.
const dir = mkdtempSync(join(repoRoot, 'scripts', '.readme-'));

before(async () => {
  node = await startDevNode();
});

after(async () => {
  if (relayer) await relayer.stop();
  if (child) await child.stop();
  if (node) await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

const files = ['README.md', 'sdk/js/README.md'];
const blocks = files.flatMap((file) => jsBlocks(join(repoRoot, file)).map((block, i) => ({ ...block, file, i })));

test('the READMEs have JavaScript examples', () => {
  for (const file of files) {
    const count = blocks.filter((block) => block.file === file).length;
    assert.ok(count >= 5, `${file}: ${count} blocks`);
  }
});

/** The README's shell block of the child-chain section, once: child node, registration, relayer. */
async function childChainAsInTheReadme() {
  if (child) return;
  child = await startDevNode({ extraArgs: ['--chain', 'child-dev'] });
  const chainId = await registerChild({ sourcePort: child.rpcPort, targetPort: node.rpcPort });
  assert.equal(chainId, 0, 'the README says the first registration gets id 0');
  relayer = startRelayer({ sourcePort: child.rpcPort, targetPort: node.rpcPort, chainId });
}

blocks.forEach(({ file, section, text, i }, n) => {
  const name = `${file} example ${i + 1} (${section})`;
  test(name, async () => {
    if (section === CHILD_SECTION) await childChainAsInTheReadme();
    const script = join(dir, `example-${n + 1}.mjs`);
    let source = text.replaceAll('ws://127.0.0.1:9944', `ws://127.0.0.1:${node.rpcPort}`);
    if (child) source = source.replaceAll('ws://127.0.0.1:9955', `ws://127.0.0.1:${child.rpcPort}`);
    writeFileSync(script, source);
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000, cwd: dir });
      console.log(`${name}:\n${stdout.trim()}`);
    } catch (error) {
      assert.fail(`${name} failed (${error.code ?? error.signal}):\n${error.stdout}\n${error.stderr}`);
    }
  });
});
