// The page's rules without a browser: which verdict each proven state gives, how a tag is bound
// to its item, how a URL names what to verify, and how an NFC chip's answer is encoded.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DeviceKey, gs1SubjectId, recordDigest, signatureFromRaw, verifySignature } from '@viot/sdk';

import { haloChip } from '../src/chip.js';
import { toHex } from '../src/hex.js';
import { parseRoute } from '../src/route.js';
import { MAX_AGE_MS, boundSubject, kindName, verdictOf } from '../src/verdict.js';

const item = `0x${'ab'.repeat(32)}`;
const other = `0x${'cd'.repeat(32)}`;
const utf8 = (text) => new TextEncoder().encode(text);
const attribute = (key, value, certified) => ({ key: utf8(key), value: Uint8Array.from(Buffer.from(value.slice(2), 'hex')), certified });
const device = (type, attributes = []) => ({ status: { type }, attributes });
const bound = device('Active', [attribute('subject', item, true)]);
const maker = { name: utf8('Acme'), since: 1 };

test('a verdict for every state, the chain checked before the tag, the tag before the item', () => {
  assert.equal(verdictOf({ device: undefined }), 'unknown');
  assert.equal(verdictOf({ device: device('Revoked'), manufacturer: maker, signature: 'valid' }), 'revoked');
  for (const type of ['Suspended', 'SuspendedByIssuer']) {
    assert.equal(verdictOf({ device: device(type), manufacturer: maker, signature: 'valid' }), 'suspended');
  }
  assert.equal(verdictOf({ device: bound, manufacturer: undefined, signature: 'valid' }), 'issuer-untrusted');
  assert.equal(verdictOf({ device: bound, manufacturer: maker }), 'chain-only');
  assert.equal(verdictOf({ device: bound, manufacturer: maker, signature: 'invalid', subject: item }), 'mismatch');
  assert.equal(verdictOf({ device: bound, manufacturer: maker, signature: 'unreadable', subject: item }), 'unreadable');
  assert.equal(verdictOf({ device: bound, manufacturer: maker, signature: 'valid', subject: item }), 'genuine');
  assert.equal(verdictOf({ device: bound, manufacturer: maker, signature: 'valid' }), 'genuine', 'the bound item when the link names none');
  assert.equal(verdictOf({ device: bound, manufacturer: maker, signature: 'valid', subject: other }), 'not-this-item');
  const unbound = device('Active');
  assert.equal(verdictOf({ device: unbound, manufacturer: maker, signature: 'valid', subject: item }), 'not-this-item');
  assert.equal(verdictOf({ device: unbound, manufacturer: maker, signature: 'valid' }), 'genuine-unbound');
});

test('old finalized state gives no verdict but "stale", whatever the device', () => {
  assert.equal(verdictOf({ device: bound, manufacturer: maker, signature: 'valid', subject: item, ageMs: MAX_AGE_MS + 1 }), 'stale');
  assert.equal(verdictOf({ device: bound, manufacturer: maker, signature: 'valid', subject: item, ageMs: MAX_AGE_MS }), 'genuine');
  assert.equal(verdictOf({ device: undefined, ageMs: MAX_AGE_MS + 1 }), 'stale');
});

test('only the issuer binds a tag to an item: a certified 32-byte `subject` attribute', () => {
  assert.equal(boundSubject(bound), item);
  assert.equal(boundSubject(device('Active', [attribute('subject', item, false)])), undefined, "the owner's own attribute");
  assert.equal(boundSubject(device('Active', [attribute('subject', '0xabcd', true)])), undefined, 'not 32 bytes');
  assert.equal(boundSubject(device('Active', [attribute('lot', item, true)])), undefined, 'another key');
  // As polkadot-api may give byte strings: hex.
  assert.equal(boundSubject({ attributes: [{ key: toHex(utf8('subject')), value: item, certified: true }] }), item);
});

test('event codes in words', () => {
  assert.equal(kindName(1), 'Manufactured');
  assert.equal(kindName(2), 'Shipped');
  assert.equal(kindName(1001), 'Application event 1001');
  assert.equal(kindName(77), 'Event 77');
});

test('a GS1 Digital Link path and a plain query name the device and the item; conflicts are refused', () => {
  const tag = `0x${'12'.repeat(32)}`;
  const url = (path) => new URL(path, 'http://127.0.0.1:8080');
  const gs1 = parseRoute(url(`/01/09506000134352/21/ABC-123?device=${tag}`), gs1SubjectId);
  assert.equal(gs1.gtin, '09506000134352');
  assert.equal(gs1.serial, 'ABC-123');
  assert.equal(gs1.subject, toHex(gs1SubjectId('9506000134352', 'ABC-123')));
  assert.equal(gs1.device, tag);
  assert.equal(gs1.error, undefined);

  // Other application identifiers (lot, variant) are ignored; a serial may hold a dot.
  const lot = parseRoute(url('/01/09506000134352/10/LOT7/21/A.1'), gs1SubjectId);
  assert.equal(lot.subject, toHex(gs1SubjectId('09506000134352', 'A.1')));

  const plain = parseRoute(url(`/?device=${tag}&subject=${item}`), gs1SubjectId);
  assert.deepEqual(plain, { device: tag, subject: item });

  const conflict = parseRoute(url(`/01/09506000134352/21/ABC-123?subject=${other}`), gs1SubjectId);
  assert.match(conflict.error, /names two different items/);
  assert.equal(conflict.subject, undefined);
  const same = parseRoute(url(`/01/09506000134352/21/ABC-123?subject=${gs1.subject}`), gs1SubjectId);
  assert.equal(same.error, undefined);

  assert.match(parseRoute(url('/01/09506000134353/21/A'), gs1SubjectId).error, /check digit/);
  assert.match(parseRoute(url('/01/09506000134352'), gs1SubjectId).error, /serial number/);
  assert.match(parseRoute(url('/?device=0x12'), gs1SubjectId).error, /64 hexadecimal digits/);
  assert.equal(parseRoute(url('/?device=0x12'), gs1SubjectId).device, undefined);
});

test('an NFC (HaLo) chip is asked to sign the BLAKE2b-256 digest, and its answer verifies as the chain checks it', async () => {
  const key = DeviceKey.generate('ecdsa');
  const payload = utf8('a challenge payload');
  const asked = [];
  // A stand-in for libhalo's execHaloCmdWeb: the secp256k1 key signs the digest it is given
  // (the SDK's key hashes the payload with BLAKE2b-256 itself, so it signs the same digest).
  const exec = async (command) => {
    asked.push(command);
    const signature = key.sign(payload).slice(1); // SCALE DeviceSignature::Ecdsa: drop the variant byte
    const hex = (bytes) => Buffer.from(bytes).toString('hex');
    return { signature: { raw: { r: hex(signature.slice(0, 32)), s: hex(signature.slice(32, 64)), v: 27 + signature[64] } } };
  };
  const chip = haloChip({ blake2: recordDigest, exec });
  assert.equal(chip.kind, 'ecdsa');
  const raw = await chip.sign(payload);
  assert.deepEqual(asked, [{ name: 'sign', keyNo: 1, digest: Buffer.from(recordDigest(payload)).toString('hex') }]);
  assert.equal(raw.length, 65);
  assert.equal(verifySignature(key.publicKey, payload, signatureFromRaw('ecdsa', raw)), true);
  assert.equal(verifySignature(key.publicKey, utf8('another payload'), signatureFromRaw('ecdsa', raw)), false);

  const silent = haloChip({ blake2: recordDigest, exec: async () => ({ signature: { raw: { r: '', s: '', v: 27 } } }) });
  await assert.rejects(silent.sign(payload), /no signature/);
});
