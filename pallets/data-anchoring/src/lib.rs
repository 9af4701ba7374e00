//! # Data anchoring pallet
//!
//! Makes IoT data tamper-evident and traceable. The data stays off chain; its 32-byte digest is
//! **anchored**, so anyone can later prove that a record existed, unaltered, at a given block and
//! time, who or which device vouched for it, and where it sits in an item's history.
//!
//! - [`Pallet::anchor`]: any account anchors a digest, optionally about a **subject** (an item)
//!   with an event **kind** (see [`viot_primitives::anchor::kind`]) and metadata.
//! - An anchor is keyed by its digest and its **attester** ([`Attester`]: the submitting
//!   account, a signing device, or a tag and a reader). Every attester attests a digest once,
//!   each attestation keeps its own block and time, and nobody can block, replace or take over
//!   another's attestation by anchoring the same digest first.
//! - [`Pallet::anchor_batch`]: anchors the Merkle root of many records in one transaction; the
//!   `DataAnchoringApi::verify_inclusion` runtime API proves any record of the batch against the
//!   named attester's batch (tree and hashing: [`viot_primitives::anchor`]).
//! - [`Pallet::anchor_from_device`]: a registered device signs the anchor, any account (a
//!   gateway) submits it and pays.
//! - [`Pallet::anchor_scan`]: a tag and a reader both sign one scan (two-way authenticated RFID);
//!   the record names both.
//! - Every anchor with a subject is appended to the subject's **trace**, stored as an index map
//!   plus a counter, never as a growing vector.
//! - A deposit for the stored bytes is held from the submitter; after `MinimumRetention` blocks
//!   the owner may [`Pallet::release_anchor`] it to get the deposit back. The events stay in the
//!   chain's history.
//!
//! Device signatures are checked by the runtime's [`VerifyDevice`] implementation (the
//! device-identity pallet): active device, its current key, its current nonce, this chain.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod fuzz;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use codec::{Encode, MaxEncodedLen};
use frame_support::{
	dispatch::DispatchResult,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::Precision,
		Get, UnixTime,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};
use viot_primitives::{
	anchor::{
		verify_merkle_proof, AnchorInfo, AnchorSource, Attester, InclusionError, InclusionProof,
		SubjectId, TraceEntry,
	},
	device::{DeviceAction, DeviceId, DeviceSignature, KeyKind, VerifyDevice},
};

/// Most trace entries one `trace` page returns.
pub const MAX_PAGE: u32 = 1_000;

/// Most attestations of one digest `attestations` returns.
pub const MAX_ATTESTATIONS_PAGE: u32 = 1_000;

/// An attester of this runtime.
pub type AttesterOf<T> = Attester<<T as frame_system::Config>::AccountId>;

/// An anchor as the runtime API returns it.
pub type AnchorInfoOf<T> = AnchorInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// A trace entry as the runtime API returns it.
pub type TraceEntryOf<T> = TraceEntry<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// Registers devices for benchmarks, in whatever way the runtime's [`VerifyDevice`] knows them.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Registers an active device `device` with `key`.
	fn register_device(device: DeviceId, key: viot_primitives::device::DevicePublicKey);
}

/// Anchor `number` of a genesis population (`GenesisConfig::population`) with `per_subject`
/// anchors per subject: its digest `blake2_256("viot/population/anchor" ‖ number as u32 LE)` and
/// its subject `blake2_256("viot/population/subject" ‖ (number / per_subject) as u32 LE)`.
pub fn population_anchor(number: u32, per_subject: u32) -> (H256, SubjectId) {
	use sp_runtime::traits::{BlakeTwo256, Hash};
	let derive = |label: &[u8], n: u32| BlakeTwo256::hash(&[label, &n.to_le_bytes()].concat());
	(
		derive(b"viot/population/anchor", number),
		derive(b"viot/population/subject", number / per_subject.max(1)).0,
	)
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version. 2: anchors keyed by digest and attester, trace entries
	/// naming both (`migrations::v2`).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

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

		/// Checks device signatures (the device-identity pallet).
		type Devices: VerifyDevice;

		/// The time anchors are stamped with (the timestamp pallet).
		type TimeProvider: UnixTime;

		/// Deposit held for every anchor, whatever its size.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// Deposit held per stored byte of an anchor and its trace entry.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Longest anchor metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLength: Get<u32>;

		/// Blocks an anchor must stay before its owner may release it.
		#[pallet::constant]
		type MinimumRetention: Get<BlockNumberFor<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Registers devices for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for an anchor record and its trace entry.
		#[codec(index = 0)]
		AnchorDeposit,
	}

	/// Anchors: each attester's attestation of a digest (for a batch, its Merkle root).
	#[pallet::storage]
	pub type Anchors<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		H256,
		Blake2_128Concat,
		AttesterOf<T>,
		Anchor<T>,
		OptionQuery,
	>;

	/// Traces: the anchor (digest and attester) at each position of a subject's history.
	#[pallet::storage]
	pub type Traces<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		SubjectId,
		Twox64Concat,
		u32,
		(H256, AttesterOf<T>),
		OptionQuery,
	>;

	/// How far each subject's trace goes.
	#[pallet::storage]
	pub type TraceCounters<T: Config> =
		StorageMap<_, Blake2_128Concat, SubjectId, TraceCounter, ValueQuery>;

	/// Who paid for each subject's trace counter (the owner of its first anchor) and how much.
	/// A counter stays for good, so that a position always names the same entry; its deposit
	/// stays held with it. Counters made before spec_version 106 have none.
	#[pallet::storage]
	pub type TraceCounterDeposits<T: Config> =
		StorageMap<_, Blake2_128Concat, SubjectId, (T::AccountId, BalanceOf<T>), OptionQuery>;

	/// Genesis: no anchor unless `population` is set.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(owner, n, per_subject)`: a synthetic population for measuring how the chain's costs
		/// grow with its state (`scripts/bench/scale.mjs`); no real chain sets it. `owner`
		/// anchors digests `0..n` ([`population_anchor`]), `per_subject` of them on each
		/// subject's trace (anchor `i` on subject `i / per_subject`); their deposits are minted
		/// to it and held, as `anchor` holds them.
		pub population: Option<(T::AccountId, u32, u32)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use frame_support::traits::fungible::Inspect;
			let Some((owner, count, per_subject)) = &self.population else {
				return;
			};
			assert!(
				*per_subject > 0,
				"a population needs at least one anchor per subject"
			);
			// An anchor with empty metadata, its keys and its trace entry take less than 512
			// bytes, and so does a subject's counter with who paid for it.
			let bound = Pallet::<T>::deposit_for(512);
			let subjects = count.div_ceil(*per_subject);
			let minted = bound
				.saturating_mul(count.saturating_add(subjects).into())
				.saturating_add(T::Currency::minimum_balance());
			T::Currency::mint_into(owner, minted).expect("the population's deposits mint");
			for number in 0..*count {
				let (digest, subject) = population_anchor(number, *per_subject);
				Pallet::<T>::insert_anchor(
					owner.clone(),
					digest,
					NewAnchor {
						source: AnchorSource::Account,
						subject: Some(subject),
						kind: 0,
						leaf_count: None,
						metadata: Default::default(),
					},
				)
				.expect("a population anchor stores");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A digest was anchored.
		Anchored {
			/// The anchored digest.
			digest: H256,
			/// The account that submitted it (and holds its deposit).
			owner: T::AccountId,
			/// Who signed it: the account alone, a device, or a tag and a reader.
			source: AnchorSource,
			/// The item whose trace it extends, if any.
			subject: Option<SubjectId>,
			/// The event code (`viot_primitives::anchor::kind`).
			kind: u16,
			/// For a batch, how many records its Merkle root covers.
			leaf_count: Option<u32>,
			/// Its position in the subject's trace, if any.
			trace_index: Option<u32>,
			/// The deposit held.
			deposit: BalanceOf<T>,
		},
		/// An anchor was released after its retention and its deposit returned; its trace
		/// position stays empty.
		AnchorReleased {
			/// The anchored digest.
			digest: H256,
			/// Who attested it.
			attester: AttesterOf<T>,
			/// The account that submitted it (and holds its deposit).
			owner: T::AccountId,
			/// The deposit released.
			released: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// This attester already attested the digest; its first attestation stands.
		AlreadyAnchored,
		/// The attester has not attested the digest.
		NotAnchored,
		/// Only the anchor's owner may do this.
		NotOwner,
		/// The anchor's minimum retention has not passed yet.
		RetentionNotOver,
		/// A batch needs at least one leaf.
		EmptyBatch,
		/// A scan needs two different devices: a tag and a reader.
		SameDevice,
		/// The subject's trace has used every index.
		TraceFull,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Anchors `digest`, the 32-byte hash of an off-chain record, as the sender's
		/// attestation, optionally about `subject` with event code `kind` and `metadata`. Fails
		/// with `AlreadyAnchored` if the sender already attested the digest; other attesters'
		/// anchors of the same digest do not matter. Holds a deposit for the stored bytes from
		/// the sender.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::anchor(metadata.len() as u32, subject.is_some() as u32)
			.saturating_add(Pallet::<T>::counter_deposit_weight(subject)))]
		pub fn anchor(
			origin: OriginFor<T>,
			digest: H256,
			subject: Option<SubjectId>,
			kind: u16,
			metadata: AnchorMetadata<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::insert_anchor(
				owner,
				digest,
				NewAnchor {
					source: AnchorSource::Account,
					subject,
					kind,
					leaf_count: None,
					metadata,
				},
			)
		}

		/// Anchors `root`, the Merkle root of a batch of `leaf_count` records (tree and hashing:
		/// `viot_primitives::anchor`), so that each record can be proven with
		/// `DataAnchoringApi::verify_inclusion`. Otherwise as `anchor`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::anchor_batch(metadata.len() as u32, subject.is_some() as u32)
			.saturating_add(Pallet::<T>::counter_deposit_weight(subject)))]
		pub fn anchor_batch(
			origin: OriginFor<T>,
			root: H256,
			leaf_count: u32,
			subject: Option<SubjectId>,
			kind: u16,
			metadata: AnchorMetadata<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(leaf_count > 0, Error::<T>::EmptyBatch);
			Self::insert_anchor(
				owner,
				root,
				NewAnchor {
					source: AnchorSource::Account,
					subject,
					kind,
					leaf_count: Some(leaf_count),
					metadata,
				},
			)
		}

		/// Anchors `digest` as `device`'s attestation: the device signed its `Anchor { digest,
		/// subject, kind }` payload at its current nonce. Any account may submit it (a gateway
		/// pays the fee and the deposit and owns the anchor); the device needs no funds.
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::device_anchor_weight(signature)
			.saturating_add(Pallet::<T>::trace_weight(subject)))]
		pub fn anchor_from_device(
			origin: OriginFor<T>,
			device: DeviceId,
			digest: H256,
			subject: Option<SubjectId>,
			kind: u16,
			signature: DeviceSignature,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(
				!Anchors::<T>::contains_key(digest, Attester::Device(device)),
				Error::<T>::AlreadyAnchored
			);
			T::Devices::verify_and_consume(
				&device,
				DeviceAction::Anchor {
					digest,
					subject,
					kind,
				},
				&signature,
			)?;
			Self::insert_anchor(
				owner,
				digest,
				NewAnchor {
					source: AnchorSource::Device(device),
					subject,
					kind,
					leaf_count: None,
					metadata: Default::default(),
				},
			)
		}

		/// Anchors a two-party scan: `tag_device` and `reader_device` both signed the same
		/// `Scan { tag, reader, digest, subject, kind }` action, each in its own payload at its
		/// own nonce. Accepted only if both devices are active and both signatures verify; the
		/// record names both devices. Any account may submit it.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::scan_weight(tag_signature, reader_signature)
			.saturating_add(Pallet::<T>::trace_weight(subject)))]
		// The call's arguments are what users submit; grouping them would only hide them.
		#[allow(clippy::too_many_arguments)]
		pub fn anchor_scan(
			origin: OriginFor<T>,
			tag_device: DeviceId,
			reader_device: DeviceId,
			digest: H256,
			subject: Option<SubjectId>,
			kind: u16,
			tag_signature: DeviceSignature,
			reader_signature: DeviceSignature,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(tag_device != reader_device, Error::<T>::SameDevice);
			ensure!(
				!Anchors::<T>::contains_key(
					digest,
					Attester::Scan {
						tag: tag_device,
						reader: reader_device,
					}
				),
				Error::<T>::AlreadyAnchored
			);
			let action = DeviceAction::Scan {
				tag: tag_device,
				reader: reader_device,
				digest,
				subject,
				kind,
			};
			T::Devices::verify_and_consume(&tag_device, action.clone(), &tag_signature)?;
			T::Devices::verify_and_consume(&reader_device, action, &reader_signature)?;
			Self::insert_anchor(
				owner,
				digest,
				NewAnchor {
					source: AnchorSource::Scan {
						tag: tag_device,
						reader: reader_device,
					},
					subject,
					kind,
					leaf_count: None,
					metadata: Default::default(),
				},
			)
		}

		/// Removes `attester`'s anchor of `digest` and its trace entry and releases its deposit.
		/// The anchor's owner (who paid its deposit) only, and only once `MinimumRetention`
		/// blocks have passed since it was anchored. The `Anchored` event stays in the chain's
		/// history.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::release_anchor())]
		pub fn release_anchor(
			origin: OriginFor<T>,
			digest: H256,
			attester: AttesterOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Anchors::<T>::get(digest, &attester).ok_or(Error::<T>::NotAnchored)?;
			ensure!(record.owner == who, Error::<T>::NotOwner);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				now >= record.block.saturating_add(T::MinimumRetention::get()),
				Error::<T>::RetentionNotOver
			);

			T::Currency::release(
				&HoldReason::AnchorDeposit.into(),
				&who,
				record.deposit,
				Precision::Exact,
			)?;
			if let (Some(subject), Some(index)) = (record.subject, record.trace_index) {
				Traces::<T>::remove(subject, index);
				TraceCounters::<T>::mutate(subject, |counter| counter.live.saturating_dec());
			}
			Anchors::<T>::remove(digest, &attester);
			Self::deposit_event(Event::AnchorReleased {
				digest,
				attester,
				owner: who,
				released: record.deposit,
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

/// What an anchoring call adds besides its owner and digest.
struct NewAnchor<T: Config> {
	source: AnchorSource,
	subject: Option<SubjectId>,
	kind: u16,
	leaf_count: Option<u32>,
	metadata: AnchorMetadata<T>,
}

impl<T: Config> Pallet<T> {
	/// Stores an anchor, appends it to its subject's trace and holds its deposit.
	fn insert_anchor(owner: T::AccountId, digest: H256, new: NewAnchor<T>) -> DispatchResult {
		let attester = Attester::of(owner.clone(), &new.source);
		frame_support::ensure!(
			!Anchors::<T>::contains_key(digest, &attester),
			Error::<T>::AlreadyAnchored
		);
		let trace_index = match new.subject {
			Some(subject) => Some(Self::append_to_trace(
				subject,
				digest,
				attester.clone(),
				&owner,
			)?),
			None => None,
		};
		let block = frame_system::Pallet::<T>::block_number();
		// No clock before the first block: a genesis population's anchors are at time 0.
		let timestamp = if block.is_zero() {
			0
		} else {
			T::TimeProvider::now().as_millis() as u64
		};
		let mut record = Anchor::<T> {
			owner: owner.clone(),
			block,
			timestamp,
			source: new.source,
			subject: new.subject,
			kind: new.kind,
			leaf_count: new.leaf_count,
			metadata: new.metadata,
			deposit: Zero::zero(),
			trace_index,
		};
		// The record with its key (digest and attester), and the trace entry with its key
		// (subject and index) when it has a subject.
		let key_bytes = digest.encoded_size() + attester.encoded_size();
		let trace_bytes = match record.subject {
			Some(subject) => subject.encoded_size() + 4 + key_bytes,
			None => 0,
		};
		let deposit = Self::deposit_for(record.encoded_size() + key_bytes + trace_bytes);
		T::Currency::hold(&HoldReason::AnchorDeposit.into(), &owner, deposit)?;
		record.deposit = deposit;

		let event = Event::Anchored {
			digest,
			owner,
			source: record.source.clone(),
			subject: record.subject,
			kind: record.kind,
			leaf_count: record.leaf_count,
			trace_index,
			deposit,
		};
		Anchors::<T>::insert(digest, attester, record);
		Self::deposit_event(event);
		Ok(())
	}

	/// Appends `attester`'s anchor of `digest` to `subject`'s trace; returns its index. The
	/// first anchor of a subject creates its counter, whose deposit `owner` pays for good.
	fn append_to_trace(
		subject: SubjectId,
		digest: H256,
		attester: AttesterOf<T>,
		owner: &T::AccountId,
	) -> Result<u32, DispatchError> {
		if !TraceCounters::<T>::contains_key(subject) {
			let entry_bytes = subject.encoded_size() + TraceCounter::max_encoded_len();
			let paid_bytes =
				subject.encoded_size() + (owner, BalanceOf::<T>::zero()).encoded_size();
			let deposit = Self::deposit_for(entry_bytes + paid_bytes);
			T::Currency::hold(&HoldReason::AnchorDeposit.into(), owner, deposit)?;
			TraceCounterDeposits::<T>::insert(subject, (owner.clone(), deposit));
		}
		let index = TraceCounters::<T>::try_mutate(subject, |counter| {
			let index = counter.next;
			counter.next = index.checked_add(1).ok_or(Error::<T>::TraceFull)?;
			counter.live.saturating_inc();
			Ok::<_, DispatchError>(index)
		})?;
		Traces::<T>::insert(subject, index, (digest, attester));
		Ok(index)
	}

	/// Weight of recording who paid for a new trace counter: a write, when there is a subject.
	/// The benchmarks extend a subject that has its counter already, so they do not measure it.
	pub fn counter_deposit_weight(subject: &Option<SubjectId>) -> Weight {
		T::DbWeight::get().writes(subject.is_some() as u64)
	}

	/// Weight a subject adds to a device's anchor or a scan: extending the subject's trace, as
	/// the `anchor` benchmark's subject component measures it (the counter's read and write, the
	/// trace entry's write, their compute), and recording a new counter's payer. Their own
	/// benchmarks anchor without a subject, so an anchor without one pays for no trace.
	pub fn trace_weight(subject: &Option<SubjectId>) -> Weight {
		if subject.is_none() {
			return Weight::zero();
		}
		T::WeightInfo::anchor(0, 1)
			.saturating_sub(T::WeightInfo::anchor(0, 0))
			.saturating_add(Self::counter_deposit_weight(subject))
	}

	/// Deposit for `bytes` stored bytes.
	fn deposit_for(bytes: usize) -> BalanceOf<T> {
		let bytes: BalanceOf<T> = (bytes as u32).into();
		T::DepositBase::get().saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
	}

	/// Weight of `anchor_from_device` with a signature of `signature`'s key type.
	pub fn device_anchor_weight(signature: &DeviceSignature) -> Weight {
		match signature.kind() {
			KeyKind::Sr25519 => T::WeightInfo::anchor_from_device_sr25519(),
			KeyKind::Ed25519 => T::WeightInfo::anchor_from_device_ed25519(),
			KeyKind::Ecdsa => T::WeightInfo::anchor_from_device_ecdsa(),
			KeyKind::P256 => T::WeightInfo::anchor_from_device_p256(),
		}
	}

	/// Weight of `anchor_scan` with the two signatures' key types. Each benchmark measures a
	/// scan whose two devices have the same key type, so the mean of the two matching
	/// benchmarks is the call's fixed cost plus one verification of each type.
	pub fn scan_weight(tag: &DeviceSignature, reader: &DeviceSignature) -> Weight {
		let of = |signature: &DeviceSignature| match signature.kind() {
			KeyKind::Sr25519 => T::WeightInfo::anchor_scan_sr25519(),
			KeyKind::Ed25519 => T::WeightInfo::anchor_scan_ed25519(),
			KeyKind::Ecdsa => T::WeightInfo::anchor_scan_ecdsa(),
			KeyKind::P256 => T::WeightInfo::anchor_scan_p256(),
		};
		of(tag).saturating_add(of(reader)).saturating_div(2)
	}

	fn info(digest: H256, record: Anchor<T>) -> AnchorInfoOf<T> {
		AnchorInfo {
			digest,
			owner: record.owner,
			block: record.block,
			timestamp: record.timestamp,
			source: record.source,
			subject: record.subject,
			kind: record.kind,
			leaf_count: record.leaf_count,
			metadata: record.metadata.into_inner(),
			deposit: record.deposit,
			trace_index: record.trace_index,
		}
	}

	/// `attester`'s anchor of `digest`, for the runtime API.
	pub fn anchor_of(digest: H256, attester: AttesterOf<T>) -> Option<AnchorInfoOf<T>> {
		Anchors::<T>::get(digest, attester).map(|record| Self::info(digest, record))
	}

	/// Up to `count` attestations of `digest`, earliest first, for the runtime API. Reads every
	/// attestation of the digest (each one paid a deposit).
	pub fn attestations(digest: H256, count: u32) -> Vec<AnchorInfoOf<T>> {
		let mut all: Vec<Anchor<T>> = Anchors::<T>::iter_prefix_values(digest).collect();
		all.sort_by_key(|record| record.block);
		all.into_iter()
			.take(count.min(MAX_ATTESTATIONS_PAGE) as usize)
			.map(|record| Self::info(digest, record))
			.collect()
	}

	/// `attester`'s batch anchor that `proof` proves `leaf` is part of, for the runtime API.
	pub fn verify_inclusion(
		leaf: H256,
		proof: InclusionProof,
		attester: T::AccountId,
	) -> Result<AnchorInfoOf<T>, InclusionError> {
		let record = Anchors::<T>::get(proof.root, Attester::Account(attester))
			.ok_or(InclusionError::NotAnchored)?;
		let leaf_count = record.leaf_count.ok_or(InclusionError::NotABatch)?;
		if proof.leaf_count != leaf_count || !verify_merkle_proof(&leaf, &proof) {
			return Err(InclusionError::BadProof);
		}
		Ok(Self::info(proof.root, record))
	}

	/// A page of `subject`'s trace from position `start`, for the runtime API.
	pub fn trace(subject: SubjectId, start: u32, count: u32) -> Vec<TraceEntryOf<T>> {
		let end = start
			.saturating_add(count.min(MAX_PAGE))
			.min(TraceCounters::<T>::get(subject).next);
		(start..end)
			.filter_map(|index| {
				let (digest, attester) = Traces::<T>::get(subject, index)?;
				let record = Anchors::<T>::get(digest, attester)?;
				Some(TraceEntry {
					index,
					anchor: Self::info(digest, record),
				})
			})
			.collect()
	}

	/// The next index of `subject`'s trace, for the runtime API.
	pub fn trace_length(subject: SubjectId) -> u32 {
		TraceCounters::<T>::get(subject).next
	}

	/// Invariants: every trace entry points at an anchor that points back, every counter
	/// matches its entries, and the deposits held match the records.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::fungible::InspectHold};
		let mut held: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		let mut traced = 0u32;
		for (digest, attester, record) in Anchors::<T>::iter() {
			ensure!(
				Attester::of(record.owner.clone(), &record.source) == attester,
				"anchor is keyed by another attester than its source names"
			);
			match (record.subject, record.trace_index) {
				(Some(subject), Some(index)) => {
					ensure!(
						Traces::<T>::get(subject, index) == Some((digest, attester)),
						"anchor's trace entry is missing"
					);
					traced.saturating_inc();
				}
				(None, None) => {}
				_ => return Err("anchor has a subject without a trace index or the reverse".into()),
			}
			let entry = held.entry(record.owner.clone()).or_default();
			*entry = entry.saturating_add(record.deposit);
		}
		for (subject, (payer, deposit)) in TraceCounterDeposits::<T>::iter() {
			ensure!(
				TraceCounters::<T>::contains_key(subject),
				"a counter deposit without a counter"
			);
			let entry = held.entry(payer).or_default();
			*entry = entry.saturating_add(deposit);
		}
		let mut entries = 0u32;
		for (subject, counter) in TraceCounters::<T>::iter() {
			let mut live = 0u32;
			for (index, (digest, attester)) in Traces::<T>::iter_prefix(subject) {
				ensure!(index < counter.next, "trace entry beyond the counter");
				ensure!(
					Anchors::<T>::get(digest, attester).and_then(|a| a.trace_index) == Some(index),
					"trace entry points at no anchor"
				);
				live.saturating_inc();
			}
			ensure!(live == counter.live, "trace counter does not match entries");
			entries.saturating_accrue(live);
		}
		ensure!(
			Traces::<T>::iter().count() as u32 == entries,
			"trace entries without a counter"
		);
		ensure!(entries == traced, "trace entries do not match anchors");
		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::AnchorDeposit.into(), &who) == amount,
				"held deposits do not match records"
			);
		}
		Ok(())
	}
}
