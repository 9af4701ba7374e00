// The READMEs' JavaScript examples run as written: every ```js block of README.md and
// sdk/js/README.md is saved as a script next to the scripts' node_modules (so `@polkadot/api` and `@viot/sdk` resolve as in a
// user's project) and run with Node.js against a dev node, its URL the only change; a block
// fails the test if it throws, exits non-zero or runs over a minute. For the "Parent and child
// chains" section, what its shell blocks do comes first: a child node (child-dev),
// `viot-relayer register` (chain 0) and a relayer, and the same the other way (the parent is
// chain 0 on the child); its blocks get both URLs. For the gateway
// section, a gateway against the dev node (its blocks get its URL). A block that needs no
// chain (keys and signatures alone) runs as it is. For the polkadot-api example, descriptors are
// generated from the node first (`papi add`, as the README says; without papi's own `npm
// install`: the packages are the scripts' own); ```python blocks run with the Python that
// scripts/setup.sh prepares (py-substrate-interface). Takes ~90 s.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';

import { repoRoot, startDevNode } from './lib/node.mjs';
import { startGateway } from './lib/gateway.mjs';
import { registerChild, startRelayer } from './lib/relayer.mjs';

const CHILD_SECTION = 'Parent and child chains';
// The accounts the README's services sign with: its relayers (`--signer //Dave`) and its gateway
// (scripts/run-gateway.sh, //Eve). Each submits on its own schedule, so an example that signed
// with one of them would race it for the account's next nonce: the pool refuses the second of
// two transactions with the same nonce ("1014: Priority is too low") or lets it replace the
// first. No example may use them (tested below).
const RELAYER_SIGNER = '//Dave';
const GATEWAY_SIGNER = '//Eve';
const GATEWAY_SECTION = 'Gateway: readings in, proofs out';
const PYTHON = process.env.VIOT_PYTHON ?? join(homedir(), '.cache/viot/venv/bin/python');
const LANGUAGES = { js: 'js', javascript: 'js', mjs: 'js', python: 'python' };
// polkadot-api's CLI and client need a WebSocket global (Node.js 22 has one).
const NODE_ENV = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-websocket`.trim() };

/** The ```js and ```python blocks of a Markdown file: `{ section, language, text }`, list
 * indentation removed. */
function exampleBlocks(file) {
  const blocks = [];
  let section = '';
  let block = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const fence = line.match(/^(\s*)```(\w*)\s*$/);
    if (block) {
      if (fence) {
        blocks.push({ section, language: block.language, text: block.lines.join('\n') });
        block = null;
      } else {
        block.lines.push(line.startsWith(block.indent) ? line.slice(block.indent.length) : line);
      }
    } else if (fence && LANGUAGES[fence[2]]) {
      block = { indent: fence[1], language: LANGUAGES[fence[2]], lines: [] };
    } else if (line.startsWith('## ')) {
      section = line.slice(3).trim();
    }
  }
  return blocks;
}

let node;
let child;
let relayer;
let backRelayer;
let gateway;
// Inside scripts/, so that its node_modules resolve the imports.
const dir = mkdtempSync(join(repoRoot, 'scripts', '.readme-'));

before(async () => {
  // The pool's debug log, printed when it refuses a transaction (see printPool).
  node = await startDevNode({ extraArgs: ['-ltxpool=debug'] });
});

after(async () => {
  if (gateway) await gateway.stop();
  if (relayer) await relayer.stop();
  if (backRelayer) await backRelayer.stop();
  if (child) await child.stop();
  if (node) await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

const files = ['README.md', 'sdk/js/README.md'];
const blocks = files.flatMap((file) => exampleBlocks(join(repoRoot, file)).map((block, i) => ({ ...block, file, i })));

test('the READMEs have examples', () => {
  for (const file of files) {
    const count = blocks.filter((block) => block.file === file).length;
    assert.ok(count >= 5, `${file}: ${count} blocks`);
  }
});

test('no example signs with the account of a service the README runs beside it', () => {
  for (const { file, section, text, i } of blocks) {
    for (const signer of [RELAYER_SIGNER, GATEWAY_SIGNER]) {
      assert.ok(!text.includes(`'${signer}'`) && !text.includes(`"${signer}"`),
        `${file} example ${i + 1} (${section}) signs with ${signer}, which a relayer or the gateway uses`);
    }
  }
});

/** `npx papi add viot -w <node>`, once, in the examples' directory (descriptors only). */
let descriptors = false;
async function papiDescriptors() {
  if (descriptors) return;
  const papi = join(repoRoot, 'scripts/node_modules/.bin/papi');
  const run = (args) => promisify(execFile)(papi, args, { cwd: dir, env: NODE_ENV, timeout: 120_000 });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  await run(['add', 'viot', '-w', `ws://127.0.0.1:${node.rpcPort}`, '--skip-codegen']);
  const config = join(dir, '.papi/polkadot-api.json');
  const papiConfig = JSON.parse(readFileSync(config, 'utf8'));
  writeFileSync(config, JSON.stringify({ ...papiConfig, options: { noDescriptorsPackage: true } }));
  await run(['generate']);
  mkdirSync(join(dir, 'node_modules/@polkadot-api'), { recursive: true });
  symlinkSync(join(dir, '.papi/descriptors'), join(dir, 'node_modules/@polkadot-api/descriptors'));
  descriptors = true;
}

/** On a failure: what the dev node's pool holds (signer, nonce, call) and every dev account's
 * nonces, in the test's output. */
async function printPool() {
  const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${node.rpcPort}`), noInitWarn: true });
  try {
    for (const xt of await api.rpc.author.pendingExtrinsics()) {
      console.log(`pending: ${xt.signer.toString()} nonce ${xt.nonce.toNumber()} ${xt.method.section}.${xt.method.method}`);
    }
    const keyring = new Keyring({ type: 'sr25519' });
    for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
      const { address } = keyring.addFromUri(`//${name}`);
      const { nonce } = await api.query.system.account(address);
      console.log(`//${name}: nonce ${nonce} in state, ${await api.rpc.system.accountNextIndex(address)} with the pool`);
    }
    // The pool's last words on what it holds and refused.
    const lines = readFileSync(node.logFile, 'utf8').split('\n').filter((line) => /txpool/.test(line));
    for (const line of lines.slice(-40)) console.log(`node: ${line}`);
  } finally {
    await api.disconnect();
  }
}

/** The README's gateway, once: `scripts/run-gateway.sh` without its broker (HTTP only). */
async function gatewayAsInTheReadme() {
  if (gateway) return;
  gateway = await startGateway({ nodePort: node.rpcPort, db: join(dir, 'gateway.sqlite'), signer: GATEWAY_SIGNER });
}

/** The README's shell block of the child-chain section, once: child node, registration, relayer. */
async function childChainAsInTheReadme() {
  if (child) return;
  child = await startDevNode({ extraArgs: ['--chain', 'child-dev'] });
  const chainId = await registerChild({ sourcePort: child.rpcPort, targetPort: node.rpcPort });
  assert.equal(chainId, 0, 'the README says the first registration gets id 0');
  relayer = startRelayer({ sourcePort: child.rpcPort, targetPort: node.rpcPort, chainId, signer: RELAYER_SIGNER });
  // "Tokens between the parent and a child": the child follows the parent too.
  const parentId = await registerChild({ sourcePort: node.rpcPort, targetPort: child.rpcPort });
  assert.equal(parentId, 0, 'the README says the parent gets id 0 on the child');
  backRelayer = startRelayer({ sourcePort: node.rpcPort, targetPort: child.rpcPort, chainId: parentId, signer: RELAYER_SIGNER });
}

blocks.forEach(({ file, section, language, text, i }, n) => {
  const name = `${file} example ${i + 1} (${section}, ${language})`;
  test(name, async () => {
    if (section === CHILD_SECTION) await childChainAsInTheReadme();
    if (section === GATEWAY_SECTION) await gatewayAsInTheReadme();
    if (text.includes('@polkadot-api/descriptors')) await papiDescriptors();
    const script = join(dir, `example-${n + 1}.${language === 'python' ? 'py' : 'mjs'}`);
    let source = text.replaceAll('ws://127.0.0.1:9944', `ws://127.0.0.1:${node.rpcPort}`);
    if (child) source = source.replaceAll('ws://127.0.0.1:9955', `ws://127.0.0.1:${child.rpcPort}`);
    if (gateway) source = source.replaceAll('http://127.0.0.1:8090', gateway.url);
    writeFileSync(script, source);
    const [command, env] = language === 'python' ? [PYTHON, process.env] : [process.execPath, NODE_ENV];
    try {
      const { stdout } = await promisify(execFile)(command, [script], { timeout: 60_000, cwd: dir, env });
      console.log(`${name}:\n${stdout.trim()}`);
    } catch (error) {
      await printPool();
      assert.fail(`${name} failed (${error.code ?? error.signal}):\n${error.stdout}\n${error.stderr}`);
    }
  });
});
