// Device keys and payloads as devices make them, shared by the tests.

import { createECDH, createPrivateKey, randomBytes, sign as nodeSign } from 'node:crypto';

import { u8aToHex } from '@polkadot/util';

import { base64url } from './encoding.mjs';

/** A P-256 key as a secure element holds it: signs SHA-256 of the message, r || s. */
export function p256Key() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const uncompressed = ecdh.getPublicKey();
  const privateKey = createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: base64url(ecdh.getPrivateKey()),
      x: base64url(uncompressed.subarray(1, 33)),
      y: base64url(uncompressed.subarray(33, 65)),
    },
    format: 'jwk',
  });
  return {
    publicKey: { P256: u8aToHex(ecdh.getPublicKey(null, 'compressed')) },
    sign: (message) => ({ P256: u8aToHex(nodeSign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' })) }),
  };
}

/** An sr25519 device key, made with a Polkadot.js keyring. */
export function sr25519Key(keyring) {
  const pair = keyring.addFromSeed(randomBytes(32), {}, 'sr25519');
  return {
    publicKey: { Sr25519: u8aToHex(pair.publicKey) },
    sign: (message) => ({ Sr25519: u8aToHex(pair.sign(message)) }),
  };
}

/** A random 32-byte id, as hex. */
export const randomId = () => u8aToHex(randomBytes(32));

/**
 * The bytes `device` must sign now for `action`: the SCALE encoding of its payload (this
 * chain's genesis hash, the device, its current nonce and the action). The runtime's
 * authentication challenge gives the payload's type and the current nonce.
 */
export async function devicePayload(api, device, action) {
  const challenge = await api.call.deviceIdentityApi.challenge(device);
  if (challenge.isNone) throw new Error(`device ${device} is not registered`);
  const payload = challenge.unwrap();
  return api.createType(payload.toRawType(), { ...payload.toJSON(), action }).toU8a();
}
