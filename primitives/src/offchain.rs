//! Messages devices sign off chain, for verifiers that check a device without a transaction (the
//! verify page asking a tag to prove it holds its key) and for gateways that collect devices'
//! readings before anchoring them in batches. The runtime never accepts them.
//!
//! Every off-chain message starts with [`OFFCHAIN_MAGIC`], every payload the runtime accepts
//! with [`PAYLOAD_MAGIC`]: the first four bytes differ, so a signature a device gives off chain
//! can never be replayed as an on-chain action (authenticate, anchor, scan, key rotation), and
//! no on-chain signature answers an off-chain challenge.

use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_core::H256;

#[cfg(doc)]
use crate::device::PAYLOAD_MAGIC;
use crate::{
	anchor::SubjectId,
	device::{DeviceId, DeviceSignature},
};

/// The first bytes of every message a device signs off chain.
pub const OFFCHAIN_MAGIC: [u8; 4] = *b"VIoX";

const _: () = assert!(
	u32::from_le_bytes(OFFCHAIN_MAGIC) != u32::from_le_bytes(crate::device::PAYLOAD_MAGIC),
	"off-chain messages must be distinguishable from on-chain payloads by their first bytes"
);

/// A random value a verifier chooses for one check.
pub type Challenge = [u8; 32];

/// What a device vouches for off chain.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum OffchainMessage {
	/// The device proves it holds its key now: the verifier chose `challenge` at random for
	/// this one check, so an answer recorded from an earlier check (a cloned tag replaying a
	/// genuine one) does not verify.
	TagChallenge {
		/// The verifier's random value.
		challenge: Challenge,
	},
	/// A reading the device vouches for, sent to a gateway: the record's digest, under the
	/// device's own sequence number (one up for every reading it signs, so a gateway refuses a
	/// replayed or reordered reading), for an item and an event kind as on-chain anchors have.
	Reading {
		/// The record's 32-byte digest (BLAKE2b-256 of its bytes).
		digest: H256,
		/// The device's own counter of readings.
		sequence: u64,
		/// The item the reading concerns, if any.
		subject: Option<SubjectId>,
		/// The event code (see [`crate::anchor::kind`]).
		kind: u16,
	},
}

/// The exact bytes a device signs off chain: the message, bound to one chain (genesis hash) and
/// one device.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OffchainPayload {
	/// Always [`OFFCHAIN_MAGIC`].
	pub magic: [u8; 4],
	/// The genesis hash of the chain the device is registered on.
	pub genesis_hash: H256,
	/// The signing device.
	pub device: DeviceId,
	/// What the device vouches for.
	pub message: OffchainMessage,
}

impl OffchainPayload {
	/// The payload of `message` for `device` on the chain with `genesis_hash`.
	pub fn new(genesis_hash: H256, device: DeviceId, message: OffchainMessage) -> Self {
		Self {
			magic: OFFCHAIN_MAGIC,
			genesis_hash,
			device,
			message,
		}
	}

	/// The challenge a verifier asks `device` to sign: `challenge` must be fresh and random.
	pub fn tag_challenge(genesis_hash: H256, device: DeviceId, challenge: Challenge) -> Self {
		Self::new(
			genesis_hash,
			device,
			OffchainMessage::TagChallenge { challenge },
		)
	}

	/// The reading `device` signs for a gateway: `digest` under its own `sequence` number.
	pub fn reading(
		genesis_hash: H256,
		device: DeviceId,
		digest: H256,
		sequence: u64,
		subject: Option<SubjectId>,
		kind: u16,
	) -> Self {
		Self::new(
			genesis_hash,
			device,
			OffchainMessage::Reading {
				digest,
				sequence,
				subject,
				kind,
			},
		)
	}

	/// The SCALE encoding of the payload: the bytes the device signs.
	pub fn to_bytes(&self) -> alloc::vec::Vec<u8> {
		self.encode()
	}

	/// The leaf a gateway puts in its batch for this payload signed with `signature`:
	/// BLAKE2b-256 of the SCALE encoding of `(payload, signature)`. The anchored root then
	/// proves that the signed reading, not only its digest, existed by the anchor's block.
	pub fn signed_leaf(&self, signature: &DeviceSignature) -> H256 {
		H256(sp_io::hashing::blake2_256(&(self, signature).encode()))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::device::{DeviceAction, DevicePayload, PAYLOAD_MAGIC};

	#[test]
	fn the_signed_leaf_commits_to_payload_and_signature() {
		use crate::keys::DeviceKeyPair;
		let pair = DeviceKeyPair::from_seed(crate::device::KeyKind::Sr25519, &[9; 32]).unwrap();
		let payload = |sequence| {
			OffchainPayload::reading(
				H256::repeat_byte(1),
				[2u8; 32],
				H256::repeat_byte(3),
				sequence,
				None,
				10,
			)
		};
		let signature = pair.sign(&payload(1).to_bytes());
		let leaf = payload(1).signed_leaf(&signature);
		assert_eq!(
			leaf,
			H256(sp_io::hashing::blake2_256(
				&[payload(1).to_bytes(), signature.encode()].concat()
			))
		);
		assert_ne!(leaf, payload(2).signed_leaf(&signature));
		let other = pair.sign(&payload(2).to_bytes());
		assert_ne!(leaf, payload(1).signed_leaf(&other));
	}

	#[test]
	fn a_tag_challenge_is_never_an_on_chain_payload() {
		let genesis = H256::repeat_byte(1);
		let device = [2u8; 32];
		let offchain = OffchainPayload::tag_challenge(genesis, device, [3u8; 32]).to_bytes();
		assert_eq!(&offchain[..4], b"VIoX");
		let onchain = DevicePayload::new(genesis, device, 0, DeviceAction::Authenticate).to_bytes();
		assert_eq!(&onchain[..4], &PAYLOAD_MAGIC);
		assert_ne!(&onchain[..4], &offchain[..4]);
	}

	#[test]
	fn the_layout_is_magic_genesis_device_then_the_message() {
		let bytes =
			OffchainPayload::tag_challenge(H256::repeat_byte(1), [2u8; 32], [3u8; 32]).to_bytes();
		let mut expected = b"VIoX".to_vec();
		expected.extend([1u8; 32]);
		expected.extend([2u8; 32]);
		expected.push(0); // OffchainMessage::TagChallenge
		expected.extend([3u8; 32]);
		assert_eq!(bytes, expected);
	}

	#[test]
	fn a_reading_binds_digest_sequence_subject_and_kind() {
		let reading = |digest: u8, sequence, subject, kind| {
			OffchainPayload::reading(
				H256::repeat_byte(1),
				[2u8; 32],
				H256::repeat_byte(digest),
				sequence,
				subject,
				kind,
			)
			.to_bytes()
		};
		let bytes = reading(4, 7, Some([5u8; 32]), 10);
		let mut expected = b"VIoX".to_vec();
		expected.extend([1u8; 32]);
		expected.extend([2u8; 32]);
		expected.push(1); // OffchainMessage::Reading
		expected.extend([4u8; 32]);
		expected.extend(7u64.to_le_bytes());
		expected.push(1); // Some
		expected.extend([5u8; 32]);
		expected.extend(10u16.to_le_bytes());
		assert_eq!(bytes, expected);
		// Every field changes the bytes signed.
		for other in [
			reading(9, 7, Some([5u8; 32]), 10),
			reading(4, 8, Some([5u8; 32]), 10),
			reading(4, 7, None, 10),
			reading(4, 7, Some([5u8; 32]), 11),
		] {
			assert_ne!(other, bytes);
		}
		// And no reading is a tag challenge.
		let challenge =
			OffchainPayload::tag_challenge(H256::repeat_byte(1), [2u8; 32], [4u8; 32]).to_bytes();
		assert_ne!(challenge[68], bytes[68]);
	}
}
