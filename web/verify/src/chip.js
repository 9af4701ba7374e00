// The tag's chip behind one small interface: `{ name, kind?, sign(bytes) }`. `sign` resolves
// with the chip's raw signature over `bytes` (P-256: DER or r || s over its SHA-256;
// secp256k1: r || s || recovery id over its BLAKE2b-256, as the chain checks them), which the
// page then verifies against the key the chain holds; `kind` ('p256' or 'ecdsa'), when given,
// is the only key type the chip signs with.
//
// - A chip provided as `window.viotChip` by whatever embeds the page (the end-to-end test's
//   simulated P-256 chip; a native app's bridge to its NFC stack).
// - On a phone with WebNFC (Chrome on Android): an Arx HaLo chip through its vendor's library,
//   @arx-research/libhalo, fetched only when a tag is checked.

import { fromHex, toHex } from './hex.js';

/** An Arx HaLo chip over WebNFC: its secp256k1 key `keyNo` signs the BLAKE2b-256 digest of the
 * bytes (`blake2`: the SDK's recordDigest). `exec` is libhalo's execHaloCmdWeb (loaded on first
 * use); tests give their own. */
export function haloChip({ blake2, keyNo = 1, exec }) {
  return {
    name: 'Arx HaLo (NFC)',
    kind: 'ecdsa',
    async sign(bytes) {
      const run = exec ?? (await import('@arx-research/libhalo/api/web')).execHaloCmdWeb;
      const digest = toHex(blake2(bytes)).slice(2);
      const { signature } = await run({ name: 'sign', keyNo, digest });
      const { r, s, v } = signature.raw;
      if (!/^[0-9a-f]{64}$/i.test(r) || !/^[0-9a-f]{64}$/i.test(s)) throw new Error('the chip gave no signature');
      const raw = new Uint8Array(65);
      raw.set(fromHex(r), 0);
      raw.set(fromHex(s), 32);
      raw[64] = v >= 27 ? v - 27 : v; // libhalo gives 27 + the recovery id
      return raw;
    },
  };
}

/** The chip the page can ask, or null with the reason. */
export function findChip({ blake2 }) {
  if (globalThis.viotChip && typeof globalThis.viotChip.sign === 'function') {
    return { chip: globalThis.viotChip };
  }
  if ('NDEFReader' in globalThis) return { chip: haloChip({ blake2 }) };
  return { chip: null, reason: 'No chip reader here: open this page on a phone with NFC (Chrome on Android) to check the tag itself.' };
}

/** 32 fresh random bytes for one challenge. */
export function freshChallenge() {
  return crypto.getRandomValues(new Uint8Array(32));
}
