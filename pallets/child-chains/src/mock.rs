//! A test runtime with System, Balances and ChildChains; child anchors are read with a simple
//! test layout.

use crate as pallet_child_chains;
use crate::{ChainRole, ChildAnchorFacts, ChildAnchorLayout};
use codec::{Decode, Encode};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;
use viot_primitives::anchor::Attester;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

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
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(2)]
	pub type ChildChains = pallet_child_chains;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Child anchors in tests: key `anchor:` ++ digest ++ attester, value (owner, block,
/// timestamp).
pub struct TestAnchorLayout;

impl ChildAnchorLayout<AccountId> for TestAnchorLayout {
	fn storage_key(digest: &H256, attester: &Attester<AccountId>) -> Vec<u8> {
		[b"anchor:".as_slice(), digest.as_bytes(), &attester.encode()].concat()
	}

	fn decode(value: &[u8]) -> Option<ChildAnchorFacts<AccountId>> {
		let (owner, block, timestamp) = <(AccountId, u32, u64)>::decode(&mut &value[..]).ok()?;
		Some(ChildAnchorFacts {
			owner,
			block,
			timestamp,
		})
	}

	fn encode(facts: &ChildAnchorFacts<AccountId>) -> Vec<u8> {
		(facts.owner, facts.block, facts.timestamp).encode()
	}
}

/// The value `TestAnchorLayout` reads.
pub fn anchor_value(owner: AccountId, block: u32, timestamp: u64) -> Vec<u8> {
	(owner, block, timestamp).encode()
}

pub const REGISTRATION_DEPOSIT: Balance = 1_000;
pub const INDEX_DEPOSIT: Balance = 50;
pub const HEADERS_TO_KEEP: u32 = 3;
pub const MAX_AUTHORITIES: u32 = 5;
pub const MAX_PROOF_SIZE: u32 = 4_096;
pub const MAX_PROOF_NODES: u32 = 16;
pub const MAX_HEADER_SIZE: u32 = 1_024;
pub const MAX_FINALITY_PROOF_SIZE: u32 = 4_096;
pub const MAX_FREE_FINALITY_PROOF_SIZE: u32 = 1_536;

parameter_types! {
	pub const RegistrationDeposit: Balance = REGISTRATION_DEPOSIT;
	pub const IndexDeposit: Balance = INDEX_DEPOSIT;
	/// The genesis hash of the chain the tests' other pallet holds state about.
	pub static ChainInUse: Option<H256> = None;
}

/// Another pallet that holds state about the chain `ChainInUse` names.
pub struct TestChainUsers;

impl pallet_child_chains::ChainUsers for TestChainUsers {
	fn in_use(genesis_hash: &H256) -> bool {
		ChainInUse::get() == Some(*genesis_hash)
	}
	fn in_use_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

impl pallet_child_chains::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<AccountId>;
	type ChildAnchors = TestAnchorLayout;
	type RegistrationDeposit = RegistrationDeposit;
	type IndexDeposit = IndexDeposit;
	type MaxNameLength = ConstU32<16>;
	type MaxSymbolLength = ConstU32<8>;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxVotesAncestries = ConstU32<4>;
	type HeadersToKeep = ConstU32<HEADERS_TO_KEEP>;
	type MaxFreeHeadersPerBlock = ConstU32<2>;
	type MaxStorageProofSize = ConstU32<MAX_PROOF_SIZE>;
	type MaxStorageProofNodes = ConstU32<MAX_PROOF_NODES>;
	type MaxHeaderSize = ConstU32<MAX_HEADER_SIZE>;
	type MaxFinalityProofSize = ConstU32<MAX_FINALITY_PROOF_SIZE>;
	type MaxFreeFinalityProofSize = ConstU32<MAX_FREE_FINALITY_PROOF_SIZE>;
	type ChainUsers = TestChainUsers;
	type WeightInfo = ();
}

pub const OWNER: AccountId = 1;
pub const RELAYER: AccountId = 2;
pub const OTHER: AccountId = 3;
pub const POOR: AccountId = 4;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(OWNER, 100_000),
			(RELAYER, 100_000),
			(OTHER, 100_000),
			(POOR, 10),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_child_chains::GenesisConfig::<Test> {
		role: ChainRole::Parent,
		token_symbol: "VIOT".into(),
		slot_duration_ms: None,
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
