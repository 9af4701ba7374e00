//! Configuration of every pallet in the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		ConstBool, ConstU32, ConstU64, ConstU8, EitherOfDiverse, Get, OnUnbalanced, VariantCountOf,
	},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, ConstantMultiplier, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use frame_system::EnsureRoot;
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{ConvertInto, One, OpaqueKeys},
	Perbill,
};
use sp_version::RuntimeVersion;
use viot_primitives::{child::limits, currency::SS58_PREFIX};

pub mod lanes;
pub mod proposal_deposit;

use super::{
	AccountId, Aura, Authorship, Balance, Balances, Block, BlockNumber, Council, DeviceIdentity,
	Hash, Nonce, OriginCaller, PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason,
	RuntimeHoldReason, RuntimeOrigin, RuntimeTask, Session, SessionKeys, System, Timestamp,
	ValidatorSet, EXISTENTIAL_DEPOSIT, MICRO_UNIT, MILLI_UNIT, SLOT_DURATION, UNIT, VERSION,
};
use viot_primitives::time::DAYS;

use crate::weights::{
	block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight,
	paritydb_weights::constants::ParityDbWeight,
};

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
	/// VIoT nodes store state in ParityDB; its costs measured on a chain of a million devices and
	/// a million anchors.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// What frame_system's transaction extensions cost, measured for this runtime.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	/// Everything but `session.purgeKeys` (see [`VIoTCallFilter`]).
	type BaseCallFilter = VIoTCallFilter;
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
		<pallet_timestamp::weights::SubstrateWeight<Runtime> as pallet_timestamp::WeightInfo>::set()
			.saturating_add(ParityDbWeight::get().reads(1))
	}
	fn on_finalize() -> Weight {
		<pallet_timestamp::weights::SubstrateWeight<Runtime> as pallet_timestamp::WeightInfo>::on_finalize()
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

/// Fees and tips, all of them, go to the author of the block that includes the transaction
/// (pallet-authorship, from Aura's slot); if the author's account cannot take them (it would stay
/// below the existential deposit), they are burned.
pub struct FeesToAuthor;

impl OnUnbalanced<Credit<AccountId, Balances>> for FeesToAuthor {
	fn on_nonzero_unbalanced(amount: Credit<AccountId, Balances>) {
		if let Some(author) = Authorship::author() {
			// An `Err` hands the credit back; dropping it burns it.
			let _ = <Balances as Balanced<AccountId>>::resolve(&author, amount);
		}
	}
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees and tips go to the block author.
	type OnChargeTransaction = FungibleAdapter<Balances, FeesToAuthor>;
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
	/// Governance (root, or two thirds of the council) trusts manufacturers and may revoke any
	/// device.
	type AdminOrigin = GovernanceOrigin;
	type DepositBase = DeviceDepositBase;
	type DepositPerByte = DeviceDepositPerByte;
	type MaxNameLength = ConstU32<64>;
	type MaxMetadataLength = ConstU32<256>;
	type MaxAttributes = ConstU32<16>;
	type MaxAttributeKeyLength = ConstU32<32>;
	type MaxAttributeValueLength = ConstU32<128>;
	type MaxDevicesPerClaim = ConstU32<{ viot_primitives::device::MAX_DEVICES_PER_CLAIM }>;
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
	/// Governance (root, or two thirds of the council) approves, rejects, halts, re-initializes
	/// and removes child chains.
	type AdminOrigin = GovernanceOrigin;
	/// A chain the message lanes still need (tokens, messages) stays until governance removes it.
	type ChainUsers = lanes::LanesUseChains;
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

/// The council: a pallet-collective instance whose members pallet-membership manages.
pub type CouncilCollective = pallet_collective::Instance1;

/// The instance of pallet-membership that manages the council's members.
pub type CouncilMembershipInstance = pallet_membership::Instance1;

/// Every admin action of the chain: root (sudo on dev and local chains only) or a council motion
/// approved by at least two thirds of the council's members (three of four).
pub type GovernanceOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

parameter_types! {
	/// How long a council motion stays open for votes; it closes early once decided.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	/// Most motions open at once.
	pub const CouncilMaxProposals: u32 = 100;
	/// Most council members.
	pub const CouncilMaxMembers: u32 = 32;
	/// The heaviest call a motion may carry: half a block.
	pub MaxCouncilProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	/// Members who do not vote follow the prime member, if one is set.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	/// Measured for this runtime, plus the call filter's look-up on `propose`.
	type WeightInfo = CouncilWeights;
	/// Members change through pallet-membership (by governance); this is for root only.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = GovernanceOrigin;
	type KillOrigin = GovernanceOrigin;
	/// Every proposal holds 100 VIOT, and a member holds at most three such deposits: no
	/// member can fill the proposal slots or make another member's proposals dearer.
	type Consideration = proposal_deposit::ProposalDeposit;
}

/// The council's weights as measured for this runtime (`weights/pallet_collective.rs`), with the
/// one storage read `VIoTCallFilter` adds to a `council.propose` of a motion (whether an
/// identical proposal's deposit is still held).
pub struct CouncilWeights;

type MeasuredCouncilWeights = crate::weights::pallet_collective::WeightInfo<Runtime>;

impl pallet_collective::WeightInfo for CouncilWeights {
	fn set_members(m: u32, n: u32, p: u32) -> Weight {
		MeasuredCouncilWeights::set_members(m, n, p)
	}
	fn execute(b: u32, m: u32) -> Weight {
		MeasuredCouncilWeights::execute(b, m)
	}
	fn propose_execute(b: u32, m: u32) -> Weight {
		MeasuredCouncilWeights::propose_execute(b, m)
	}
	fn propose_proposed(b: u32, m: u32, p: u32) -> Weight {
		MeasuredCouncilWeights::propose_proposed(b, m, p)
			.saturating_add(<Runtime as frame_system::Config>::DbWeight::get().reads(1))
	}
	fn vote(m: u32) -> Weight {
		MeasuredCouncilWeights::vote(m)
	}
	fn close_early_disapproved(m: u32, p: u32) -> Weight {
		MeasuredCouncilWeights::close_early_disapproved(m, p)
	}
	fn close_early_approved(b: u32, m: u32, p: u32) -> Weight {
		MeasuredCouncilWeights::close_early_approved(b, m, p)
	}
	fn close_disapproved(m: u32, p: u32) -> Weight {
		MeasuredCouncilWeights::close_disapproved(m, p)
	}
	fn close_approved(b: u32, m: u32, p: u32) -> Weight {
		MeasuredCouncilWeights::close_approved(b, m, p)
	}
	fn disapprove_proposal(p: u32) -> Weight {
		MeasuredCouncilWeights::disapprove_proposal(p)
	}
	fn kill(d: u32, p: u32) -> Weight {
		MeasuredCouncilWeights::kill(d, p)
	}
	fn release_proposal_cost() -> Weight {
		MeasuredCouncilWeights::release_proposal_cost()
	}
}

impl pallet_membership::Config<CouncilMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Members are added, removed, swapped and reset by governance (root, or the council itself
	/// by two thirds); the prime member likewise.
	type AddOrigin = GovernanceOrigin;
	type RemoveOrigin = GovernanceOrigin;
	type SwapOrigin = GovernanceOrigin;
	type ResetOrigin = GovernanceOrigin;
	type PrimeOrigin = GovernanceOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	/// Measured for this runtime.
	type WeightInfo = crate::weights::pallet_membership::WeightInfo<Runtime>;
}

impl pallet_upgrades::Config for Runtime {
	/// Runtime upgrades are authorized by governance and applied by anyone.
	type AdminOrigin = GovernanceOrigin;
	type WeightInfo = pallet_upgrades::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// What a validator candidate holds: 10,000 VIOT.
	pub const ValidatorBond: Balance = 10_000 * UNIT;
	/// What setting session keys holds (returned by `validatorSet.purgeKeys`): 1 VIOT, so key
	/// records are not free to spam.
	pub const SessionKeyDeposit: Balance = UNIT;
}

impl pallet_validator_set::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Governance (root, or two thirds of the council) admits, removes and slashes validators.
	type AdminOrigin = GovernanceOrigin;
	type Session = SessionOfValidators;
	type ValidatorBond = ValidatorBond;
	/// What Aura and GRANDPA accept.
	type MaxValidators = ConstU32<32>;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SessionKeysBenchmarkHelper;
}

/// pallet-session as the validator set sees it.
pub struct SessionOfValidators;

impl pallet_validator_set::ValidatorSession<AccountId> for SessionOfValidators {
	fn has_keys(who: &AccountId) -> bool {
		<Session as frame_support::traits::ValidatorRegistration<AccountId>>::is_registered(who)
	}

	fn is_active(who: &AccountId) -> bool {
		pallet_session::Validators::<Runtime>::get().contains(who)
			|| pallet_session::QueuedKeys::<Runtime>::get()
				.iter()
				.any(|(queued, _)| queued == who)
	}

	fn purge_keys(who: &AccountId) -> frame_support::dispatch::DispatchResult {
		// The session pallet's own call, which the call filter keeps from everyone else: it
		// returns the key deposit and the account's consumer reference.
		Session::purge_keys(RuntimeOrigin::signed(who.clone()))
	}
}

/// What every signed or unsigned call must pass before dispatch (root's calls always pass):
/// everything but
/// - `session.purgeKeys`, which would let a validator drop out of the set at the next session
///   change without governance (keys are purged through `validatorSet.purgeKeys`, which refuses
///   validators);
/// - `council.propose` of a motion whose earlier, identical proposal still holds its deposit
///   (closed, not yet released): pallet-collective would record the new deposit over the old
///   one, which could then never be released. Release it first (`council.releaseProposalCost`).
pub struct VIoTCallFilter;

impl frame_support::traits::Contains<RuntimeCall> for VIoTCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Session(pallet_session::Call::purge_keys { .. }) => false,
			RuntimeCall::Council(pallet_collective::Call::propose {
				threshold,
				proposal,
				..
			}) if *threshold >= 2 => {
				use sp_runtime::traits::Hash as _;
				let hash = <Runtime as frame_system::Config>::Hashing::hash_of(proposal);
				!pallet_collective::CostOf::<Runtime, CouncilCollective>::contains_key(hash)
			}
			_ => true,
		}
	}
}

/// Sessions a removed validator's bond stays held after it left the set, for sessions of
/// `session_length` blocks: two council motion durations and a session (time to notice what it
/// did in its last session and for a motion to slash it that runs its full length, with a
/// session to spare before the bond is free).
pub fn unbonding_sessions(session_length: BlockNumber) -> u32 {
	(2 * CouncilMotionDuration::get())
		.div_ceil(session_length.max(1))
		.saturating_add(1)
}

/// [`unbonding_sessions`] for the chain's session length (for the migration of chains that ran
/// the validator set before it had unbonding sessions).
pub struct UnbondingForMotions;

impl Get<u32> for UnbondingForMotions {
	fn get() -> u32 {
		unbonding_sessions(pallet_validator_set::SessionLength::<Runtime>::get())
	}
}

/// The fewest validators a set of `validators` may shrink to by default: two thirds of it,
/// rounded up (1 of 1, 2 of 2, 3 of 4), so that removals alone cannot leave fewer validators than
/// GRANDPA's supermajority of the original set. Governance may change it.
pub fn default_minimum_validators(validators: u32) -> u32 {
	(2 * validators).div_ceil(3).max(1)
}

/// Sessions of the length the chain's genesis (or its migration) set, starting at block 0.
pub type Sessions =
	pallet_session::PeriodicSessions<pallet_validator_set::SessionPeriod<Runtime>, ConstU32<0>>;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is identified by its account.
	type ValidatorId = AccountId;
	/// Any account may set session keys (holding `SessionKeyDeposit`); only governance makes it
	/// a validator.
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Sessions;
	type NextSessionRotation = Sessions;
	/// The governance-managed validator set.
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// No automatic disabling: offences are judged by the council (`slash_bond`,
	/// `remove_validator`).
	type DisablingStrategy = ();
	/// polkadot-sdk's reference weights: pallet-session's benchmarks need a staking pallet, which
	/// this runtime does not have.
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_authorship::Config for Runtime {
	/// The author is the session validator at Aura's authority index for the block's slot.
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = ();
}

/// Gives the validator-set benchmarks' accounts session keys, as `session.setKeys` would (keys,
/// key owners, the key deposit and the account's consumer reference).
#[cfg(feature = "runtime-benchmarks")]
pub struct SessionKeysBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for SessionKeysBenchmarkHelper {
	fn set_session_keys(who: &AccountId) {
		use codec::Encode;
		use sp_runtime::traits::Hash;
		let raw: [u8; 32] = sp_runtime::traits::BlakeTwo256::hash(&who.encode()).0;
		let keys = SessionKeys {
			aura: sp_core::sr25519::Public::from_raw(raw).into(),
			grandpa: sp_core::ed25519::Public::from_raw(raw).into(),
		};
		for id in <SessionKeys as OpaqueKeys>::key_ids() {
			pallet_session::KeyOwner::<Runtime>::insert((*id, keys.get_raw(*id).to_vec()), who);
		}
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
		frame_system::Pallet::<Runtime>::inc_consumers(who)
			.expect("a benchmark's account exists and has room for a consumer");
		<Balances as frame_support::traits::fungible::MutateHold<AccountId>>::hold(
			&RuntimeHoldReason::Session(pallet_session::HoldReason::Keys),
			who,
			SessionKeyDeposit::get(),
		)
		.expect("a benchmark's account pays the key deposit");
	}

	fn fill_session(count: u32) {
		use codec::Encode;
		use sp_runtime::traits::{BlakeTwo256, Hash};
		let keys = |i: u32| {
			let raw: [u8; 32] = BlakeTwo256::hash(&i.encode()).0;
			SessionKeys {
				aura: sp_core::sr25519::Public::from_raw(raw).into(),
				grandpa: sp_core::ed25519::Public::from_raw(raw).into(),
			}
		};
		let others: alloc::vec::Vec<(AccountId, SessionKeys)> = (0..count)
			.map(|i| {
				(
					AccountId::new(BlakeTwo256::hash(&(b"session", i).encode()).0),
					keys(i),
				)
			})
			.collect();
		pallet_session::Validators::<Runtime>::put(
			others
				.iter()
				.map(|(who, _)| who.clone())
				.collect::<alloc::vec::Vec<_>>(),
		);
		pallet_session::QueuedKeys::<Runtime>::put(others);
	}
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
