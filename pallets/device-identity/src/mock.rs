//! A test runtime with System, Balances and DeviceIdentity, plus device keys of every type.

use crate as pallet_device_identity;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;
use viot_primitives::{
	device::{DeviceAction, DeviceId, DevicePayload, DevicePublicKey, DeviceSignature, KeyKind},
	keys::DeviceKeyPair,
};

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
	pub type DeviceIdentity = pallet_device_identity;
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

parameter_types! {
	pub const DepositBase: Balance = 100;
	pub const DepositPerByte: Balance = 1;
}

impl pallet_device_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = EnsureRoot<AccountId>;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxNameLength = ConstU32<32>;
	type MaxMetadataLength = ConstU32<64>;
	type MaxAttributes = ConstU32<3>;
	type MaxAttributeKeyLength = ConstU32<16>;
	type MaxAttributeValueLength = ConstU32<32>;
	type MaxDevicesPerClaim = ConstU32<8>;
	type WeightInfo = ();
}

/// A manufacturer.
pub const MAKER: AccountId = 1;
/// A second manufacturer.
pub const OTHER_MAKER: AccountId = 2;
/// A device owner.
pub const OWNER: AccountId = 10;
/// Another account.
pub const BUYER: AccountId = 11;
/// A gateway that submits device signatures and pays fees.
pub const GATEWAY: AccountId = 12;
/// An account with no role.
pub const STRANGER: AccountId = 13;
/// Every test account starts with this much.
pub const INITIAL: Balance = 10_000;
/// The genesis hash the test chain reports.
pub const GENESIS: H256 = H256::repeat_byte(0x42);

/// A device key pair of any supported type, with shorthands for tests.
pub struct DeviceKey(DeviceKeyPair);

impl DeviceKey {
	/// A deterministic key of `kind` from `seed`.
	fn of(kind: KeyKind, seed: u8) -> Self {
		Self(DeviceKeyPair::from_seed(kind, &[seed; 32]).expect("small seeds are valid scalars"))
	}
	pub fn sr25519(seed: u8) -> Self {
		Self::of(KeyKind::Sr25519, seed)
	}
	pub fn ed25519(seed: u8) -> Self {
		Self::of(KeyKind::Ed25519, seed)
	}
	pub fn ecdsa(seed: u8) -> Self {
		Self::of(KeyKind::Ecdsa, seed)
	}
	pub fn p256(seed: u8) -> Self {
		Self::of(KeyKind::P256, seed)
	}

	/// All four key types.
	pub fn all(seed: u8) -> [Self; 4] {
		[
			Self::sr25519(seed),
			Self::ed25519(seed),
			Self::ecdsa(seed),
			Self::p256(seed),
		]
	}

	pub fn public(&self) -> DevicePublicKey {
		self.0.public()
	}

	pub fn sign(&self, message: &[u8]) -> DeviceSignature {
		self.0.sign(message)
	}

	/// Signs `action` for `device` at `nonce` on the test chain.
	pub fn sign_action(
		&self,
		device: DeviceId,
		nonce: u64,
		action: DeviceAction,
	) -> DeviceSignature {
		self.sign(&DevicePayload::new(GENESIS, device, nonce, action).to_bytes())
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [MAKER, OTHER_MAKER, OWNER, BUYER, GATEWAY, STRANGER]
			.into_iter()
			.map(|who| (who, INITIAL))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
		System::set_block_number(1);
	});
	ext
}

/// The test externalities with a keystore, for benchmarks that sign with host-backed keys.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
	let mut ext = new_test_ext();
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext
}
