// The tag's chip behind one small interface: `{ name, kind, sign(bytes) }`, where `kind` is the
// key type the chip signs with ('p256' or 'ecdsa') and `sign` resolves with the raw signature
// (DER or r || s) over `bytes`, which the page then checks against the key the chain holds.
//
// - A chip that a page embedding this one provides as `window.viotChip` (the end-to-end test's
//   simulated P-256 chip; a native app's bridge to its NFC stack).
// - On a phone with WebNFC (Chrome on Android), an NFC chip such as Arx HaLo through
//   @arx-research/libhalo: see docs/VERIFY.md for what a deployment needs.

/** The chip the page can ask, or null with the reason. */
export function findChip() {
  if (globalThis.viotChip && typeof globalThis.viotChip.sign === 'function') {
    return { chip: globalThis.viotChip };
  }
  if ('NDEFReader' in globalThis) {
    return { chip: null, reason: 'This phone can read NFC, but this build of the page has no chip driver; see docs/VERIFY.md.' };
  }
  return { chip: null, reason: 'No chip reader here: open this page on a phone with NFC to check the tag itself.' };
}

/** 32 fresh random bytes for one challenge. */
export function freshChallenge() {
  return crypto.getRandomValues(new Uint8Array(32));
}
