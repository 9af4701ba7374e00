//! # Child chains pallet
//!
//! Lets a VIoT parent chain follow its **child chains** — businesses' own chains, with their
//! own validators and token, running the same runtime — and prove facts about their state,
//! without trusting whoever relays the data.
//!
//! - Registry (`registry.rs`): any account registers a child chain from a finalized header
//!   and the GRANDPA authority set that finalizes its successors, holding a deposit
//!   ([`Pallet::register_child_chain`]). Nothing of a registration is trusted until the admin
//!   origin approves it ([`Pallet::approve_child_chain`]); it may also reject it and slash the
//!   deposit, give it to another owner, remove it, halt it, or re-initialize it from a header
//!   and authority set it trusts after a forced change ([`Pallet::reinitialize_child_chain`]).
//! - Light client (`grandpa.rs`): anyone (a relayer) submits a newer header of an approved,
//!   running chain with its GRANDPA justification ([`Pallet::submit_finality_proof`]),
//!   verified with `bp-header-chain` against the child's current authority set; a scheduled
//!   authority-set change (zero delay) is enacted; the header's state root goes into a ring
//!   of `HeadersToKeep` headers. Sizes are bounded (`MaxHeaderSize`, `MaxFinalityProofSize`)
//!   and weighed by bytes. A proof that advances the chain is free (`Pays::No`) when it is
//!   small (`MaxFreeFinalityProofSize`), the chain's first in the block, and among the first
//!   `MaxFreeHeadersPerBlock` of the block.
//! - Pool check (`extension.rs`): the transaction extension [`CheckChildFinalityProof`]
//!   refuses, before a block includes them, proofs that cannot import (stale, duplicate, for
//!   an unknown, pending or halted chain, or out of bounds), so relayers racing with the same
//!   header never pay for the loser.
//! - Storage proofs (`proofs.rs`): [`Pallet::index_child_anchor`] proves with a bounded trie
//!   proof (`MaxStorageProofNodes`, `MaxStorageProofSize`, no empty node; weighed by nodes and
//!   bytes), against a verified child state root, that the child's data-anchoring pallet
//!   holds a digest, and records on the parent which child chain anchored it, where and by
//!   whom.
//!
//! Limits, as in polkadot-sdk's GRANDPA bridge: only scheduled changes with a zero delay are
//! followed (what a standard GRANDPA chain emits); a header with a forced change is refused,
//! and governance re-initializes the chain instead.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod extension;
mod grandpa;
pub mod migrations;
#[cfg(test)]
mod mock;
mod proofs;
mod registry;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::verified_counterpart;
pub use extension::CheckChildFinalityProof;
pub use types::*;
pub use weights::WeightInfo;

use alloc::{boxed::Box, vec::Vec};
use frame_support::{
	dispatch::{DispatchResult, DispatchResultWithPostInfo},
	traits::{
		fungible::{Mutate, MutateHold},
		Get,
	},
	BoundedVec,
};
use sp_core::H256;
use viot_primitives::{
	anchor::Attester,
	child::{
		AuthorityId, AuthorityWeight, ChainId, ChildHeader, ChildJustification, SetId,
		StoredChildHeader,
	},
	time::{valid_slot_duration, MAX_SLOT_DURATION, MIN_SLOT_DURATION},
};

/// What other pallets keep about a followed chain, so it is not dropped from under them.
pub trait ChainUsers {
	/// Whether some pallet holds state about the chain with `genesis_hash` that needs the chain
	/// followed to be settled.
	fn in_use(genesis_hash: &sp_core::H256) -> bool;
	/// The weight of [`ChainUsers::in_use`].
	fn in_use_weight() -> frame_support::weights::Weight;
}

/// No other pallet uses followed chains.
impl ChainUsers for () {
	fn in_use(_: &sp_core::H256) -> bool {
		false
	}
	fn in_use_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

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

		/// Most trie nodes in a storage proof.
		#[pallet::constant]
		type MaxStorageProofNodes: Get<u32>;

		/// Largest encoded child header (the finalized one and each vote-ancestry header).
		#[pallet::constant]
		type MaxHeaderSize: Get<u32>;

		/// Largest encoded finality proof (header and justification together).
		#[pallet::constant]
		type MaxFinalityProofSize: Get<u32>;

		/// Largest finality proof imported for free; larger ones pay.
		#[pallet::constant]
		type MaxFreeFinalityProofSize: Get<u32>;

		/// Other pallets' state about a chain (the message lanes' escrow, queues and wrapped
		/// tokens): while they hold some, its owner cannot deregister it (governance can).
		type ChainUsers: ChainUsers;

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

	/// Chains governance halted, with the parent block of the halt: no header of theirs is
	/// imported until governance resumes or re-initializes them. What was verified before the
	/// halt stays provable.
	#[pallet::storage]
	pub type HaltedChains<T: Config> = StorageMap<_, Twox64Concat, ChainId, BlockNumberFor<T>>;

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

	/// The extrinsic the pool check ([`CheckChildFinalityProof`]) marked as a top-level finality
	/// proof: (block, extrinsic index). Only such a proof may be free; the call takes the mark.
	#[pallet::storage]
	pub type TopLevelProof<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), OptionQuery>;

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
		/// Ties the configuration to the runtime.
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
			/// The child chain.
			chain_id: ChainId,
			/// The chain's owner.
			owner: T::AccountId,
			/// The child's genesis hash.
			genesis_hash: H256,
			/// Number of the header the chain starts from.
			best_number: u32,
			/// Hash of that header.
			best_hash: H256,
			/// The GRANDPA authority set id.
			authority_set_id: SetId,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// A child chain was deregistered by its owner; its deposit was released.
		ChildChainDeregistered {
			/// The child chain.
			chain_id: ChainId,
			/// The chain's owner.
			owner: T::AccountId,
			/// The deposit released.
			released: BalanceOf<T>,
		},
		/// A child chain was removed by the admin origin; its deposit was released.
		ChildChainForceRemoved {
			/// The child chain.
			chain_id: ChainId,
			/// The chain's owner.
			owner: T::AccountId,
			/// The deposit released.
			released: BalanceOf<T>,
		},
		/// The admin origin approved a registration: the parent follows this chain for its
		/// genesis from now on.
		ChildChainApproved {
			/// The child chain.
			chain_id: ChainId,
			/// The chain's owner.
			owner: T::AccountId,
			/// The child's genesis hash.
			genesis_hash: H256,
		},
		/// The admin origin rejected a registration and removed it; the deposit was slashed
		/// (burned) or released.
		ChildChainRejected {
			/// The child chain.
			chain_id: ChainId,
			/// The chain's owner.
			owner: T::AccountId,
			/// The part of the deposit burned.
			slashed: BalanceOf<T>,
			/// The deposit released.
			released: BalanceOf<T>,
		},
		/// The admin origin gave a child chain (and its held deposit) to another owner.
		ChildChainOwnerChanged {
			/// The child chain.
			chain_id: ChainId,
			/// The owner before.
			previous_owner: T::AccountId,
			/// The chain's owner.
			owner: T::AccountId,
		},
		/// A finalized child header was verified and stored.
		ChildHeaderImported {
			/// The child chain.
			chain_id: ChainId,
			/// The header's number.
			number: u32,
			/// The header's hash.
			hash: H256,
			/// The child's state root at the header.
			state_root: H256,
			/// Who submitted the proof.
			submitter: T::AccountId,
		},
		/// A child chain's GRANDPA authority set changed with the header `at`.
		AuthoritySetChanged {
			/// The child chain.
			chain_id: ChainId,
			/// The header that enacted the change.
			at: u32,
			/// The new set id.
			set_id: SetId,
			/// How many authorities the set has.
			authorities: u32,
		},
		/// The admin origin rejected a chain that was already removed (by its owner): anchors
		/// indexed from it are no longer served.
		RemovedChainRejected {
			/// The removed chain.
			chain_id: ChainId,
		},
		/// The admin origin halted a child chain (`halted`) or resumed it.
		ChildChainHaltChanged {
			/// The child chain.
			chain_id: ChainId,
			/// Whether the chain is halted now.
			halted: bool,
		},
		/// The admin origin re-initialized a child chain from a header and authority set it
		/// trusts; the headers kept before were dropped and a halt was lifted.
		ChildChainReinitialized {
			/// The child chain.
			chain_id: ChainId,
			/// The header's number.
			number: u32,
			/// The header's hash.
			hash: H256,
			/// The GRANDPA authority set id.
			authority_set_id: SetId,
			/// How many authorities the set has.
			authorities: u32,
		},
		/// A child chain's anchor was proven and indexed.
		ChildAnchorIndexed {
			/// The anchored digest.
			digest: H256,
			/// The child chain.
			chain_id: ChainId,
			/// Who attested it on the child chain.
			attester: Attester<T::AccountId>,
			/// The child block whose state proved it.
			child_block_hash: H256,
			/// Its number.
			child_block_number: u32,
			/// The child account that anchored it.
			child_owner: T::AccountId,
			/// The parent account that indexed it.
			indexed_by: T::AccountId,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// An indexed child anchor was removed by its indexer; its deposit was released.
		ChildAnchorRemoved {
			/// The anchored digest.
			digest: H256,
			/// The child chain.
			chain_id: ChainId,
			/// Who attested it on the child chain.
			attester: Attester<T::AccountId>,
			/// The parent account that indexed it.
			indexed_by: T::AccountId,
			/// The deposit released.
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
		/// More authorities than `MaxAuthorities` (registered, scheduled by a header, or set by
		/// governance).
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
		/// A header (the finalized one or a vote-ancestry header) is larger than
		/// `MaxHeaderSize`.
		HeaderTooLarge,
		/// Header and justification together are larger than `MaxFinalityProofSize`.
		FinalityProofTooLarge,
		/// The storage proof has more nodes than `MaxStorageProofNodes`.
		StorageProofTooManyNodes,
		/// The storage proof has an empty node.
		EmptyStorageProofNode,
		/// Governance halted the chain: no header is imported until it resumes or
		/// re-initializes it.
		ChainHalted,
		/// The chain is already halted (or already running).
		HaltUnchanged,
		/// The chain was rejected already.
		AlreadyRejected,
		/// Another pallet still holds state about the chain (tokens locked for it or wrapped
		/// from it, messages in flight): only governance removes it.
		ChainInUse,
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
			Self::do_register(
				owner,
				name,
				token_symbol,
				genesis_hash,
				&initial_header,
				authorities,
				set_id,
			)
		}

		/// Removes the child chain `chain_id` with its headers and authority set, and releases
		/// its deposit. Owner only, once approved and while not halted: a pending or halted chain
		/// is settled by governance, so its owner cannot withdraw ahead of a rejection. Refused
		/// while another pallet holds state about the chain ([`Config::ChainUsers`]: tokens
		/// locked for it or wrapped from it, messages in flight), which would be stuck once the
		/// chain is no longer followed. Anchors indexed from it stay.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::deregister_child_chain(T::HeadersToKeep::get())
				.saturating_add(T::ChainUsers::in_use_weight())
		)]
		pub fn deregister_child_chain(origin: OriginFor<T>, chain_id: ChainId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who, chain_id)
		}

		/// Removes the child chain `chain_id` like `deregister_child_chain`, by the admin
		/// origin; the deposit goes back to the owner.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deregister_child_chain(T::HeadersToKeep::get()))]
		pub fn force_remove_child_chain(origin: OriginFor<T>, chain_id: ChainId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_force_remove(chain_id)
		}

		/// Submits `header` of child chain `chain_id` with the GRANDPA `justification` that
		/// finalizes it. Verified against the child's current authority set; the header must
		/// be newer than the best verified one and within the size bounds. A scheduled
		/// authority-set change in its digest takes effect for the headers after it. Free when
		/// it succeeds, is at most `MaxFreeFinalityProofSize` bytes, is the chain's first
		/// import in the block and among the first `MaxFreeHeadersPerBlock` of the block.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::finality_proof_weight(header, justification))]
		pub fn submit_finality_proof(
			origin: OriginFor<T>,
			chain_id: ChainId,
			header: Box<ChildHeader>,
			justification: ChildJustification,
		) -> DispatchResultWithPostInfo {
			let submitter = ensure_signed(origin)?;
			Self::do_submit_finality_proof(submitter, chain_id, &header, &justification)
		}

		/// Proves with `storage_proof` (trie nodes, as `state_getReadProof` returns them) that
		/// child chain `chain_id`'s data-anchoring pallet holds `attester`'s anchor of `digest`
		/// in the state of the verified child block `child_block_hash`, and records it on this
		/// chain. A deposit is held from the sender.
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::index_child_anchor_weight(storage_proof))]
		pub fn index_child_anchor(
			origin: OriginFor<T>,
			chain_id: ChainId,
			child_block_hash: H256,
			digest: H256,
			attester: Attester<T::AccountId>,
			storage_proof: Vec<Vec<u8>>,
		) -> DispatchResult {
			let indexed_by = ensure_signed(origin)?;
			Self::do_index_child_anchor(
				indexed_by,
				chain_id,
				child_block_hash,
				digest,
				attester,
				storage_proof,
			)
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
			Self::do_remove_child_anchor(who, digest, chain_id, attester)
		}

		/// Approves the pending registration `chain_id`: the parent follows it as the chain of
		/// its genesis from now on (headers, storage proofs, indexed anchors). Admin origin; the
		/// genesis must not have an approved chain already.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_child_chain())]
		pub fn approve_child_chain(origin: OriginFor<T>, chain_id: ChainId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_approve(chain_id)
		}

		/// Rejects the registration `chain_id` (pending or approved) and removes it with its
		/// headers; with `slash_deposit` its deposit is burned (a squatter's or a forger's),
		/// otherwise released to the owner. Anchors indexed from it are no longer served by
		/// `child_anchor`. A chain its owner removed already can still be rejected (nothing is
		/// left to slash), so deregistering ahead of a rejection keeps no forged anchor served.
		/// Admin origin.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::reject_child_chain(T::HeadersToKeep::get()))]
		pub fn reject_child_chain(
			origin: OriginFor<T>,
			chain_id: ChainId,
			slash_deposit: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_reject(chain_id, slash_deposit)
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
			Self::do_reassign(chain_id, new_owner)
		}

		/// Halts the child chain `chain_id` (`halted`: no header of it is imported, e.g. while
		/// its validators are suspected) or resumes it. What was verified before stays
		/// provable. Admin origin.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_child_chain_halted())]
		pub fn set_child_chain_halted(
			origin: OriginFor<T>,
			chain_id: ChainId,
			halted: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_halted(chain_id, halted)
		}

		/// Re-initializes the approved child chain `chain_id` from `header`, a finalized child
		/// header governance trusts, and the GRANDPA `authorities` (set `set_id`) that finalize
		/// the headers after it: the way back after a forced authority-set change (which the
		/// light client cannot follow) or a gap no relayer can fill. The headers kept before
		/// are dropped (their finality rested on the replaced set) and a halt is lifted. Admin
		/// origin.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::reinitialize_child_chain(
			authorities.len() as u32,
			T::HeadersToKeep::get(),
		))]
		pub fn reinitialize_child_chain(
			origin: OriginFor<T>,
			chain_id: ChainId,
			header: Box<ChildHeader>,
			authorities: Vec<(AuthorityId, AuthorityWeight)>,
			set_id: SetId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_reinitialize(chain_id, &header, authorities, set_id)
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
