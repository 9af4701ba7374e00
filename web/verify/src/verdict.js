// The verdict on a tag, from what the light client proved and what the chip answered. Pure, so
// every rule is tested without a browser (web/verify/test/verdict.test.mjs).

import { fromHex, toHex } from './hex.js';

/** Every verdict the page can give, with what it tells a person holding the product. */
export const VERDICTS = {
  genuine: {
    title: 'Genuine',
    explain: (f) => `This tag is a registered VIoT device, active, issued by ${f.issuerName}, a manufacturer VIoT governance trusts; it just proved it holds its registered key, and ${f.issuerName} bound it to this item.`,
  },
  'genuine-unbound': {
    title: 'Genuine tag — no item bound to it',
    explain: (f) => `The tag is a registered, active device of ${f.issuerName} and it just proved it holds its registered key, but its manufacturer has bound it to no item: it says nothing about the product it is on.`,
  },
  'not-this-item': {
    title: 'Not this item’s tag',
    explain: (f) => `The tag is genuine, but ${f.issuerName} bound it to another item (or to none): the code and the tag do not belong together (a genuine tag moved to another product, or a printed code copied).`,
  },
  mismatch: {
    title: 'Signature does not match — possible clone',
    explain: () => 'The chip could not prove it holds the key registered for this device. A copy of a genuine tag’s id answers like this: treat the product as counterfeit.',
  },
  unreadable: {
    title: 'The tag’s answer is unreadable',
    explain: () => 'The chip answered with something that is not a signature of its key type. It proves nothing: try again, or treat the product as unverified.',
  },
  suspended: {
    title: 'Suspended',
    explain: (f) => `This device is registered but suspended by ${f.suspendedBy}: it may be lost, stolen or under investigation. Do not rely on it until it is resumed.`,
  },
  revoked: {
    title: 'Revoked',
    explain: () => 'This device was permanently revoked (a cloned or compromised chip). It proves nothing about the product.',
  },
  'issuer-untrusted': {
    title: 'Issuer no longer trusted',
    explain: () => 'This device was issued by an account that is no longer a VIoT manufacturer: governance withdrew its trust, so its devices prove nothing.',
  },
  unknown: {
    title: 'Unknown device',
    explain: () => 'No device with this id is registered on this chain: the tag was not issued through VIoT.',
  },
  stale: {
    title: 'Chain data too old to rely on',
    explain: (f) => `The newest finalized block this page could reach is ${f.ageMinutes} minutes old: a device revoked since would still look valid. Try again on another network; if it persists, the page’s source of blocks is not following the chain.`,
  },
  'chain-only': {
    title: 'Registered — tag not checked',
    explain: (f) => `The device is registered, active and issued by ${f.issuerName}; the tag itself has not been asked to prove it holds its key yet (tap it on an NFC phone).`,
  },
};

/** Finalized state older than this (milliseconds) gives no verdict but "stale". */
export const MAX_AGE_MS = 10 * 60 * 1000;

/**
 * The verdict id: `device` and `manufacturer` as the runtime API returned them (undefined when
 * absent); `signature` 'valid', 'invalid', 'unreadable', or undefined when the chip was not
 * asked; `subject` the item the page verifies (0x-hex) or undefined; `ageMs` how old the
 * finalized block read is.
 */
export function verdictOf({ device, manufacturer, signature, subject, ageMs = 0 }) {
  if (ageMs > MAX_AGE_MS) return 'stale';
  if (!device) return 'unknown';
  switch (device.status.type) {
    case 'Revoked':
      return 'revoked';
    case 'Suspended':
    case 'SuspendedByIssuer':
      return 'suspended';
    case 'Active':
      break;
    default:
      return 'unknown';
  }
  if (!manufacturer) return 'issuer-untrusted';
  if (signature === undefined) return 'chain-only';
  if (signature === 'unreadable') return 'unreadable';
  if (signature !== 'valid') return 'mismatch';
  const bound = boundSubject(device);
  if (!bound) return subject ? 'not-this-item' : 'genuine-unbound';
  if (subject && bound !== subject) return 'not-this-item';
  return 'genuine';
}

/** The attribute key under which a manufacturer binds a tag to its item: the item's 32-byte
 * subject id as the value of the certified attribute `subject`. */
export const SUBJECT_ATTRIBUTE = 'subject';

/** The item (0x-hex subject id) the device's issuer bound it to: its certified `subject`
 * attribute (32 bytes). Only the issuing manufacturer sets certified attributes; an owner's own
 * `subject` attribute counts for nothing. */
export function boundSubject(device) {
  for (const attribute of device.attributes ?? []) {
    const key = new TextDecoder().decode(fromHex(attribute.key));
    const value = fromHex(attribute.value);
    if (attribute.certified && key === SUBJECT_ATTRIBUTE && value.length === 32) return toHex(value);
  }
  return undefined;
}

/** Event codes of DataAnchoring (primitives `anchor::kind`) in words. */
export const KINDS = {
  0: 'Event',
  1: 'Manufactured',
  2: 'Shipped',
  3: 'Received',
  4: 'Inspected',
  5: 'Stored',
  6: 'Scanned',
  7: 'Sold',
  8: 'Returned',
  9: 'Recycled',
  10: 'Sensor reading',
};

/** A kind code in words; codes from 1000 are the application's own. */
export function kindName(kind) {
  if (KINDS[kind]) return KINDS[kind];
  return kind >= 1000 ? `Application event ${kind}` : `Event ${kind}`;
}
