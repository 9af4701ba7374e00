//! Benchmarks of every call: the plain anchors with the longest metadata and a subject (a trace
//! entry written), device-signed anchors and two-party scans once per key type.

use super::*;
use crate::Pallet as DataAnchoring;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, UnfilteredDispatchable};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;
use viot_primitives::{
	anchor::kind,
	benchmarking::{BenchKey, KeyKind},
};

/// The digest every benchmark anchors.
const DIGEST: H256 = H256::repeat_byte(1);

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn full_metadata<T: Config>(length: u32) -> AnchorMetadata<T> {
	vec![0u8; length as usize].try_into().unwrap()
}

/// A subject whose trace already has entries, so the counter is read and updated.
fn busy_subject<T: Config>(owner: &T::AccountId) -> SubjectId {
	let subject = [7u8; 32];
	DataAnchoring::<T>::anchor(
		RawOrigin::Signed(owner.clone()).into(),
		H256::repeat_byte(0xee),
		Some(subject),
		0,
		Default::default(),
	)
	.unwrap();
	subject
}

/// A registered device with a key of `kind`.
fn device<T: Config>(kind: KeyKind, seed: u8) -> (DeviceId, BenchKey) {
	let key = BenchKey::new(kind, seed);
	let id = [seed; 32];
	T::BenchmarkHelper::register_device(id, key.public.clone());
	(id, key)
}

fn sign<T: Config>(key: &BenchKey, device: DeviceId, action: DeviceAction) -> DeviceSignature {
	key.sign(&T::Devices::payload(&device, action).unwrap().to_bytes())
}

/// An `anchor_from_device` by a device with a key of `kind`, submitted by a gateway, without a
/// subject: a subject's trace is priced by the `anchor` benchmark's subject component
/// (`Pallet::trace_weight`).
fn device_anchor<T: Config>(key_kind: KeyKind) -> (T::RuntimeOrigin, Call<T>) {
	let gateway = funded::<T>("gateway");
	let subject = None;
	let (device, key) = device::<T>(key_kind, 1);
	let (digest, kind) = (DIGEST, kind::SHIPPED);
	let signature = sign::<T>(
		&key,
		device,
		DeviceAction::Anchor {
			digest,
			subject,
			kind,
		},
	);
	let call = Call::<T>::anchor_from_device {
		device,
		digest,
		subject,
		kind,
		signature,
	};
	(RawOrigin::Signed(gateway).into(), call)
}

/// An `anchor_scan` by a tag and a reader with keys of `kind`, submitted by a gateway, without a
/// subject (as `device_anchor`).
fn scan<T: Config>(key_kind: KeyKind) -> (T::RuntimeOrigin, Call<T>) {
	let gateway = funded::<T>("gateway");
	let subject = None;
	let (tag, tag_key) = device::<T>(key_kind, 1);
	let (reader, reader_key) = device::<T>(key_kind, 2);
	let (digest, kind) = (DIGEST, kind::SCANNED);
	let action = DeviceAction::Scan {
		tag,
		reader,
		digest,
		subject,
		kind,
	};
	let call = Call::<T>::anchor_scan {
		tag_device: tag,
		reader_device: reader,
		digest,
		subject,
		kind,
		tag_signature: sign::<T>(&tag_key, tag, action.clone()),
		reader_signature: sign::<T>(&reader_key, reader, action),
	};
	(RawOrigin::Signed(gateway).into(), call)
}

/// Dispatches a prepared call (inside the measured block).
fn measure<T: Config>(origin: T::RuntimeOrigin, call: Call<T>) -> Result<(), BenchmarkError> {
	call.dispatch_bypass_filter(origin)?;
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn anchor(m: Linear<0, { T::MaxMetadataLength::get() }>, s: Linear<0, 1>) {
		let owner = funded::<T>("owner");
		// With a subject (s = 1) the anchor also extends the subject's trace.
		let subject = (s == 1).then(|| busy_subject::<T>(&owner));
		let digest = H256::repeat_byte(1);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			digest,
			subject,
			1,
			full_metadata::<T>(m),
		);
		assert!(Anchors::<T>::iter_prefix(digest).next().is_some());
	}

	#[benchmark]
	fn anchor_batch(m: Linear<0, { T::MaxMetadataLength::get() }>, s: Linear<0, 1>) {
		let owner = funded::<T>("owner");
		// With a subject (s = 1) the anchor also extends the subject's trace.
		let subject = (s == 1).then(|| busy_subject::<T>(&owner));
		let root = H256::repeat_byte(1);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			root,
			u32::MAX,
			subject,
			1,
			full_metadata::<T>(m),
		);
		assert!(Anchors::<T>::iter_prefix(root).next().is_some());
	}

	#[benchmark]
	fn anchor_from_device_sr25519() -> Result<(), BenchmarkError> {
		let (origin, call) = device_anchor::<T>(KeyKind::Sr25519);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn anchor_from_device_ed25519() -> Result<(), BenchmarkError> {
		let (origin, call) = device_anchor::<T>(KeyKind::Ed25519);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn anchor_from_device_ecdsa() -> Result<(), BenchmarkError> {
		let (origin, call) = device_anchor::<T>(KeyKind::Ecdsa);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn anchor_from_device_p256() -> Result<(), BenchmarkError> {
		let (origin, call) = device_anchor::<T>(KeyKind::P256);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn anchor_scan_sr25519() -> Result<(), BenchmarkError> {
		let (origin, call) = scan::<T>(KeyKind::Sr25519);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn anchor_scan_ed25519() -> Result<(), BenchmarkError> {
		let (origin, call) = scan::<T>(KeyKind::Ed25519);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn anchor_scan_ecdsa() -> Result<(), BenchmarkError> {
		let (origin, call) = scan::<T>(KeyKind::Ecdsa);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn anchor_scan_p256() -> Result<(), BenchmarkError> {
		let (origin, call) = scan::<T>(KeyKind::P256);
		#[block]
		{
			measure::<T>(origin, call)?;
		}
		assert!(Anchors::<T>::iter_prefix(DIGEST).next().is_some());
		Ok(())
	}

	#[benchmark]
	fn release_anchor() {
		let owner = funded::<T>("owner");
		let subject = busy_subject::<T>(&owner);
		let digest = H256::repeat_byte(1);
		DataAnchoring::<T>::anchor(
			RawOrigin::Signed(owner.clone()).into(),
			digest,
			Some(subject),
			1,
			full_metadata::<T>(T::MaxMetadataLength::get()),
		)
		.unwrap();
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::MinimumRetention::get()));
		let attester = Attester::Account(owner.clone());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), digest, attester);
		assert!(Anchors::<T>::iter_prefix(digest).next().is_none());
	}

	impl_benchmark_test_suite!(
		DataAnchoring,
		crate::mock::new_bench_ext(),
		crate::mock::Test
	);
}
