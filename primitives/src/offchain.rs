//! Messages devices sign off chain, for verifiers that check a device without a transaction (the
//! verify page asking a tag to prove it holds its key). The runtime never accepts them.
//!
//! Every off-chain message starts with [`OFFCHAIN_MAGIC`], every payload the runtime accepts
//! with [`PAYLOAD_MAGIC`]: the first four bytes differ, so a signature a device gives off chain
//! can never be replayed as an on-chain action (authenticate, anchor, scan, key rotation), and
//! no on-chain signature answers an off-chain challenge.

use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_core::H256;

use crate::device::DeviceId;
#[cfg(doc)]
use crate::device::PAYLOAD_MAGIC;

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

	/// The SCALE encoding of the payload: the bytes the device signs.
	pub fn to_bytes(&self) -> alloc::vec::Vec<u8> {
		self.encode()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::device::{DeviceAction, DevicePayload, PAYLOAD_MAGIC};

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
}
