// The page's rules without a browser: which verdict each proven state gives, and how a URL
// names what to verify.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { gs1SubjectId } from '@viot/sdk';

import { parseRoute, toHex } from '../src/route.js';
import { deviceInTrace, kindName, verdictOf } from '../src/verdict.js';

const active = { status: { type: 'Active' } };
const maker = { name: 'Acme', since: 1 };

test('a verdict for every state, the tag checked last', () => {
  assert.equal(verdictOf({ device: undefined }), 'unknown');
  assert.equal(verdictOf({ device: { status: { type: 'Revoked' } }, manufacturer: maker, signatureValid: true }), 'revoked');
  for (const type of ['Suspended', 'SuspendedByIssuer']) {
    assert.equal(verdictOf({ device: { status: { type } }, manufacturer: maker, signatureValid: true }), 'suspended');
  }
  assert.equal(verdictOf({ device: active, manufacturer: undefined, signatureValid: true }), 'issuer-untrusted');
  assert.equal(verdictOf({ device: active, manufacturer: maker }), 'chain-only');
  assert.equal(verdictOf({ device: active, manufacturer: maker, signatureValid: false }), 'mismatch');
  assert.equal(verdictOf({ device: active, manufacturer: maker, signatureValid: true, boundToSubject: false }), 'not-this-item');
  assert.equal(verdictOf({ device: active, manufacturer: maker, signatureValid: true, boundToSubject: true }), 'genuine');
  assert.equal(verdictOf({ device: active, manufacturer: maker, signatureValid: true }), 'genuine');
});

test('a tag belongs to an item when it signed, or was scanned for, an entry of its trace', () => {
  const tag = `0x${'ab'.repeat(32)}`;
  const other = `0x${'cd'.repeat(32)}`;
  const entry = (source) => ({ anchor: { source } });
  assert.equal(deviceInTrace(tag, [entry({ type: 'Account' })]), false);
  assert.equal(deviceInTrace(tag, [entry({ type: 'Device', value: other })]), false);
  assert.equal(deviceInTrace(tag, [entry({ type: 'Device', value: tag.toUpperCase().replace('0X', '0x') })]), true);
  assert.equal(deviceInTrace(tag, [entry({ type: 'Scan', value: { tag: other, reader: tag } })]), true);
  assert.equal(deviceInTrace(tag, [entry({ type: 'Scan', value: { tag, reader: other } })]), true);
});

test('event codes in words', () => {
  assert.equal(kindName(1), 'Manufactured');
  assert.equal(kindName(2), 'Shipped');
  assert.equal(kindName(1001), 'Application event 1001');
  assert.equal(kindName(77), 'Event 77');
});

test('a GS1 Digital Link path and a plain query name the device and the item', () => {
  const device = `0x${'12'.repeat(32)}`;
  const url = (path) => new URL(path, 'http://127.0.0.1:8080');
  const gs1 = parseRoute(url(`/01/09506000134352/21/ABC-123?device=${device}`), gs1SubjectId);
  assert.equal(gs1.gtin, '09506000134352');
  assert.equal(gs1.serial, 'ABC-123');
  assert.equal(gs1.subject, toHex(gs1SubjectId('9506000134352', 'ABC-123')));
  assert.equal(gs1.device, device);
  assert.equal(gs1.error, undefined);

  const plain = parseRoute(url(`/?device=${device}&subject=0x${'34'.repeat(32)}`), gs1SubjectId);
  assert.deepEqual(plain, { device, subject: `0x${'34'.repeat(32)}` });

  assert.match(parseRoute(url('/01/09506000134353/21/A'), gs1SubjectId).error, /check digit/);
  assert.match(parseRoute(url('/?device=0x12'), gs1SubjectId).error, /64 hexadecimal digits/);
  assert.equal(parseRoute(url('/?device=0x12'), gs1SubjectId).device, undefined);
});
