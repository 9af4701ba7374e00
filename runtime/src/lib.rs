//! The VIoT runtime.
//!
//! One runtime serves the parent chain and every child chain: a chain's role, token symbol and
//! authorities come from its genesis preset or chain spec, never from a second runtime crate.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` and `impl_runtime_apis` need a larger recursion limit.
#![recursion_limit = "256"]

// `WASM_BINARY`: the runtime's own WASM, for the node's chain specs and for tests.
#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/", env!("VIOT_WASM_BINARY_FILE")));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod migrations;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::RuntimeVersion;

pub use viot_primitives::{
	currency::{DECIMALS, EXISTENTIAL_DEPOSIT, MICRO_UNIT, MILLI_UNIT, TOKEN_SYMBOL, UNIT},
	time::SLOT_DURATION,
	AccountId, Balance, BlockNumber, Hash, Nonce, Signature,
};

impl_opaque_keys! {
	/// The keys a validator registers: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. `spec_version` goes up with every change to the runtime that lands, so
/// nodes and Polkadot.js know when the logic and the metadata changed.
#[cfg(not(feature = "upgrade-test"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("viot"),
	impl_name: Cow::Borrowed("viot"),
	authoring_version: 1,
	spec_version: 116,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 4,
	system_version: 1,
};

/// The version of the end-to-end upgrade test's build (feature `upgrade-test`): the same
/// runtime, one `spec_version` higher, with `migrations::upgrade_test` enabled. Keep it one
/// above the version above.
#[cfg(feature = "upgrade-test")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("viot"),
	impl_name: Cow::Borrowed("viot"),
	authoring_version: 1,
	spec_version: 117,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 4,
	system_version: 1,
};

// spec_version started at 100 and only goes up.
const _: () = assert!(VERSION.spec_version >= 100);
// Tools that build transactions without the metadata (the relayer) read it from here.
const _: () = assert!(VERSION.transaction_version == viot_primitives::TRANSACTION_VERSION);

/// The address format: an account id or an index, as Polkadot.js expects.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// Block header.
pub type Header = generic::Header<BlockNumber, viot_primitives::Hashing>;

/// Block with the runtime's own extrinsic type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every signed transaction goes through, in order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_child_chains::CheckChildFinalityProof<Runtime>,
	pallet_message_lanes::CheckMessageDelivery<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic as the runtime decodes it.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// What a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	migrations::Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(8)]
	pub type DeviceIdentity = pallet_device_identity;

	#[runtime::pallet_index(9)]
	pub type DataAnchoring = pallet_data_anchoring;

	#[runtime::pallet_index(10)]
	pub type ChildChains = pallet_child_chains;

	// Declared in this order on purpose: the validator set's genesis before the session's (which
	// asks it for the first validators), and the block author noted (and kept for the block)
	// before a session change replaces the validator list it is looked up in.
	#[runtime::pallet_index(11)]
	pub type ValidatorSet = pallet_validator_set;

	#[runtime::pallet_index(12)]
	pub type Authorship = pallet_authorship;

	#[runtime::pallet_index(13)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(14)]
	pub type Council = pallet_collective<Instance1>;

	#[runtime::pallet_index(15)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	#[runtime::pallet_index(16)]
	pub type Upgrades = pallet_upgrades;

	// The counterparts' tokens held here wrapped, one asset per counterpart (its genesis hash);
	// only MessageLanes creates them.
	#[runtime::pallet_index(17)]
	pub type WrappedTokens = pallet_assets<Instance1>;

	#[runtime::pallet_index(18)]
	pub type MessageLanes = pallet_message_lanes;
}
