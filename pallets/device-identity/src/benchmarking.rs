//! Benchmarks of every call; `authenticate` once per key type, `rotate_key` with the costliest
//! signatures (the new key's proof and the current key's consent both P-256, verified in WASM).
//! Issuer paths, which also read the manufacturer record, are the worst cases measured.

use super::*;
use crate::Pallet as DeviceIdentity;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;
use viot_primitives::benchmarking::{BenchKey, KeyKind};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn manufacturer<T: Config>() -> T::AccountId {
	let maker = funded::<T>("maker", 0);
	Manufacturers::<T>::insert(
		&maker,
		Manufacturer {
			name: BoundedVec::default(),
			since: Zero::zero(),
		},
	);
	maker
}

/// Registers a device with `key` by a fresh manufacturer; returns (device, maker, owner).
fn registered<T: Config>(key: &BenchKey) -> (DeviceId, T::AccountId, T::AccountId) {
	let maker = manufacturer::<T>();
	let owner = funded::<T>("owner", 0);
	let device = [1u8; 32];
	let metadata = vec![0u8; T::MaxMetadataLength::get() as usize]
		.try_into()
		.unwrap();
	DeviceIdentity::<T>::register_device(
		RawOrigin::Signed(maker.clone()).into(),
		device,
		key.public.clone(),
		owner.clone(),
		metadata,
	)
	.unwrap();
	(device, maker, owner)
}

fn full_attribute<T: Config>(index: u32) -> (AttributeKey<T>, AttributeValue<T>) {
	let mut key = vec![b'k'; T::MaxAttributeKeyLength::get() as usize];
	let digits = index.to_le_bytes();
	let len = key.len().min(digits.len());
	key[..len].copy_from_slice(&digits[..len]);
	(
		key.try_into().unwrap(),
		vec![0u8; T::MaxAttributeValueLength::get() as usize]
			.try_into()
			.unwrap(),
	)
}

fn authenticate_with<T: Config>(kind: KeyKind) -> (DeviceId, DeviceSignature, T::AccountId) {
	let key = BenchKey::new(kind, 7);
	let (device, _, _) = registered::<T>(&key);
	let signature = key.sign(&DeviceIdentity::<T>::challenge(device).unwrap().to_bytes());
	(device, signature, funded::<T>("gateway", 0))
}

/// A batch of `2^depth` devices (`u32::MAX` for depth 32) provisioned by a fresh manufacturer
/// and the claim of its first device, whose proof has `depth` siblings: returns the batch, the
/// leaf's parts and the proof.
fn provisioned<T: Config>(
	depth: u32,
	metadata: DeviceMetadata<T>,
) -> (
	BatchId,
	DeviceId,
	DevicePublicKey,
	DeviceMetadata<T>,
	BatchProof,
) {
	let maker = manufacturer::<T>();
	let key = BenchKey::new(KeyKind::P256, 5).public;
	let device = [2u8; 32];
	let siblings: alloc::vec::Vec<H256> =
		(0..depth).map(|i| H256::repeat_byte(i as u8 + 1)).collect();
	// Leaf 0 is a left child at every level, so the root folds its siblings in from the right.
	let mut root: H256 = sp_io::hashing::blake2_256(
		BatchLeaf::new(device, key.clone(), &metadata)
			.hash()
			.as_bytes(),
	)
	.into();
	for sibling in &siblings {
		let mut both = [0u8; 64];
		both[..32].copy_from_slice(root.as_bytes());
		both[32..].copy_from_slice(sibling.as_bytes());
		root = sp_io::hashing::blake2_256(&both).into();
	}
	let size = if depth >= 32 { u32::MAX } else { 1u32 << depth };
	let owner: T::AccountId = account("owner", 0, 0);
	DeviceIdentity::<T>::provision_batch(RawOrigin::Signed(maker).into(), root, size, owner)
		.unwrap();
	let batch = NextBatchId::<T>::get() - 1;
	(batch, device, key, metadata, siblings.try_into().unwrap())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_manufacturer() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let maker: T::AccountId = account("maker", 0, 0);
		let name = vec![b'n'; T::MaxNameLength::get() as usize]
			.try_into()
			.unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, maker.clone(), name);
		assert!(Manufacturers::<T>::contains_key(&maker));
		Ok(())
	}

	#[benchmark]
	fn remove_manufacturer() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let maker = manufacturer::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, maker.clone());
		assert!(!Manufacturers::<T>::contains_key(&maker));
		Ok(())
	}

	#[benchmark]
	fn register_device(m: Linear<0, { T::MaxMetadataLength::get() }>) {
		let maker = manufacturer::<T>();
		let owner: T::AccountId = account("owner", 0, 0);
		let key = BenchKey::new(KeyKind::P256, 3);
		let metadata: DeviceMetadata<T> = vec![0u8; m as usize].try_into().unwrap();
		let device = [1u8; 32];
		// Worst case: the id was removed before, so its tombstone is read and released.
		DeviceIdentity::<T>::register_device(
			RawOrigin::Signed(maker.clone()).into(),
			device,
			key.public.clone(),
			owner.clone(),
			metadata.clone(),
		)
		.unwrap();
		DeviceIdentity::<T>::remove_device(RawOrigin::Signed(maker.clone()).into(), device)
			.unwrap();
		assert!(Tombstones::<T>::contains_key(device));
		#[extrinsic_call]
		_(
			RawOrigin::Signed(maker),
			device,
			key.public,
			owner,
			metadata,
		);
		assert!(Devices::<T>::contains_key(device));
	}

	#[benchmark]
	fn transfer_device() {
		let (device, _, owner) = registered::<T>(&BenchKey::new(KeyKind::Sr25519, 1));
		let buyer: T::AccountId = account("buyer", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), device, buyer.clone());
		assert_eq!(Devices::<T>::get(device).unwrap().owner, buyer);
	}

	#[benchmark]
	fn rotate_key() {
		let current = BenchKey::new(KeyKind::P256, 1);
		let (device, _, owner) = registered::<T>(&current);
		let new = BenchKey::new(KeyKind::P256, 9);
		let action = DeviceAction::RotateKey {
			new_key: new.public.clone(),
		};
		let payload = DeviceIdentity::<T>::payload(device, 0, action).to_bytes();
		let (proof, consent) = (new.sign(&payload), current.sign(&payload));
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			device,
			new.public.clone(),
			proof,
			consent,
		);
		assert_eq!(Devices::<T>::get(device).unwrap().key, new.public);
	}

	#[benchmark]
	fn set_attribute() {
		let (device, maker, _) = registered::<T>(&BenchKey::new(KeyKind::Sr25519, 1));
		let (key, value) = full_attribute::<T>(0);
		// Worst case: overwriting an attribute, which releases and holds a deposit.
		DeviceIdentity::<T>::set_attribute(
			RawOrigin::Signed(maker.clone()).into(),
			device,
			key.clone(),
			value.clone(),
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(maker), device, key.clone(), value);
		assert!(Attributes::<T>::contains_key(device, key));
	}

	#[benchmark]
	fn clear_attribute() {
		let (device, maker, _) = registered::<T>(&BenchKey::new(KeyKind::Sr25519, 1));
		let (key, value) = full_attribute::<T>(0);
		DeviceIdentity::<T>::set_attribute(
			RawOrigin::Signed(maker.clone()).into(),
			device,
			key.clone(),
			value,
		)
		.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(maker), device, key.clone());
		assert!(!Attributes::<T>::contains_key(device, key));
	}

	#[benchmark]
	fn suspend_device() {
		let (device, maker, _) = registered::<T>(&BenchKey::new(KeyKind::Sr25519, 1));
		#[extrinsic_call]
		_(RawOrigin::Signed(maker), device);
		assert_eq!(
			Devices::<T>::get(device).unwrap().status,
			DeviceStatus::SuspendedByIssuer
		);
	}

	#[benchmark]
	fn resume_device() {
		let (device, maker, _) = registered::<T>(&BenchKey::new(KeyKind::Sr25519, 1));
		DeviceIdentity::<T>::suspend_device(RawOrigin::Signed(maker.clone()).into(), device)
			.unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(maker), device);
		assert_eq!(
			Devices::<T>::get(device).unwrap().status,
			DeviceStatus::Active
		);
	}

	#[benchmark]
	fn revoke_device() {
		let (device, maker, _) = registered::<T>(&BenchKey::new(KeyKind::Sr25519, 1));
		#[extrinsic_call]
		_(RawOrigin::Signed(maker), device);
		assert_eq!(
			Devices::<T>::get(device).unwrap().status,
			DeviceStatus::Revoked
		);
	}

	#[benchmark]
	fn remove_device(a: Linear<0, { T::MaxAttributes::get() }>) {
		let (device, maker, owner) = registered::<T>(&BenchKey::new(KeyKind::Sr25519, 1));
		for index in 0..a {
			let (key, value) = full_attribute::<T>(index);
			DeviceIdentity::<T>::set_attribute(
				RawOrigin::Signed(maker.clone()).into(),
				device,
				key,
				value,
			)
			.unwrap();
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), device);
		assert!(!Devices::<T>::contains_key(device));
		assert!(Tombstones::<T>::contains_key(device));
	}

	#[benchmark]
	fn authenticate_sr25519() {
		let (device, signature, gateway) = authenticate_with::<T>(KeyKind::Sr25519);
		#[extrinsic_call]
		authenticate(RawOrigin::Signed(gateway), device, signature);
		assert_eq!(Devices::<T>::get(device).unwrap().nonce, 1);
	}

	#[benchmark]
	fn authenticate_ed25519() {
		let (device, signature, gateway) = authenticate_with::<T>(KeyKind::Ed25519);
		#[extrinsic_call]
		authenticate(RawOrigin::Signed(gateway), device, signature);
		assert_eq!(Devices::<T>::get(device).unwrap().nonce, 1);
	}

	#[benchmark]
	fn authenticate_ecdsa() {
		let (device, signature, gateway) = authenticate_with::<T>(KeyKind::Ecdsa);
		#[extrinsic_call]
		authenticate(RawOrigin::Signed(gateway), device, signature);
		assert_eq!(Devices::<T>::get(device).unwrap().nonce, 1);
	}

	#[benchmark]
	fn authenticate_p256() {
		let (device, signature, gateway) = authenticate_with::<T>(KeyKind::P256);
		#[extrinsic_call]
		authenticate(RawOrigin::Signed(gateway), device, signature);
		assert_eq!(Devices::<T>::get(device).unwrap().nonce, 1);
	}

	#[benchmark]
	fn provision_batch() {
		let maker = manufacturer::<T>();
		let owner: T::AccountId = account("owner", 0, 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(maker),
			H256::repeat_byte(7),
			u32::MAX,
			owner,
		);
		assert!(Batches::<T>::contains_key(0));
	}

	/// A P-256 key and a proof of `p` siblings; the call's weight adds the key's check
	/// (`check_key_*`).
	#[benchmark]
	fn claim_device(p: Linear<0, MAX_BATCH_PROOF>, m: Linear<0, { T::MaxMetadataLength::get() }>) {
		let metadata: DeviceMetadata<T> = vec![0u8; m as usize].try_into().unwrap();
		let (batch, device, key, metadata, proof) = provisioned::<T>(p, metadata);
		let submitter = funded::<T>("gateway", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(submitter),
			batch,
			device,
			key,
			metadata,
			0,
			proof,
		);
		assert!(Devices::<T>::contains_key(device));
	}

	/// `n` adjacent devices with sr25519 keys and the longest metadata, in a batch of
	/// `u32::MAX` devices at a position where the range proof is about as long as it gets (a
	/// left sibling on every level); the call's weight adds each key's check (`check_key_*`).
	#[benchmark]
	fn claim_devices(n: Linear<1, { T::MaxDevicesPerClaim::get() }>) {
		let metadata: DeviceMetadata<T> = vec![0u8; T::MaxMetadataLength::get() as usize]
			.try_into()
			.unwrap();
		let devices: alloc::vec::Vec<BatchDevice<T>> = (0..n)
			.map(|i| {
				let mut device = [3u8; 32];
				device[..4].copy_from_slice(&i.to_le_bytes());
				BatchDevice {
					device,
					key: BenchKey::new(KeyKind::Sr25519, 0).public,
					metadata: metadata.clone(),
				}
			})
			.collect();
		let leaves: alloc::vec::Vec<H256> = devices
			.iter()
			.map(|leaf| BatchLeaf::new(leaf.device, leaf.key.clone(), &leaf.metadata).hash())
			.collect();
		let first = (1u32 << 30) - 1;
		let siblings: alloc::vec::Vec<H256> = (0..viot_primitives::anchor::MAX_RANGE_PROOF)
			.map(|i| H256::repeat_byte(i as u8 + 1))
			.collect();
		let (root, used) =
			viot_primitives::anchor::merkle_range_root(u32::MAX, first, &leaves, &siblings)
				.unwrap();
		assert!(used >= 31, "a left sibling on every level");
		DeviceIdentity::<T>::provision_batch(
			RawOrigin::Signed(manufacturer::<T>()).into(),
			root,
			u32::MAX,
			account("owner", 0, 0),
		)
		.unwrap();
		let batch = NextBatchId::<T>::get() - 1;
		let last = devices[n as usize - 1].device;
		let submitter = funded::<T>("gateway", 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(submitter),
			batch,
			first,
			devices.try_into().unwrap(),
			siblings[..used].to_vec().try_into().unwrap(),
		);
		assert!(Devices::<T>::contains_key(last));
	}

	#[benchmark]
	fn close_batch() {
		let (batch, ..) = provisioned::<T>(0, Default::default());
		let maker = Batches::<T>::get(batch).unwrap().issuer;
		#[extrinsic_call]
		_(RawOrigin::Signed(maker), batch);
		assert!(!Batches::<T>::contains_key(batch));
	}

	#[benchmark]
	fn check_key_sr25519() {
		let key = BenchKey::new(KeyKind::Sr25519, 4).public;
		#[block]
		{
			assert!(key.is_valid());
		}
	}

	#[benchmark]
	fn check_key_ed25519() {
		let key = BenchKey::new(KeyKind::Ed25519, 4).public;
		#[block]
		{
			assert!(key.is_valid());
		}
	}

	#[benchmark]
	fn check_key_ecdsa() {
		let key = BenchKey::new(KeyKind::Ecdsa, 4).public;
		#[block]
		{
			assert!(key.is_valid());
		}
	}

	#[benchmark]
	fn check_key_p256() {
		let key = BenchKey::new(KeyKind::P256, 4).public;
		#[block]
		{
			assert!(key.is_valid());
		}
	}

	impl_benchmark_test_suite!(
		DeviceIdentity,
		crate::mock::new_bench_ext(),
		crate::mock::Test
	);
}
