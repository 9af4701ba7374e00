// What the page is asked to verify, from its URL: a GS1 Digital Link path
// (`/01/<GTIN>/21/<serial>`, as a printed code or an NFC tag opens it) and/or the query
// `?device=0x…&subject=0x…`. The subject id of a GS1 path is the SDK's gs1SubjectId.

import { toHex } from './hex.js';

const HEX32 = /^0x[0-9a-fA-F]{64}$/;

/** `{ device, subject, gtin, serial, error }` from `location`; ids as 0x-hex strings. A GS1
 * path is read as (application identifier, value) pairs: 01 (GTIN) and 21 (serial) name the
 * item; other identifiers (10 lot, 22 variant, …) are ignored. */
export function parseRoute(location, gs1SubjectId) {
  const route = {};
  const path = location.pathname.split('/').filter(Boolean);
  const pairs = {};
  for (let i = 0; i + 1 < path.length; i += 2) {
    try {
      pairs[path[i]] = decodeURIComponent(path[i + 1]);
    } catch {
      route.error = 'This link is not a valid product code.';
    }
  }
  if (pairs['01'] !== undefined || pairs['21'] !== undefined) {
    route.gtin = pairs['01'];
    route.serial = pairs['21'];
    try {
      if (route.gtin === undefined || route.serial === undefined) throw new Error('a GTIN (01) and a serial number (21) are both needed');
      route.subject = toHex(gs1SubjectId(route.gtin, route.serial));
    } catch (error) {
      route.error = `This code is not a GS1 product code: ${error.message}.`;
      delete route.subject;
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
    // A link may not name another item than its product code does.
    if (name === 'subject' && route.gtin !== undefined && route.subject !== value.toLowerCase()) {
      route.error = 'This link names two different items (its product code and a subject id): it is not trustworthy.';
      delete route.subject;
      continue;
    }
    route[name] = value.toLowerCase();
  }
  return route;
}
