//! Device key pairs that sign the payloads the runtime verifies, for gateways, tools and tests
//! (the secret keys of real devices stay in their chips).

use sp_core::{ecdsa, ed25519, sr25519, Pair};

use crate::device::{DevicePayload, DevicePublicKey, DeviceSignature, KeyKind};

/// A device key pair of any type the device-identity pallet accepts.
// Key pairs are few and short-lived; boxing the larger variants buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum DeviceKeyPair {
	/// sr25519.
	Sr25519(sr25519::Pair),
	/// Ed25519.
	Ed25519(ed25519::Pair),
	/// secp256k1 ECDSA.
	Ecdsa(ecdsa::Pair),
	/// NIST P-256 ECDSA.
	P256(p256::ecdsa::SigningKey),
}

impl DeviceKeyPair {
	/// The key pair of `kind` derived from a 32-byte secret seed. `None` only for a P-256 seed
	/// that is not a valid scalar (zero, or not below the curve order).
	pub fn from_seed(kind: KeyKind, seed: &[u8; 32]) -> Option<Self> {
		Some(match kind {
			KeyKind::Sr25519 => Self::Sr25519(sr25519::Pair::from_seed(seed)),
			KeyKind::Ed25519 => Self::Ed25519(ed25519::Pair::from_seed(seed)),
			KeyKind::Ecdsa => Self::Ecdsa(ecdsa::Pair::from_seed(seed)),
			KeyKind::P256 => Self::P256(p256::ecdsa::SigningKey::from_bytes(seed.into()).ok()?),
		})
	}

	/// The public key, in the runtime's encoding.
	pub fn public(&self) -> DevicePublicKey {
		match self {
			Self::Sr25519(pair) => DevicePublicKey::Sr25519(pair.public().0),
			Self::Ed25519(pair) => DevicePublicKey::Ed25519(pair.public().0),
			Self::Ecdsa(pair) => DevicePublicKey::Ecdsa(pair.public().0),
			Self::P256(key) => {
				let point = key.verifying_key().to_encoded_point(true);
				let mut bytes = [0u8; 33];
				bytes.copy_from_slice(point.as_bytes());
				DevicePublicKey::P256(bytes)
			}
		}
	}

	/// The signature over `message`, as the key's type signs (see [`DevicePublicKey`]).
	pub fn sign(&self, message: &[u8]) -> DeviceSignature {
		match self {
			Self::Sr25519(pair) => DeviceSignature::Sr25519(pair.sign(message).0),
			Self::Ed25519(pair) => DeviceSignature::Ed25519(pair.sign(message).0),
			Self::Ecdsa(pair) => DeviceSignature::Ecdsa(pair.sign(message).0),
			Self::P256(key) => {
				use p256::ecdsa::signature::Signer;
				let signature: p256::ecdsa::Signature = key.sign(message);
				// The runtime accepts the low-S form only.
				let signature = signature.normalize_s().unwrap_or(signature);
				DeviceSignature::P256(signature.to_bytes().into())
			}
		}
	}

	/// The signature over a payload's bytes.
	pub fn sign_payload(&self, payload: &DevicePayload) -> DeviceSignature {
		self.sign(&payload.to_bytes())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::device::DeviceAction;
	use sp_core::H256;

	#[test]
	fn every_key_type_signs_what_the_runtime_verifies() {
		let payload =
			DevicePayload::new(H256::repeat_byte(1), [2; 32], 0, DeviceAction::Authenticate);
		for kind in [
			KeyKind::Sr25519,
			KeyKind::Ed25519,
			KeyKind::Ecdsa,
			KeyKind::P256,
		] {
			let pair = DeviceKeyPair::from_seed(kind, &[7; 32]).unwrap();
			let public = pair.public();
			assert_eq!(public.kind(), kind);
			assert!(public.is_valid());
			let signature = pair.sign_payload(&payload);
			assert_eq!(signature.kind(), kind);
			assert!(public.verify(&payload.to_bytes(), &signature), "{kind:?}");
			let mut other = payload.clone();
			other.nonce = 1;
			assert!(
				!public.verify(&other.to_bytes(), &signature),
				"{kind:?} replay"
			);
		}
	}

	#[test]
	fn an_invalid_p256_seed_is_refused() {
		assert!(DeviceKeyPair::from_seed(KeyKind::P256, &[0; 32]).is_none());
		assert!(DeviceKeyPair::from_seed(KeyKind::P256, &[0xff; 32]).is_none());
	}
}
