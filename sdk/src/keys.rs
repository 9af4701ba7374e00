//! Device keys: generate, import and export key pairs of every type the device-identity pallet
//! accepts, and sign with them.

use codec::Encode;
use viot_primitives::{
	device::{DevicePublicKey, DeviceSignature, KeyKind},
	keys::DeviceKeyPair,
};

use crate::Error;

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
		let secret: [u8; SECRET_LENGTH] = secret.try_into().map_err(|_| Error::InvalidLength {
			what: "a key secret",
			expected: SECRET_LENGTH,
			got: secret.len(),
		})?;
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

	fn hex_32(hex: &str) -> [u8; 32] {
		hex::decode(hex).unwrap().try_into().unwrap()
	}
}
