//! Storage proofs against verified child state roots, and the index of child anchors proven
//! with them.

use crate::{pallet::*, types::*, WeightInfo};
use alloc::vec::Vec;
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, Get},
	weights::Weight,
};
use sp_core::H256;
use viot_primitives::{
	anchor::Attester,
	child::{
		check_storage_proof_shape, ChainId, ChildProofError, StorageProofShapeError,
		StoredChildHeader,
	},
};

/// The trie nodes of a storage proof, by hash.
type ProofDb = sp_trie::MemoryDB<sp_runtime::traits::BlakeTwo256>;

impl<T: Config> Pallet<T> {
	/// [`Pallet::index_child_anchor`] by `indexed_by`.
	pub(crate) fn do_index_child_anchor(
		indexed_by: T::AccountId,
		chain_id: ChainId,
		child_block_hash: H256,
		digest: H256,
		attester: Attester<T::AccountId>,
		storage_proof: Vec<Vec<u8>>,
	) -> DispatchResult {
		Self::check_proof_shape(&storage_proof).map_err(Error::<T>::from)?;
		ensure!(
			!ChildAnchors::<T>::contains_key(digest, (chain_id, &attester)),
			Error::<T>::AlreadyIndexed
		);
		let key = T::ChildAnchors::storage_key(&digest, &attester);
		let (child_header, value) =
			Self::read_verified(chain_id, child_block_hash, &key, storage_proof)
				.map_err(Error::<T>::from)?;
		let value = value.ok_or(Error::<T>::NotAnchoredOnChild)?;
		let facts = T::ChildAnchors::decode(&value).ok_or(Error::<T>::UndecodableChildAnchor)?;
		let child_block_number = child_header.number;

		let deposit = T::IndexDeposit::get();
		T::Currency::hold(&HoldReason::IndexDeposit.into(), &indexed_by, deposit)?;
		ChildAnchors::<T>::insert(
			digest,
			(chain_id, attester.clone()),
			ChildAnchorRecordOf::<T> {
				chain_id,
				attester: attester.clone(),
				child_block_hash,
				child_block_number,
				child_owner: facts.owner.clone(),
				anchored_at: facts.block,
				anchored_at_time: facts.timestamp,
				indexed_by: indexed_by.clone(),
				deposit,
				indexed_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ChildAnchorIndexed {
			digest,
			chain_id,
			attester,
			child_block_hash,
			child_block_number,
			child_owner: facts.owner,
			indexed_by,
			deposit,
		});
		Ok(())
	}

	/// [`Pallet::remove_child_anchor`] by `who`.
	pub(crate) fn do_remove_child_anchor(
		who: T::AccountId,
		digest: H256,
		chain_id: ChainId,
		attester: Attester<T::AccountId>,
	) -> DispatchResult {
		let record =
			ChildAnchors::<T>::get(digest, (chain_id, &attester)).ok_or(Error::<T>::NotIndexed)?;
		ensure!(record.indexed_by == who, Error::<T>::NotOwner);
		let released = T::Currency::release(
			&HoldReason::IndexDeposit.into(),
			&who,
			record.deposit,
			Precision::BestEffort,
		)?;
		ChildAnchors::<T>::remove(digest, (chain_id, &attester));
		Self::deposit_event(Event::ChildAnchorRemoved {
			digest,
			chain_id,
			attester,
			indexed_by: who,
			released,
		});
		Ok(())
	}

	/// A storage proof's `(nodes, bytes)` within `MaxStorageProofNodes` and
	/// `MaxStorageProofSize`, with no empty node.
	pub fn check_proof_shape(proof: &[Vec<u8>]) -> Result<(u32, u32), StorageProofShapeError> {
		check_storage_proof_shape(
			proof,
			T::MaxStorageProofNodes::get(),
			T::MaxStorageProofSize::get(),
		)
	}

	/// Total bytes of a storage proof's trie nodes.
	pub fn proof_size(proof: &[Vec<u8>]) -> u32 {
		proof
			.iter()
			.fold(0u32, |size, node| size.saturating_add(node.len() as u32))
	}

	/// The weight of `index_child_anchor` for this proof: by its nodes and bytes, each capped
	/// at its bound (beyond it the call fails before hashing anything).
	pub fn index_child_anchor_weight(proof: &[Vec<u8>]) -> Weight {
		let max_nodes = T::MaxStorageProofNodes::get();
		let nodes = (proof.len() as u32).min(max_nodes);
		let bytes = Self::proof_size(&proof[..nodes as usize]).min(T::MaxStorageProofSize::get());
		T::WeightInfo::index_child_anchor(nodes, bytes)
	}

	/// Reads `key` from the state of verified block `block_hash` of `chain_id` through
	/// `proof`: `Ok(Some(value))`, or `Ok(None)` if the proof shows the key absent.
	pub fn read_child_storage(
		chain_id: ChainId,
		block_hash: H256,
		key: &[u8],
		proof: Vec<Vec<u8>>,
	) -> Result<Option<Vec<u8>>, ChildProofError> {
		Self::read_verified(chain_id, block_hash, key, proof).map(|(_, value)| value)
	}

	/// Reads each of `keys` from the state of verified block `block_hash` of `chain_id` through
	/// one `proof`: each key's value, or `None` where the proof shows it absent.
	pub fn read_child_storage_values(
		chain_id: ChainId,
		block_hash: H256,
		keys: &[Vec<u8>],
		proof: Vec<Vec<u8>>,
	) -> Result<Vec<Option<Vec<u8>>>, ChildProofError> {
		let (header, db) = Self::proof_db(chain_id, block_hash, proof)?;
		keys.iter()
			.map(|key| Self::read_proven(&db, &header, key))
			.collect()
	}

	/// [`Self::read_child_storage`], also handing back the verified header the proof was
	/// checked against.
	fn read_verified(
		chain_id: ChainId,
		block_hash: H256,
		key: &[u8],
		proof: Vec<Vec<u8>>,
	) -> Result<(StoredChildHeader, Option<Vec<u8>>), ChildProofError> {
		let (header, db) = Self::proof_db(chain_id, block_hash, proof)?;
		let value = Self::read_proven(&db, &header, key)?;
		Ok((header, value))
	}

	/// The verified header `block_hash` of an approved `chain_id` and the trie nodes of a
	/// storage proof within bounds.
	fn proof_db(
		chain_id: ChainId,
		block_hash: H256,
		proof: Vec<Vec<u8>>,
	) -> Result<(StoredChildHeader, ProofDb), ChildProofError> {
		let chain = Chains::<T>::get(chain_id).ok_or(ChildProofError::UnknownChain)?;
		if !chain.is_approved() {
			return Err(ChildProofError::NotApproved);
		}
		let header =
			ImportedHeaders::<T>::get(chain_id, block_hash).ok_or(ChildProofError::UnknownBlock)?;
		Self::check_proof_shape(&proof).map_err(|_| ChildProofError::ProofTooLarge)?;
		let db =
			sp_trie::StorageProof::new(proof).into_memory_db::<sp_runtime::traits::BlakeTwo256>();
		Ok((header, db))
	}

	/// `key`'s value under `header`'s state root in a proof's nodes.
	fn read_proven(
		db: &ProofDb,
		header: &StoredChildHeader,
		key: &[u8],
	) -> Result<Option<Vec<u8>>, ChildProofError> {
		sp_trie::read_trie_value::<sp_trie::LayoutV1<sp_runtime::traits::BlakeTwo256>, _>(
			db,
			&header.state_root,
			key,
			None,
			None,
		)
		.map_err(|_| ChildProofError::BadProof)
	}
}

impl<T> From<ChildProofError> for Error<T> {
	fn from(error: ChildProofError) -> Self {
		match error {
			ChildProofError::UnknownChain => Error::<T>::UnknownChain,
			ChildProofError::UnknownBlock => Error::<T>::UnknownChildBlock,
			ChildProofError::BadProof => Error::<T>::InvalidStorageProof,
			ChildProofError::NotApproved => Error::<T>::ChainNotApproved,
			ChildProofError::ProofTooLarge => Error::<T>::StorageProofTooLarge,
		}
	}
}

impl<T> From<StorageProofShapeError> for Error<T> {
	fn from(error: StorageProofShapeError) -> Self {
		match error {
			StorageProofShapeError::TooLarge => Error::<T>::StorageProofTooLarge,
			StorageProofShapeError::TooManyNodes => Error::<T>::StorageProofTooManyNodes,
			StorageProofShapeError::EmptyNode => Error::<T>::EmptyStorageProofNode,
		}
	}
}
