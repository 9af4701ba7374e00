//! Storage migrations of the data-anchoring pallet.

/// Version 1 → 2: anchors keyed by digest alone become anchors keyed by digest and attester,
/// and trace entries name the attester of the anchor they point at.
pub mod v2 {
	use crate::{Anchor, AttesterOf, Config, Pallet};
	use alloc::{collections::BTreeMap, vec::Vec};
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		storage_alias,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};
	use sp_core::H256;
	use viot_primitives::anchor::{Attester, SubjectId};

	/// Version 1's storage, read by the migration only.
	// `storage_alias` generates undocumented prefix types.
	#[allow(missing_docs)]
	pub mod v1 {
		use super::*;

		/// Anchors keyed by digest: the first anchor of a digest won.
		#[storage_alias]
		pub type Anchors<T: Config> =
			StorageMap<Pallet<T>, Blake2_128Concat, H256, Anchor<T>, OptionQuery>;

		/// Trace entries holding the digest alone.
		#[storage_alias]
		pub type Traces<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Blake2_128Concat,
			SubjectId,
			Twox64Concat,
			u32,
			H256,
			OptionQuery,
		>;
	}

	/// DataAnchoring 1 → 2, run once: every anchor moves to its attester's key (the account
	/// that submitted it, or the device or the tag and reader that signed it) with its record,
	/// deposit, block and time unchanged, and every trace entry gains that attester.
	///
	/// One block does all of it: its weight grows with the number of anchors and trace entries
	/// (two reads and two writes per anchor, a read and a write per trace entry), which fits a
	/// block for the chains that hold version 1 today; a chain with millions of anchors would
	/// run it as a multi-block migration instead.
	pub type MigrateToV2<T> = VersionedMigration<
		1,
		2,
		KeyAnchorsByAttester<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The unversioned step of [`MigrateToV2`].
	pub struct KeyAnchorsByAttester<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for KeyAnchorsByAttester<T> {
		fn on_runtime_upgrade() -> Weight {
			let old: Vec<(H256, Anchor<T>)> = v1::Anchors::<T>::drain().collect();
			let anchors = old.len() as u64;
			let mut attesters: BTreeMap<H256, AttesterOf<T>> = BTreeMap::new();
			for (digest, record) in old {
				let attester = Attester::of(record.owner.clone(), &record.source);
				attesters.insert(digest, attester.clone());
				crate::Anchors::<T>::insert(digest, attester, record);
			}
			let mut entries = 0u64;
			crate::Traces::<T>::translate::<H256, _>(|_subject, _index, digest| {
				entries += 1;
				attesters
					.get(&digest)
					.map(|attester| (digest, attester.clone()))
			});
			T::DbWeight::get().reads_writes(
				anchors.saturating_add(entries),
				anchors.saturating_mul(2).saturating_add(entries),
			)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			let anchors: Vec<(H256, Anchor<T>)> = v1::Anchors::<T>::iter().collect();
			let traces: Vec<(SubjectId, u32, H256)> = v1::Traces::<T>::iter().collect();
			Ok((anchors, traces).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			use frame_support::ensure;
			type Snapshot<T> = (Vec<(H256, Anchor<T>)>, Vec<(SubjectId, u32, H256)>);
			let (anchors, traces): Snapshot<T> = Decode::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade snapshot does not decode")?;
			ensure!(
				crate::Anchors::<T>::iter().count() == anchors.len(),
				"the number of anchors changed"
			);
			let mut attesters = BTreeMap::new();
			for (digest, record) in anchors {
				let attester = Attester::of(record.owner.clone(), &record.source);
				ensure!(
					crate::Anchors::<T>::get(digest, &attester) == Some(record),
					"an anchor was not carried over exactly"
				);
				attesters.insert(digest, attester);
			}
			ensure!(
				crate::Traces::<T>::iter().count() == traces.len(),
				"the number of trace entries changed"
			);
			for (subject, index, digest) in traces {
				let attester = attesters
					.get(&digest)
					.cloned()
					.ok_or("a trace entry pointed at no anchor")?;
				ensure!(
					crate::Traces::<T>::get(subject, index) == Some((digest, attester)),
					"a trace entry was not carried over exactly"
				);
			}
			Ok(())
		}
	}
}

#[cfg(test)]
mod tests {
	use super::v2::{v1, MigrateToV2};
	use crate::{mock::*, Anchor, Anchors, Traces};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use sp_core::H256;
	use viot_primitives::anchor::{AnchorSource, Attester};

	fn old_anchor(
		owner: AccountId,
		source: AnchorSource,
		trace_index: Option<u32>,
	) -> Anchor<Test> {
		Anchor {
			owner,
			block: 7,
			timestamp: 1_000,
			source,
			subject: trace_index.map(|_| [9; 32]),
			kind: 3,
			leaf_count: None,
			metadata: Default::default(),
			deposit: 0,
			trace_index,
		}
	}

	#[test]
	fn every_anchor_and_trace_entry_moves_to_its_attester_once() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(1).put::<DataAnchoring>();
			let by_account = old_anchor(ALICE, AnchorSource::Account, Some(0));
			let by_device = old_anchor(BOB, AnchorSource::Device([5; 32]), Some(1));
			let by_scan = old_anchor(
				BOB,
				AnchorSource::Scan {
					tag: [5; 32],
					reader: [6; 32],
				},
				None,
			);
			let digests = [
				H256::repeat_byte(1),
				H256::repeat_byte(2),
				H256::repeat_byte(3),
			];
			v1::Anchors::<Test>::insert(digests[0], &by_account);
			v1::Anchors::<Test>::insert(digests[1], &by_device);
			v1::Anchors::<Test>::insert(digests[2], &by_scan);
			v1::Traces::<Test>::insert([9; 32], 0, digests[0]);
			v1::Traces::<Test>::insert([9; 32], 1, digests[1]);

			#[cfg(feature = "try-runtime")]
			let snapshot = {
				use frame_support::traits::UncheckedOnRuntimeUpgrade;
				super::v2::KeyAnchorsByAttester::<Test>::pre_upgrade().unwrap()
			};
			MigrateToV2::<Test>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			{
				use frame_support::traits::UncheckedOnRuntimeUpgrade;
				super::v2::KeyAnchorsByAttester::<Test>::post_upgrade(snapshot).unwrap();
			}

			assert_eq!(
				DataAnchoring::on_chain_storage_version(),
				StorageVersion::new(2)
			);
			assert_eq!(
				Anchors::<Test>::get(digests[0], Attester::Account(ALICE)),
				Some(by_account)
			);
			assert_eq!(
				Anchors::<Test>::get(digests[1], Attester::Device([5; 32])),
				Some(by_device)
			);
			assert_eq!(
				Anchors::<Test>::get(
					digests[2],
					Attester::Scan {
						tag: [5; 32],
						reader: [6; 32]
					}
				),
				Some(by_scan)
			);
			assert_eq!(Anchors::<Test>::iter().count(), 3);
			assert_eq!(
				Traces::<Test>::get([9; 32], 0),
				Some((digests[0], Attester::Account(ALICE)))
			);
			assert_eq!(
				Traces::<Test>::get([9; 32], 1),
				Some((digests[1], Attester::Device([5; 32])))
			);

			// At version 2 it does nothing.
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}
}
