//! A test runtime with System, Balances, Assets (wrapped tokens by genesis hash) and
//! MessageLanes. Two instances of its state play two chains; each keeps its light client's
//! verified state roots in its own storage (`TestCounterparts`), so a storage proof made from
//! one chain's state is checked by the other exactly as the runtime checks it.

use crate as pallet_message_lanes;
use crate::CounterpartChains;
use codec::Encode;
use frame_support::{
	derive_impl, parameter_types,
	storage::unhashed,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU64},
	PalletId,
};
use frame_system::{EnsureNever, EnsureRoot};
use sp_core::H256;
use sp_runtime::BuildStorage;
use viot_primitives::child::{ChainId, ChildProofError};

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
	pub type Assets = pallet_assets;

	#[runtime::pallet_index(3)]
	pub type MessageLanes = pallet_message_lanes;
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
	type ExistentialDeposit = ConstU64<10>;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type AssetId = H256;
	type AssetIdParameter = H256;
	type Currency = Balances;
	// Only the lanes create wrapped tokens: nobody can squat a counterpart's asset id.
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = WrappedTokenIds;
}

/// Asset ids for pallet-assets' benchmarks: genesis hashes.
#[cfg(feature = "runtime-benchmarks")]
pub struct WrappedTokenIds;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_assets::BenchmarkHelper<H256, ()> for WrappedTokenIds {
	fn create_asset_id_parameter(id: u32) -> H256 {
		H256::from_low_u64_be(id.into())
	}
	fn create_reserve_id_parameter(_: u32) {}
}

parameter_types! {
	pub const LanesPalletId: PalletId = PalletId(*b"viot/lns");
}

impl pallet_message_lanes::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Assets = Assets;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Counterparts = TestCounterparts;
	type AdminOrigin = EnsureRoot<AccountId>;
	type PalletId = LanesPalletId;
	type MessageDeposit = ConstU64<5>;
	type DeliveryFee = ConstU64<3>;
	type WrappedMinBalance = ConstU64<4>;
	type MaxQueuedMessages = ConstU32<8>;
	type MaxMessagesPerDelivery = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestCounterparts;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for TestCounterparts {
	fn verified_header(genesis: H256, state_root: H256) -> H256 {
		let chain_id = 5;
		follow(genesis, chain_id);
		let block = H256(sp_io::hashing::blake2_256(state_root.as_bytes()));
		verify_header(chain_id, block, state_root);
		block
	}
}

/// A chain's state for the benchmarks' tests.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	Chain::new(H256::repeat_byte(0xaa)).ext
}

/// Most nodes a storage proof may have (as `ChildChains::MaxStorageProofNodes` bounds it).
pub const MAX_PROOF_NODES: usize = 64;

/// The light client of the chain whose state is current: counterparts by genesis hash and the
/// state roots of their verified headers, in that chain's own storage.
pub struct TestCounterparts;

fn chain_key(genesis: &H256) -> Vec<u8> {
	(b"test/chain", genesis).encode()
}

fn header_key(chain_id: ChainId, block_hash: &H256) -> Vec<u8> {
	(b"test/header", chain_id, block_hash).encode()
}

/// Makes the chain whose state is current follow `genesis` as chain `chain_id`.
pub fn follow(genesis: H256, chain_id: ChainId) {
	unhashed::put(&chain_key(&genesis), &chain_id);
}

/// Stops following `genesis` (as a removed registration would).
pub fn unfollow(genesis: H256) {
	unhashed::kill(&chain_key(&genesis));
}

/// Records `state_root` as the verified header `block_hash` of chain `chain_id`.
pub fn verify_header(chain_id: ChainId, block_hash: H256, state_root: H256) {
	unhashed::put(&header_key(chain_id, &block_hash), &state_root);
}

impl CounterpartChains for TestCounterparts {
	fn chain_id(genesis: &H256) -> Option<ChainId> {
		unhashed::get(&chain_key(genesis))
	}

	fn read_storage(
		chain_id: ChainId,
		block_hash: H256,
		keys: &[Vec<u8>],
		proof: Vec<Vec<u8>>,
	) -> Result<Vec<Option<Vec<u8>>>, ChildProofError> {
		let root: H256 = unhashed::get(&header_key(chain_id, &block_hash))
			.ok_or(ChildProofError::UnknownBlock)?;
		if proof.len() > MAX_PROOF_NODES || proof.iter().any(Vec::is_empty) {
			return Err(ChildProofError::ProofTooLarge);
		}
		let db =
			sp_trie::StorageProof::new(proof).into_memory_db::<sp_runtime::traits::BlakeTwo256>();
		keys.iter()
			.map(|key| {
				sp_trie::read_trie_value::<sp_trie::LayoutV1<sp_runtime::traits::BlakeTwo256>, _>(
					&db, &root, key, None, None,
				)
				.map_err(|_| ChildProofError::BadProof)
			})
			.collect()
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const RELAYER: AccountId = 3;
pub const OTHER_RELAYER: AccountId = 4;
/// An account with nothing, on either chain.
pub const NOBODY: AccountId = 99;

/// A chain of the test: its state and its genesis hash.
pub struct Chain {
	pub ext: sp_io::TestExternalities,
	pub genesis: H256,
}

impl Chain {
	/// A chain whose genesis hash is `genesis`, with funded accounts and an endowed escrow.
	pub fn new(genesis: H256) -> Self {
		let mut storage = frame_system::GenesisConfig::<Test>::default()
			.build_storage()
			.unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: vec![
				(ALICE, 1_000),
				(BOB, 1_000),
				(RELAYER, 1_000),
				(OTHER_RELAYER, 1_000),
			],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_message_lanes::GenesisConfig::<Test>::default()
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			frame_system::BlockHash::<Test>::insert(0, genesis);
			System::set_block_number(1);
		});
		Self { ext, genesis }
	}

	/// Runs `f` on this chain, then checks the pallet's invariants.
	pub fn run<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(|| {
			let result = f();
			MessageLanes::do_try_state().expect("invariants hold");
			result
		})
	}

	/// Commits this chain's state and proves `keys` in it: (state root, proof nodes).
	pub fn prove(&mut self, keys: &[Vec<u8>]) -> (H256, Vec<Vec<u8>>) {
		self.ext.commit_all().unwrap();
		let root = *self.ext.backend.root();
		let ((), proof) = self.ext.execute_and_prove(|| {
			for key in keys {
				sp_io::storage::get(key);
			}
		});
		(root, proof.into_iter_nodes().collect())
	}
}
