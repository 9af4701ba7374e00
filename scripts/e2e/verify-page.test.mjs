// The verify page (web/verify) in Debian's Chromium, driven by puppeteer-core: a dev node
// listens for peers on WebSocket, and the page syncs it with its own light client from a chain
// spec naming that node as boot node. On chain: a manufacturer, P-256 tags (genuine, revoked,
// suspended, one never used on the item), an item's trace under its GS1 subject id (made, then
// shipped, the second signed by the genuine tag) and an anchored certificate. The page is
// driven through every verdict (the tag answering with a simulated P-256 chip: the genuine key,
// or another key as a clone would), the trace, a file chosen in it, a second lookup in the same
// page, keyboard only, on a phone-sized screen, a batch record with its inclusion proof; a run
// syncs from a second node whose JSON-RPC refuses every connection; the last one finds a file
// anchored on a child chain (child-dev node, viot-relayer, indexed here with a storage proof);
// a device's reading from a viot-gateway is checked from the gateway's bundle (and a forged one
// refused).
// Screenshots in test-artifacts/verify-page/. About 85 s.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady, randomAsHex } from '@polkadot/util-crypto';
import { Batch, anchorPayload, gs1SubjectId, publicKeyFromRaw, readingPayload, recordDigest, signatureFromRaw, tagChallengePayload } from '@viot/sdk';
import puppeteer from 'puppeteer-core';

import { serve } from '../../web/verify/serve.mjs';
import { freePort, nodeBinary, repoRoot, startDevNode, submit as submitTx, waitFor, waitForFinalized } from './lib/node.mjs';
import { postReadings, startGateway } from './lib/gateway.mjs';
import { registerChild, startRelayer } from './lib/relayer.mjs';

const run = promisify(execFile);
const CHROMIUM = process.env.VIOT_CHROMIUM ?? '/usr/bin/chromium';
const DIST = join(repoRoot, 'web/verify/dist');
const ARTIFACTS = join(repoRoot, 'test-artifacts/verify-page');
const GTIN = '09506000134352';
const SERIAL = 'LOT7-0042';
const [MANUFACTURED, SHIPPED, SOLD] = [1, 2, 7];

let dir;
let node;
let api;
let servers = [];
let browser;
let fullNode;
let childNode;
let relayer;
let gatewayProcess;
const chain = {};

const submit = async (tx, signer) => {
  const { error, blockHash } = await submitTx(api, tx, signer);
  assert.equal(error, undefined, `${tx.method.section}.${tx.method.method}`);
  return blockHash;
};

/** A P-256 chip: its key pair (WebCrypto), raw public point and private JWK for the page. */
async function chip() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return {
    point: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)),
    jwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
    sign: async (bytes) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, bytes)),
  };
}

/** A node key file; resolves with the node's peer id. */
async function nodeKey(file) {
  const { stderr } = await run(nodeBinary(), ['key', 'generate-node-key', '--file', file]);
  return stderr.trim().split('\n').pop().trim();
}

let rawDevSpec;

/** The dev chain's raw spec with `bootNode` as its only boot node, written to `file`. */
async function specWith(file, bootNode) {
  rawDevSpec ??= (await run(nodeBinary(), ['build-spec', '--chain', 'dev', '--raw'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const spec = JSON.parse(rawDevSpec);
  spec.bootNodes = [bootNode];
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'main.js')), 'build the page first: cd web/verify && node build.mjs');
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: scripts/setup.sh installs Debian's chromium`);
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'viot-verify-page-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const peer = await nodeKey(join(dir, 'node-a.key'));
  node = await startDevNode({ extraArgs: ['--node-key-file', join(dir, 'node-a.key')], p2pWebSocket: true });
  api = node.api;
  chain.bootNode = `/ip4/127.0.0.1/tcp/${node.p2pPort}/ws/p2p/${peer}`;
  chain.spec = await specWith(join(dir, 'spec-a.json'), chain.bootNode);

  const keyring = new Keyring({ type: 'sr25519' });
  const [sudo, maker, gateway] = ['//Alice', '//Charlie', '//Eve'].map((uri) => keyring.addFromUri(uri));
  chain.maker = maker.address;
  chain.sudo = sudo;
  await submit(api.tx.sudo.sudo(api.tx.deviceIdentity.addManufacturer(maker.address, 'Acme Tags')), sudo);
  const register = async (tag) => {
    const id = randomAsHex(32);
    await submit(api.tx.deviceIdentity.registerDevice(id, publicKeyFromRaw('p256', tag.point), gateway.address, 'NFC tag, model T7'), maker);
    return id;
  };
  chain.tags = {};
  for (const name of ['genuine', 'revoked', 'suspended', 'elsewhere', 'unbound', 'clone']) chain.tags[name] = await chip();
  chain.ids = {};
  for (const name of ['genuine', 'revoked', 'suspended', 'elsewhere', 'unbound']) chain.ids[name] = await register(chain.tags[name]);
  await submit(api.tx.deviceIdentity.revokeDevice(chain.ids.revoked), maker);
  await submit(api.tx.deviceIdentity.suspendDevice(chain.ids.suspended), maker);

  // The manufacturer binds the genuine tag to its item (a certified `subject` attribute), and
  // another tag to another item; the owner of a third writes the same attribute himself, which
  // certifies nothing.
  chain.subject = `0x${Buffer.from(gs1SubjectId(GTIN, SERIAL)).toString('hex')}`;
  const otherItem = `0x${Buffer.from(gs1SubjectId(GTIN, 'LOT7-0043')).toString('hex')}`;
  await submit(api.tx.deviceIdentity.setAttribute(chain.ids.genuine, 'subject', chain.subject), maker);
  await submit(api.tx.deviceIdentity.setAttribute(chain.ids.elsewhere, 'subject', otherItem), maker);
  await submit(api.tx.deviceIdentity.setAttribute(chain.ids.unbound, 'subject', chain.subject), gateway);

  // The item's trace: made (by the manufacturer's account), shipped (signed by its tag), and a
  // "sold" that a counterfeiter made the tag of another item sign for this one.
  await submit(api.tx.dataAnchoring.anchor(blake2AsHex('made: lot 7, item 42'), chain.subject, MANUFACTURED, ''), maker);
  const signedBy = async (name, digest, kind) => {
    const { nonce } = (await api.call.deviceIdentityApi.device(chain.ids[name])).unwrap();
    const payload = anchorPayload(api.genesisHash, chain.ids[name], nonce.toBigInt(), digest, chain.subject, kind);
    const signature = signatureFromRaw('p256', await chain.tags[name].sign(payload));
    await submit(api.tx.dataAnchoring.anchorFromDevice(chain.ids[name], digest, chain.subject, kind, signature), gateway);
  };
  await signedBy('genuine', blake2AsHex('shipped: lot 7, item 42, to Example Retail'), SHIPPED);
  await signedBy('elsewhere', blake2AsHex('sold: lot 7, item 42, by a counterfeiter'), SOLD);

  // A certificate anchored by the manufacturer.
  chain.certificate = Buffer.from(`Certificate of conformity, lot 7 (${randomAsHex(8)})\n`);
  writeFileSync(join(dir, 'certificate.txt'), chain.certificate);
  writeFileSync(join(dir, 'other.txt'), 'a file nobody anchored\n');
  // Readings anchored as one batch; the second with its inclusion proof, and a tampered one.
  const readings = [1, 2, 3].map((n) => Buffer.from(`reading ${n}: 4.2 °C (${randomAsHex(4)})\n`));
  const batch = Batch.fromRecords(readings);
  await submit(api.tx.dataAnchoring.anchorBatch(batch.root, batch.leafCount, null, 10, 'readings'), maker);
  const proof = { ...batch.proof(1).toJSON(), attester: maker.address };
  writeFileSync(join(dir, 'reading-2.txt'), readings[1]);
  writeFileSync(join(dir, 'reading-2.proof.json'), JSON.stringify(proof));
  writeFileSync(join(dir, 'tampered.proof.json'), JSON.stringify({ ...proof, leafIndex: 2 }));
  const last = await submit(api.tx.dataAnchoring.anchor(recordDigest(chain.certificate), null, 4, 'certificate'), maker);
  // The page reads finalized state only: wait until all of the above is final.
  await waitForFinalized(api, (await api.rpc.chain.getHeader(last)).number.toNumber());

  // A reading of the genuine tag through a gateway, and the gateway's bundle of it, once final;
  // a forged copy carries another chip's signature over the same payload.
  gatewayProcess = await startGateway({ nodePort: node.rpcPort, db: join(dir, 'gateway.sqlite') });
  const sensorRecord = Buffer.from(`cold chain: 3.9 °C at dock 4 (${randomAsHex(4)})\n`);
  writeFileSync(join(dir, 'sensor-reading.txt'), sensorRecord);
  const digest = u8aToHex(recordDigest(sensorRecord));
  const readingBytes = readingPayload(api.genesisHash, chain.ids.genuine, 1, digest, null, 10);
  const sent = await postReadings(gatewayProcess.url, {
    device: chain.ids.genuine, digest, sequence: 1, kind: 10, signature: u8aToHex(await chain.tags.genuine.sign(readingBytes)),
  });
  assert.equal(sent.status, 202, JSON.stringify(sent.json));
  const bundle = await waitFor('the reading anchored and final', async () => {
    const answer = await (await fetch(`${gatewayProcess.url}/readings/${digest}`)).json();
    return answer.readings[0]?.status === 'finalized' && answer;
  }, { timeoutMs: 30_000 });
  writeFileSync(join(dir, 'reading.bundle.json'), JSON.stringify(bundle));
  const forgedSignature = signatureFromRaw('p256', await chain.tags.clone.sign(readingBytes));
  writeFileSync(join(dir, 'forged.bundle.json'), JSON.stringify({
    ...bundle, readings: [{ ...bundle.readings[0], signature: u8aToHex(forgedSignature) }],
  }));

  const server = await serve({ spec: chain.spec, port: 0, dist: DIST });
  servers.push(server);
  chain.url = server.url;
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await gatewayProcess?.stop();
  for (const server of servers) await server.close().catch(() => {});
  if (fullNode && fullNode.exitCode === null) {
    fullNode.kill('SIGKILL');
  }
  await relayer?.stop();
  await childNode?.stop();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens `path` of `base` with `tag` as the phone's chip (none if null); resolves once synced. */
async function open(path, tag, { base = chain.url, mobile = true } = {}) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  if (mobile) await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  if (tag?.recorded) {
    // A chip that always gives the same answer, recorded from the genuine tag once.
    await page.evaluateOnNewDocument((answer) => {
      window.viotChip = { name: 'replaying chip', sign: async () => new Uint8Array(answer) };
    }, Array.from(tag.recorded));
  } else if (tag) {
    await page.evaluateOnNewDocument((jwk) => {
      const key = crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
      window.viotChip = {
        name: 'simulated P-256 chip',
        sign: async (bytes) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, await key, bytes)),
      };
    }, tag.jwk);
  }
  // Every WebSocket the page opens (the light client's connections).
  const sockets = [];
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketCreated', ({ url }) => sockets.push(url));
  const started = Date.now();
  await page.goto(new URL(path, base).href);
  await page.waitForSelector('#status[data-state="synced"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('loaded').dataset.seconds !== undefined, { timeout: 30_000 });
  return { page, started, sockets };
}

const textOf = (page, selector) => page.$eval(selector, (node) => node.textContent);
const verdictOf = (page) => page.$eval('#verdict', (node) => node.dataset.verdict);
const item = (device) => `/01/${GTIN}/21/${SERIAL}?device=${device}`;

async function checkTag(page, expected) {
  await page.click('#check-tag');
  await page.waitForSelector(`#verdict[data-verdict="${expected}"]`, { timeout: 15_000 });
}

test('a genuine tag on its item: synced by the light client, the tag answers, the trace is shown', async (t) => {
  const { page, started } = await open(item(chain.ids.genuine), chain.tags.genuine);
  const status = await textOf(page, '#status');
  assert.match(status, /^Verified at finalized block #\d+ \(0x[0-9a-f]{64}\) of VIoT Development/);
  assert.equal(await verdictOf(page), 'chain-only', 'registered, the tag not asked yet');
  await checkTag(page, 'genuine');
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`cold page load to "genuine": ${seconds.toFixed(1)} s`);
  assert.ok(seconds < 30, `a verdict in ${seconds} s`);
  assert.match(await textOf(page, '#verdict'), /issued by Acme Tags/);
  assert.match(await textOf(page, '#chip-note'), /fresh challenge/);

  const entries = await page.$$eval('#trace li', (items) => items.map((li) => li.textContent));
  assert.equal(entries.length, 3);
  assert.match(entries[0], /^Manufactured · \d{4}-\d\d-\d\d .* · block #\d+Attested by the submitting account; submitted by Acme Tags, a VIoT manufacturer /);
  assert.ok(entries[0].endsWith(`(${chain.maker})`), entries[0]);
  assert.match(entries[1], new RegExp(`^Shipped .*Attested by device ${chain.ids.genuine.slice(0, 8)}.*submitted by an account that is not a manufacturer`));
  assert.match(entries[2], /^Sold .*submitted by an account that is not a manufacturer/);
  assert.match(await textOf(page, '#trace h2'), new RegExp(`GTIN ${GTIN}, serial ${SERIAL}`));
  await page.screenshot({ path: join(ARTIFACTS, 'genuine-phone.png'), fullPage: true });
  await page.screenshot({ path: join(ARTIFACTS, 'genuine-phone-screen.png') }); // docs/verify-page.png

  // Once synced, another check in the same page is quick.
  const again = Date.now();
  await checkTag(page, 'genuine');
  t.diagnostic(`the tag checked again in the synced page: ${((Date.now() - again) / 1000).toFixed(2)} s`);
  await page.close();
});

test('a clone (another key behind a genuine id), and a recorded answer replayed, are told apart', async () => {
  const { page } = await open(item(chain.ids.genuine), chain.tags.clone);
  await checkTag(page, 'mismatch');
  assert.match(await textOf(page, '#verdict h2'), /possible clone/);
  await page.screenshot({ path: join(ARTIFACTS, 'clone-phone.png'), fullPage: true });
  await page.close();

  // The genuine chip's answer to one challenge, replayed: the page's next challenge is new.
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const recorded = await chain.tags.genuine.sign(tagChallengePayload(api.genesisHash, chain.ids.genuine, challenge));
  const replay = await open(item(chain.ids.genuine), { recorded });
  await checkTag(replay.page, 'mismatch');
  await replay.page.close();
});

test('revoked, suspended, unknown, and a genuine tag that is not this item\u2019s', async () => {
  for (const [name, expected, text] of [['revoked', 'revoked', /permanently revoked/], ['suspended', 'suspended', /suspended by its manufacturer/]]) {
    const { page } = await open(item(chain.ids[name]), chain.tags[name]);
    assert.equal(await verdictOf(page), expected);
    assert.match(await textOf(page, '#verdict'), text);
    assert.equal(await page.$eval('#check-tag', (button) => button.disabled), true, 'nothing to ask a disabled device');
    await page.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
    await page.close();
  }
  const { page } = await open(item(randomAsHex(32)), chain.tags.clone);
  assert.equal(await verdictOf(page), 'unknown');
  assert.match(await textOf(page, '#verdict'), /No device with this id is registered/);
  await page.close();

  // A genuine tag its manufacturer bound to another item, even after it signed an event of this
  // item's trace; and one whose owner (not its manufacturer) wrote this item into it.
  for (const name of ['elsewhere', 'unbound']) {
    const moved = await open(item(chain.ids[name]), chain.tags[name]);
    await checkTag(moved.page, 'not-this-item');
    await moved.page.close();
  }
  const alone = await open(`/?device=${chain.ids.unbound}`, chain.tags.unbound);
  await checkTag(alone.page, 'genuine-unbound');
  await alone.page.close();
});

test('a link naming only the tag shows the item its manufacturer bound it to; a link naming two items is refused', async () => {
  const { page } = await open(`/?device=${chain.ids.genuine}`, chain.tags.genuine);
  assert.equal(await page.$$eval('#trace li', (items) => items.length), 3, "the bound item's trace");
  await checkTag(page, 'genuine');
  assert.match(await textOf(page, '#device'), new RegExp(`Bound to item${chain.subject}`));
  await page.close();

  const forged = await open(`/01/${GTIN}/21/${SERIAL}?device=${chain.ids.genuine}&subject=0x${'ee'.repeat(32)}`, chain.tags.genuine);
  assert.match(await textOf(forged.page, '#route-error'), /names two different items/);
  assert.doesNotMatch(await textOf(forged.page, '#trace h2'), /GTIN/, 'no item heading taken from the link');
  await forged.page.close();
});

test('keyboard only: a lookup in the synced page, then the tag, with Tab and Enter', async (t) => {
  const { page } = await open('/', chain.tags.genuine, { mobile: false });
  await page.focus('#device-input');
  await page.keyboard.type(chain.ids.genuine);
  await page.keyboard.press('Tab');
  await page.keyboard.type(chain.subject);
  const looked = Date.now();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#verdict[data-verdict="chain-only"]', { timeout: 10_000 });
  t.diagnostic(`a lookup in the synced page: ${((Date.now() - looked) / 1000).toFixed(2)} s`);
  assert.equal(new URL(page.url()).search, `?device=${chain.ids.genuine}&subject=${chain.subject}`);
  // Tab from the form's field to the button, as a keyboard user would.
  await page.focus('#device-input');
  for (let presses = 0; presses < 20; presses++) {
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    if (await page.evaluate(() => document.activeElement?.id === 'check-tag')) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'check-tag', 'the button is reachable with the keyboard');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#verdict[data-verdict="genuine"]', { timeout: 15_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'genuine-desktop.png'), fullPage: true });
  await page.close();
});

test('a file chosen in the page is hashed there and found with who anchored it, or not found; a batch record with its proof', async () => {
  const { page } = await open('/', null);
  const input = await page.$('#file-input');
  await input.uploadFile(join(dir, 'certificate.txt'));
  await page.waitForSelector('#file-result[data-state="anchored"]', { timeout: 15_000 });
  const result = await textOf(page, '#file-result');
  assert.ok(result.includes(`certificate.txt: digest 0x${Buffer.from(recordDigest(chain.certificate)).toString('hex')}`), result);
  assert.ok(result.includes(`by the submitting account; submitted by Acme Tags, a VIoT manufacturer (${chain.maker})`), result);
  await page.screenshot({ path: join(ARTIFACTS, 'file-anchored.png'), fullPage: true });
  await input.uploadFile(join(dir, 'other.txt'));
  await page.waitForSelector('#file-result[data-state="not-anchored"]', { timeout: 15_000 });

  // A record inside a batch: chosen with its inclusion proof, which the chain's code checks.
  await input.uploadFile(join(dir, 'reading-2.txt'), join(dir, 'reading-2.proof.json'));
  await page.waitForSelector('#file-result[data-state="anchored"]', { timeout: 15_000 });
  assert.match(await textOf(page, '#file-result'), new RegExp(`In a batch: leaf 1 of 3 .* by Acme Tags, a VIoT manufacturer \\(${chain.maker}\\) \\(inclusion proof checked\\)`));
  await page.screenshot({ path: join(ARTIFACTS, 'file-in-batch.png'), fullPage: true });
  await input.uploadFile(join(dir, 'reading-2.txt'), join(dir, 'tampered.proof.json'));
  await page.waitForSelector('#file-result[data-state="not-anchored"]', { timeout: 15_000 });
  assert.match(await textOf(page, '#file-result'), /does not prove this file is in a batch .* \(BadProof\)/);
  await page.close();
});

test('a gateway\u2019s bundle of a device reading: signature and inclusion checked by the page, a forged signature refused', async () => {
  const { page } = await open('/', null);
  const input = await page.$('#file-input');
  await input.uploadFile(join(dir, 'sensor-reading.txt'), join(dir, 'reading.bundle.json'));
  await page.waitForSelector('#file-result[data-state="anchored"]', { timeout: 15_000 });
  const result = await textOf(page, '#file-result');
  assert.match(result, /Reading 1 of device .*: signed by the device \(issued by Acme Tags\), event Sensor reading; leaf 0 of 1 in a batch anchored at .* by an account that is not a manufacturer .* \(signature and inclusion checked\)\./, result);
  await page.screenshot({ path: join(ARTIFACTS, 'gateway-reading.png'), fullPage: true });
  // Forged, then the bundle alone, then with another record: each changes the result.
  await input.uploadFile(join(dir, 'forged.bundle.json'));
  await page.waitForSelector('#file-result[data-state="not-anchored"]', { timeout: 15_000 });
  assert.match(await textOf(page, '#file-result'), /the signature is not the device\u2019s/);
  await input.uploadFile(join(dir, 'reading.bundle.json'));
  await page.waitForSelector('#file-result[data-state="anchored"]', { timeout: 15_000 });
  await input.uploadFile(join(dir, 'other.txt'), join(dir, 'reading.bundle.json'));
  await page.waitForSelector('#file-result[data-state="not-anchored"]', { timeout: 15_000 });
  assert.match(await textOf(page, '#file-result'), /it is about another record than other.txt/);
  await page.close();
});

test('the page syncs from a node whose JSON-RPC refuses every connection', async (t) => {
  const peer = await nodeKey(join(dir, 'node-b.key'));
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  fullNode = spawn(nodeBinary(), [
    '--chain', chain.spec, '--tmp', '--name', 'rpc-closed',
    '--rpc-port', String(rpcPort), '--rpc-max-connections', '0',
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}/ws`, '--node-key-file', join(dir, 'node-b.key'),
    '--no-prometheus', '--no-telemetry', '--no-mdns',
  ], { stdio: 'ignore' });
  process.on('exit', () => fullNode.kill('SIGKILL')); // never left behind, whatever happens
  const closed = await waitFor('node B to refuse JSON-RPC connections', async () => {
    const answer = await fetch(`http://127.0.0.1:${rpcPort}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"system_health"}',
    }).then((response) => response.text()).catch(() => null);
    return answer;
  }, { timeoutMs: 60_000 });
  assert.match(closed, /Too many connections/);
  const spec = await specWith(join(dir, 'spec-b.json'), `/ip4/127.0.0.1/tcp/${p2pPort}/ws/p2p/${peer}`);
  const server = await serve({ spec, port: 0, dist: DIST });
  servers.push(server);
  const { page, started, sockets } = await open(item(chain.ids.genuine), chain.tags.genuine, { base: server.url });
  await checkTag(page, 'genuine');
  // Every connection the page opened went to a peer-to-peer listener, none to a JSON-RPC port:
  // node B's (the spec's only boot node, so at least one), or node A's, which the light client
  // may learn from B by peer discovery before its verdict (seen in a CI run).
  const portOf = (url) => Number(new URL(url).port);
  assert.ok(sockets.some((url) => portOf(url) === p2pPort), `the light client connected to node B: ${sockets}`);
  for (const url of sockets) {
    assert.ok(new URL(url).hostname === '127.0.0.1' && [p2pPort, node.p2pPort].includes(portOf(url)),
      `a connection to a peer-to-peer listener: ${url}`);
    assert.ok(![rpcPort, node.rpcPort].includes(portOf(url)), `no JSON-RPC: ${url}`);
  }
  t.diagnostic(`from the RPC-closed node: "genuine" ${((Date.now() - started) / 1000).toFixed(1)} s after the page load`);
  await page.screenshot({ path: join(ARTIFACTS, 'genuine-rpc-closed.png'), fullPage: true });
  await page.close();
});

test('a file anchored on a child chain and proven here names the child chain and its block', async () => {
  // A child chain (child-dev), registered, approved and relayed; a record anchored on it and
  // indexed on this chain with a storage proof against a child header this chain verified.
  childNode = await startDevNode({ extraArgs: ['--chain', 'child-dev'] });
  const chainId = await registerChild({ sourcePort: childNode.rpcPort, targetPort: node.rpcPort });
  await submit(api.tx.sudo.sudo(api.tx.childChains.approveChildChain(chainId)), chain.sudo);
  relayer = startRelayer({ sourcePort: childNode.rpcPort, targetPort: node.rpcPort, chainId });
  const child = childNode.api;
  const childAlice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const record = Buffer.from(`a record of the child chain (${randomAsHex(8)})\n`);
  writeFileSync(join(dir, 'child-record.txt'), record);
  const digest = `0x${Buffer.from(recordDigest(record)).toString('hex')}`;
  const anchored = await submitTx(child, child.tx.dataAnchoring.anchor(digest, null, 0, ''), childAlice);
  assert.equal(anchored.error, undefined);
  const anchoredAt = (await child.rpc.chain.getHeader(anchored.blockHash)).number.toNumber();
  const info = await waitFor('the parent to verify the child header with the anchor', async () => {
    const known = (await api.call.childChainsApi.childChain(chainId)).unwrap();
    return known.bestNumber.toNumber() >= anchoredAt ? known : false;
  }, { timeoutMs: 60_000, intervalMs: 500 });
  const attester = { Account: childAlice.address };
  const { proof } = await child.rpc.state.getReadProof([child.query.dataAnchoring.anchors.key(digest, attester)], info.bestHash);
  const indexed = await submit(api.tx.childChains.indexChildAnchor(chainId, info.bestHash, digest, attester, proof), chain.sudo);
  await waitForFinalized(api, (await api.rpc.chain.getHeader(indexed)).number.toNumber());

  const { page } = await open('/', null);
  await (await page.$('#file-input')).uploadFile(join(dir, 'child-record.txt'));
  await page.waitForSelector('#file-result[data-state="anchored"]', { timeout: 15_000 });
  const result = await textOf(page, '#file-result');
  assert.match(result, new RegExp(`Anchored on child chain ${chainId} in its block #${anchoredAt}, .* by ${childAlice.address}; proven to this chain against the child's header #${info.bestNumber.toNumber()} \\(${info.bestHash.toHex().slice(0, 8)}`), result);
  assert.doesNotMatch(result, /halted/);
  await page.screenshot({ path: join(ARTIFACTS, 'file-on-child-chain.png'), fullPage: true });

  // Governance halts the child chain: the page says so next to its anchor.
  const halted = await submit(api.tx.sudo.sudo(api.tx.childChains.setChildChainHalted(chainId, true)), chain.sudo);
  await waitForFinalized(api, (await api.rpc.chain.getHeader(halted)).number.toNumber());
  // (The page's light client learns of finality a moment after the node: choose the file again
  // until its finalized block includes the halt.)
  writeFileSync(join(dir, 'child-record-copy.txt'), record);
  let text = '';
  for (let attempt = 0; attempt < 10 && !/halted this child chain/.test(text); attempt++) {
    await (await page.$('#file-input')).uploadFile(join(dir, attempt % 2 ? 'child-record.txt' : 'child-record-copy.txt'));
    await page.waitForSelector('#file-result[data-state="anchored"]', { timeout: 15_000 });
    text = await textOf(page, '#file-result');
    if (!/halted this child chain/.test(text)) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.match(text, /Governance has halted this child chain/);
  await page.close();
});
