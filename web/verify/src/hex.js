// Byte strings as the page meets them: 0x-hex (ids in links, polkadot-api's fixed-size values)
// and Uint8Array (the SDK's outputs).

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
