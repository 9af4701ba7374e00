//! Storage migrations of the child-chains pallet.

/// Version 1 → 2: indexed child anchors keyed by digest and chain become keyed by digest, chain
/// and attester, as child chains now key their anchors by attester.
// `storage_alias` generates undocumented prefix types.
#[allow(missing_docs)]
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

	/// Version 1's index entry: the record without its attester (fields as in
	/// [`crate::ChildAnchorRecordOf`]).
	#[allow(missing_docs)]
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

	/// Version 2's layout of the index (digest unhashed), which this migration writes and
	/// [`super::v3`] re-keys.
	#[storage_alias]
	pub type ChildAnchors<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Identity,
		H256,
		Blake2_128Concat,
		(ChainId, Attester<<T as frame_system::Config>::AccountId>),
		ChildAnchorRecordOf<T>,
	>;

	/// Version 2's genesis index (hash unhashed).
	#[storage_alias]
	pub type ChainIdByGenesis<T: Config> = StorageMap<Pallet<T>, Identity, H256, ChainId>;

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
				ChildAnchors::<T>::insert(digest, (chain_id, record.attester.clone()), record);
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
				ChildAnchors::<T>::iter().count() as u64 == before,
				"the number of indexed child anchors changed"
			);
			for (_, (chain_id, attester), record) in ChildAnchors::<T>::iter() {
				ensure!(
					record.chain_id == chain_id && record.attester == attester,
					"an indexed child anchor is keyed by another chain or attester"
				);
			}
			Ok(())
		}
	}
}

/// Version 2 → 3: registrations are approved by governance, and the keys users choose are
/// hashed (Blake2_128Concat) so nobody can unbalance the trie with chosen digests or genesis
/// hashes.
pub mod v3 {
	use crate::{ChildChainOf, Config, Pallet, RegistrationStatus};
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		BoundedVec,
	};
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_core::H256;
	use viot_primitives::{anchor::Attester, child::ChainId};

	/// Version 2's chain record: the record without its status (fields as in
	/// [`crate::ChildChain`]).
	#[allow(missing_docs)]
	#[derive(Encode, Decode)]
	pub struct OldChildChain<
		AccountId,
		Balance,
		BlockNumber,
		MaxName: Get<u32>,
		MaxSymbol: Get<u32>,
	> {
		pub owner: AccountId,
		pub name: BoundedVec<u8, MaxName>,
		pub token_symbol: BoundedVec<u8, MaxSymbol>,
		pub genesis_hash: H256,
		pub deposit: Balance,
		pub registered_at: BlockNumber,
		pub best_number: u32,
		pub best_hash: H256,
		pub next_slot: u32,
		pub last_free_import: Option<BlockNumber>,
	}

	/// Version 2's chain record of this runtime.
	pub type OldChildChainOf<T> = OldChildChain<
		<T as frame_system::Config>::AccountId,
		crate::BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxNameLength,
		<T as Config>::MaxSymbolLength,
	>;

	/// ChildChains 2 → 3, run once: every registered chain was accepted by the rules of its
	/// day and is followed already, so it becomes `Approved`; the genesis index and the index
	/// of child anchors move to hashed keys, every value unchanged. Per entry one read and two
	/// writes, in one block.
	pub type MigrateToV3<T> = VersionedMigration<
		2,
		3,
		ApproveAndHashKeys<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The unversioned step of [`MigrateToV3`].
	pub struct ApproveAndHashKeys<T>(core::marker::PhantomData<T>);

	/// Version 3's record for version 2's `old`.
	pub fn migrated<T: Config>(old: OldChildChainOf<T>) -> ChildChainOf<T> {
		ChildChainOf::<T> {
			owner: old.owner,
			name: old.name,
			token_symbol: old.token_symbol,
			genesis_hash: old.genesis_hash,
			deposit: old.deposit,
			registered_at: old.registered_at,
			best_number: old.best_number,
			best_hash: old.best_hash,
			next_slot: old.next_slot,
			last_free_import: old.last_free_import,
			status: RegistrationStatus::Approved,
		}
	}

	/// What the checks compare: the number of chains, genesis entries and indexed anchors.
	#[cfg(feature = "try-runtime")]
	type Counts = (u64, u64, u64);

	impl<T: Config> UncheckedOnRuntimeUpgrade for ApproveAndHashKeys<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut chains = 0u64;
			crate::Chains::<T>::translate_values::<OldChildChainOf<T>, _>(|old| {
				chains += 1;
				Some(migrated::<T>(old))
			});
			let genesis: Vec<(H256, ChainId)> = super::v2::ChainIdByGenesis::<T>::drain().collect();
			let genesis_entries = genesis.len() as u64;
			for (hash, chain_id) in genesis {
				crate::ChainIdByGenesis::<T>::insert(hash, chain_id);
			}
			type Key<T> = (ChainId, Attester<<T as frame_system::Config>::AccountId>);
			let anchors: Vec<(H256, Key<T>, crate::ChildAnchorRecordOf<T>)> =
				super::v2::ChildAnchors::<T>::drain().collect();
			let anchor_entries = anchors.len() as u64;
			for (digest, key, record) in anchors {
				crate::ChildAnchors::<T>::insert(digest, key, record);
			}
			let entries = chains + genesis_entries + anchor_entries;
			T::DbWeight::get().reads_writes(entries, entries.saturating_mul(2))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let counts: Counts = (
				crate::Chains::<T>::iter_keys().count() as u64,
				super::v2::ChainIdByGenesis::<T>::iter_keys().count() as u64,
				super::v2::ChildAnchors::<T>::iter_keys().count() as u64,
			);
			Ok(counts.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = Counts::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade snapshot does not decode")?;
			let after: Counts = (
				crate::Chains::<T>::iter_values()
					.filter(|chain| chain.is_approved())
					.count() as u64,
				crate::ChainIdByGenesis::<T>::iter().count() as u64,
				crate::ChildAnchors::<T>::iter().count() as u64,
			);
			ensure!(
				after == before,
				"chains, genesis entries or indexed anchors were lost"
			);
			for (hash, chain_id) in crate::ChainIdByGenesis::<T>::iter() {
				ensure!(
					crate::Chains::<T>::get(chain_id).map(|chain| chain.genesis_hash) == Some(hash),
					"a genesis entry names another chain"
				);
			}
			Ok(())
		}
	}
}

#[cfg(test)]
mod tests {
	use super::{
		v2::{self, v1, MigrateToV2, OldRecord},
		v3::MigrateToV3,
	};
	use crate::{mock::*, ChainIdByGenesis, Chains, ChildAnchors, RegistrationStatus};
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
			assert_eq!(v2::ChildAnchors::<Test>::iter_prefix(digest).count(), 2);
			for chain_id in [0u32, 3] {
				let owner = 40 + chain_id as AccountId;
				let record =
					v2::ChildAnchors::<Test>::get(digest, (chain_id, Attester::Account(owner)))
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
	#[test]
	fn version_2_chains_are_approved_and_user_chosen_keys_hashed_once() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(2).put::<ChildChains>();
			let genesis = H256::repeat_byte(9);
			frame_support::storage::unhashed::put(
				&Chains::<Test>::hashed_key_for(4),
				&super::v3::OldChildChainOf::<Test> {
					owner: OWNER,
					name: b"acme".to_vec().try_into().unwrap(),
					token_symbol: b"ACME".to_vec().try_into().unwrap(),
					genesis_hash: genesis,
					deposit: 10,
					registered_at: 2,
					best_number: 7,
					best_hash: H256::repeat_byte(8),
					next_slot: 3,
					last_free_import: Some(5),
				},
			);
			v2::ChainIdByGenesis::<Test>::insert(genesis, 4);
			let digest = H256::repeat_byte(7);
			let attester = Attester::Account(44);
			let record = crate::ChildAnchorRecordOf::<Test> {
				chain_id: 4,
				attester: attester.clone(),
				child_block_hash: H256::repeat_byte(1),
				child_block_number: 5,
				child_owner: 44,
				anchored_at: 4,
				anchored_at_time: 1_000,
				indexed_by: RELAYER,
				deposit: 10,
				indexed_at: 9,
			};
			v2::ChildAnchors::<Test>::insert(digest, (4, attester.clone()), record.clone());

			MigrateToV3::<Test>::on_runtime_upgrade();
			assert_eq!(
				ChildChains::on_chain_storage_version(),
				StorageVersion::new(3)
			);
			let chain = Chains::<Test>::get(4).expect("the chain is kept");
			assert_eq!(chain.status, RegistrationStatus::Approved);
			assert_eq!(
				(
					chain.owner,
					chain.best_number,
					chain.next_slot,
					chain.last_free_import
				),
				(OWNER, 7, 3, Some(5))
			);
			assert_eq!(ChainIdByGenesis::<Test>::get(genesis), Some(4));
			// The old keys are gone (an old-layout iteration would also decode the new keys).
			assert!(!v2::ChainIdByGenesis::<Test>::contains_key(genesis));
			assert_eq!(ChainIdByGenesis::<Test>::iter().count(), 1);
			assert!(!v2::ChildAnchors::<Test>::contains_key(
				digest,
				(4, attester.clone())
			));
			assert_eq!(
				ChildAnchors::<Test>::get(digest, (4, attester)),
				Some(record)
			);
			assert_eq!(ChildChains::child_anchor(digest).len(), 1);
			assert_eq!(ChildAnchors::<Test>::iter().count(), 1);

			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			MigrateToV3::<Test>::on_runtime_upgrade();
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}
}
