//! Message lanes to the chains this chain follows, and the wrapped tokens they mint.
//!
//! A counterpart is any chain `ChildChains` follows and governance approved: a child chain on
//! its parent, and the parent on a child (every VIoT chain runs this runtime, so the parent's
//! state sits where the pallets below expect it). Its lane is named by its genesis hash.

use alloc::vec::Vec;
use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU128, ConstU32},
	PalletId,
};
use frame_system::EnsureNever;
use sp_core::H256;
use viot_primitives::{
	child::{ChainId, ChildProofError},
	lanes,
};

use super::GovernanceOrigin;
use crate::{
	AccountId, Balance, Balances, ChildChains, Runtime, RuntimeEvent, RuntimeHoldReason,
	WrappedTokens, EXISTENTIAL_DEPOSIT, MILLI_UNIT,
};

/// The wrapped tokens' pallet-assets instance.
pub type WrappedTokensInstance = pallet_assets::Instance1;

parameter_types! {
	/// Held for an account that `touch`es a wrapped token without holding any.
	pub const WrappedAccountDeposit: Balance = EXISTENTIAL_DEPOSIT;
	/// Held for a wrapped token's metadata, which only governance can set (`force_set_metadata`).
	pub const WrappedMetadataDepositBase: Balance = 10 * MILLI_UNIT;
	/// Held per byte of a wrapped token's metadata.
	pub const WrappedMetadataDepositPerByte: Balance = MILLI_UNIT;
	/// Held for an approval to spend someone's wrapped tokens.
	pub const WrappedApprovalDeposit: Balance = EXISTENTIAL_DEPOSIT;
}

impl pallet_assets::Config<WrappedTokensInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	/// An asset's id is its chain's genesis hash.
	type AssetId = H256;
	type AssetIdParameter = H256;
	type ReserveData = ();
	type Currency = Balances;
	/// Nobody creates a wrapped token by a call: MessageLanes creates each on the first
	/// delivery from its chain, owned by the lanes' escrow account (which no key controls).
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	/// Governance may force changes (metadata, status) to any wrapped token.
	type ForceOrigin = GovernanceOrigin;
	/// Never charged: only MessageLanes creates assets, through `fungibles::Create`.
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = WrappedAccountDeposit;
	type MetadataDepositBase = WrappedMetadataDepositBase;
	type MetadataDepositPerByte = WrappedMetadataDepositPerByte;
	type ApprovalDeposit = WrappedApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type RemoveItemsLimit = ConstU32<1000>;
	/// polkadot-sdk's weights for pallet-assets (its benchmark run on Parity's reference
	/// machine), with this runtime's database weights: not generated on ours.
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = WrappedTokenIds;
}

parameter_types! {
	/// The account that holds every lane's locked tokens and owns the wrapped tokens.
	pub const LanesPalletId: PalletId = PalletId(*b"viot/lne");
	/// Held from a sender per queued message until its delivery is confirmed: about what an
	/// anchor of the same size holds.
	pub const MessageDeposit: Balance = 5 * MILLI_UNIT;
	/// Paid by the sender of each message to the relayer that delivers it. It covers the
	/// delivery's transaction fee on the counterpart (the runtime tests check it).
	pub const DeliveryFee: Balance = 20 * MILLI_UNIT;
	/// The least amount of a wrapped token an account may hold: the existential deposit (every
	/// VIoT chain's token has the same decimals).
	pub const WrappedMinBalance: Balance = EXISTENTIAL_DEPOSIT;
}

impl pallet_message_lanes::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Assets = WrappedTokens;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Counterparts = FollowedChains;
	/// Governance (root, or two thirds of the council) halts and resumes lanes.
	type AdminOrigin = GovernanceOrigin;
	type PalletId = LanesPalletId;
	type MessageDeposit = MessageDeposit;
	type DeliveryFee = DeliveryFee;
	type WrappedMinBalance = WrappedMinBalance;
	/// Unconfirmed messages per lane: a payer who keeps a lane full pays every message's
	/// delivery fee, and relayers empty it at `MaxMessagesPerDelivery` per delivery.
	type MaxQueuedMessages = ConstU32<{ lanes::MAX_QUEUED_MESSAGES }>;
	type MaxMessagesPerDelivery = ConstU32<{ lanes::MAX_MESSAGES_PER_DELIVERY }>;
	type WeightInfo = pallet_message_lanes::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FollowedChains;
}

/// The chains `ChildChains` follows: a counterpart is an approved chain that governance has
/// not halted, read through its light client's verified headers.
pub struct FollowedChains;

impl pallet_message_lanes::CounterpartChains for FollowedChains {
	fn chain_id(genesis: &H256) -> Option<ChainId> {
		let chain_id = pallet_child_chains::ChainIdByGenesis::<Runtime>::get(genesis)?;
		let approved = pallet_child_chains::Chains::<Runtime>::get(chain_id)?.is_approved();
		let halted = pallet_child_chains::HaltedChains::<Runtime>::contains_key(chain_id);
		(approved && !halted).then_some(chain_id)
	}

	fn read_storage(
		chain_id: ChainId,
		block_hash: H256,
		keys: &[Vec<u8>],
		proof: Vec<Vec<u8>>,
	) -> Result<Vec<Option<Vec<u8>>>, ChildProofError> {
		ChildChains::read_child_storage_values(chain_id, block_hash, keys, proof)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_message_lanes::BenchmarkHelper for FollowedChains {
	fn verified_header(genesis: H256, state_root: H256) -> H256 {
		pallet_child_chains::verified_counterpart::<Runtime>(genesis, state_root)
	}
}

/// Wrapped token ids for pallet-assets' benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct WrappedTokenIds;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_assets::BenchmarkHelper<H256, ()> for WrappedTokenIds {
	fn create_asset_id_parameter(id: u32) -> H256 {
		let mut bytes = [0u8; 32];
		bytes[28..].copy_from_slice(&id.to_be_bytes());
		H256(bytes)
	}
	fn create_reserve_id_parameter(_: u32) {}
}

/// The chain registry's view of the lanes: a chain whose lane holds tokens, wrapped tokens or
/// messages in flight is not deregistered by its owner (governance can remove it).
pub struct LanesUseChains;

impl pallet_child_chains::ChainUsers for LanesUseChains {
	fn in_use(genesis_hash: &H256) -> bool {
		crate::MessageLanes::holds_state_for(genesis_hash)
	}
	fn in_use_weight() -> frame_support::weights::Weight {
		crate::MessageLanes::holds_state_for_weight()
	}
}
