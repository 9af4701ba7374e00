// Device keys and payloads for the tests and tools, from the VIoT SDK (@viot/sdk: the runtime's
// own encodings compiled to WebAssembly), so nothing here re-implements them.

import { randomBytes } from 'node:crypto';

import { u8aToHex } from '@polkadot/util';
import { DeviceKey } from '@viot/sdk';

/** The key types the device-identity pallet accepts. */
export const KEY_KINDS = ['sr25519', 'ed25519', 'ecdsa', 'p256'];

/** A new device key of `kind`. */
export const deviceKey = (kind) => DeviceKey.generate(kind);

/** A random 32-byte id, as hex. */
export const randomId = () => u8aToHex(randomBytes(32));

/** The nonce the device's next signature must carry, read from the chain. */
export async function deviceNonce(api, device) {
  const info = await api.call.deviceIdentityApi.device(device);
  if (info.isNone) throw new Error(`device ${device} is not registered`);
  return info.unwrap().nonce.toBigInt();
}
