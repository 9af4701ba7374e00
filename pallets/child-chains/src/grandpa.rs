//! The light client of each child chain: checks and imports finality proofs (GRANDPA
//! justifications), follows authority-set changes, keeps a ring of verified headers, and
//! decides which imports are free.

use crate::{pallet::*, types::*, WeightInfo};
use alloc::vec::Vec;
use bp_header_chain::justification::{
	verify_justification, JustificationVerificationContext, JustificationVerificationError,
	PrecommitError,
};
use codec::Encode;
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, Pays},
	ensure,
	traits::Get,
	weights::Weight,
};
use sp_runtime::traits::Header as _;
use viot_primitives::child::{
	check_finality_proof_shape, AuthorityId, AuthorityWeight, ChainId, ChildHeader,
	ChildJustification, FinalityProofError, FinalityProofLimits, FinalityProofShape, SetId,
	StoredChildHeader,
};

impl<T: Config> Pallet<T> {
	/// The bounds finality proofs are checked against.
	pub fn finality_limits() -> FinalityProofLimits {
		FinalityProofLimits {
			max_authorities: T::MaxAuthorities::get(),
			max_votes_ancestries: T::MaxVotesAncestries::get(),
			max_header_size: T::MaxHeaderSize::get(),
			max_proof_size: T::MaxFinalityProofSize::get(),
		}
	}

	/// Everything about a finality proof that is checked before its signatures: the chain is
	/// registered, approved and running, the header is newer than the best verified one, and
	/// the proof is within its bounds. The transaction pool runs it too
	/// ([`crate::CheckChildFinalityProof`]), so a proof failing it is never included.
	pub fn precheck_finality_proof(
		chain_id: ChainId,
		header: &ChildHeader,
		justification: &ChildJustification,
	) -> Result<(ChildChainOf<T>, FinalityProofShape), Error<T>> {
		let chain = Self::chain(chain_id)?;
		ensure!(chain.is_approved(), Error::<T>::ChainNotApproved);
		ensure!(
			!HaltedChains::<T>::contains_key(chain_id),
			Error::<T>::ChainHalted
		);
		let number = *header.number();
		if number == chain.best_number && header.hash() == chain.best_hash {
			return Err(Error::<T>::DuplicateHeader);
		}
		ensure!(number > chain.best_number, Error::<T>::OldHeader);
		let shape = check_finality_proof_shape(header, justification, &Self::finality_limits())?;
		Ok((chain, shape))
	}

	/// [`Pallet::submit_finality_proof`] by `submitter`.
	pub(crate) fn do_submit_finality_proof(
		submitter: T::AccountId,
		chain_id: ChainId,
		header: &ChildHeader,
		justification: &ChildJustification,
	) -> DispatchResultWithPostInfo {
		let (mut chain, shape) = Self::precheck_finality_proof(chain_id, header, justification)?;
		let hash = header.hash();
		let number = *header.number();
		let set = AuthoritySets::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
		let context = JustificationVerificationContext::try_from(set.to_authority_set())
			.map_err(|_| Error::<T>::InvalidAuthoritySet)?;
		verify_justification::<ChildHeader>((hash, number), &context, justification)
			.map_err(Error::<T>::from)?;

		if let Some(next_authorities) = shape.next_authorities {
			Self::enact_authority_set_change(chain_id, number, set.set_id, next_authorities)?;
		}

		Self::store_header(chain_id, &mut chain, header);
		// Only a proof the pool checked (not one wrapped in another call) and small enough may
		// be free.
		let top_level = TopLevelProof::<T>::take() == Some(Self::this_extrinsic());
		let free = Self::take_free_slot(
			&mut chain,
			top_level && shape.size <= T::MaxFreeFinalityProofSize::get(),
		);
		Chains::<T>::insert(chain_id, chain);
		Self::deposit_event(Event::ChildHeaderImported {
			chain_id,
			number,
			hash,
			state_root: *header.state_root(),
			submitter,
		});
		Ok(if free { Pays::No } else { Pays::Yes }.into())
	}

	/// Makes `next_authorities` the child chain's authority set after `previous_set_id`, from
	/// the header `at` on.
	pub(crate) fn enact_authority_set_change(
		chain_id: ChainId,
		at: u32,
		previous_set_id: SetId,
		next_authorities: Vec<(AuthorityId, AuthorityWeight)>,
	) -> Result<(), Error<T>> {
		let authorities = Self::checked_authorities(next_authorities)?;
		let count = authorities.len() as u32;
		let set_id = previous_set_id.saturating_add(1);
		AuthoritySets::<T>::insert(
			chain_id,
			StoredAuthoritySet {
				authorities,
				set_id,
			},
		);
		Self::deposit_event(Event::AuthoritySetChanged {
			chain_id,
			at,
			set_id,
			authorities: count,
		});
		Ok(())
	}

	/// Whether this import is free: `eligible` (a top-level proof within the free size), the
	/// chain's first import in this block, and a free slot left in the block. Takes the slot if
	/// so; records the import either way, so a later import of the chain in the block pays.
	fn take_free_slot(chain: &mut ChildChainOf<T>, eligible: bool) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		let first_of_block = chain.last_free_import != Some(now);
		chain.last_free_import = Some(now);
		if !eligible || !first_of_block {
			return false;
		}
		let (block, used) = FreeHeaders::<T>::get();
		let used = if block == now { used } else { 0 };
		if used >= T::MaxFreeHeadersPerBlock::get() {
			return false;
		}
		FreeHeaders::<T>::put((now, used.saturating_add(1)));
		true
	}

	/// This block and the index of the extrinsic being applied.
	fn this_extrinsic() -> (frame_system::pallet_prelude::BlockNumberFor<T>, u32) {
		(
			frame_system::Pallet::<T>::block_number(),
			frame_system::Pallet::<T>::extrinsic_index().unwrap_or(u32::MAX),
		)
	}

	/// Marks the extrinsic being applied as a top-level finality proof: the pool check does it
	/// in `prepare`, so a proof wrapped in another call (a batch) is never free.
	pub fn mark_top_level_proof() {
		TopLevelProof::<T>::put(Self::this_extrinsic());
	}

	/// Puts a verified header into the chain's ring buffer (pruning the one it replaces) and
	/// makes it the best.
	pub(crate) fn store_header(
		chain_id: ChainId,
		chain: &mut ChildChainOf<T>,
		header: &ChildHeader,
	) {
		let hash = header.hash();
		let slot = chain.next_slot;
		if let Some(pruned) = ImportedHashes::<T>::get(chain_id, slot) {
			ImportedHeaders::<T>::remove(chain_id, pruned);
		}
		ImportedHashes::<T>::insert(chain_id, slot, hash);
		ImportedHeaders::<T>::insert(
			chain_id,
			hash,
			StoredChildHeader {
				number: *header.number(),
				state_root: *header.state_root(),
			},
		);
		chain.next_slot = slot.saturating_add(1) % T::HeadersToKeep::get().max(1);
		chain.best_number = *header.number();
		chain.best_hash = hash;
	}

	/// The weight of `submit_finality_proof` for these arguments: by precommits, ancestry
	/// headers and the bytes of the hashed headers (each capped at its bound: beyond it the
	/// call fails before any of that work), plus enacting an authority-set change if the
	/// header schedules one.
	pub fn finality_proof_weight(
		header: &ChildHeader,
		justification: &ChildJustification,
	) -> Weight {
		let max_ancestries = T::MaxVotesAncestries::get();
		let precommits =
			(justification.commit.precommits.len() as u32).min(T::MaxAuthorities::get());
		let ancestries = (justification.votes_ancestries.len() as u32).min(max_ancestries);
		let hashed_bytes = justification
			.votes_ancestries
			.iter()
			.take(max_ancestries as usize)
			.fold(header.encoded_size(), |bytes, ancestry| {
				bytes.saturating_add(ancestry.encoded_size())
			})
			.min(T::MaxFinalityProofSize::get() as usize) as u32;
		let base = T::WeightInfo::submit_finality_proof(precommits, ancestries, hashed_bytes);
		match bp_header_chain::GrandpaConsensusLogReader::<u32>::find_scheduled_change(
			header.digest(),
		) {
			Some(change) => base.saturating_add(T::WeightInfo::enact_authority_set_change(
				(change.next_authorities.len() as u32).min(T::MaxAuthorities::get()),
			)),
			None => base,
		}
	}
}

impl<T> From<FinalityProofError> for Error<T> {
	fn from(error: FinalityProofError) -> Self {
		use FinalityProofError as E;
		match error {
			E::HeaderTooLarge => Error::<T>::HeaderTooLarge,
			E::ProofTooLarge => Error::<T>::FinalityProofTooLarge,
			E::TooManyPrecommits => Error::<T>::TooManyPrecommits,
			E::TooManyVotesAncestries => Error::<T>::TooManyVotesAncestries,
			E::UnsupportedForcedChange => Error::<T>::UnsupportedForcedChange,
			E::UnsupportedScheduledChange => Error::<T>::UnsupportedScheduledChange,
			E::TooManyAuthorities => Error::<T>::TooManyAuthorities,
			E::InvalidAuthoritySet => Error::<T>::InvalidAuthoritySet,
		}
	}
}

impl<T> From<JustificationVerificationError> for Error<T> {
	fn from(error: JustificationVerificationError) -> Self {
		use JustificationVerificationError as E;
		match error {
			E::InvalidAuthorityList => Error::<T>::InvalidAuthoritySet,
			E::InvalidJustificationTarget => Error::<T>::JustificationTargetMismatch,
			E::DuplicateVotesAncestries => Error::<T>::DuplicateVotesAncestries,
			E::RedundantVotesAncestries => Error::<T>::RedundantVotesAncestries,
			E::TooLowCumulativeWeight => Error::<T>::TooLowCumulativeWeight,
			E::Precommit(PrecommitError::InvalidAuthoritySignature) => {
				Error::<T>::InvalidAuthoritySignature
			}
			E::Precommit(PrecommitError::UnknownAuthorityVote) => Error::<T>::UnknownAuthorityVote,
			E::Precommit(PrecommitError::DuplicateAuthorityVote) => {
				Error::<T>::DuplicateAuthorityVote
			}
			E::Precommit(PrecommitError::RedundantAuthorityVote) => {
				Error::<T>::RedundantAuthorityVote
			}
			E::Precommit(PrecommitError::UnrelatedAncestryVote) => {
				Error::<T>::UnrelatedAncestryVote
			}
		}
	}
}
