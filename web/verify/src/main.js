// The verify page: what the URL names (a tag, an item, or both) checked against the chain by
// the light client in this page, and a file checked against the chain's anchors.

import init, { gs1SubjectId, readingLeaf, readingPayload, recordDigest, signatureFromRaw, tagChallengePayload, verifySignature } from '@viot/sdk/web';

import { connect, manufacturersAmong, readDevice, readDigest, readTrace, timestampOf } from './chain.js';
import { findChip, freshChallenge } from './chip.js';
import { fromHex, toHex } from './hex.js';
import { parseRoute } from './route.js';
import { MAX_AGE_MS, VERDICTS, boundSubject, kindName, verdictOf } from './verdict.js';

const $ = (id) => document.getElementById(id);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

/** An element with text (never HTML: names and metadata on chain are anyone's input). */
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function setStatus(text, state) {
  const status = $('status');
  status.textContent = text;
  status.dataset.state = state;
}

/** Bytes of a chain value (papi gives fixed-size binaries as 0x-hex). */
const bytesOf = (value) => (typeof value === 'string' ? fromHex(value) : value instanceof Uint8Array ? value : value.asBytes());
const hexOf = (value) => (typeof value === 'string' ? value.toLowerCase() : toHex(bytesOf(value)));
const text = (value) => new TextDecoder().decode(bytesOf(value));
const KEY_INDEX = { Sr25519: 0, Ed25519: 1, Ecdsa: 2, P256: 3 };
const CHIP_KINDS = { P256: 'p256', Ecdsa: 'ecdsa' };

/** The SCALE encoding of the device's key (`DevicePublicKey`), as verifySignature takes it. */
function encodedKey(key) {
  const raw = bytesOf(key.value);
  const encoded = new Uint8Array(raw.length + 1);
  encoded[0] = KEY_INDEX[key.type];
  encoded.set(raw, 1);
  return encoded;
}

function describeSource(source) {
  if (source.type === 'Device') return `device ${short(hexOf(source.value))}`;
  if (source.type === 'Scan') return `tag ${short(hexOf(source.value.tag))} scanned by reader ${short(hexOf(source.value.reader))}`;
  return 'the submitting account';
}
const short = (hex) => `${hex.slice(0, 8)}\u2026${hex.slice(-4)}`;
const when = (ms) => new Date(Number(ms)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function showVerdict(id, facts) {
  const verdict = VERDICTS[id];
  const box = $('verdict');
  box.hidden = false;
  box.dataset.verdict = id;
  box.replaceChildren(el('h2', verdict.title), el('p', verdict.explain(facts)));
}

/** Who submitted an anchor: a manufacturer by name, or plainly an account nobody vouches for. */
function submitter(owner, makers) {
  return makers.has(owner) ? `${text(makers.get(owner))}, a VIoT manufacturer (${owner})` : `an account that is not a manufacturer (${owner})`;
}

function showTrace(trace, subject, route, makers) {
  const section = $('trace');
  section.hidden = false;
  const heading = route.gtin ? `Item GTIN ${route.gtin}, serial ${route.serial}` : `Item ${short(subject)}`;
  const list = el('ol', undefined, 'timeline');
  for (const { index, anchor } of trace.entries) {
    const item = el('li');
    item.dataset.kind = anchor.kind;
    item.dataset.byManufacturer = makers.has(anchor.owner);
    item.append(
      el('strong', kindName(anchor.kind)),
      el('span', ` \u00b7 ${when(anchor.timestamp)} \u00b7 block #${anchor.block}`),
      el('div', `Attested by ${describeSource(anchor.source)}; submitted by ${submitter(anchor.owner, makers)}`, 'who'),
    );
    if (anchor.leaf_count !== undefined && anchor.leaf_count !== null) item.append(el('div', `A batch of ${anchor.leaf_count} records`, 'who'));
    item.title = `entry ${index}`;
    list.append(item);
  }
  let count = trace.length === 0 ? 'No event of this item is anchored on this chain.' : `${trace.entries.length} event(s), every one read from proven state. Anyone can anchor an event for any item: trust those submitted by a manufacturer.`;
  if (!trace.complete) count += ` Only the first ${trace.entries.length} of ${trace.length} positions are shown.`;
  section.replaceChildren(el('h2', heading), el('p', count), list);
}

let chain;

async function main() {
  await init({ module_or_path: new URL('viot_sdk_bg.wasm', document.baseURI) });
  setStatus('Starting the light client\u2026', 'syncing');
  // The chain is the one the page's own host names, never one a link could choose: a URL that
  // picked the chain spec would let a counterfeiter verify against a chain of its own.
  const chainSpec = await (await fetch(new URL('chain-spec.json', document.baseURI))).text();
  chain = await connect(chainSpec);
  globalThis.viotPage = { chain };
  setStatus(`Syncing ${chain.name} with a light client\u2026`, 'syncing');
  setupFileCheck();
  // Another lookup reuses the synced light client: no new page load.
  $('lookup').onsubmit = (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const name of ['device', 'subject']) {
      const value = $(`${name}-input`).value.trim();
      if (value) query.set(name, value);
    }
    history.pushState(null, '', `/?${query}`);
    verify().catch(fail);
  };
  window.onpopstate = () => verify().catch(fail);
  await verify();
}

let generation = 0;

/** The latest finalized block with its age: `{ number, hash, ageMs }`. */
async function finalizedWithAge() {
  const block = await chain.finalized();
  const now = Number(await timestampOf(chain, block.hash));
  return { ...block, ageMs: Math.max(0, Date.now() - now) };
}

/** The facts a verdict on `deviceId` rests on, read at one finalized block. */
async function deviceFacts(deviceId) {
  const block = await finalizedWithAge();
  return { block, ...(await readDevice(chain, block.hash, deviceId)) };
}

/** Verifies what the URL names, at the latest finalized block. A later look-up supersedes an
 * earlier one still under way: the earlier one renders nothing more. */
async function verify() {
  const mine = ++generation;
  const current = () => mine === generation;
  const began = performance.now();
  const route = parseRoute(location, gs1SubjectId);
  $('route-error').textContent = route.error ?? '';
  $('device-input').value = route.device ?? '';
  $('subject-input').value = route.subject ?? '';
  for (const id of ['verdict', 'device', 'trace', 'check-tag']) $(id).hidden = true;
  $('check-tag').onclick = null;
  $('chip-note').textContent = '';

  const facts = route.device ? await deviceFacts(route.device) : { block: await finalizedWithAge() };
  if (!current()) return;
  const { block } = facts;
  const stale = block.ageMs > MAX_AGE_MS;
  setStatus(`Verified at finalized block #${block.number} (${block.hash}) of ${chain.name}, genesis ${short(chain.genesisHash)}${stale ? ` \u2014 but that block is ${Math.round(block.ageMs / 60000)} minutes old` : ''}`, stale ? 'stale' : 'synced');
  $('status').dataset.block = block.number;

  // The item: the one the URL names, else the one the tag's manufacturer bound it to.
  const subject = route.subject ?? (facts.device && boundSubject(facts.device));
  if (subject) {
    const trace = await readTrace(chain, block.hash, subject);
    const makers = await manufacturersAmong(chain, block.hash, trace.entries.map(({ anchor }) => anchor.owner));
    if (!current()) return;
    showTrace(trace, subject, route.subject ? route : {}, makers);
  }
  if (route.device) {
    renderDevice(route.device, facts, route.subject, undefined);
    setupTagCheck(route.device, facts, route.subject, current);
  }
  // For measurements: seconds from page load, and this look-up's own time.
  $('loaded').dataset.seconds = seconds();
  $('loaded').dataset.lookupSeconds = ((performance.now() - began) / 1000).toFixed(2);
}

function fail(error) {
  setStatus(`Could not verify: ${error.message}`, 'error');
  console.error(error);
}

function renderDevice(id, facts, subject, signature) {
  const { device, manufacturer, block } = facts;
  const issuerName = manufacturer ? text(manufacturer.name) : 'an unknown issuer';
  const suspendedBy = device?.status.type === 'SuspendedByIssuer' ? 'its manufacturer' : 'its owner';
  const ageMinutes = Math.round(block.ageMs / 60000);
  showVerdict(verdictOf({ device, manufacturer, signature, subject, ageMs: block.ageMs }), { issuerName, suspendedBy, ageMinutes });
  const details = $('device');
  details.hidden = false;
  const rows = [['Device', id]];
  if (device) {
    rows.push(['Status', device.status.type], ['Issuer', `${issuerName} (${device.issuer})`], ['Key', device.key.type], ['Registered at block', `#${device.registered_at}`]);
    const bound = boundSubject(device);
    rows.push(['Bound to item', bound ?? 'none (its manufacturer bound it to no item)']);
    if (device.metadata && bytesOf(device.metadata).length) rows.push(['Metadata', text(device.metadata)]);
  }
  const table = el('dl');
  for (const [name, value] of rows) table.append(el('dt', name), el('dd', value));
  details.replaceChildren(el('h2', 'The tag'), table);
}

function setupTagCheck(deviceId, facts, subject, current) {
  const button = $('check-tag');
  const { chip, reason } = findChip({ blake2: recordDigest });
  button.hidden = false;
  button.disabled = true;
  const kind = facts.device && CHIP_KINDS[facts.device.key.type];
  if (!facts.device || facts.device.status.type !== 'Active') return;
  if (!chip || !kind || (chip.kind && chip.kind !== kind)) {
    $('chip-note').textContent = !kind
      ? `This device signs with ${facts.device.key.type}, not a tag chip's key.`
      : chip ? `This device's key is ${facts.device.key.type}; the chip reader here (${chip.name}) signs with another type.` : reason;
    return;
  }
  button.disabled = false;
  button.onclick = async () => {
    button.disabled = true;
    $('chip-note').textContent = 'Hold the tag to the phone\u2026';
    try {
      // A fresh random challenge, bound to this chain and this device: a recorded answer from
      // an earlier check does not verify.
      const payload = tagChallengePayload(chain.genesisHash, deviceId, freshChallenge());
      const raw = await chip.sign(payload);
      // The device as it is now (a revocation since the look-up counts), at a new finalized block.
      const now = await deviceFacts(deviceId);
      if (!current()) return;
      let signature = 'unreadable';
      if (now.device && CHIP_KINDS[now.device.key.type] === kind) {
        try {
          signature = verifySignature(encodedKey(now.device.key), payload, signatureFromRaw(kind, raw)) ? 'valid' : 'invalid';
        } catch {
          signature = 'unreadable'; // not a signature of this key type at all
        }
      }
      renderDevice(deviceId, now, subject, now.device ? signature : undefined);
      $('chip-note').textContent = {
        valid: 'The tag answered a fresh challenge with its registered key.',
        invalid: 'The tag\u2019s answer does not verify against the registered key.',
        unreadable: 'The tag\u2019s answer is not a signature of its key type.',
      }[signature];
      setupTagCheck(deviceId, now, subject, current);
    } catch (error) {
      if (current()) {
        $('chip-note').textContent = `The tag did not answer: ${error.message}`;
        button.disabled = false;
      }
    }
  };
}

/** An inclusion proof file: the SDK's `proof.toJSON()` plus the batch's `attester` account. */
function parseProof(textContent) {
  try {
    const proof = JSON.parse(textContent);
    const ok = typeof proof.root === 'string' && Number.isInteger(proof.leafIndex) && Number.isInteger(proof.leafCount)
      && Array.isArray(proof.siblings) && typeof proof.attester === 'string';
    return ok ? proof : undefined;
  } catch {
    return undefined;
  }
}

/** A gateway's verification bundle (`GET /readings/{digest}` or `viot-gateway prove`): its
 * readings, each with the payload its device signed, the signature and the batch proof. */
function parseBundle(textContent) {
  try {
    const bundle = JSON.parse(textContent);
    const readings = Array.isArray(bundle.readings) ? bundle.readings : [bundle];
    const isHex = (value) => typeof value === 'string' && /^0x[0-9a-fA-F]*$/.test(value);
    const ok = readings.length > 0 && readings.every((r) => isHex(r.device) && isHex(r.digest) && isHex(r.payload)
      && isHex(r.signature) && Number.isSafeInteger(r.sequence) && Number.isInteger(r.kind) && typeof r.gateway === 'string');
    return ok ? readings.slice(0, 10) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a gateway's readings against the chain, taking from the bundle only what the chain
 * and the device's signature prove: the payload must be the reading it names on this chain, the
 * signature the device's (its key as registered now), and the proof must put the signed reading
 * in a batch anchored by the account it names. `record`, if chosen, must be the reading's record. */
async function checkReadings(readings, record, result) {
  result.dataset.state = 'checking';
  result.textContent = 'Checking the gateway\u2019s readings\u2026';
  const digest = record ? toHex(recordDigest(new Uint8Array(await record.arrayBuffer()))) : undefined;
  const block = await chain.finalized();
  const lines = [];
  let allProven = true;
  for (const reading of readings) {
    const { device, sequence, kind } = reading;
    const name = `Reading ${sequence} of device ${short(device.toLowerCase())} (record ${short(reading.digest.toLowerCase())})`;
    const refuse = (why) => {
      allProven = false;
      lines.push(`${name}: ${why}`);
    };
    if (digest && reading.digest.toLowerCase() !== digest) {
      refuse(`it is about another record than ${record.name} (${digest}).`);
      continue;
    }
    const payload = readingPayload(chain.genesisHash, device, BigInt(sequence), reading.digest, reading.subject ?? null, kind);
    if (toHex(payload) !== reading.payload.toLowerCase()) {
      refuse('the signed payload is not this reading on this chain.');
      continue;
    }
    const info = await chain.call('DeviceIdentityApi', 'device', [device], block.hash);
    if (!info) {
      refuse('no such device is registered on this chain.');
      continue;
    }
    if (!verifySignature(encodedKey(info.key), payload, reading.signature)) {
      refuse('the signature is not the device\u2019s (with its key as registered now): possibly forged.');
      continue;
    }
    const proof = reading.batch?.proof;
    if (!proof) {
      refuse(`signed by the device, but not anchored yet (${reading.status}).`);
      continue;
    }
    const leaf = toHex(readingLeaf(payload, reading.signature));
    const answer = await chain.call('DataAnchoringApi', 'verify_inclusion', [leaf, {
      root: proof.root, leaf_index: proof.leafIndex, leaf_count: proof.leafCount, siblings: proof.siblings,
    }, reading.gateway], block.hash);
    if (!answer.success) {
      refuse(`signed by the device, but the proof does not put it in a batch ${reading.gateway} anchored (${answer.value.type}).`);
      continue;
    }
    const anchor = answer.value;
    const makers = await manufacturersAmong(chain, block.hash, [info.issuer, anchor.owner]);
    const issuer = makers.has(info.issuer) ? text(makers.get(info.issuer)) : `${info.issuer}, no longer a manufacturer`;
    const status = info.status.type === 'Active' ? '' : ` The device is ${info.status.type.replace('ByIssuer', ' by its issuer').toLowerCase()} now.`;
    lines.push(`${name}: signed by the device (issued by ${issuer}), event ${kindName(kind)}; leaf ${proof.leafIndex} of ${anchor.leaf_count} in a batch anchored at ${when(anchor.timestamp)}, block #${anchor.block}, by ${submitter(anchor.owner, makers)} (signature and inclusion checked).${status}`);
  }
  result.dataset.state = allProven ? 'anchored' : 'not-anchored';
  result.replaceChildren(
    el('p', `A gateway\u2019s readings, checked at finalized block #${block.number}:`),
    ...lines.map((line) => el('p', line)),
  );
}

function setupFileCheck() {
  const zone = $('drop');
  const input = $('file-input');
  const result = $('file-result');
  /** Checks one selection: a record, with its inclusion proof (JSON) when it is in a batch. */
  const check = async (files) => {
    let proof;
    let readings;
    const records = [];
    for (const file of files) {
      const content = file.name.endsWith('.json') ? await file.text() : undefined;
      const parsed = content === undefined ? undefined : parseProof(content);
      const bundle = content === undefined || parsed ? undefined : parseBundle(content);
      if (parsed) proof = parsed;
      else if (bundle) readings = bundle;
      else records.push(file);
    }
    // A gateway's bundle: its readings, with the record they are about if one is chosen.
    if (readings && records.length <= 1) {
      await checkReadings(readings, records[0], result);
      return;
    }
    if (records.length !== 1) {
      result.dataset.state = 'error';
      result.replaceChildren(el('p', records.length ? 'Choose one record at a time (with its inclusion proof, if it is in a batch).' : 'Choose the record together with its inclusion proof.'));
      return;
    }
    const [file] = records;
    result.dataset.state = 'checking';
    result.textContent = `Hashing ${file.name}\u2026`;
    const digest = toHex(recordDigest(new Uint8Array(await file.arrayBuffer())));
    const block = await chain.finalized();
    const { attestations, child } = await readDigest(chain, block.hash, digest);
    const makers = await manufacturersAmong(chain, block.hash, attestations.map((anchor) => anchor.owner));
    const lines = [];
    let found = attestations.length > 0 || child.length > 0;
    for (const anchor of attestations) {
      lines.push(`Anchored at ${when(anchor.timestamp)}, block #${anchor.block}, by ${describeSource(anchor.source)}; submitted by ${submitter(anchor.owner, makers)}${anchor.leaf_count ? ` (the root of a batch of ${anchor.leaf_count})` : ''}.`);
    }
    const childChains = new Map(); // chain id -> its record, read once per check
    for (const record of child) {
      // A chain governance halted (e.g. while it investigates it) is said to be so.
      if (!childChains.has(record.chain_id)) {
        childChains.set(record.chain_id, await chain.call('ChildChainsApi', 'child_chain', [record.chain_id], block.hash));
      }
      const info = childChains.get(record.chain_id);
      const halted = info?.halted ? ' Governance has halted this child chain: do not rely on it until it resumes.' : '';
      lines.push(`Anchored on child chain ${record.chain_id} in its block #${record.anchored_at}, ${when(record.anchored_at_time)}, by ${record.child_owner}; proven to this chain against the child's header #${record.child_block_number} (${short(hexOf(record.child_block_hash))}) at block #${record.indexed_at}.${halted}`);
    }
    if (proof) {
      // The chain's own code checks the proof against the batch root the attester anchored.
      const answer = await chain.call('DataAnchoringApi', 'verify_inclusion', [digest, {
        root: proof.root, leaf_index: proof.leafIndex, leaf_count: proof.leafCount, siblings: proof.siblings,
      }, proof.attester], block.hash);
      if (answer.success) {
        found = true;
        const anchor = answer.value;
        const batchMakers = await manufacturersAmong(chain, block.hash, [anchor.owner]);
        lines.push(`In a batch: leaf ${proof.leafIndex} of ${anchor.leaf_count} under root ${short(hexOf(anchor.digest))}, anchored at ${when(anchor.timestamp)}, block #${anchor.block}, by ${submitter(anchor.owner, batchMakers)} (inclusion proof checked).`);
      } else {
        lines.push(`The inclusion proof does not prove this file is in a batch ${proof.attester} anchored (${answer.value.type}).`);
      }
    }
    result.dataset.state = found ? 'anchored' : 'not-anchored';
    result.replaceChildren(
      el('p', `${file.name}: digest ${digest}`),
      ...(lines.length ? lines.map((line) => el('p', line)) : [el('p', `Not anchored on this chain (as of finalized block #${block.number}). A record inside a batch needs its inclusion proof: choose it with the record.`)]),
    );
  };
  const failed = (error) => {
    result.dataset.state = 'error';
    result.replaceChildren(el('p', `Could not check the file: ${error.message}`));
  };
  input.onchange = () => input.files.length && check(Array.from(input.files)).catch(failed);
  zone.ondragover = (event) => {
    event.preventDefault();
    zone.dataset.over = 'true';
  };
  zone.ondragleave = () => delete zone.dataset.over;
  zone.ondrop = (event) => {
    event.preventDefault();
    delete zone.dataset.over;
    if (event.dataTransfer.files.length) check(Array.from(event.dataTransfer.files)).catch(failed);
  };
}

main().catch(fail);
