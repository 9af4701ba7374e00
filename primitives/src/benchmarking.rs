//! Helpers for runtime benchmarks. Device keys: sr25519, ed25519 and secp256k1 keys live in the
//! host's keystore (the benchmark CLI provides one), P-256 keys are derived from a seed and sign
//! in the runtime; shared by every pallet whose benchmarks need a device to sign. State proofs:
//! another chain's state as a trie and a read proof of it, for the pallets that check them.

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

/// Another chain's state (layout V1, BLAKE2b-256, as every VIoT chain's) holding `entries`, with
/// 256 filler entries beside the first key so that its path is as deep as in a real state, and a
/// read proof of every entry's key: the real nodes, then extra distinct nodes (which a verifier
/// must still hash) up to `nodes` nodes and about `size` bytes. Returns the state root and the
/// proof.
pub fn state_proof(
	entries: &[(alloc::vec::Vec<u8>, alloc::vec::Vec<u8>)],
	nodes: u32,
	size: u32,
) -> (sp_core::H256, alloc::vec::Vec<alloc::vec::Vec<u8>>) {
	use alloc::{vec, vec::Vec};
	use sp_runtime::traits::BlakeTwo256;
	use sp_trie::{trie_types::TrieDBMutBuilderV1, LayoutV1, MemoryDB, TrieMut};
	type Layout = LayoutV1<BlakeTwo256>;
	let mut db = MemoryDB::<BlakeTwo256>::new(&[0u8]);
	let mut root = sp_core::H256::zero();
	{
		let mut trie = TrieDBMutBuilderV1::<BlakeTwo256>::new(&mut db, &mut root).build();
		for (key, value) in entries {
			trie.insert(key, value)
				.expect("an in-memory trie takes any entry");
		}
		if let Some((first, _)) = entries.first() {
			for i in 0u32..256 {
				trie.insert(&[first.as_slice(), &i.to_le_bytes()].concat(), &[1u8; 40])
					.expect("an in-memory trie takes any entry");
			}
		}
	}
	let mut recorder = sp_trie::Recorder::<Layout>::new();
	{
		let trie = sp_trie::TrieDBBuilder::<Layout>::new(&db, &root)
			.with_recorder(&mut recorder)
			.build();
		for (key, _) in entries {
			sp_trie::Trie::get(&trie, key).expect("the trie holds its own entries");
		}
	}
	let mut proof: Vec<Vec<u8>> = recorder
		.drain()
		.into_iter()
		.map(|record| record.data)
		.collect();
	let bytes = proof.iter().map(Vec::len).sum::<usize>() as u32;
	let extra = nodes.saturating_sub(proof.len() as u32);
	let room = size.saturating_sub(bytes);
	if let Some(each) = room.checked_div(extra) {
		let each = each.max(2) as usize;
		for i in 0..extra {
			// Distinct nodes: a proof is a set.
			let mut node = vec![7u8; each];
			node[0] = i as u8;
			node[each - 1] = (i >> 8) as u8;
			proof.push(node);
		}
	}
	(root, proof)
}
