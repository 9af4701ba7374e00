//! Message lanes between two VIoT chains that follow each other's finality: the types both
//! sides, the relayer and the runtime API share.
//!
//! A chain keeps one lane per **counterpart** (another chain its `ChildChains` light client
//! follows, parent or child), named by the counterpart's genesis hash. Its outbound half is a
//! nonce-ordered queue of [`OutboundMessage`]s under `MessageLanes::OutboundMessages(counterpart
//! genesis, nonce)`; the counterpart reads them with a storage proof against a header it
//! verified, executes them in order and records what it took in its inbound half
//! (`MessageLanes::InboundLanes(source genesis)`), which the source in turn reads with a storage
//! proof to confirm delivery, prune its queue and pay the relayers. Both chains run the same
//! runtime, so each computes the other's storage keys with its own storage items.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};
use sp_runtime::BoundedVec;

use crate::child::ChainId;

/// A message's place in its lane: the first message is 1.
pub type MessageNonce = u64;

/// Most messages one delivery or one confirmation takes (the runtime's
/// `MaxMessagesPerDelivery`; the relayer delivers at most this many at once).
pub const MAX_MESSAGES_PER_DELIVERY: u32 = 12;

/// Most messages senders may have queued on one lane and not confirmed (the runtime's
/// `MaxQueuedMessages`).
pub const MAX_QUEUED_MESSAGES: u32 = 1024;

/// Most entries an inbound lane keeps of who delivered what (a relayer's consecutive deliveries
/// share one entry) until the source confirms them.
pub const MAX_UNCONFIRMED_RELAYER_ENTRIES: u32 = 16;

/// Storage keys of a VIoT chain's lanes (pallet `MessageLanes`), which a counterpart's storage
/// proofs prove: the relayer reads them with `state_getReadProof`, the runtime checks its own
/// storage items use them.
pub mod keys {
	use super::MessageNonce;
	use alloc::vec::Vec;
	use codec::Encode;
	use sp_core::H256;
	use sp_io::hashing::{blake2_128, twox_128, twox_64};

	fn map_key(item: &[u8], lane: &H256) -> Vec<u8> {
		let mut key = Vec::with_capacity(32 + 16 + 32 + 16);
		key.extend_from_slice(&twox_128(b"MessageLanes"));
		key.extend_from_slice(&twox_128(item));
		key.extend_from_slice(&blake2_128(lane.as_bytes()));
		key.extend_from_slice(lane.as_bytes());
		key
	}

	/// `OutboundLanes(lane)`: the nonces of the lane to the chain whose genesis is `lane`.
	pub fn outbound_lane(lane: &H256) -> Vec<u8> {
		map_key(b"OutboundLanes", lane)
	}

	/// `OutboundMessages(lane, nonce)`: a queued message of that lane.
	pub fn outbound_message(lane: &H256, nonce: MessageNonce) -> Vec<u8> {
		let mut key = map_key(b"OutboundMessages", lane);
		let nonce = nonce.encode();
		key.extend_from_slice(&twox_64(&nonce));
		key.extend_from_slice(&nonce);
		key
	}

	/// `InboundLanes(lane)`: what this chain executed of the lane from `lane`.
	pub fn inbound_lane(lane: &H256) -> Vec<u8> {
		map_key(b"InboundLanes", lane)
	}
}

/// What a message asks its destination to do: nothing else can be sent (no arbitrary dispatch).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub enum Instruction<AccountId, Balance> {
	/// The source locked `amount` of its own token: mint as much of its wrapped token to
	/// `beneficiary`.
	MintWrapped {
		/// Who receives the wrapped tokens.
		beneficiary: AccountId,
		/// How much.
		amount: Balance,
	},
	/// The source burned `amount` of the destination's token, which it held wrapped: release
	/// as much of what the destination locked for the source to `beneficiary`.
	ReleaseNative {
		/// Who receives the tokens.
		beneficiary: AccountId,
		/// How much.
		amount: Balance,
	},
}

/// A message of a lane.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct Message<AccountId, Balance> {
	/// What the destination does.
	pub instruction: Instruction<AccountId, Balance>,
	/// Who sent it on the source (a refund goes back to this account).
	pub sender: AccountId,
	/// `Some(n)`: the message gives back what message `n` of the opposite lane carried, whose
	/// execution failed here. A refund that fails is not refunded again.
	pub refund_of: Option<MessageNonce>,
}

/// A message as its source keeps it until the destination's delivery of it is confirmed.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct OutboundMessage<AccountId, Balance> {
	/// The message.
	pub message: Message<AccountId, Balance>,
	/// Held from the sender until the delivery is confirmed (nothing for a refund).
	pub deposit: Balance,
	/// Held from the sender and paid, at confirmation, to the relayer who delivered it
	/// (nothing for a refund).
	pub delivery_fee: Balance,
}

/// A lane's outbound half: messages `latest_confirmed + 1 ..= latest_generated` are queued.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub struct OutboundLane {
	/// Nonce of the last message queued (0: none yet).
	pub latest_generated: MessageNonce,
	/// Nonce of the last message whose delivery was confirmed and pruned.
	pub latest_confirmed: MessageNonce,
}

/// A relayer's run of consecutive deliveries on an inbound lane, from the previous entry's
/// `last` (or the last confirmed message) up to `last`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct DeliveredBy<AccountId> {
	/// The account that submitted the deliveries (the same key is the same account on both
	/// chains: they share the runtime).
	pub relayer: AccountId,
	/// The last message of the run.
	pub last: MessageNonce,
}

/// A lane's inbound half: what this chain took from its counterpart.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct InboundLane<AccountId> {
	/// Nonce of the last message executed (0: none yet): the next delivery starts after it.
	pub last_delivered: MessageNonce,
	/// Who delivered the messages the source has not confirmed yet, oldest first.
	pub relayers: BoundedVec<DeliveredBy<AccountId>, ConstU32<MAX_UNCONFIRMED_RELAYER_ENTRIES>>,
}

impl<AccountId> Default for InboundLane<AccountId> {
	fn default() -> Self {
		Self {
			last_delivered: 0,
			relayers: Default::default(),
		}
	}
}

/// Which token a transfer moves, seen from the chain that sends it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub enum Token {
	/// This chain's own token: locked here, minted wrapped on the counterpart.
	Native,
	/// The counterpart's token, held wrapped here: burned here, released on the counterpart.
	Wrapped,
}

/// What happened to a delivered message.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub enum DeliveryOutcome {
	/// Executed.
	Executed,
	/// Failed; the refund is message `refund` of the opposite lane.
	Refunded {
		/// The refund's nonce.
		refund: MessageNonce,
	},
	/// Failed and was itself a refund: not refunded again.
	RefundFailed,
}

/// Everything about one lane, for the runtime API.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct LaneInfo<AccountId, Balance> {
	/// The counterpart's genesis hash, which names the lane.
	pub counterpart: H256,
	/// The counterpart's id in this chain's `ChildChains` registry (`None`: not a registered,
	/// approved chain any more).
	pub chain_id: Option<ChainId>,
	/// Governance halted the lane: nothing is sent or delivered until it resumes.
	pub halted: bool,
	/// The outbound half.
	pub outbound: OutboundLane,
	/// The inbound half.
	pub inbound: InboundLane<AccountId>,
	/// This chain's token locked for the counterpart: what the counterpart may have minted
	/// wrapped, or is about to.
	pub locked: Balance,
	/// The counterpart's token wrapped on this chain (the supply of its asset).
	pub wrapped_supply: Balance,
}

sp_api::decl_runtime_apis! {
	/// Lanes to the chains this chain exchanges messages with; `api.call.messageLanesApi.*` in
	/// Polkadot.js.
	pub trait MessageLanesApi<AccountId, Balance>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
	{
		/// The lane to the chain whose genesis hash is `counterpart`; `None` if no message ever
		/// went either way and no token is locked for it.
		fn lane(counterpart: H256) -> Option<LaneInfo<AccountId, Balance>>;
		/// Message `nonce` of the outbound lane to `counterpart`, while it awaits confirmation.
		fn outbound_message(counterpart: H256, nonce: MessageNonce) -> Option<OutboundMessage<AccountId, Balance>>;
	}
}

/// Index of the message-lanes pallet in the VIoT runtime.
pub const MESSAGE_LANES_PALLET_INDEX: u8 = 18;

/// The message-lanes calls a relayer sends, encoded exactly as the runtime's own call enum
/// encodes them (the runtime's tests compare the bytes).
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub enum MessageLanesCall {
	/// `MessageLanes::receive_messages`.
	#[codec(index = 1)]
	ReceiveMessages {
		/// The source's genesis hash.
		source: H256,
		/// The source's verified header the proof is against.
		block_hash: H256,
		/// The first message delivered.
		first: MessageNonce,
		/// The last message delivered.
		last: MessageNonce,
		/// The storage proof of the source's lane and messages.
		proof: alloc::vec::Vec<alloc::vec::Vec<u8>>,
	},
	/// `MessageLanes::confirm_delivery`.
	#[codec(index = 2)]
	ConfirmDelivery {
		/// The counterpart's genesis hash.
		counterpart: H256,
		/// The counterpart's verified header the proof is against.
		block_hash: H256,
		/// The storage proof of the counterpart's inbound lane.
		proof: alloc::vec::Vec<alloc::vec::Vec<u8>>,
	},
}

/// A VIoT runtime call with a message-lanes call inside, as the runtime encodes it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub enum LanesRuntimeCall {
	/// A call of the message-lanes pallet.
	#[codec(index = 18)]
	MessageLanes(MessageLanesCall),
}

const _: () = assert!(
	MESSAGE_LANES_PALLET_INDEX == 18,
	"LanesRuntimeCall's codec index follows it"
);
