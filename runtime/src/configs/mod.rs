//! Configuration of every pallet in the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64, ConstU8, Get, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;
use viot_primitives::{child::limits, currency::SS58_PREFIX};

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, DeviceIdentity, Hash, Nonce,
	OriginCaller, PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason,
	RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System, Timestamp, EXISTENTIAL_DEPOSIT,
	MICRO_UNIT, MILLI_UNIT, SLOT_DURATION, VERSION,
};
use viot_primitives::time::DAYS;

use crate::weights::{block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight};

/// Share of a block that ordinary transactions may fill; the rest is kept for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Compute a block may use: two seconds (of the six between blocks).
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

/// Largest block, in bytes.
pub const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute in each six-second block, three quarters of it for ordinary
	/// transactions; the cost of an empty block and of any extrinsic as measured on our
	/// reference machine (`crate::weights`).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// VIoT nodes store state in ParityDB.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// What frame_system's transaction extensions cost, measured for this runtime.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// Half of this chain's slot: the slot its genesis set (`ChildChains::SlotDuration`, short on
/// dev and test chains) or `SLOT_DURATION` (6 s). Aura's slot duration is twice this, so the one
/// runtime serves production chains with 6-second blocks and test chains with 1-second ones.
pub struct MinimumPeriod;

impl Get<u64> for MinimumPeriod {
	fn get() -> u64 {
		pallet_child_chains::SlotDuration::<Runtime>::get().unwrap_or(SLOT_DURATION) / 2
	}
}

/// pallet_timestamp's own weights plus the read of the genesis slot duration that setting the
/// timestamp (and Aura's slot check in it) makes.
pub struct TimestampWeight;

impl pallet_timestamp::WeightInfo for TimestampWeight {
	fn set() -> Weight {
		<() as pallet_timestamp::WeightInfo>::set().saturating_add(ParityDbWeight::get().reads(1))
	}
	fn on_finalize() -> Weight {
		<() as pallet_timestamp::WeightInfo>::on_finalize()
	}
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = MinimumPeriod;
	type WeightInfo = TimestampWeight;
}

parameter_types! {
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// What one byte of a transaction costs: 0.000001 VIOT (1 VIOT per MB), so a large call pays
	/// for what it takes from every node whether it succeeds or fails.
	pub const TransactionByteFee: Balance = viot_primitives::currency::MICRO_UNIT;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees are burned.
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	/// What charging the fee costs, measured for this runtime.
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Held for every device record or attribute: 0.01 VIOT.
	pub const DeviceDepositBase: Balance = 10 * MILLI_UNIT;
	/// Held per stored byte: 0.0001 VIOT, so a typical 200-byte device record holds 0.03 VIOT.
	pub const DeviceDepositPerByte: Balance = 100 * MICRO_UNIT;
}

impl pallet_device_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Governance (sudo on a dev chain) trusts manufacturers and may revoke any device.
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type DepositBase = DeviceDepositBase;
	type DepositPerByte = DeviceDepositPerByte;
	type MaxNameLength = ConstU32<64>;
	type MaxMetadataLength = ConstU32<256>;
	type MaxAttributes = ConstU32<16>;
	type MaxAttributeKeyLength = ConstU32<32>;
	type MaxAttributeValueLength = ConstU32<128>;
	type WeightInfo = pallet_device_identity::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Held for every anchor: 0.001 VIOT.
	pub const AnchorDepositBase: Balance = MILLI_UNIT;
	/// Held per stored byte: 0.00001 VIOT, so a typical 150-byte anchor with a trace entry holds
	/// about 0.0025 VIOT.
	pub const AnchorDepositPerByte: Balance = 10 * MICRO_UNIT;
	/// An anchor stays at least 30 days before its owner may release it.
	pub const AnchorMinimumRetention: BlockNumber = 30 * DAYS;
}

impl pallet_data_anchoring::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Device signatures are checked by the device-identity pallet.
	type Devices = DeviceIdentity;
	type TimeProvider = Timestamp;
	type DepositBase = AnchorDepositBase;
	type DepositPerByte = AnchorDepositPerByte;
	type MaxMetadataLength = ConstU32<256>;
	type MinimumRetention = AnchorMinimumRetention;
	type WeightInfo = pallet_data_anchoring::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DeviceBenchmarkHelper;
}

parameter_types! {
	/// Held for a registered child chain and the headers the parent keeps for it: 10 VIOT.
	pub const ChildChainDeposit: Balance = 10 * super::UNIT;
	/// Held for an indexed child anchor: 0.002 VIOT, about what the same record costs as an
	/// anchor.
	pub const ChildAnchorIndexDeposit: Balance = 2 * MILLI_UNIT;
}

impl pallet_child_chains::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Governance (sudo on a dev chain) approves, rejects, halts, re-initializes and removes
	/// child chains.
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	/// Child chains run this runtime, so their anchors sit where ours do.
	type ChildAnchors = DataAnchoringLayout;
	type RegistrationDeposit = ChildChainDeposit;
	type IndexDeposit = ChildAnchorIndexDeposit;
	type MaxNameLength = ConstU32<{ limits::MAX_NAME_LENGTH }>;
	type MaxSymbolLength = ConstU32<{ limits::MAX_SYMBOL_LENGTH }>;
	/// Up to 100 GRANDPA authorities per child chain; every bound below is the relayer's too
	/// (`viot_primitives::child::limits`).
	type MaxAuthorities = ConstU32<{ limits::MAX_AUTHORITIES }>;
	type MaxVotesAncestries = ConstU32<{ limits::MAX_VOTES_ANCESTRIES }>;
	/// About 1.7 hours of child blocks at 6 s: the window in which a child block's state can be
	/// proven on the parent.
	type HeadersToKeep = ConstU32<1024>;
	/// Free finality-proof imports per block (one per chain): enough for 16 child chains at
	/// our block time; beyond it proofs pay.
	type MaxFreeHeadersPerBlock = ConstU32<16>;
	type MaxStorageProofSize = ConstU32<{ limits::MAX_STORAGE_PROOF_SIZE }>;
	type MaxStorageProofNodes = ConstU32<{ limits::MAX_STORAGE_PROOF_NODES }>;
	type MaxHeaderSize = ConstU32<{ limits::MAX_HEADER_SIZE }>;
	type MaxFinalityProofSize = ConstU32<{ limits::MAX_FINALITY_PROOF_SIZE }>;
	type MaxFreeFinalityProofSize = ConstU32<{ limits::MAX_FREE_FINALITY_PROOF_SIZE }>;
	type WeightInfo = pallet_child_chains::weights::SubstrateWeight<Runtime>;
}

/// Reads a child chain's anchors: the data-anchoring pallet's `Anchors` map, decoded as this
/// runtime's records (every child chain runs this runtime).
pub struct DataAnchoringLayout;

impl pallet_child_chains::ChildAnchorLayout<AccountId> for DataAnchoringLayout {
	fn storage_key(
		digest: &sp_core::H256,
		attester: &viot_primitives::anchor::Attester<AccountId>,
	) -> alloc::vec::Vec<u8> {
		pallet_data_anchoring::Anchors::<Runtime>::hashed_key_for(digest, attester)
	}

	fn decode(value: &[u8]) -> Option<pallet_child_chains::ChildAnchorFacts<AccountId>> {
		use codec::Decode;
		let anchor = pallet_data_anchoring::Anchor::<Runtime>::decode(&mut &value[..]).ok()?;
		Some(pallet_child_chains::ChildAnchorFacts {
			owner: anchor.owner,
			block: anchor.block,
			timestamp: anchor.timestamp,
		})
	}

	fn encode(facts: &pallet_child_chains::ChildAnchorFacts<AccountId>) -> alloc::vec::Vec<u8> {
		use codec::Encode;
		pallet_data_anchoring::Anchor::<Runtime> {
			owner: facts.owner.clone(),
			block: facts.block,
			timestamp: facts.timestamp,
			source: viot_primitives::anchor::AnchorSource::Account,
			subject: None,
			kind: 0,
			leaf_count: None,
			metadata: Default::default(),
			deposit: 0,
			trace_index: None,
		}
		.encode()
	}
}

/// Registers devices for the data-anchoring benchmarks through the device-identity pallet, as a
/// manufacturer would.
#[cfg(feature = "runtime-benchmarks")]
pub struct DeviceBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_data_anchoring::BenchmarkHelper for DeviceBenchmarkHelper {
	fn register_device(
		device: viot_primitives::device::DeviceId,
		key: viot_primitives::device::DevicePublicKey,
	) {
		use frame_support::traits::fungible::Mutate;
		let maker: AccountId = frame_benchmarking::account("maker", 0, 0);
		Balances::set_balance(&maker, 1_000 * super::UNIT);
		if pallet_device_identity::Manufacturers::<Runtime>::get(&maker).is_none() {
			DeviceIdentity::add_manufacturer(
				RuntimeOrigin::root(),
				maker.clone(),
				Default::default(),
			)
			.expect("root adds a manufacturer");
		}
		DeviceIdentity::register_device(
			RuntimeOrigin::signed(maker.clone()),
			device,
			key,
			maker,
			Default::default(),
		)
		.expect("a fresh device registers");
	}
}
