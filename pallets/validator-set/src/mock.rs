//! A test runtime with System, Balances and ValidatorSet; session keys are a set of accounts
//! the tests fill.

use crate as pallet_validator_set;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

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
	pub type ValidatorSet = pallet_validator_set;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

std::thread_local! {
	/// Accounts with session keys.
	pub static KEYS: core::cell::RefCell<std::collections::BTreeSet<AccountId>> =
		core::cell::RefCell::new([1, 2, 3].into_iter().collect());
	/// Accounts in the session's active or queued set.
	pub static ACTIVE: core::cell::RefCell<std::collections::BTreeSet<AccountId>> =
		core::cell::RefCell::new([1, 2, 3].into_iter().collect());
}

/// The session pallet as the tests drive it.
pub struct MockSession;

impl pallet_validator_set::ValidatorSession<AccountId> for MockSession {
	fn has_keys(who: &AccountId) -> bool {
		KEYS.with(|keys| keys.borrow().contains(who))
	}

	fn is_active(who: &AccountId) -> bool {
		ACTIVE.with(|active| active.borrow().contains(who))
	}

	fn purge_keys(who: &AccountId) -> frame_support::dispatch::DispatchResult {
		KEYS.with(|keys| keys.borrow_mut().remove(who))
			.then_some(())
			.ok_or(sp_runtime::DispatchError::Other("no keys"))
	}
}

/// Sets the session's active (and queued) set, as a session change would.
pub fn set_active(set: &[AccountId]) {
	ACTIVE.with(|active| *active.borrow_mut() = set.iter().copied().collect());
}

/// Gives `who` session keys.
pub fn set_keys(who: AccountId) {
	KEYS.with(|keys| keys.borrow_mut().insert(who));
}

/// Takes `who`'s session keys away.
pub fn purge_keys(who: AccountId) {
	KEYS.with(|keys| keys.borrow_mut().remove(&who));
}

parameter_types! {
	pub const ValidatorBond: Balance = 1_000;
}

impl pallet_validator_set::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<AccountId>;
	type Session = MockSession;
	type ValidatorBond = ValidatorBond;
	type MaxValidators = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockSession;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for MockSession {
	fn set_session_keys(who: &AccountId) {
		set_keys(*who);
	}

	fn fill_session(count: u32) {
		let others: Vec<AccountId> = (1_000..1_000 + count as AccountId).collect();
		set_active(&others);
	}
}

/// Genesis validators.
pub const GENESIS: [AccountId; 3] = [1, 2, 3];
/// A funded account that is not a validator.
pub const CANDIDATE: AccountId = 4;
/// An account that cannot pay the bond.
pub const POOR: AccountId = 9;

/// Sessions a removed validator's bond stays held after it left the set.
pub const UNBONDING: u32 = 3;

/// Validators 1, 2, 3 (minimum 2, sessions of 5 blocks, 3 unbonding sessions); accounts 1 to 8 hold 10,000, 9 holds
/// 500.
pub fn new_test_ext() -> sp_io::TestExternalities {
	KEYS.with(|keys| *keys.borrow_mut() = GENESIS.into_iter().collect());
	set_active(&GENESIS);
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=8)
			.map(|who| (who, 10_000))
			.chain([(POOR, 500)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_validator_set::GenesisConfig::<Test> {
		validators: GENESIS.to_vec(),
		minimum_validators: 2,
		session_length: 5,
		unbonding_sessions: UNBONDING,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
