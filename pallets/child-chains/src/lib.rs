//! # Child chains pallet
//!
//! Lets a VIoT parent chain follow its **child chains** — businesses' own chains, with their
//! own validators and token, running the same runtime — and prove facts about their state,
//! without trusting whoever relays the data.
//!
//! - [`Pallet::register_child_chain`]: any account registers a child chain from a finalized
//!   header and the GRANDPA authority set that finalizes its successors; a deposit is held.
//!   [`Pallet::deregister_child_chain`] (owner) and [`Pallet::force_remove_child_chain`] (admin)
//!   remove it and release the deposit.
//! - [`Pallet::submit_finality_proof`]: anyone (a relayer) submits a newer child header and its
//!   GRANDPA justification. The justification is verified with `bp-header-chain` against the
//!   child's current authority set (signatures, vote ancestry, more than 2/3 of the weight); a
//!   scheduled authority-set change in the header's digest is enacted; the header's hash,
//!   number and state root go into a ring buffer of `HeadersToKeep` headers. A proof that
//!   advances the chain is free (`Pays::No`) — once per chain per block and for at most
//!   `MaxFreeHeadersPerBlock` proofs a block, so free imports cannot fill blocks; a failing one
//!   pays.
//! - [`Pallet::index_child_anchor`]: proves with a storage (trie) proof, against a verified
//!   child state root, that the child's data-anchoring pallet holds a digest, and records on
//!   the parent which child chain anchored it, where, and by whom.
//!
//! Limits, as in polkadot-sdk's GRANDPA bridge: only scheduled changes with a zero delay are
//! followed (what a standard GRANDPA chain emits); a header with a forced change is refused.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use alloc::{boxed::Box, vec::Vec};
use bp_header_chain::{
	justification::{
		verify_justification, JustificationVerificationContext, JustificationVerificationError,
		PrecommitError,
	},
	GrandpaConsensusLogReader,
};
use frame_support::{
	dispatch::{DispatchResult, DispatchResultWithPostInfo, Pays},
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
	weights::Weight,
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::traits::{Header as HeaderT, Saturating, Zero};
use viot_primitives::{
	anchor::Attester,
	child::{
		AuthorityId, AuthorityWeight, ChainId, ChildChainInfo, ChildHeader, ChildJustification,
		ChildProofError, SetId, StoredChildHeader,
	},
	time::{valid_slot_duration, MAX_SLOT_DURATION, MIN_SLOT_DURATION},
};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version. 2: indexed child anchors keyed by digest, chain and
	/// attester (`migrations::v2`). 3: registrations approved by governance, user-chosen keys
	/// hashed (`migrations::v3`).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Who approves, rejects, reassigns and removes child chain registrations.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Where child chains keep their anchors (the data-anchoring pallet's layout).
		type ChildAnchors: ChildAnchorLayout<Self::AccountId>;

		/// Deposit held for a registered child chain and the headers kept for it.
		#[pallet::constant]
		type RegistrationDeposit: Get<BalanceOf<Self>>;

		/// Deposit held for an indexed child anchor.
		#[pallet::constant]
		type IndexDeposit: Get<BalanceOf<Self>>;

		/// Longest child chain name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// Longest token symbol, in bytes.
		#[pallet::constant]
		type MaxSymbolLength: Get<u32>;

		/// Most GRANDPA authorities a child chain may have.
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// Most headers a justification's vote ancestry may carry.
		#[pallet::constant]
		type MaxVotesAncestries: Get<u32>;

		/// Verified headers kept per child chain; older ones are pruned.
		#[pallet::constant]
		type HeadersToKeep: Get<u32>;

		/// Most finality proofs imported for free in one block, over all child chains; later
		/// ones pay. One chain gets at most one free import per block.
		#[pallet::constant]
		type MaxFreeHeadersPerBlock: Get<u32>;

		/// Largest storage proof `index_child_anchor` takes, in bytes of trie nodes.
		#[pallet::constant]
		type MaxStorageProofSize: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a registered child chain.
		#[codec(index = 0)]
		RegistrationDeposit,
		/// Deposit for an indexed child anchor.
		#[codec(index = 1)]
		IndexDeposit,
	}

	/// This chain's role and token symbol, from its genesis.
	#[pallet::storage]
	pub type ThisChain<T: Config> = StorageValue<_, ChainIdentity<T::MaxSymbolLength>, OptionQuery>;

	/// Milliseconds per block slot when this chain's genesis sets one (dev and test chains run
	/// short slots); absent, the runtime's default applies. Set at genesis and never changed:
	/// the node's slot clock and every block's timestamp check depend on it, so a different
	/// value on a running chain would stop block production.
	#[pallet::storage]
	pub type SlotDuration<T: Config> = StorageValue<_, u64, OptionQuery>;

	/// Chains governance rejected, with the parent block of the rejection: whatever was indexed
	/// from them is no longer served (`child_anchor`). Ids are never reused.
	#[pallet::storage]
	pub type RejectedChains<T: Config> = StorageMap<_, Twox64Concat, ChainId, BlockNumberFor<T>>;

	/// The id the next registered child chain gets.
	#[pallet::storage]
	pub type NextChainId<T: Config> = StorageValue<_, ChainId, ValueQuery>;

	/// Registered child chains.
	#[pallet::storage]
	pub type Chains<T: Config> = StorageMap<_, Twox64Concat, ChainId, ChildChainOf<T>>;

	/// The approved registration of each genesis hash: the one chain of that genesis the parent
	/// follows. Pending registrations are not here, so they block nobody.
	#[pallet::storage]
	pub type ChainIdByGenesis<T: Config> = StorageMap<_, Blake2_128Concat, H256, ChainId>;

	/// Each child chain's current GRANDPA authority set.
	#[pallet::storage]
	pub type AuthoritySets<T: Config> =
		StorageMap<_, Twox64Concat, ChainId, StoredAuthoritySetOf<T>>;

	/// Verified child headers still kept: hash to number and state root.
	#[pallet::storage]
	pub type ImportedHeaders<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChainId, Identity, H256, StoredChildHeader>;

	/// The ring buffer of kept header hashes: slot to hash.
	#[pallet::storage]
	pub type ImportedHashes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChainId, Twox64Concat, u32, H256>;

	/// Free finality-proof imports so far in the block: (block, count).
	#[pallet::storage]
	pub type FreeHeaders<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Child chains' anchors proven on the parent: digest, then chain and attester, to the
	/// record. Every attester's anchor on every child is indexed on its own, so nobody blocks
	/// the indexing of another's by indexing their own anchor of the same digest first.
	#[pallet::storage]
	pub type ChildAnchors<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		H256,
		Blake2_128Concat,
		(ChainId, Attester<T::AccountId>),
		ChildAnchorRecordOf<T>,
	>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Whether this chain is a parent or a child.
		pub role: ChainRole,
		/// The symbol of this chain's token.
		pub token_symbol: alloc::string::String,
		/// Milliseconds per block slot, between `MIN_SLOT_DURATION` and `MAX_SLOT_DURATION`
		/// and even; `None` keeps the runtime's default (production chains: 6 s).
		pub slot_duration_ms: Option<u64>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let token_symbol = BoundedVec::try_from(self.token_symbol.as_bytes().to_vec())
				.expect("genesis token symbol longer than MaxSymbolLength");
			ThisChain::<T>::put(ChainIdentity {
				role: self.role,
				token_symbol,
			});
			if let Some(slot_duration) = self.slot_duration_ms {
				assert!(
					valid_slot_duration(slot_duration),
					"genesis slot duration {slot_duration} ms is not an even number of \
					 milliseconds from {MIN_SLOT_DURATION} to {MAX_SLOT_DURATION}"
				);
				SlotDuration::<T>::put(slot_duration);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A child chain was registered; it is pending until the admin origin approves it.
		ChildChainRegistered {
			chain_id: ChainId,
			owner: T::AccountId,
			genesis_hash: H256,
			best_number: u32,
			best_hash: H256,
			authority_set_id: SetId,
			deposit: BalanceOf<T>,
		},
		/// A child chain was deregistered by its owner; its deposit was released.
		ChildChainDeregistered {
			chain_id: ChainId,
			owner: T::AccountId,
			released: BalanceOf<T>,
		},
		/// A child chain was removed by the admin origin; its deposit was released.
		ChildChainForceRemoved {
			chain_id: ChainId,
			owner: T::AccountId,
			released: BalanceOf<T>,
		},
		/// The admin origin approved a registration: the parent follows this chain for its
		/// genesis from now on.
		ChildChainApproved {
			chain_id: ChainId,
			owner: T::AccountId,
			genesis_hash: H256,
		},
		/// The admin origin rejected a registration and removed it; the deposit was slashed
		/// (burned) or released.
		ChildChainRejected {
			chain_id: ChainId,
			owner: T::AccountId,
			slashed: BalanceOf<T>,
			released: BalanceOf<T>,
		},
		/// The admin origin gave a child chain (and its held deposit) to another owner.
		ChildChainOwnerChanged {
			chain_id: ChainId,
			previous_owner: T::AccountId,
			owner: T::AccountId,
		},
		/// A finalized child header was verified and stored.
		ChildHeaderImported {
			chain_id: ChainId,
			number: u32,
			hash: H256,
			state_root: H256,
			submitter: T::AccountId,
		},
		/// A child chain's GRANDPA authority set changed with the header `at`.
		AuthoritySetChanged {
			chain_id: ChainId,
			at: u32,
			set_id: SetId,
			authorities: u32,
		},
		/// A child chain's anchor was proven and indexed.
		ChildAnchorIndexed {
			digest: H256,
			chain_id: ChainId,
			attester: Attester<T::AccountId>,
			child_block_hash: H256,
			child_block_number: u32,
			child_owner: T::AccountId,
			indexed_by: T::AccountId,
			deposit: BalanceOf<T>,
		},
		/// An indexed child anchor was removed by its indexer; its deposit was released.
		ChildAnchorRemoved {
			digest: H256,
			chain_id: ChainId,
			attester: Attester<T::AccountId>,
			indexed_by: T::AccountId,
			released: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No child chain has that id.
		UnknownChain,
		/// Only the child chain's owner (or the indexer) may do this.
		NotOwner,
		/// The name is empty.
		EmptyName,
		/// The name is longer than `MaxNameLength`.
		NameTooLong,
		/// The token symbol is empty.
		EmptySymbol,
		/// The token symbol is longer than `MaxSymbolLength`.
		SymbolTooLong,
		/// More authorities than `MaxAuthorities`.
		TooManyAuthorities,
		/// The authority set is empty, has a zero weight or a duplicate authority.
		InvalidAuthoritySet,
		/// An approved child chain with this genesis hash exists already.
		GenesisAlreadyRegistered,
		/// The registration is pending: the admin origin has not approved it, so no header is
		/// imported and nothing is proven against its state.
		ChainNotApproved,
		/// The registration is approved already.
		AlreadyApproved,
		/// The account owns the chain already.
		AlreadyOwner,
		/// Every chain id has been used.
		ChainIdsExhausted,
		/// The initial header is block 0 but its hash is not the genesis hash.
		GenesisMismatch,
		/// The header is the best verified one already.
		DuplicateHeader,
		/// The header is not newer than the best verified one.
		OldHeader,
		/// The justification carries more precommits than `MaxAuthorities`.
		TooManyPrecommits,
		/// The justification carries more ancestry headers than `MaxVotesAncestries`.
		TooManyVotesAncestries,
		/// The header carries a forced authority-set change, which a light client cannot follow.
		UnsupportedForcedChange,
		/// The header schedules an authority-set change with a delay; only zero delays are
		/// followed.
		UnsupportedScheduledChange,
		/// The justification finalizes another header.
		JustificationTargetMismatch,
		/// A precommit's signature does not verify (forged, or made for another set id or
		/// round).
		InvalidAuthoritySignature,
		/// A precommit is signed by an authority outside the current set.
		UnknownAuthorityVote,
		/// An authority voted twice.
		DuplicateAuthorityVote,
		/// The justification carries more precommits than it needs.
		RedundantAuthorityVote,
		/// A precommit is for a block that does not descend from the header.
		UnrelatedAncestryVote,
		/// The vote ancestry has a header twice.
		DuplicateVotesAncestries,
		/// The vote ancestry has a header no precommit needs.
		RedundantVotesAncestries,
		/// The valid votes weigh 2/3 of the set or less.
		TooLowCumulativeWeight,
		/// The parent keeps no verified header of the child with that hash.
		UnknownChildBlock,
		/// The storage proof is larger than `MaxStorageProofSize`.
		StorageProofTooLarge,
		/// The storage proof does not prove the key under the header's state root.
		InvalidStorageProof,
		/// The proof shows the child chain has not anchored the digest (at that block).
		NotAnchoredOnChild,
		/// The proven value is not an anchor record.
		UndecodableChildAnchor,
		/// The digest is already indexed for that child chain.
		AlreadyIndexed,
		/// The digest is not indexed for that child chain.
		NotIndexed,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a child chain named `name` whose token is `token_symbol`, starting from
		/// its finalized `initial_header` and the GRANDPA `authorities` (set `set_id`) that
		/// finalize the headers after it. The sender owns the entry; a deposit is held. The
		/// registration is pending until the admin origin approves it (nothing here is proven),
		/// and a pending one blocks no other registration of the same genesis.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_child_chain(authorities.len() as u32))]
		pub fn register_child_chain(
			origin: OriginFor<T>,
			name: Vec<u8>,
			token_symbol: Vec<u8>,
			genesis_hash: H256,
			initial_header: Box<ChildHeader>,
			authorities: Vec<(AuthorityId, AuthorityWeight)>,
			set_id: SetId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			let name: BoundedVec<_, T::MaxNameLength> =
				name.try_into().map_err(|_| Error::<T>::NameTooLong)?;
			ensure!(!token_symbol.is_empty(), Error::<T>::EmptySymbol);
			let token_symbol: BoundedVec<_, T::MaxSymbolLength> = token_symbol
				.try_into()
				.map_err(|_| Error::<T>::SymbolTooLong)?;
			let authorities = Self::checked_authorities(authorities)?;
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
			Self::store_header(chain_id, &mut chain, &initial_header);
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

		/// Removes the child chain `chain_id` with its headers and authority set, and releases
		/// its deposit. Owner only, and only once approved: a pending registration is settled by
		/// governance (approved, or rejected with or without its deposit), so a squatter cannot
		/// withdraw ahead of a rejection. Anchors indexed from it stay.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::deregister_child_chain(T::HeadersToKeep::get()))]
		pub fn deregister_child_chain(origin: OriginFor<T>, chain_id: ChainId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let chain = Chains::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
			ensure!(chain.owner == who, Error::<T>::NotOwner);
			ensure!(chain.is_approved(), Error::<T>::ChainNotApproved);
			let released = Self::remove_chain(chain_id, &chain, chain.deposit)?;
			Self::deposit_event(Event::ChildChainDeregistered {
				chain_id,
				owner: chain.owner,
				released,
			});
			Ok(())
		}

		/// Removes the child chain `chain_id` like `deregister_child_chain`, by the admin
		/// origin; the deposit goes back to the owner.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deregister_child_chain(T::HeadersToKeep::get()))]
		pub fn force_remove_child_chain(origin: OriginFor<T>, chain_id: ChainId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let chain = Chains::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
			let released = Self::remove_chain(chain_id, &chain, chain.deposit)?;
			Self::deposit_event(Event::ChildChainForceRemoved {
				chain_id,
				owner: chain.owner,
				released,
			});
			Ok(())
		}

		/// Submits `header` of child chain `chain_id` with the GRANDPA `justification` that
		/// finalizes it. Verified against the child's current authority set; the header must
		/// be newer than the best verified one. A scheduled authority-set change in its digest
		/// takes effect for the headers after it. Free when it succeeds, for the first import of
		/// the chain in a block and up to `MaxFreeHeadersPerBlock` free imports a block.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::finality_proof_weight(header, justification))]
		pub fn submit_finality_proof(
			origin: OriginFor<T>,
			chain_id: ChainId,
			header: Box<ChildHeader>,
			justification: ChildJustification,
		) -> DispatchResultWithPostInfo {
			let submitter = ensure_signed(origin)?;
			let mut chain = Chains::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
			ensure!(chain.is_approved(), Error::<T>::ChainNotApproved);
			let hash = header.hash();
			let number = *header.number();
			ensure!(
				!(number == chain.best_number && hash == chain.best_hash),
				Error::<T>::DuplicateHeader
			);
			ensure!(number > chain.best_number, Error::<T>::OldHeader);
			ensure!(
				justification.commit.precommits.len() <= T::MaxAuthorities::get() as usize,
				Error::<T>::TooManyPrecommits
			);
			ensure!(
				justification.votes_ancestries.len() <= T::MaxVotesAncestries::get() as usize,
				Error::<T>::TooManyVotesAncestries
			);
			ensure!(
				GrandpaConsensusLogReader::<u32>::find_forced_change(header.digest()).is_none(),
				Error::<T>::UnsupportedForcedChange
			);

			let set = AuthoritySets::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
			let context = JustificationVerificationContext::try_from(set.to_authority_set())
				.map_err(|_| Error::<T>::InvalidAuthoritySet)?;
			verify_justification::<ChildHeader>((hash, number), &context, &justification)
				.map_err(Self::justification_error)?;

			if let Some(change) =
				GrandpaConsensusLogReader::<u32>::find_scheduled_change(header.digest())
			{
				ensure!(change.delay == 0, Error::<T>::UnsupportedScheduledChange);
				Self::enact_authority_set_change(
					chain_id,
					number,
					set.set_id,
					change.next_authorities,
				)?;
			}

			Self::store_header(chain_id, &mut chain, &header);
			let free = Self::take_free_slot(&mut chain);
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

		/// Proves with `storage_proof` (trie nodes, as `state_getReadProof` returns them) that
		/// child chain `chain_id`'s data-anchoring pallet holds `attester`'s anchor of `digest`
		/// in the state of the verified child block `child_block_hash`, and records it on this
		/// chain. A deposit is held from the sender.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::index_child_anchor(Pallet::<T>::proof_size(storage_proof)))]
		pub fn index_child_anchor(
			origin: OriginFor<T>,
			chain_id: ChainId,
			child_block_hash: H256,
			digest: H256,
			attester: Attester<T::AccountId>,
			storage_proof: Vec<Vec<u8>>,
		) -> DispatchResult {
			let indexed_by = ensure_signed(origin)?;
			ensure!(
				Self::proof_size(&storage_proof) <= T::MaxStorageProofSize::get(),
				Error::<T>::StorageProofTooLarge
			);
			ensure!(
				!ChildAnchors::<T>::contains_key(digest, (chain_id, &attester)),
				Error::<T>::AlreadyIndexed
			);
			let key = T::ChildAnchors::storage_key(&digest, &attester);
			let (child_header, value) =
				Self::read_verified(chain_id, child_block_hash, &key, storage_proof).map_err(
					|error| match error {
						ChildProofError::UnknownChain => Error::<T>::UnknownChain,
						ChildProofError::UnknownBlock => Error::<T>::UnknownChildBlock,
						ChildProofError::BadProof => Error::<T>::InvalidStorageProof,
						ChildProofError::NotApproved => Error::<T>::ChainNotApproved,
					},
				)?;
			let value = value.ok_or(Error::<T>::NotAnchoredOnChild)?;
			let facts =
				T::ChildAnchors::decode(&value).ok_or(Error::<T>::UndecodableChildAnchor)?;
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

		/// Removes the index entry of `attester`'s anchor of `digest` on child chain `chain_id`
		/// and releases its deposit. Only the account that indexed it.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_child_anchor())]
		pub fn remove_child_anchor(
			origin: OriginFor<T>,
			digest: H256,
			chain_id: ChainId,
			attester: Attester<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = ChildAnchors::<T>::get(digest, (chain_id, &attester))
				.ok_or(Error::<T>::NotIndexed)?;
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

		/// Approves the pending registration `chain_id`: the parent follows it as the chain of
		/// its genesis from now on (headers, storage proofs, indexed anchors). Admin origin; the
		/// genesis must not have an approved chain already.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_child_chain())]
		pub fn approve_child_chain(origin: OriginFor<T>, chain_id: ChainId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut chain = Chains::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
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

		/// Rejects the registration `chain_id` (pending or approved) and removes it with its
		/// headers; with `slash_deposit` its deposit is burned (a squatter's or a forger's),
		/// otherwise released to the owner. Anchors indexed from it are no longer served by
		/// `child_anchor`. Admin origin.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::reject_child_chain(T::HeadersToKeep::get()))]
		pub fn reject_child_chain(
			origin: OriginFor<T>,
			chain_id: ChainId,
			slash_deposit: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let chain = Chains::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
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
			let released =
				Self::remove_chain(chain_id, &chain, chain.deposit.saturating_sub(slashed))?;
			RejectedChains::<T>::insert(chain_id, frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::ChildChainRejected {
				chain_id,
				owner: chain.owner,
				slashed,
				released,
			});
			Ok(())
		}

		/// Gives the child chain `chain_id` to `new_owner`, with its held deposit (for a business
		/// whose registration someone else submitted, or a lost key). Admin origin; the new
		/// owner must be an existing account.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::reassign_child_chain_owner())]
		pub fn reassign_child_chain_owner(
			origin: OriginFor<T>,
			chain_id: ChainId,
			new_owner: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut chain = Chains::<T>::get(chain_id).ok_or(Error::<T>::UnknownChain)?;
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
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
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

	/// Whether this import is free: the chain's first in this block, and a free slot left in
	/// the block. Takes the slot if so.
	fn take_free_slot(chain: &mut ChildChainOf<T>) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		if chain.last_free_import == Some(now) {
			return false;
		}
		let (block, used) = FreeHeaders::<T>::get();
		let used = if block == now { used } else { 0 };
		if used >= T::MaxFreeHeadersPerBlock::get() {
			return false;
		}
		FreeHeaders::<T>::put((now, used.saturating_add(1)));
		chain.last_free_import = Some(now);
		true
	}

	/// Checks an authority list and bounds it.
	fn checked_authorities(
		authorities: Vec<(AuthorityId, AuthorityWeight)>,
	) -> Result<BoundedAuthorityList<T>, Error<T>> {
		let bounded: BoundedVec<_, T::MaxAuthorities> = authorities
			.try_into()
			.map_err(|_| Error::<T>::TooManyAuthorities)?;
		let mut ids: Vec<&AuthorityId> = bounded.iter().map(|(id, _)| id).collect();
		ids.sort();
		ids.dedup();
		let valid = !bounded.is_empty()
			&& ids.len() == bounded.len()
			&& bounded.iter().all(|(_, weight)| *weight > 0)
			&& JustificationVerificationContext::try_from(bp_header_chain::AuthoritySet::new(
				bounded.to_vec(),
				0,
			))
			.is_ok();
		if valid {
			Ok(bounded)
		} else {
			Err(Error::<T>::InvalidAuthoritySet)
		}
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

	/// Stores a chain record.
	#[cfg(feature = "runtime-benchmarks")]
	pub(crate) fn insert_chain(chain_id: ChainId, chain: ChildChainOf<T>) {
		Chains::<T>::insert(chain_id, chain);
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
		let limit = T::HeadersToKeep::get();
		let _ = ImportedHeaders::<T>::clear_prefix(chain_id, limit, None);
		let _ = ImportedHashes::<T>::clear_prefix(chain_id, limit, None);
		AuthoritySets::<T>::remove(chain_id);
		// Only the approved chain of a genesis owns its entry; a pending one of the same genesis
		// leaves it alone.
		if ChainIdByGenesis::<T>::get(chain.genesis_hash) == Some(chain_id) {
			ChainIdByGenesis::<T>::remove(chain.genesis_hash);
		}
		Chains::<T>::remove(chain_id);
		Ok(released)
	}

	/// Names a justification verification failure.
	fn justification_error(error: JustificationVerificationError) -> Error<T> {
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

	/// Total bytes of a storage proof's trie nodes.
	pub fn proof_size(proof: &[Vec<u8>]) -> u32 {
		proof
			.iter()
			.fold(0u32, |size, node| size.saturating_add(node.len() as u32))
	}

	/// The weight of `submit_finality_proof` for these arguments: by precommits and ancestry
	/// headers (each capped at its bound: beyond it the call fails early), plus enacting an
	/// authority-set change if the header schedules one.
	pub fn finality_proof_weight(
		header: &ChildHeader,
		justification: &ChildJustification,
	) -> Weight {
		let precommits =
			(justification.commit.precommits.len() as u32).min(T::MaxAuthorities::get());
		let ancestries =
			(justification.votes_ancestries.len() as u32).min(T::MaxVotesAncestries::get());
		let base = T::WeightInfo::submit_finality_proof(precommits, ancestries);
		match GrandpaConsensusLogReader::<u32>::find_scheduled_change(header.digest()) {
			Some(change) => base.saturating_add(T::WeightInfo::enact_authority_set_change(
				(change.next_authorities.len() as u32).min(T::MaxAuthorities::get()),
			)),
			None => base,
		}
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

	/// [`Self::read_child_storage`], also handing back the verified header the proof was
	/// checked against.
	fn read_verified(
		chain_id: ChainId,
		block_hash: H256,
		key: &[u8],
		proof: Vec<Vec<u8>>,
	) -> Result<(StoredChildHeader, Option<Vec<u8>>), ChildProofError> {
		let chain = Chains::<T>::get(chain_id).ok_or(ChildProofError::UnknownChain)?;
		if !chain.is_approved() {
			return Err(ChildProofError::NotApproved);
		}
		let header =
			ImportedHeaders::<T>::get(chain_id, block_hash).ok_or(ChildProofError::UnknownBlock)?;
		let db =
			sp_trie::StorageProof::new(proof).into_memory_db::<sp_runtime::traits::BlakeTwo256>();
		let value =
			sp_trie::read_trie_value::<sp_trie::LayoutV1<sp_runtime::traits::BlakeTwo256>, _>(
				&db,
				&header.state_root,
				key,
				None,
				None,
			)
			.map_err(|_| ChildProofError::BadProof)?;
		Ok((header, value))
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

	/// Checks the pallet's invariants: every chain has an authority set, a genesis entry, its
	/// best header among its kept headers, ring and headers agree, and deposits equal holds.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::fungible::InspectHold};
		use sp_runtime::traits::{Saturating, Zero};
		if let Some(slot_duration) = SlotDuration::<T>::get() {
			ensure!(
				valid_slot_duration(slot_duration),
				"slot duration out of range"
			);
		}
		let mut held: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		for (chain_id, chain) in Chains::<T>::iter() {
			ensure!(
				AuthoritySets::<T>::contains_key(chain_id),
				"chain without authority set"
			);
			ensure!(
				(ChainIdByGenesis::<T>::get(chain.genesis_hash) == Some(chain_id))
					== chain.is_approved(),
				"approved chain without genesis entry, or pending chain with one"
			);
			ensure!(
				ImportedHeaders::<T>::get(chain_id, chain.best_hash).map(|h| h.number)
					== Some(chain.best_number),
				"best header not kept"
			);
			let hashes: Vec<H256> = ImportedHashes::<T>::iter_prefix_values(chain_id).collect();
			let headers = ImportedHeaders::<T>::iter_prefix(chain_id).count();
			ensure!(hashes.len() == headers, "ring and headers disagree");
			ensure!(
				hashes.len() <= T::HeadersToKeep::get() as usize,
				"ring over its bound"
			);
			ensure!(
				hashes
					.iter()
					.all(|hash| ImportedHeaders::<T>::contains_key(chain_id, hash)),
				"ring points to a pruned header"
			);
			let entry = held.entry(chain.owner.clone()).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(chain.deposit);
		}
		ensure!(
			ChainIdByGenesis::<T>::iter().count()
				== Chains::<T>::iter_values()
					.filter(|chain| chain.is_approved())
					.count(),
			"stale genesis entries"
		);
		for who in held.keys() {
			let on_hold =
				T::Currency::balance_on_hold(&HoldReason::RegistrationDeposit.into(), who);
			ensure!(
				on_hold == held[who],
				"registration deposits differ from holds"
			);
		}
		let mut held: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		for (_, _, record) in ChildAnchors::<T>::iter() {
			let entry = held
				.entry(record.indexed_by.clone())
				.or_insert_with(Zero::zero);
			*entry = entry.saturating_add(record.deposit);
		}
		for who in held.keys() {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::IndexDeposit.into(), who);
			ensure!(on_hold == held[who], "index deposits differ from holds");
		}
		Ok(())
	}
}
