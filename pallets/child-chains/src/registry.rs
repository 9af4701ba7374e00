//! The registry of child chains: registration, governance's decisions (approve, reject,
//! reassign, remove, halt, re-initialize) and the queries the runtime API answers.

use crate::{pallet::*, types::*, ChainUsers};
use alloc::vec::Vec;
use frame_support::{
	dispatch::DispatchResult,
	ensure,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::traits::{Header as _, Saturating, Zero};
use viot_primitives::child::{
	valid_authority_set, AuthorityId, AuthorityWeight, ChainId, ChildChainInfo, ChildHeader, SetId,
	StoredChildHeader,
};

impl<T: Config> Pallet<T> {
	/// [`Pallet::register_child_chain`] for `owner`.
	pub(crate) fn do_register(
		owner: T::AccountId,
		name: Vec<u8>,
		token_symbol: Vec<u8>,
		genesis_hash: H256,
		initial_header: &ChildHeader,
		authorities: Vec<(AuthorityId, AuthorityWeight)>,
		set_id: SetId,
	) -> DispatchResult {
		ensure!(!name.is_empty(), Error::<T>::EmptyName);
		let name: BoundedVec<_, T::MaxNameLength> =
			name.try_into().map_err(|_| Error::<T>::NameTooLong)?;
		ensure!(!token_symbol.is_empty(), Error::<T>::EmptySymbol);
		let token_symbol: BoundedVec<_, T::MaxSymbolLength> = token_symbol
			.try_into()
			.map_err(|_| Error::<T>::SymbolTooLong)?;
		let authorities = Self::checked_authorities(authorities)?;
		Self::ensure_header_size(initial_header)?;
		ensure!(
			!ChainIdByGenesis::<T>::contains_key(genesis_hash),
			Error::<T>::GenesisAlreadyRegistered
		);
		let best_hash = initial_header.hash();
		let best_number = *initial_header.number();
		ensure!(
			best_number != 0 || best_hash == genesis_hash,
			Error::<T>::GenesisMismatch
		);

		let chain_id = NextChainId::<T>::get();
		let next_chain_id = chain_id
			.checked_add(1)
			.ok_or(Error::<T>::ChainIdsExhausted)?;
		let deposit = T::RegistrationDeposit::get();
		T::Currency::hold(&HoldReason::RegistrationDeposit.into(), &owner, deposit)?;
		NextChainId::<T>::put(next_chain_id);
		AuthoritySets::<T>::insert(
			chain_id,
			StoredAuthoritySet {
				authorities,
				set_id,
			},
		);
		let mut chain = ChildChain {
			owner: owner.clone(),
			name,
			token_symbol,
			genesis_hash,
			deposit,
			registered_at: frame_system::Pallet::<T>::block_number(),
			best_number,
			best_hash,
			next_slot: 0,
			last_free_import: None,
			status: RegistrationStatus::Pending,
		};
		Self::store_header(chain_id, &mut chain, initial_header);
		Chains::<T>::insert(chain_id, chain);
		Self::deposit_event(Event::ChildChainRegistered {
			chain_id,
			owner,
			genesis_hash,
			best_number,
			best_hash,
			authority_set_id: set_id,
			deposit,
		});
		Ok(())
	}

	/// [`Pallet::deregister_child_chain`] by `who`.
	pub(crate) fn do_deregister(who: T::AccountId, chain_id: ChainId) -> DispatchResult {
		let chain = Self::chain(chain_id)?;
		ensure!(chain.owner == who, Error::<T>::NotOwner);
		ensure!(chain.is_approved(), Error::<T>::ChainNotApproved);
		// A halted chain is under governance's review: its owner cannot take the deposit back
		// ahead of a rejection.
		ensure!(
			!HaltedChains::<T>::contains_key(chain_id),
			Error::<T>::ChainHalted
		);
		ensure!(
			!T::ChainUsers::in_use(&chain.genesis_hash),
			Error::<T>::ChainInUse
		);
		let released = Self::remove_chain(chain_id, &chain, chain.deposit)?;
		Self::deposit_event(Event::ChildChainDeregistered {
			chain_id,
			owner: chain.owner,
			released,
		});
		Ok(())
	}

	/// [`Pallet::force_remove_child_chain`].
	pub(crate) fn do_force_remove(chain_id: ChainId) -> DispatchResult {
		let chain = Self::chain(chain_id)?;
		let released = Self::remove_chain(chain_id, &chain, chain.deposit)?;
		Self::deposit_event(Event::ChildChainForceRemoved {
			chain_id,
			owner: chain.owner,
			released,
		});
		Ok(())
	}

	/// [`Pallet::approve_child_chain`].
	pub(crate) fn do_approve(chain_id: ChainId) -> DispatchResult {
		let mut chain = Self::chain(chain_id)?;
		ensure!(!chain.is_approved(), Error::<T>::AlreadyApproved);
		ensure!(
			!ChainIdByGenesis::<T>::contains_key(chain.genesis_hash),
			Error::<T>::GenesisAlreadyRegistered
		);
		chain.status = RegistrationStatus::Approved;
		ChainIdByGenesis::<T>::insert(chain.genesis_hash, chain_id);
		Self::deposit_event(Event::ChildChainApproved {
			chain_id,
			owner: chain.owner.clone(),
			genesis_hash: chain.genesis_hash,
		});
		Chains::<T>::insert(chain_id, chain);
		Ok(())
	}

	/// [`Pallet::reject_child_chain`].
	pub(crate) fn do_reject(chain_id: ChainId, slash_deposit: bool) -> DispatchResult {
		ensure!(
			!RejectedChains::<T>::contains_key(chain_id),
			Error::<T>::AlreadyRejected
		);
		let Some(chain) = Chains::<T>::get(chain_id) else {
			// Removed already (deregistered by its owner, perhaps ahead of this rejection): what
			// was indexed from it is no longer served either.
			ensure!(chain_id < NextChainId::<T>::get(), Error::<T>::UnknownChain);
			RejectedChains::<T>::insert(chain_id, frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::RemovedChainRejected { chain_id });
			return Ok(());
		};
		let slashed = if slash_deposit {
			T::Currency::burn_held(
				&HoldReason::RegistrationDeposit.into(),
				&chain.owner,
				chain.deposit,
				Precision::BestEffort,
				Fortitude::Force,
			)?
		} else {
			Zero::zero()
		};
		let released = Self::remove_chain(chain_id, &chain, chain.deposit.saturating_sub(slashed))?;
		RejectedChains::<T>::insert(chain_id, frame_system::Pallet::<T>::block_number());
		Self::deposit_event(Event::ChildChainRejected {
			chain_id,
			owner: chain.owner,
			slashed,
			released,
		});
		Ok(())
	}

	/// [`Pallet::reassign_child_chain_owner`].
	pub(crate) fn do_reassign(chain_id: ChainId, new_owner: T::AccountId) -> DispatchResult {
		let mut chain = Self::chain(chain_id)?;
		ensure!(chain.owner != new_owner, Error::<T>::AlreadyOwner);
		let moved = T::Currency::transfer_on_hold(
			&HoldReason::RegistrationDeposit.into(),
			&chain.owner,
			&new_owner,
			chain.deposit,
			Precision::BestEffort,
			Restriction::OnHold,
			Fortitude::Force,
		)?;
		let previous_owner = core::mem::replace(&mut chain.owner, new_owner.clone());
		chain.deposit = moved;
		Chains::<T>::insert(chain_id, chain);
		Self::deposit_event(Event::ChildChainOwnerChanged {
			chain_id,
			previous_owner,
			owner: new_owner,
		});
		Ok(())
	}

	/// [`Pallet::set_child_chain_halted`].
	pub(crate) fn do_set_halted(chain_id: ChainId, halted: bool) -> DispatchResult {
		Self::chain(chain_id)?;
		ensure!(
			HaltedChains::<T>::contains_key(chain_id) != halted,
			Error::<T>::HaltUnchanged
		);
		if halted {
			HaltedChains::<T>::insert(chain_id, frame_system::Pallet::<T>::block_number());
		} else {
			HaltedChains::<T>::remove(chain_id);
		}
		Self::deposit_event(Event::ChildChainHaltChanged { chain_id, halted });
		Ok(())
	}

	/// [`Pallet::reinitialize_child_chain`].
	pub(crate) fn do_reinitialize(
		chain_id: ChainId,
		header: &ChildHeader,
		authorities: Vec<(AuthorityId, AuthorityWeight)>,
		set_id: SetId,
	) -> DispatchResult {
		let mut chain = Self::chain(chain_id)?;
		ensure!(chain.is_approved(), Error::<T>::ChainNotApproved);
		let authorities = Self::checked_authorities(authorities)?;
		Self::ensure_header_size(header)?;
		ensure!(
			*header.number() != 0 || header.hash() == chain.genesis_hash,
			Error::<T>::GenesisMismatch
		);
		let count = authorities.len() as u32;
		Self::clear_headers(chain_id);
		chain.next_slot = 0;
		Self::store_header(chain_id, &mut chain, header);
		AuthoritySets::<T>::insert(
			chain_id,
			StoredAuthoritySet {
				authorities,
				set_id,
			},
		);
		HaltedChains::<T>::remove(chain_id);
		Self::deposit_event(Event::ChildChainReinitialized {
			chain_id,
			number: chain.best_number,
			hash: chain.best_hash,
			authority_set_id: set_id,
			authorities: count,
		});
		Chains::<T>::insert(chain_id, chain);
		Ok(())
	}

	/// The registered chain `chain_id`.
	pub(crate) fn chain(chain_id: ChainId) -> Result<ChildChainOf<T>, Error<T>> {
		Chains::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)
	}

	/// Refuses a header larger than `MaxHeaderSize`.
	fn ensure_header_size(header: &ChildHeader) -> Result<(), Error<T>> {
		use codec::Encode;
		ensure!(
			header.encoded_size() <= T::MaxHeaderSize::get() as usize,
			Error::<T>::HeaderTooLarge
		);
		Ok(())
	}

	/// Checks an authority list ([`valid_authority_set`]) and bounds it.
	pub(crate) fn checked_authorities(
		authorities: Vec<(AuthorityId, AuthorityWeight)>,
	) -> Result<BoundedAuthorityList<T>, Error<T>> {
		let bounded: BoundedVec<_, T::MaxAuthorities> = authorities
			.try_into()
			.map_err(|_| Error::<T>::TooManyAuthorities)?;
		ensure!(
			valid_authority_set(&bounded),
			Error::<T>::InvalidAuthoritySet
		);
		Ok(bounded)
	}

	/// Stores a chain record.
	#[cfg(feature = "runtime-benchmarks")]
	pub(crate) fn insert_chain(chain_id: ChainId, chain: ChildChainOf<T>) {
		Chains::<T>::insert(chain_id, chain);
	}

	/// Drops every header kept for `chain_id` (at most `HeadersToKeep`, or what an earlier,
	/// larger `HeadersToKeep` left: no limit, so nothing stays behind).
	fn clear_headers(chain_id: ChainId) {
		let _ = ImportedHeaders::<T>::clear_prefix(chain_id, u32::MAX, None);
		let _ = ImportedHashes::<T>::clear_prefix(chain_id, u32::MAX, None);
	}

	/// Removes a chain and everything kept for it, releasing `to_release` of its deposit to
	/// the owner (what is still held of it); returns the released amount.
	fn remove_chain(
		chain_id: ChainId,
		chain: &ChildChainOf<T>,
		to_release: BalanceOf<T>,
	) -> Result<BalanceOf<T>, sp_runtime::DispatchError> {
		let released = T::Currency::release(
			&HoldReason::RegistrationDeposit.into(),
			&chain.owner,
			to_release,
			Precision::BestEffort,
		)?;
		Self::clear_headers(chain_id);
		AuthoritySets::<T>::remove(chain_id);
		HaltedChains::<T>::remove(chain_id);
		// Only the approved chain of a genesis owns its entry; a pending one of the same genesis
		// leaves it alone.
		if ChainIdByGenesis::<T>::get(chain.genesis_hash) == Some(chain_id) {
			ChainIdByGenesis::<T>::remove(chain.genesis_hash);
		}
		Chains::<T>::remove(chain_id);
		Ok(released)
	}

	/// The child chain `chain_id` as the runtime API returns it.
	pub fn child_chain(
		chain_id: ChainId,
	) -> Option<
		ChildChainInfo<T::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>,
	> {
		let chain = Chains::<T>::get(chain_id)?;
		let set = AuthoritySets::<T>::get(chain_id)?;
		let approved = chain.is_approved();
		Some(ChildChainInfo {
			owner: chain.owner,
			name: chain.name.into_inner(),
			token_symbol: chain.token_symbol.into_inner(),
			genesis_hash: chain.genesis_hash,
			deposit: chain.deposit,
			registered_at: chain.registered_at,
			best_number: chain.best_number,
			best_hash: chain.best_hash,
			authority_set_id: set.set_id,
			authorities: set.authorities.into_inner(),
			approved,
			halted: HaltedChains::<T>::contains_key(chain_id),
		})
	}

	/// Every child chain's indexed anchor of `digest`, but for those of chains governance
	/// rejected.
	pub fn child_anchor(digest: H256) -> Vec<ChildAnchorRecordOf<T>> {
		ChildAnchors::<T>::iter_prefix_values(digest)
			.filter(|record| !RejectedChains::<T>::contains_key(record.chain_id))
			.collect()
	}

	/// The verified header `block_hash` of the approved chain `chain_id`, if still kept. A
	/// pending chain's headers (its registrant's word) are not served.
	pub fn child_header(chain_id: ChainId, block_hash: H256) -> Option<StoredChildHeader> {
		Chains::<T>::get(chain_id).filter(|chain| chain.is_approved())?;
		ImportedHeaders::<T>::get(chain_id, block_hash)
	}
}
