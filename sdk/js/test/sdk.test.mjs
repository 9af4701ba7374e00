// The SDK's JavaScript package without a chain: keys of every type sign what they verify and
// interoperate with Node.js's own crypto, payloads have the runtime's layout, batches prove
// their leaves and refuse tampered proofs, traces are checked in order, bad input throws, and
// the browser build (an ES module, initialised with the module's bytes) gives the same answers.

import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as sdk from '@viot/sdk';

const { Anchor, Batch, DeviceKey, InclusionProof } = sdk;
const KINDS = ['sr25519', 'ed25519', 'ecdsa', 'p256'];
const encoder = new TextEncoder();
const hex = (bytes) => `0x${Buffer.from(bytes).toString('hex')}`;
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const genesis = new Uint8Array(32).fill(9);
const device = new Uint8Array(32).fill(1);

test('keys of every type sign what they verify, and only that', () => {
  for (const kind of KINDS) {
    const key = DeviceKey.generate(kind);
    const other = DeviceKey.generate(kind);
    assert.equal(key.kind, kind);
    assert.notDeepEqual(key.secret, other.secret, `${kind}: two keys differ`);
    const message = encoder.encode('reading 21.5 °C');
    const signature = key.sign(message);
    assert.equal(sdk.verifySignature(key.publicKey, message, signature), true, kind);
    assert.equal(sdk.verifySignature(key.publicKey, encoder.encode('reading 22.5 °C'), signature), false, kind);
    assert.equal(sdk.verifySignature(other.publicKey, message, signature), false, `${kind}: wrong key`);
    assert.equal(sdk.verifySignature(hex(key.publicKey), message, hex(signature)), true, `${kind}: hex input`);
  }
});

test('an exported secret imports the same key', () => {
  for (const kind of KINDS) {
    const key = DeviceKey.generate(kind);
    const again = DeviceKey.fromSecret(kind, key.secret);
    assert.deepEqual(again.publicKey, key.publicKey, kind);
    assert.deepEqual(DeviceKey.fromSecret(kind, hex(key.secret)).publicKey, key.publicKey, kind);
  }
  assert.throws(() => DeviceKey.fromSecret('p256', new Uint8Array(32)), /not a valid p256 key/);
  assert.throws(() => DeviceKey.fromSecret('ed25519', new Uint8Array(31)), /must be 32 bytes, got 31/);
  assert.throws(() => DeviceKey.generate('rsa'), /unknown key type "rsa"/);
});

test("public keys are in the runtime's encoding: a variant index then the key", () => {
  const lengths = { sr25519: 32, ed25519: 32, ecdsa: 33, p256: 33 };
  KINDS.forEach((kind, index) => {
    const key = DeviceKey.generate(kind);
    assert.equal(key.publicKey[0], index, kind);
    assert.deepEqual(key.publicKey.subarray(1), key.rawPublicKey, kind);
    assert.equal(key.rawPublicKey.length, lengths[kind], kind);
  });
});

test('P-256 keys interoperate with WebCrypto-style keys (SHA-256, r || s)', () => {
  const key = DeviceKey.generate('p256');
  const point = createPublicKey({ key: { kty: 'EC', crv: 'P-256', ...xy(key) }, format: 'jwk' });
  const message = encoder.encode('tag 42 authenticated');
  const signature = key.sign(message);
  assert.equal(signature[0], 3, 'the P256 variant');
  assert.equal(nodeVerify('sha256', message, { key: point, dsaEncoding: 'ieee-p1363' }, signature.subarray(1)), true);

  const jwk = { kty: 'EC', crv: 'P-256', d: b64url(key.secret), ...xy(key) };
  const chip = createPrivateKey({ key: jwk, format: 'jwk' });
  const fromChip = nodeSign('sha256', message, { key: chip, dsaEncoding: 'ieee-p1363' });
  // WebCrypto gives either S form; the chain and the SDK take the low-S one signatureFromRaw makes.
  assert.equal(sdk.verifySignature(key.publicKey, message, sdk.signatureFromRaw('p256', fromChip)), true);
});

/** The x and y of a P-256 key, as JWK fields, from its public key. */
function xy(key) {
  const der = createPublicKey({
    key: Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), key.rawPublicKey]),
    format: 'der',
    type: 'spki',
  });
  const { x, y } = der.export({ format: 'jwk' });
  return { x, y };
}

/** The uncompressed SEC1 point (65 bytes) of a Node.js EC key, as a chip or WebCrypto exports it. */
function uncompressed(publicKey) {
  const { x, y } = publicKey.export({ format: 'jwk' });
  return Uint8Array.from([4, ...Buffer.from(x, 'base64url'), ...Buffer.from(y, 'base64url')]);
}

test("keys made outside the SDK (a chip's P-256 key) are converted to the runtime's encoding", () => {
  const chip = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const point = uncompressed(chip.publicKey);
  const publicKey = sdk.publicKeyFromRaw('p256', point);
  assert.equal(publicKey.length, 34);
  assert.equal(publicKey[0], 3, 'the P256 variant');
  assert.equal(publicKey[1], 2 + (point[64] & 1), 'compressed: the parity of y');
  assert.deepEqual(publicKey.subarray(2), point.subarray(1, 33));
  assert.deepEqual(sdk.publicKeyFromRaw('p256', publicKey.subarray(1)), publicKey, 'compressed input');

  const payload = sdk.authenticatePayload(genesis, device, 0);
  const der = nodeSign('sha256', payload, chip.privateKey); // Node.js and OpenSSL: DER
  const p1363 = nodeSign('sha256', payload, { key: chip.privateKey, dsaEncoding: 'ieee-p1363' });
  for (const raw of [der, p1363]) {
    const signature = sdk.signatureFromRaw('p256', raw);
    assert.equal(signature.length, 65);
    assert.equal(sdk.verifySignature(publicKey, payload, signature), true);
    assert.equal(sdk.verifySignature(publicKey, sdk.authenticatePayload(genesis, device, 1), signature), false);
  }

  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const k1Point = uncompressed(k1.publicKey);
  assert.deepEqual(
    sdk.publicKeyFromRaw('ecdsa', k1Point),
    Uint8Array.of(2, 2 + (k1Point[64] & 1), ...k1Point.subarray(1, 33)),
  );
  const offCurve = Uint8Array.from(point);
  offCurve[64] ^= 1;
  assert.throws(() => sdk.publicKeyFromRaw('p256', offCurve), /not a valid p256 public key/);
  assert.throws(() => sdk.signatureFromRaw('p256', new Uint8Array(70).fill(1)), /not a valid p256 signature/);
  assert.throws(() => sdk.signatureFromRaw('ed25519', new Uint8Array(63)), /the signature must be 64 bytes, got 63/);
});

/** The order n of the P-256 group. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const toBigInt = (bytes) => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
const to32 = (value) => Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));

test('P-256 signatures are accepted in their low-S form only; signatureFromRaw gives it for either', () => {
  const chip = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = sdk.publicKeyFromRaw('p256', uncompressed(chip.publicKey));
  const payload = sdk.authenticatePayload(genesis, device, 0);
  const rs = nodeSign('sha256', payload, { key: chip.privateKey, dsaEncoding: 'ieee-p1363' });
  const r = rs.subarray(0, 32);
  const s = toBigInt(rs.subarray(32));
  const low = s > P256_ORDER / 2n ? P256_ORDER - s : s;
  const lowForm = Uint8Array.of(...r, ...to32(low));
  const highForm = Uint8Array.of(...r, ...to32(P256_ORDER - low));
  // Both forms are valid ECDSA signatures for a plain verifier...
  for (const form of [lowForm, highForm]) {
    assert.equal(nodeVerify('sha256', payload, { key: chip.publicKey, dsaEncoding: 'ieee-p1363' }, form), true);
  }
  // ...the SDK turns either into the low-S one...
  for (const form of [lowForm, highForm]) {
    assert.deepEqual(sdk.signatureFromRaw('p256', form), Uint8Array.of(3, ...lowForm));
  }
  // ...and, like the runtime, accepts only that one.
  assert.equal(sdk.verifySignature(publicKey, payload, Uint8Array.of(3, ...lowForm)), true);
  assert.equal(sdk.verifySignature(publicKey, payload, Uint8Array.of(3, ...highForm)), false);
  // The SDK's own keys sign low-S.
  const key = DeviceKey.generate('p256');
  for (let i = 0; i < 8; i += 1) {
    const signature = key.sign(encoder.encode(`reading ${i}`));
    assert.ok(toBigInt(signature.subarray(33)) <= P256_ORDER / 2n, 'low-S');
  }
});

test('Ed25519 keys interoperate with Node.js Ed25519', () => {
  const key = DeviceKey.generate('ed25519');
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: b64url(key.secret), x: b64url(key.rawPublicKey) };
  const message = encoder.encode('gateway 3 online');
  const fromNode = nodeSign(null, message, createPrivateKey({ key: jwk, format: 'jwk' }));
  assert.equal(sdk.verifySignature(key.publicKey, message, Uint8Array.of(1, ...fromNode)), true);
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  assert.equal(nodeVerify(null, message, publicKey, key.sign(message).subarray(1)), true);
});

test("payloads have the runtime's layout and bind chain, device, nonce and action", () => {
  const bytes = sdk.authenticatePayload(genesis, device, 258);
  const expected = Buffer.concat([
    Buffer.from('VIoT'),
    genesis,
    device,
    Buffer.from([2, 1, 0, 0, 0, 0, 0, 0]),
    Buffer.from([0]),
  ]);
  assert.deepEqual(Buffer.from(bytes), expected);
  assert.deepEqual(sdk.authenticatePayload(hex(genesis), hex(device), 258n), bytes, 'hex and bigint inputs');

  const digest = sdk.recordDigest(encoder.encode('shipped'));
  const subject = new Uint8Array(32).fill(3);
  const anchor = sdk.anchorPayload(genesis, device, 0, digest, subject, 2);
  assert.deepEqual(
    Buffer.from(anchor.subarray(expected.length - 1)),
    Buffer.concat([Buffer.from([2]), digest, Buffer.from([1]), subject, Buffer.from([2, 0])]),
  );
  const noSubject = sdk.anchorPayload(genesis, device, 0, digest, undefined, 2);
  assert.equal(noSubject.length, anchor.length - 32, 'no subject: None');

  const tag = DeviceKey.generate('p256');
  const scan = sdk.scanPayload(genesis, device, 7, device, new Uint8Array(32).fill(2), digest, null, 6);
  const signature = tag.sign(scan);
  for (const other of [
    sdk.scanPayload(genesis, device, 8, device, new Uint8Array(32).fill(2), digest, null, 6),
    sdk.scanPayload(new Uint8Array(32), device, 7, device, new Uint8Array(32).fill(2), digest, null, 6),
    sdk.scanPayload(genesis, device, 7, device, new Uint8Array(32).fill(2), digest, null, 7),
  ]) {
    assert.equal(sdk.verifySignature(tag.publicKey, other, signature), false);
  }
  const rotation = sdk.rotateKeyPayload(genesis, device, 1, tag.publicKey);
  assert.deepEqual(Buffer.from(rotation.subarray(expected.length - 1)), Buffer.from([1, ...tag.publicKey]));

  assert.throws(() => sdk.authenticatePayload(genesis, device, -1), /non-negative integer/);
  assert.throws(() => sdk.authenticatePayload(genesis, device, 1.5), /non-negative integer/);
  assert.throws(() => sdk.authenticatePayload(genesis, device.subarray(1), 0), /a device id must be 32 bytes, got 31/);
  assert.throws(() => sdk.authenticatePayload(genesis, 'not hex', 0), /a device id must be a Uint8Array or a hex string/);
  assert.throws(() => sdk.rotateKeyPayload(genesis, device, 0, Uint8Array.of(9, 1)), /the new key is not in the runtime's encoding/);
});

test('off-chain payloads start with VIoX, never VIoT, and bind what they carry', () => {
  const challenge = new Uint8Array(32).fill(7);
  const tag = sdk.tagChallengePayload(genesis, device, challenge);
  assert.deepEqual(Buffer.from(tag), Buffer.concat([Buffer.from('VIoX'), genesis, device, Buffer.from([0]), challenge]));

  const digest = sdk.recordDigest(encoder.encode('4.2 °C'));
  const subject = new Uint8Array(32).fill(3);
  const reading = sdk.readingPayload(genesis, device, 258, digest, subject, 10);
  assert.deepEqual(Buffer.from(reading), Buffer.concat([
    Buffer.from('VIoX'), genesis, device, Buffer.from([1]), digest,
    Buffer.from([2, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([1]), subject, Buffer.from([10, 0]),
  ]));
  assert.equal(sdk.readingPayload(genesis, device, 258, digest, null, 10).length, reading.length - 32, 'no subject: None');
  // Every key type signs a reading; another sequence number is another message.
  for (const kind of ['sr25519', 'ed25519', 'ecdsa', 'p256']) {
    const key = DeviceKey.generate(kind);
    const signature = key.sign(reading);
    assert.equal(sdk.verifySignature(key.publicKey, reading, signature), true, kind);
    assert.equal(sdk.verifySignature(key.publicKey, sdk.readingPayload(genesis, device, 259, digest, subject, 10), signature), false, kind);
  }
  assert.throws(() => sdk.readingPayload(genesis, device, -1, digest, null, 0), /non-negative integer/);

  // GS1 subject ids: BLAKE2b-256 of the normalized code.
  const id = sdk.gs1SubjectId('9506000134352', 'ABC-123');
  assert.deepEqual(id, sdk.gs1SubjectId('09506000134352', 'ABC-123'));
  assert.throws(() => sdk.gs1SubjectId('09506000134353', 'A'), /check digit/);
  assert.throws(() => sdk.gs1SubjectId('09506000134352', 'a b'), /character set 82/);
});

test('a batch proves each of its leaves; a tampered proof, leaf or count does not', () => {
  const records = Array.from({ length: 37 }, (_, i) => encoder.encode(`reading ${i}`));
  const batch = Batch.fromRecords(records);
  const leaves = records.map((r) => sdk.recordDigest(r));
  assert.deepEqual(new Batch(leaves).root, batch.root);
  assert.deepEqual(new Batch(leaves.map(hex)).root, batch.root, 'hex leaves');
  assert.equal(batch.leafCount, 37);
  assert.notDeepEqual(new Batch([...leaves].reverse()).root, batch.root, 'order matters');

  for (const index of [0, 1, 17, 36]) {
    const proof = batch.proof(index);
    assert.equal(sdk.verifyProof(leaves[index], proof), index);
    assert.equal(batch.indexOf(leaves[index]), index);
    const again = InclusionProof.fromBytes(proof.toBytes());
    assert.deepEqual(again.toJSON(), proof.toJSON(), 'SCALE round trip');
    assert.equal(proof.toJSON().siblings.length, proof.siblings.length);
    assert.throws(() => sdk.verifyProof(leaves[(index + 1) % 37], proof), /does not lead from the leaf/);

    const bytes = proof.toBytes();
    bytes[bytes.length - 1] ^= 1;
    assert.throws(() => sdk.verifyProof(leaves[index], InclusionProof.fromBytes(bytes)), /does not lead/);
  }
  assert.throws(() => batch.proof(37), /leaf 37 is not in a batch of 37/);
  assert.throws(() => new Batch([]), /at least one leaf/);
  assert.equal(batch.indexOf(sdk.recordDigest(encoder.encode('absent'))), undefined);
});

test("a provisioning batch's leaves bind id, key and metadata; verifyBatchDevice checks a device against the root", () => {
  const devices = Array.from({ length: 21 }, (_, i) => ({
    id: new Uint8Array(32).fill(i + 1),
    key: DeviceKey.fromSecret(i % 2 ? 'p256' : 'sr25519', new Uint8Array(32).fill(i + 1)),
    metadata: encoder.encode(`tag ${i}`),
  }));
  const leaves = devices.map((d) => sdk.batchLeaf(d.id, d.key.publicKey, d.metadata));
  assert.equal(new Set(leaves.map(hex)).size, 21);
  assert.notDeepEqual(sdk.batchLeaf(devices[0].id, devices[0].key.publicKey, encoder.encode('tag 1')), leaves[0]);
  const batch = new Batch(leaves);
  for (const [i, d] of devices.entries()) {
    const siblings = batch.proof(i).toJSON().siblings;
    sdk.verifyBatchDevice(batch.root, 21, d.id, d.key.publicKey, d.metadata, i, siblings);
    const other = devices[(i + 1) % 21];
    for (const [root, size, key, metadata, index] of [
      [batch.root, 2, d.key.publicKey, d.metadata, i],
      [batch.root, 21, other.key.publicKey, d.metadata, i],
      [batch.root, 21, d.key.publicKey, other.metadata, i],
      [batch.root, 21, d.key.publicKey, d.metadata, (i + 1) % 21],
      [new Uint8Array(32), 21, d.key.publicKey, d.metadata, i],
    ]) {
      assert.throws(() => sdk.verifyBatchDevice(root, size, d.id, key, metadata, index, siblings), /does not lead/);
    }
  }
});

test('rangeProof proves a carton of adjacent leaves with a few siblings, a single leaf as proof() does', () => {
  const leaves = Array.from({ length: 1000 }, (_, i) => sdk.recordDigest(encoder.encode(`tag ${i}`)));
  const batch = new Batch(leaves);
  for (const i of [0, 1, 500, 998, 999]) {
    assert.deepEqual(batch.rangeProof(i, 1), batch.proof(i).toJSON().siblings);
  }
  // 100 devices from 200: 4 + 3 siblings instead of 100 proofs of 10.
  const carton = batch.rangeProof(200, 100);
  assert.ok(carton.length <= 8, `${carton.length} siblings`);
  assert.ok(carton.every((s) => /^0x[0-9a-f]{64}$/.test(s)));
  assert.throws(() => batch.rangeProof(950, 51), /51 leaves from 950 are not a range of a batch of 1000/);
  assert.throws(() => batch.rangeProof(0, 0), /not a range/);
});

const u32 = (n) => [...new Uint8Array(Uint32Array.of(n).buffer)];
const u64 = (n) => [...new Uint8Array(BigUint64Array.of(BigInt(n)).buffer)];

/**
 * The SCALE encoding of an AnchorInfo, as the runtime API returns it, to feed the SDK anchors
 * without a chain (scripts/e2e/sdk.test.mjs checks real ones).
 */
function encodeAnchor({ digest, block, timestamp, subject, kind, leafCount, traceIndex }) {
  const option = (value) => (value === undefined ? [0] : [1, ...value]);
  return Uint8Array.from([
    ...digest,
    ...new Uint8Array(32).fill(5), // owner
    ...u32(block),
    ...u64(timestamp),
    0, // source: Account
    ...option(subject),
    ...new Uint8Array(Uint16Array.of(kind).buffer),
    ...option(leafCount === undefined ? undefined : u32(leafCount)),
    0, // metadata: empty
    ...new Uint8Array(16), // deposit
    ...option(traceIndex === undefined ? undefined : u32(traceIndex)),
  ]);
}

test('a record is checked against its anchor: the digest itself, or a leaf with its proof', () => {
  const records = ['a', 'b', 'c', 'd', 'e'].map((r) => encoder.encode(r));
  const batch = Batch.fromRecords(records);
  const anchor = Anchor.fromBytes(encodeAnchor({ digest: batch.root, block: 7, timestamp: 42_000, kind: 10, leafCount: 5 }));
  assert.equal(anchor.block, 7);
  assert.equal(anchor.timestamp, 42_000);
  assert.equal(anchor.source, 'account');
  assert.equal(anchor.leafCount, 5);
  assert.equal(anchor.subject, undefined);

  const leaf = sdk.recordDigest(records[3]);
  assert.equal(anchor.verifyLeaf(leaf, batch.proof(3)), 3);
  assert.throws(() => anchor.verifyLeaf(sdk.recordDigest(records[2]), batch.proof(3)), /does not lead/);
  assert.throws(() => anchor.verifyLeaf(leaf, Batch.fromRecords(records.slice(0, 4)).proof(3)), /another batch/);
  assert.throws(() => anchor.verifyRecord(leaf), /needs its inclusion proof/);
  anchor.verifyRecord(batch.root);

  const single = Anchor.fromBytes(encodeAnchor({ digest: leaf, block: 8, timestamp: 48_000, kind: 0 }));
  single.verifyRecord(leaf);
  assert.throws(() => single.verifyRecord(sdk.recordDigest(records[2])), /not the anchored digest/);
  assert.throws(() => single.verifyLeaf(leaf, batch.proof(3)), /single record, not a batch/);
  assert.throws(() => Anchor.fromBytes(Uint8Array.of(1, 2, 3)), /the anchor is not in the runtime's encoding/);
});

test("an item's trace is checked in order, and every defect is named", () => {
  const subject = new Uint8Array(32).fill(7);
  const steps = ['made', 'shipped', 'sold'].map((s) => sdk.recordDigest(encoder.encode(s)));
  const entry = (digest, index, block) => [
    ...u32(index),
    ...encodeAnchor({ digest, block, timestamp: block * 6000, subject, kind: 1, traceIndex: index }),
  ];
  const encodeTrace = (entries) => Uint8Array.from([entries.length << 2, ...entries.flat()]);
  const trace = encodeTrace([entry(steps[0], 0, 3), entry(steps[1], 2, 5), entry(steps[2], 3, 5)]);

  const anchors = sdk.verifyTrace(subject, trace, steps);
  assert.deepEqual(anchors.map((a) => a.traceIndex), [0, 2, 3]);
  assert.deepEqual(anchors.map((a) => hex(a.digest)), steps.map(hex));
  assert.equal(sdk.verifyTrace(hex(subject), hex(trace)).length, 3, 'records are optional');

  assert.throws(() => sdk.verifyTrace(subject, trace, [steps[0], steps[2], steps[1]]), /trace entry 1 is not the expected record/);
  assert.throws(() => sdk.verifyTrace(subject, trace, steps.slice(0, 2)), /has 3 entries, 2 records were expected/);
  assert.throws(() => sdk.verifyTrace(new Uint8Array(32), trace), /trace entry 0 concerns another item/);
  const swapped = encodeTrace([entry(steps[1], 2, 5), entry(steps[0], 0, 3)]);
  assert.throws(() => sdk.verifyTrace(subject, swapped), /trace entry 1 is out of order/);
});

test('the browser build gives the same answers as the Node.js build', async () => {
  const web = await import('@viot/sdk/web');
  const wasm = readFileSync(new URL('../web/viot_sdk_bg.wasm', import.meta.url));
  await web.default({ module_or_path: wasm });

  const key = web.DeviceKey.generate('sr25519');
  const message = encoder.encode('from a web page');
  assert.equal(sdk.verifySignature(key.publicKey, message, key.sign(message)), true);
  const same = sdk.DeviceKey.fromSecret('p256', web.DeviceKey.generate('p256').secret);
  assert.deepEqual(web.DeviceKey.fromSecret('p256', same.secret).publicKey, same.publicKey);
  const leaves = [1, 2, 3].map((i) => sdk.recordDigest(Uint8Array.of(i)));
  assert.deepEqual(new web.Batch(leaves).root, new Batch(leaves).root);
  assert.deepEqual(web.authenticatePayload(genesis, device, 3), sdk.authenticatePayload(genesis, device, 3));
});

test('a gateway reading verifies for its chain, device and record, with its key and batch only', () => {
  const keys = KINDS.map((kind) => DeviceKey.generate(kind));
  const digests = keys.map((_, i) => sdk.recordDigest(encoder.encode(`reading ${i}`)));
  const readings = keys.map((key, i) => {
    const payload = sdk.readingPayload(genesis, device, i + 1, digests[i], null, 10);
    return { key, payload, signature: key.sign(payload) };
  });
  const leaves = readings.map(({ payload, signature }) => sdk.readingLeaf(payload, signature));
  const batch = new Batch(leaves);
  const anchor = Anchor.fromBytes(encodeAnchor({ digest: batch.root, block: 9, timestamp: 54_000, kind: 10, leafCount: 4 }));
  const check = (i, overrides = {}) => {
    const { key, payload, signature } = { ...readings[i], ...overrides };
    return sdk.verifyReading(overrides.genesis ?? genesis, overrides.device ?? device, overrides.digest ?? digests[i],
      payload, signature, overrides.publicKey ?? key.publicKey, overrides.anchor ?? anchor, overrides.proof ?? batch.proof(i));
  };
  readings.forEach((_, i) => {
    assert.equal(check(i), i, KINDS[i]);
    assert.throws(() => check(i, { publicKey: keys[(i + 1) % 4].publicKey }), /signature is not the device's|not in the runtime's encoding/);
    assert.throws(() => check(i, { proof: batch.proof((i + 1) % 4) }), /does not lead from the leaf to the root/);
  });
  // The device's genuine reading, but of another record, device or chain than the one asked about.
  assert.throws(() => check(0, { digest: digests[1] }), /another chain, device or record/);
  assert.throws(() => check(0, { device: new Uint8Array(32).fill(2) }), /another chain, device or record/);
  assert.throws(() => check(0, { genesis: new Uint8Array(32).fill(3) }), /another chain, device or record/);
  // A tag challenge is not a reading; a batch of another size is another batch.
  const { key } = readings[0];
  const challenge = sdk.tagChallengePayload(genesis, device, new Uint8Array(32));
  assert.throws(() => check(0, { payload: challenge, signature: key.sign(challenge) }), /not a device's reading/);
  const other = Anchor.fromBytes(encodeAnchor({ digest: batch.root, block: 9, timestamp: 54_000, kind: 10, leafCount: 5 }));
  assert.throws(() => check(0, { anchor: other }), /another batch/);
  assert.deepEqual(sdk.readingLeaf(hex(readings[0].payload), hex(readings[0].signature)), leaves[0]);
});
