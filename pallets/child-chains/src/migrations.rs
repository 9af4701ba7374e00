//! Storage migrations of the child-chains pallet.

/// Version 1 → 2: indexed child anchors keyed by digest and chain become keyed by digest, chain
/// and attester, as child chains now key their anchors by attester.
pub mod v2 {
	use crate::{ChildAnchorRecordOf, Config, Pallet};
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		storage_alias,
		traits::{Get, UncheckedOnRuntimeUpgrade},
	};
	use sp_core::H256;
	use viot_primitives::{anchor::Attester, child::ChainId};

	/// Version 1's index entry: the record without its attester.
	#[derive(Encode, Decode)]
	pub struct OldRecord<AccountId, Balance, BlockNumber> {
		pub chain_id: ChainId,
		pub child_block_hash: H256,
		pub child_block_number: u32,
		pub child_owner: AccountId,
		pub anchored_at: u32,
		pub anchored_at_time: u64,
		pub indexed_by: AccountId,
		pub deposit: Balance,
		pub indexed_at: BlockNumber,
	}

	/// Version 1's record type of this runtime.
	pub type OldRecordOf<T> = OldRecord<
		<T as frame_system::Config>::AccountId,
		crate::BalanceOf<T>,
		frame_system::pallet_prelude::BlockNumberFor<T>,
	>;

	/// Version 1's storage, read by the migration only.
	pub mod v1 {
		use super::*;

		/// Indexed child anchors keyed by digest and chain.
		#[storage_alias]
		pub type ChildAnchors<T: Config> =
			StorageDoubleMap<Pallet<T>, Identity, H256, Twox64Concat, ChainId, OldRecordOf<T>>;
	}

	/// ChildChains 1 → 2, run once: every indexed child anchor moves under its attester, taken
	/// to be the child account that submitted it (`Attester::Account(child_owner)`: version 1
	/// did not record whether a device signed it), with every other field and its deposit
	/// unchanged. One read and two writes per entry, in one block.
	pub type MigrateToV2<T> = VersionedMigration<
		1,
		2,
		KeyChildAnchorsByAttester<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The unversioned step of [`MigrateToV2`].
	pub struct KeyChildAnchorsByAttester<T>(core::marker::PhantomData<T>);

	/// Version 2's record for version 1's `old`.
	pub fn migrated<T: Config>(old: OldRecordOf<T>) -> ChildAnchorRecordOf<T> {
		ChildAnchorRecordOf::<T> {
			chain_id: old.chain_id,
			attester: Attester::Account(old.child_owner.clone()),
			child_block_hash: old.child_block_hash,
			child_block_number: old.child_block_number,
			child_owner: old.child_owner,
			anchored_at: old.anchored_at,
			anchored_at_time: old.anchored_at_time,
			indexed_by: old.indexed_by,
			deposit: old.deposit,
			indexed_at: old.indexed_at,
		}
	}

	impl<T: Config> UncheckedOnRuntimeUpgrade for KeyChildAnchorsByAttester<T> {
		fn on_runtime_upgrade() -> Weight {
			let old: Vec<(H256, ChainId, OldRecordOf<T>)> =
				v1::ChildAnchors::<T>::drain().collect();
			let entries = old.len() as u64;
			for (digest, chain_id, record) in old {
				let record = migrated::<T>(record);
				crate::ChildAnchors::<T>::insert(
					digest,
					(chain_id, record.attester.clone()),
					record,
				);
			}
			T::DbWeight::get().reads_writes(entries, entries.saturating_mul(2))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((v1::ChildAnchors::<T>::iter().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade snapshot does not decode")?;
			ensure!(
				crate::ChildAnchors::<T>::iter().count() as u64 == before,
				"the number of indexed child anchors changed"
			);
			for (_, (chain_id, attester), record) in crate::ChildAnchors::<T>::iter() {
				ensure!(
					record.chain_id == chain_id && record.attester == attester,
					"an indexed child anchor is keyed by another chain or attester"
				);
			}
			Ok(())
		}
	}
}

#[cfg(test)]
mod tests {
	use super::v2::{v1, MigrateToV2, OldRecord};
	use crate::{mock::*, ChildAnchors};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use sp_core::H256;
	use viot_primitives::anchor::Attester;

	#[test]
	fn every_indexed_child_anchor_moves_under_its_submitter_once() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(1).put::<ChildChains>();
			let digest = H256::repeat_byte(7);
			for chain_id in [0u32, 3] {
				v1::ChildAnchors::<Test>::insert(
					digest,
					chain_id,
					OldRecord {
						chain_id,
						child_block_hash: H256::repeat_byte(1),
						child_block_number: 5,
						child_owner: 40 + chain_id as AccountId,
						anchored_at: 4,
						anchored_at_time: 1_000,
						indexed_by: 2,
						deposit: 10,
						indexed_at: 9,
					},
				);
			}
			MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(
				ChildChains::on_chain_storage_version(),
				StorageVersion::new(2)
			);
			let records = ChildChains::child_anchor(digest);
			assert_eq!(records.len(), 2);
			for chain_id in [0u32, 3] {
				let owner = 40 + chain_id as AccountId;
				let record =
					ChildAnchors::<Test>::get(digest, (chain_id, Attester::Account(owner)))
						.expect("moved under its submitter");
				assert_eq!(
					(
						record.chain_id,
						record.child_owner,
						record.anchored_at,
						record.anchored_at_time,
						record.indexed_by,
						record.deposit,
						record.indexed_at
					),
					(chain_id, owner, 4, 1_000, 2, 10, 9)
				);
			}
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}
}
