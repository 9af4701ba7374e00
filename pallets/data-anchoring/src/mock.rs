//! A test runtime with System, Balances, Timestamp and DataAnchoring, and a mock device
//! registry behind `VerifyDevice` that checks real signatures of every key type.

use crate as pallet_data_anchoring;
use frame_support::{derive_impl, parameter_types, storage::unhashed, traits::ConstU32};
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use viot_primitives::{
	device::{
		DeviceAction, DeviceId, DevicePayload, DevicePublicKey, DeviceSignature, KeyKind,
		VerifyDevice,
	},
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
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(3)]
	pub type DataAnchoring = pallet_data_anchoring;
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

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub const DepositBase: Balance = 100;
	pub const DepositPerByte: Balance = 1;
}

/// Blocks an anchor must stay before it can be released.
pub const RETENTION: u64 = 10;

impl pallet_data_anchoring::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Devices = MockDevices;
	type TimeProvider = Timestamp;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxMetadataLength = ConstU32<64>;
	type MinimumRetention = frame_support::traits::ConstU64<RETENTION>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockDevices;
}

/// A submitter of anchors.
pub const ALICE: AccountId = 1;
/// Another submitter.
pub const BOB: AccountId = 2;
/// A gateway that submits device signatures.
pub const GATEWAY: AccountId = 3;
/// An account with too little to pay a deposit.
pub const POOR: AccountId = 4;
/// Every funded account starts with this much.
pub const INITIAL: Balance = 1_000_000;
/// The genesis hash the mock devices sign for.
pub const GENESIS: H256 = H256::repeat_byte(0x42);
/// The timestamp of block 1, in milliseconds.
pub const NOW: u64 = 1_700_000_000_000;

/// A registered mock device.
#[derive(codec::Encode, codec::Decode)]
struct MockDevice {
	key: DevicePublicKey,
	nonce: u64,
	active: bool,
}

/// A device registry with the semantics of the device-identity pallet: active device, its key,
/// this chain's genesis hash and its current nonce, which each accepted signature advances.
/// Kept in the test's storage, so a failed call rolls it back as it would in a runtime.
pub struct MockDevices;

impl MockDevices {
	fn key(device: &DeviceId) -> Vec<u8> {
		[b"mock-device:".as_slice(), device].concat()
	}

	fn get(device: &DeviceId) -> Option<MockDevice> {
		unhashed::get(&Self::key(device))
	}

	fn put(device: &DeviceId, record: &MockDevice) {
		unhashed::put(&Self::key(device), record)
	}

	/// Registers an active device.
	pub fn register(device: DeviceId, key: DevicePublicKey) {
		Self::put(
			&device,
			&MockDevice {
				key,
				nonce: 0,
				active: true,
			},
		);
	}

	/// Suspends a device.
	pub fn suspend(device: DeviceId) {
		let mut record = Self::get(&device).unwrap();
		record.active = false;
		Self::put(&device, &record);
	}

	/// The device's next nonce.
	pub fn nonce(device: DeviceId) -> u64 {
		Self::get(&device).unwrap().nonce
	}
}

impl VerifyDevice for MockDevices {
	fn verify_and_consume(
		device: &DeviceId,
		action: DeviceAction,
		signature: &DeviceSignature,
	) -> DispatchResult {
		let mut record = Self::get(device).ok_or(DispatchError::Other("UnknownDevice"))?;
		if !record.active {
			return Err(DispatchError::Other("DeviceNotActive"));
		}
		let payload = DevicePayload::new(GENESIS, *device, record.nonce, action);
		if !record.key.verify(&payload.to_bytes(), signature) {
			return Err(DispatchError::Other("BadSignature"));
		}
		record.nonce += 1;
		Self::put(device, &record);
		Ok(())
	}

	fn is_active(device: &DeviceId) -> bool {
		Self::get(device).is_some_and(|r| r.active)
	}

	fn payload(device: &DeviceId, action: DeviceAction) -> Option<DevicePayload> {
		Self::get(device).map(|r| DevicePayload::new(GENESIS, *device, r.nonce, action))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for MockDevices {
	fn register_device(device: DeviceId, key: DevicePublicKey) {
		Self::register(device, key);
	}
}

/// A device key of `kind` from a one-byte seed.
pub fn device_key(kind: KeyKind, seed: u8) -> DeviceKeyPair {
	DeviceKeyPair::from_seed(kind, &[seed; 32]).expect("small seeds are valid scalars")
}

/// Registers a device with a fresh key of `kind`; returns its id and key pair.
pub fn new_device(kind: KeyKind, seed: u8) -> (DeviceId, DeviceKeyPair) {
	let key = device_key(kind, seed);
	let id = [seed; 32];
	MockDevices::register(id, key.public());
	(id, key)
}

/// `key`'s signature over `action` for `device` at its current nonce.
pub fn sign(key: &DeviceKeyPair, device: DeviceId, action: DeviceAction) -> DeviceSignature {
	key.sign_payload(&MockDevices::payload(&device, action).expect("device is registered"))
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [
			(ALICE, INITIAL),
			(BOB, INITIAL),
			(GATEWAY, INITIAL),
			(POOR, 150),
		]
		.to_vec(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW);
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
