// What @arx-research/libhalo takes from Node.js's `crypto` module, from the browser's WebCrypto,
// so the NFC chip library bundles for the page (esbuild aliases `crypto` to this file). Its
// gateway encryption (createCipheriv) is not used by the page and says so.

import { Buffer } from 'buffer';

export const webcrypto = globalThis.crypto;
export const subtle = globalThis.crypto?.subtle;
export const getRandomValues = (array) => globalThis.crypto.getRandomValues(array);
export const randomBytes = (length) => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(length)));
export function createCipheriv() {
  throw new Error('createCipheriv is not available in the verify page');
}

export default { webcrypto, subtle, getRandomValues, randomBytes, createCipheriv };
