//! Device keys for runtime benchmarks: sr25519, ed25519 and secp256k1 keys live in the host's
//! keystore (the benchmark CLI provides one), P-256 keys are derived from a seed and sign in the
//! runtime. Shared by every pallet whose benchmarks need a device to sign.

use sp_core::crypto::KeyTypeId;

pub use crate::device::KeyKind;
use crate::device::{DevicePublicKey, DeviceSignature};

/// Keystore slot the benchmarks generate host-backed device keys in.
pub const BENCH_KEY: KeyTypeId = KeyTypeId(*b"viot");

/// A device key whose secret the benchmark can sign with.
pub struct BenchKey {
	/// The public key, as a device registers it.
	pub public: DevicePublicKey,
	kind: KeyKind,
	seed: u8,
}

impl BenchKey {
	/// A new key of `kind`; `seed` tells P-256 keys apart (the keystore picks the others).
	pub fn new(kind: KeyKind, seed: u8) -> Self {
		let public = match kind {
			KeyKind::Sr25519 => {
				DevicePublicKey::Sr25519(sp_io::crypto::sr25519_generate(BENCH_KEY, None).0)
			}
			KeyKind::Ed25519 => {
				DevicePublicKey::Ed25519(sp_io::crypto::ed25519_generate(BENCH_KEY, None).0)
			}
			KeyKind::Ecdsa => {
				DevicePublicKey::Ecdsa(sp_io::crypto::ecdsa_generate(BENCH_KEY, None).0)
			}
			KeyKind::P256 => DevicePublicKey::P256(
				p256_key(seed)
					.verifying_key()
					.to_encoded_point(true)
					.as_bytes()
					.try_into()
					.expect("a compressed P-256 point is 33 bytes"),
			),
		};
		Self { public, kind, seed }
	}

	/// The key's signature over `message`, as a device would make it.
	pub fn sign(&self, message: &[u8]) -> DeviceSignature {
		use sp_core::{ecdsa, ed25519, sr25519};
		const IN_KEYSTORE: &str = "the key was generated in the keystore";
		match (self.kind, &self.public) {
			(KeyKind::Sr25519, DevicePublicKey::Sr25519(key)) => DeviceSignature::Sr25519(
				sp_io::crypto::sr25519_sign(BENCH_KEY, &sr25519::Public::from_raw(*key), message)
					.expect(IN_KEYSTORE)
					.0,
			),
			(KeyKind::Ed25519, DevicePublicKey::Ed25519(key)) => DeviceSignature::Ed25519(
				sp_io::crypto::ed25519_sign(BENCH_KEY, &ed25519::Public::from_raw(*key), message)
					.expect(IN_KEYSTORE)
					.0,
			),
			(KeyKind::Ecdsa, DevicePublicKey::Ecdsa(key)) => DeviceSignature::Ecdsa(
				sp_io::crypto::ecdsa_sign(BENCH_KEY, &ecdsa::Public::from_raw(*key), message)
					.expect(IN_KEYSTORE)
					.0,
			),
			_ => {
				use p256::ecdsa::signature::Signer;
				let signature: p256::ecdsa::Signature = p256_key(self.seed).sign(message);
				// The runtime accepts the low-S form only.
				let signature = signature.normalize_s().unwrap_or(signature);
				DeviceSignature::P256(signature.to_bytes().into())
			}
		}
	}
}

fn p256_key(seed: u8) -> p256::ecdsa::SigningKey {
	p256::ecdsa::SigningKey::from_bytes(&[seed.max(1); 32].into())
		.expect("a non-zero scalar below the order is a valid key")
}
