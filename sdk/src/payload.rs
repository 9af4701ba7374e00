//! The payloads devices sign, built from the runtime's own types
//! ([`viot_primitives::device::DevicePayload`]), so a signature made with the SDK is checked
//! against exactly the bytes the runtime rebuilds.

use viot_primitives::{
	anchor::SubjectId,
	device::{DeviceAction, DeviceId, DevicePayload, DevicePublicKey},
	offchain::{Challenge, OffchainPayload},
	Hash,
};

/// What a verifier asks `device` to sign off chain to prove the chip holds the device's key now
/// (no transaction, no fee): `challenge` must be random and fresh for every check, so that an
/// answer recorded earlier does not verify. Check the answer with the key the chain holds for
/// the device (`verifySignature` in JavaScript).
pub fn tag_challenge(
	genesis_hash: Hash,
	device: DeviceId,
	challenge: Challenge,
) -> OffchainPayload {
	OffchainPayload::tag_challenge(genesis_hash, device, challenge)
}

/// What `device` signs to hand a reading (`digest`, under its own `sequence` number) to a
/// gateway off chain; the gateway anchors it in a batch. Never accepted by the runtime.
pub fn reading(
	genesis_hash: Hash,
	device: DeviceId,
	digest: Hash,
	sequence: u64,
	subject: Option<SubjectId>,
	kind: u16,
) -> OffchainPayload {
	OffchainPayload::reading(genesis_hash, device, digest, sequence, subject, kind)
}

/// What `device` signs to authenticate (device identity's `authenticate`): the same bytes as the
/// runtime API's `challenge(device)`.
pub fn authenticate(genesis_hash: Hash, device: DeviceId, nonce: u64) -> DevicePayload {
	DevicePayload::new(genesis_hash, device, nonce, DeviceAction::Authenticate)
}

/// What the new key signs to prove it is held before it replaces `device`'s key (device
/// identity's `rotate_key`).
pub fn rotate_key(
	genesis_hash: Hash,
	device: DeviceId,
	nonce: u64,
	new_key: DevicePublicKey,
) -> DevicePayload {
	DevicePayload::new(
		genesis_hash,
		device,
		nonce,
		DeviceAction::RotateKey { new_key },
	)
}

/// What `device` signs to vouch for a record (data anchoring's `anchor_from_device`).
pub fn anchor(
	genesis_hash: Hash,
	device: DeviceId,
	nonce: u64,
	digest: Hash,
	subject: Option<SubjectId>,
	kind: u16,
) -> DevicePayload {
	DevicePayload::new(
		genesis_hash,
		device,
		nonce,
		DeviceAction::Anchor {
			digest,
			subject,
			kind,
		},
	)
}

/// What `signer` (the tag or the reader, at its own nonce) signs for a two-party scan (data
/// anchoring's `anchor_scan`); both sign the same scan.
#[allow(clippy::too_many_arguments)]
pub fn scan(
	genesis_hash: Hash,
	signer: DeviceId,
	nonce: u64,
	tag: DeviceId,
	reader: DeviceId,
	digest: Hash,
	subject: Option<SubjectId>,
	kind: u16,
) -> DevicePayload {
	DevicePayload::new(
		genesis_hash,
		signer,
		nonce,
		DeviceAction::Scan {
			tag,
			reader,
			digest,
			subject,
			kind,
		},
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::keys::DeviceKey;
	use codec::Encode;
	use viot_primitives::device::{KeyKind, PAYLOAD_MAGIC};

	#[test]
	fn payloads_encode_as_the_runtime_defines_them() {
		let genesis = Hash::repeat_byte(9);
		let bytes = authenticate(genesis, [1; 32], 258).to_bytes();
		// magic, genesis hash, device id, nonce (u64 little endian), action index 0.
		let mut expected = PAYLOAD_MAGIC.to_vec();
		expected.extend_from_slice(genesis.as_bytes());
		expected.extend_from_slice(&[1; 32]);
		expected.extend_from_slice(&258u64.to_le_bytes());
		expected.push(0);
		assert_eq!(bytes, expected);

		let payload = anchor(genesis, [1; 32], 0, Hash::repeat_byte(2), Some([3; 32]), 6);
		let tail = &payload.to_bytes()[expected.len() - 1..];
		let mut action = vec![2u8];
		action.extend_from_slice(&[2; 32]);
		action.push(1);
		action.extend_from_slice(&[3; 32]);
		action.extend_from_slice(&6u16.to_le_bytes());
		assert_eq!(tail, action);
	}

	#[test]
	fn a_signed_payload_verifies_only_for_its_own_bytes() {
		let key = DeviceKey::generate(KeyKind::Sr25519).unwrap();
		let genesis = Hash::repeat_byte(9);
		let payload = scan(genesis, [1; 32], 4, [1; 32], [2; 32], Hash::zero(), None, 6);
		let signature = key.sign(&payload.to_bytes());
		assert!(key.public_key().verify(&payload.encode(), &signature));
		for other in [
			scan(genesis, [2; 32], 4, [1; 32], [2; 32], Hash::zero(), None, 6),
			scan(genesis, [1; 32], 5, [1; 32], [2; 32], Hash::zero(), None, 6),
			scan(
				Hash::zero(),
				[1; 32],
				4,
				[1; 32],
				[2; 32],
				Hash::zero(),
				None,
				6,
			),
			scan(genesis, [1; 32], 4, [1; 32], [2; 32], Hash::zero(), None, 7),
		] {
			assert!(!key.public_key().verify(&other.to_bytes(), &signature));
		}
		let rotation = rotate_key(genesis, [1; 32], 4, key.public_key());
		assert!(!key.public_key().verify(&rotation.to_bytes(), &signature));
	}
}
