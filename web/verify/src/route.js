// What the page is asked to verify, from its URL: a GS1 Digital Link path
// (`/01/<GTIN>/21/<serial>`, as a printed code or an NFC tag opens it) and/or the query
// `?device=0x…&subject=0x…`. The subject id of a GS1 path is the SDK's gs1SubjectId.

const HEX32 = /^0x[0-9a-fA-F]{64}$/;

/** `{ device, subject, gtin, serial, error }` from `location`; ids as 0x-hex strings. */
export function parseRoute(location, gs1SubjectId) {
  const route = {};
  const path = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const gtinAt = path.indexOf('01');
  if (gtinAt >= 0 && path[gtinAt + 2] === '21' && path[gtinAt + 3] !== undefined) {
    route.gtin = path[gtinAt + 1];
    route.serial = path[gtinAt + 3];
    try {
      route.subject = toHex(gs1SubjectId(route.gtin, route.serial));
    } catch (error) {
      route.error = `This code is not a GS1 product code: ${error.message}.`;
    }
  }
  const query = new URLSearchParams(location.search);
  for (const name of ['device', 'subject']) {
    const value = query.get(name);
    if (value === null || value === '') continue;
    if (!HEX32.test(value)) {
      route.error = `The ${name} id must be 0x followed by 64 hexadecimal digits.`;
      continue;
    }
    route[name] = value.toLowerCase();
  }
  return route;
}

/** 0x-hex of bytes. */
export function toHex(bytes) {
  return `0x${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** Bytes of 0x-hex (or a Uint8Array as it is). */
export function fromHex(value) {
  if (value instanceof Uint8Array) return value;
  const digits = value.startsWith('0x') ? value.slice(2) : value;
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
