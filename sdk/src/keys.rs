//! Device keys: generate, import and export key pairs of every type the device-identity pallet
//! accepts, and sign with them.

use codec::Encode;
use viot_primitives::{
	device::{DevicePublicKey, DeviceSignature, KeyKind},
	keys::DeviceKeyPair,
};

use crate::{fixed, Error};

/// The length of every key type's secret: a 32-byte seed (sr25519 mini secret key, Ed25519
/// seed, secp256k1 or P-256 scalar).
pub const SECRET_LENGTH: usize = 32;

/// A device key pair and the secret it was made from.
#[derive(Clone)]
pub struct DeviceKey {
	secret: [u8; SECRET_LENGTH],
	pair: DeviceKeyPair,
}

/// The name of a key type, as the SDK's JavaScript API spells it.
pub fn kind_name(kind: KeyKind) -> &'static str {
	match kind {
		KeyKind::Sr25519 => "sr25519",
		KeyKind::Ed25519 => "ed25519",
		KeyKind::Ecdsa => "ecdsa",
		KeyKind::P256 => "p256",
	}
}

/// The key type called `name` (case-insensitive; `secp256r1` is P-256, `secp256k1` is ecdsa).
pub fn parse_kind(name: &str) -> Result<KeyKind, Error> {
	match name.to_ascii_lowercase().as_str() {
		"sr25519" => Ok(KeyKind::Sr25519),
		"ed25519" => Ok(KeyKind::Ed25519),
		"ecdsa" | "secp256k1" => Ok(KeyKind::Ecdsa),
		"p256" | "p-256" | "secp256r1" => Ok(KeyKind::P256),
		_ => Err(Error::UnknownKeyType(name.into())),
	}
}

impl DeviceKey {
	/// A new key pair of `kind` from the system's randomness.
	pub fn generate(kind: KeyKind) -> Result<Self, Error> {
		loop {
			let mut secret = [0u8; SECRET_LENGTH];
			getrandom::getrandom(&mut secret).map_err(|e| Error::Randomness(e.to_string()))?;
			// Only a P-256 secret can be refused, with a probability below 2^-32.
			if let Ok(key) = Self::from_secret(kind, &secret) {
				return Ok(key);
			}
		}
	}

	/// The key pair of `kind` with the 32-byte `secret` (as [`DeviceKey::secret`] exports it).
	///
	/// The same secret gives the same key as Polkadot.js (`addFromSeed` for sr25519, ed25519
	/// and ecdsa) and as WebCrypto for P-256 (the private scalar, JWK `d`).
	pub fn from_secret(kind: KeyKind, secret: &[u8]) -> Result<Self, Error> {
		let secret: [u8; SECRET_LENGTH] = fixed(secret, "a key secret")?;
		let pair =
			DeviceKeyPair::from_seed(kind, &secret).ok_or(Error::InvalidSecret(kind_name(kind)))?;
		Ok(Self { secret, pair })
	}

	/// The key's type.
	pub fn kind(&self) -> KeyKind {
		self.public_key().kind()
	}

	/// The 32-byte secret, to store the key and import it again. Keep it secret.
	pub fn secret(&self) -> [u8; SECRET_LENGTH] {
		self.secret
	}

	/// The public key as the runtime holds it.
	pub fn public_key(&self) -> DevicePublicKey {
		self.pair.public()
	}

	/// The public key's SCALE encoding: what `register_device` and `rotate_key` take.
	pub fn public_key_bytes(&self) -> Vec<u8> {
		self.public_key().encode()
	}

	/// The signature over `message` (a payload's bytes), as the runtime verifies it.
	pub fn sign(&self, message: &[u8]) -> DeviceSignature {
		self.pair.sign(message)
	}
}

/// The bare key bytes inside a public key (32 bytes for sr25519/Ed25519, 33 for compressed
/// secp256k1 and P-256 points).
pub fn raw_public_key(key: &DevicePublicKey) -> &[u8] {
	match key {
		DevicePublicKey::Sr25519(bytes) | DevicePublicKey::Ed25519(bytes) => bytes,
		DevicePublicKey::Ecdsa(bytes) | DevicePublicKey::P256(bytes) => bytes,
	}
}

/// A public key given in its usual raw form, in the runtime's encoding: 32 bytes for sr25519 and
/// Ed25519; a SEC1 point for ecdsa and P-256, compressed (33 bytes) or uncompressed (65 bytes, as
/// chips and WebCrypto's `raw` export give it). For keys made outside the SDK, e.g. inside a
/// chip that never reveals its secret. Refused unless the bytes are a valid key.
pub fn public_key_from_raw(kind: KeyKind, bytes: &[u8]) -> Result<DevicePublicKey, Error> {
	use p256::elliptic_curve::sec1::ToEncodedPoint;
	let invalid = || Error::InvalidPublicKey(kind_name(kind));
	let compressed =
		|point: &[u8]| -> [u8; 33] { point.try_into().expect("a compressed point is 33 bytes") };
	let key = match kind {
		KeyKind::Sr25519 => DevicePublicKey::Sr25519(fixed(bytes, "the public key")?),
		KeyKind::Ed25519 => DevicePublicKey::Ed25519(fixed(bytes, "the public key")?),
		KeyKind::Ecdsa => {
			let key = k256::PublicKey::from_sec1_bytes(bytes).map_err(|_| invalid())?;
			DevicePublicKey::Ecdsa(compressed(key.to_encoded_point(true).as_bytes()))
		}
		KeyKind::P256 => {
			let key = p256::PublicKey::from_sec1_bytes(bytes).map_err(|_| invalid())?;
			DevicePublicKey::P256(compressed(key.to_encoded_point(true).as_bytes()))
		}
	};
	if key.is_valid() {
		Ok(key)
	} else {
		Err(invalid())
	}
}

/// A signature given in its usual raw form, in the runtime's encoding: 64 bytes for sr25519 and
/// Ed25519; 65 for ecdsa (`r || s || v`, over the payload's blake2-256 hash); for P-256 either
/// `r || s` (64 bytes, as WebCrypto gives it) or DER (as OpenSSL and most chips give it).
/// A P-256 signature is returned in its low-S form, the only one the runtime accepts: chips and
/// WebCrypto give either form, and `(r, n - s)` is the same signature's low-S twin. A secp256k1
/// signature must already be low-S (libsecp256k1 and Substrate signers always make it so).
pub fn signature_from_raw(kind: KeyKind, bytes: &[u8]) -> Result<DeviceSignature, Error> {
	let what = "the signature";
	Ok(match kind {
		KeyKind::Sr25519 => DeviceSignature::Sr25519(fixed(bytes, what)?),
		KeyKind::Ed25519 => DeviceSignature::Ed25519(fixed(bytes, what)?),
		KeyKind::Ecdsa => DeviceSignature::Ecdsa(fixed(bytes, what)?),
		KeyKind::P256 => {
			let signature = if bytes.len() == 64 {
				p256::ecdsa::Signature::from_slice(bytes)
			} else {
				p256::ecdsa::Signature::from_der(bytes)
			}
			.map_err(|_| Error::InvalidSignature("p256"))?;
			let signature = signature.normalize_s().unwrap_or(signature);
			DeviceSignature::P256(signature.to_bytes().into())
		}
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;

	const KINDS: [KeyKind; 4] = [
		KeyKind::Sr25519,
		KeyKind::Ed25519,
		KeyKind::Ecdsa,
		KeyKind::P256,
	];

	#[test]
	fn generated_keys_differ_and_sign_what_they_verify() {
		for kind in KINDS {
			let key = DeviceKey::generate(kind).unwrap();
			let other = DeviceKey::generate(kind).unwrap();
			assert_ne!(key.secret(), other.secret(), "{kind:?}");
			assert_eq!(key.kind(), kind);
			assert!(key.public_key().is_valid());
			let signature = key.sign(b"message");
			assert!(key.public_key().verify(b"message", &signature), "{kind:?}");
			assert!(!key.public_key().verify(b"massage", &signature), "{kind:?}");
			assert!(
				!other.public_key().verify(b"message", &signature),
				"{kind:?}"
			);
		}
	}

	#[test]
	fn an_exported_secret_imports_the_same_key() {
		for kind in KINDS {
			let key = DeviceKey::generate(kind).unwrap();
			let again = DeviceKey::from_secret(kind, &key.secret()).unwrap();
			assert_eq!(again.public_key(), key.public_key(), "{kind:?}");
			assert_eq!(
				DevicePublicKey::decode(&mut &key.public_key_bytes()[..]).unwrap(),
				key.public_key()
			);
		}
	}

	#[test]
	fn bad_secrets_and_names_are_refused() {
		assert_eq!(
			DeviceKey::from_secret(KeyKind::Ed25519, &[1; 31]).err(),
			Some(Error::InvalidLength {
				what: "a key secret",
				expected: 32,
				got: 31
			})
		);
		assert_eq!(
			DeviceKey::from_secret(KeyKind::P256, &[0; 32]).err(),
			Some(Error::InvalidSecret("p256"))
		);
		assert_eq!(parse_kind("P-256"), Ok(KeyKind::P256));
		assert_eq!(parse_kind("secp256k1"), Ok(KeyKind::Ecdsa));
		assert_eq!(parse_kind("rsa"), Err(Error::UnknownKeyType("rsa".into())));
		for kind in KINDS {
			assert_eq!(parse_kind(kind_name(kind)), Ok(kind));
		}
	}

	#[test]
	fn known_secrets_give_known_public_keys() {
		// Ed25519 test vector 1 of RFC 8032.
		let secret = hex_32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
		let key = DeviceKey::from_secret(KeyKind::Ed25519, &secret).unwrap();
		assert_eq!(
			raw_public_key(&key.public_key()),
			hex_32("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
		);
		// The P-256 key of RFC 6979 A.2.5.
		let secret = hex_32("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
		let key = DeviceKey::from_secret(KeyKind::P256, &secret).unwrap();
		assert_eq!(
			&raw_public_key(&key.public_key())[1..],
			hex_32("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6")
		);
	}

	#[test]
	fn raw_keys_and_signatures_from_outside_the_sdk_are_converted() {
		use p256::ecdsa::{signature::Signer, Signature, SigningKey};

		// A P-256 key as a chip holds it: only its public point and its signatures leave it.
		let chip = SigningKey::from_slice(&[7; 32]).unwrap();
		let point = chip.verifying_key().to_encoded_point(false);
		let key = public_key_from_raw(KeyKind::P256, point.as_bytes()).unwrap();
		let compressed = chip.verifying_key().to_encoded_point(true);
		assert_eq!(
			key,
			DevicePublicKey::P256(compressed.as_bytes().try_into().unwrap())
		);
		assert_eq!(
			public_key_from_raw(KeyKind::P256, compressed.as_bytes()),
			Ok(key.clone())
		);
		let signature: Signature = chip.sign(b"payload");
		let low = signature.normalize_s().unwrap_or(signature);
		let high = Signature::from_scalars(low.r(), -*low.s()).unwrap();
		assert!(high.normalize_s().is_some(), "the twin is high-S");
		for signature in [low, high] {
			for encoded in [signature.to_der().as_bytes().to_vec(), signature.to_vec()] {
				let converted = signature_from_raw(KeyKind::P256, &encoded).unwrap();
				assert_eq!(converted, DeviceSignature::P256(low.to_bytes().into()));
				assert!(key.verify(b"payload", &converted));
				assert!(!key.verify(b"another payload", &converted));
			}
		}
		// The runtime's check refuses the high-S twin as it is.
		assert!(!key.verify(b"payload", &DeviceSignature::P256(high.to_bytes().into())));
		assert_eq!(
			signature_from_raw(KeyKind::P256, &[1; 70]),
			Err(Error::InvalidSignature("p256"))
		);
		let mut off_curve = point.as_bytes().to_vec();
		off_curve[64] ^= 1;
		assert_eq!(
			public_key_from_raw(KeyKind::P256, &off_curve),
			Err(Error::InvalidPublicKey("p256"))
		);

		// The SDK's own keys round-trip through their raw forms.
		for kind in KINDS {
			let key = DeviceKey::generate(kind).unwrap();
			let public = key.public_key();
			assert_eq!(
				public_key_from_raw(kind, raw_public_key(&public)),
				Ok(public.clone())
			);
			let signature = key.sign(b"payload");
			let raw = signature.encode();
			assert_eq!(signature_from_raw(kind, &raw[1..]), Ok(signature));
		}
		assert_eq!(
			signature_from_raw(KeyKind::Ecdsa, &[0; 64]),
			Err(Error::InvalidLength {
				what: "the signature",
				expected: 65,
				got: 64
			})
		);
	}

	fn hex_32(hex: &str) -> [u8; 32] {
		hex::decode(hex).unwrap().try_into().unwrap()
	}
}
