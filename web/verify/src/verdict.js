// The verdict on a tag, from what the light client proved and what the chip answered. Pure, so
// every rule is tested without a browser (web/verify/test/verdict.test.mjs).

/** Every verdict the page can give, with what it tells a person holding the product. */
export const VERDICTS = {
  genuine: {
    title: 'Genuine',
    explain: (f) => `This tag is a registered VIoT device, active, issued by ${f.issuerName}, a manufacturer VIoT governance trusts, and it just proved it holds its registered key.`,
  },
  'not-this-item': {
    title: 'Not this item\u2019s tag',
    explain: () => 'The tag is genuine, but it has never vouched for any event of this item: the code and the tag do not belong together (a genuine tag moved to another product, or a printed code copied).',
  },
  mismatch: {
    title: 'Signature does not match \u2014 possible clone',
    explain: () => 'The chip could not prove it holds the key registered for this device. A copy of a genuine tag\u2019s id answers like this: treat the product as counterfeit.',
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
  'chain-only': {
    title: 'Registered \u2014 tag not checked',
    explain: (f) => `The device is registered, active and issued by ${f.issuerName}; the tag itself has not been asked to prove it holds its key yet (tap it on an NFC phone).`,
  },
};

/**
 * The verdict id: `device` and `manufacturer` as the runtime API returned them (undefined when
 * absent); `signatureValid` true, false, or undefined when the chip was not asked;
 * `boundToSubject` true/false when the page verifies an item (the device attested an entry of
 * its trace), undefined otherwise.
 */
export function verdictOf({ device, manufacturer, signatureValid, boundToSubject }) {
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
  if (signatureValid === undefined) return 'chain-only';
  if (!signatureValid) return 'mismatch';
  if (boundToSubject === false) return 'not-this-item';
  return 'genuine';
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

/** Whether `device` (0x-hex id) attested an entry of a trace: signed it, or was the scanned tag
 * or the reader of a scan. */
export function deviceInTrace(device, entries) {
  return entries.some(({ anchor }) => {
    const { type, value } = anchor.source;
    if (type === 'Device') return String(value).toLowerCase() === device;
    if (type === 'Scan') return [value.tag, value.reader].some((id) => String(id).toLowerCase() === device);
    return false;
  });
}
