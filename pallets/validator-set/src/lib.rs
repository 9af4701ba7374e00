//! # Validator set
//!
//! Who validates a VIoT chain is decided by governance, and every validator has something to
//! lose:
//!
//! 1. A candidate sets its session keys (`session.setKeys` after `author_rotateKeys`) and
//!    announces itself with [`Pallet::announce_candidacy`], which holds
//!    [`Config::ValidatorBond`] from its account.
//! 2. Governance (root, or a council motion in the runtime) admits it with
//!    [`Pallet::admit_validator`], removes a validator with [`Pallet::remove_validator`], and may
//!    slash a bond with [`Pallet::slash_bond`]. The set never drops below
//!    [`MinimumValidators`].
//! 3. The pallet is pallet-session's `SessionManager`: a change is handed to the session pallet
//!    at the next session change and is active from the session after it (pallet-session keeps
//!    one session of delay so that equivocations on a fork can still be punished).
//! 4. A removed validator withdraws its bond with [`Pallet::withdraw_candidacy`] once it has left
//!    the session's active and queued sets and [`UnbondingSessions`] more sessions have passed
//!    (long enough for a motion to slash it for what it did while active); a candidate never
//!    admitted withdraws at any time. A slashed bond is made whole with [`Pallet::top_up_bond`].
//! 5. Session keys of validators stay: the runtime refuses `session.purgeKeys` and purges through
//!    [`Pallet::purge_keys`], which refuses validators and accounts still in the active or
//!    queued set, so no validator leaves the set (and its minimum) without governance.
//!
//! The pallet also keeps the session length ([`SessionLength`], set in genesis), which the
//! runtime's session pallet reads, so test chains can rotate sessions in seconds while a
//! production chain rotates every hour.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision},
	},
};
use frame_system::pallet_prelude::*;
use sp_runtime::traits::{Bounded, Saturating, Zero};

pub use pallet::*;
pub use weights::WeightInfo;

/// A session's index, as pallet-session counts them.
pub type SessionIndex = u32;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The bond an account holds as a candidate or validator.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Bond<Balance> {
	/// What is held now (less than the bond asked for after a slash).
	pub amount: Balance,
	/// The first session in which the bond may be withdrawn, set when governance removes the
	/// validator; `None` for a candidate that is not (and was not) in the set.
	pub withdrawable_from: Option<SessionIndex>,
}

/// What the pallet needs from the session pallet.
pub trait ValidatorSession<AccountId> {
	/// Whether `who` has session keys set (`session.setKeys`).
	fn has_keys(who: &AccountId) -> bool;
	/// Whether `who` is in the session's active set or in the set queued for the next session.
	fn is_active(who: &AccountId) -> bool;
	/// Removes `who`'s session keys and returns their deposit, as `session.purgeKeys` would.
	fn purge_keys(who: &AccountId) -> DispatchResult;
}

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Gives `who` session keys, as `session.setKeys` would.
	fn set_session_keys(who: &AccountId);
	/// Fills the session's active and queued sets with `count` other accounts: the costliest
	/// look-up of an account that is in neither.
	fn fill_session(count: u32);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The currency bonds are held in.
		type Currency: Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Admits, removes and slashes validators (root, or a council motion).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The session pallet: whether an account has session keys (a validator without keys
		/// could not author or vote, so it is not admitted), whether it is in the active or
		/// queued set, and purging its keys.
		type Session: ValidatorSession<Self::AccountId>;

		/// What a candidate holds to announce itself.
		#[pallet::constant]
		type ValidatorBond: Get<BalanceOf<Self>>;

		/// Most validators in the set (at most what Aura and GRANDPA accept).
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Sets session keys for the benchmarks' validators.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A candidate's or validator's bond.
		#[codec(index = 0)]
		ValidatorBond,
	}

	/// The validator set governance has admitted, in the order it is handed to the session
	/// pallet.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// The bond of every candidate and validator. Not capped in count: every entry holds
	/// [`Config::ValidatorBond`], so the map is bounded by the issuance, and no number of
	/// candidates can keep another account from bonding.
	#[pallet::storage]
	pub type Bonds<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, Bond<BalanceOf<T>>, OptionQuery>;

	/// The fewest validators the set may have: removals that would go below it are refused.
	#[pallet::storage]
	pub type MinimumValidators<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Blocks per session (read by the runtime's session pallet); set in genesis.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Sessions a removed validator's bond stays held after it has left the set (on top of the two
	/// a change takes to leave it): time for governance to slash it for what it did while
	/// active. Set in genesis (or by a migration) from the council's motion duration.
	#[pallet::storage]
	pub type UnbondingSessions<T: Config> = StorageValue<_, SessionIndex, ValueQuery>;

	/// Whether the set changed since it was last handed to the session pallet.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The session in progress (as the session pallet last started it).
	#[pallet::storage]
	pub type CurrentSession<T: Config> = StorageValue<_, SessionIndex, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The first validators; each holds [`Config::ValidatorBond`] from genesis.
		pub validators: Vec<T::AccountId>,
		/// The fewest validators the set may have (at least 1, at most the genesis set).
		pub minimum_validators: u32,
		/// Blocks per session (at least 1 with validators; without, sessions never end).
		pub session_length: BlockNumberFor<T>,
		/// Sessions a removed validator's bond stays held after it left the set.
		pub unbonding_sessions: SessionIndex,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if !self.validators.is_empty() {
				assert!(
					!self.session_length.is_zero(),
					"session_length must be at least 1"
				);
				assert!(
					self.minimum_validators >= 1
						&& self.minimum_validators as usize <= self.validators.len(),
					"minimum_validators must be between 1 and the number of genesis validators"
				);
			}
			let validators: BoundedVec<_, T::MaxValidators> = self
				.validators
				.clone()
				.try_into()
				.expect("more genesis validators than MaxValidators");
			for who in &validators {
				assert!(
					!Bonds::<T>::contains_key(who),
					"duplicate genesis validator"
				);
				let amount = T::ValidatorBond::get();
				T::Currency::hold(&HoldReason::ValidatorBond.into(), who, amount)
					.expect("a genesis validator's account cannot hold the validator bond");
				Bonds::<T>::insert(
					who,
					Bond {
						amount,
						withdrawable_from: None,
					},
				);
			}
			Validators::<T>::put(validators);
			MinimumValidators::<T>::put(self.minimum_validators);
			SessionLength::<T>::put(self.session_length);
			UnbondingSessions::<T>::put(self.unbonding_sessions);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account bonded and announced itself as a candidate.
		CandidacyAnnounced {
			/// The candidate.
			who: T::AccountId,
			/// The bond it holds.
			bond: BalanceOf<T>,
		},
		/// A candidate withdrew and its bond was released.
		CandidacyWithdrawn {
			/// The former candidate.
			who: T::AccountId,
			/// What was released.
			released: BalanceOf<T>,
		},
		/// Governance admitted a validator; it becomes active one session after the next
		/// session change.
		ValidatorAdmitted {
			/// The new validator.
			who: T::AccountId,
		},
		/// Governance removed a validator; it stops validating one session after the next
		/// session change.
		ValidatorRemoved {
			/// The removed validator.
			who: T::AccountId,
			/// The first session in which it may withdraw its bond.
			bond_withdrawable_from: SessionIndex,
		},
		/// Governance slashed a bond; the slashed funds are burned.
		BondSlashed {
			/// Whose bond.
			who: T::AccountId,
			/// What was burned.
			amount: BalanceOf<T>,
		},
		/// An account made its bond whole again (after a slash).
		BondToppedUp {
			/// Whose bond.
			who: T::AccountId,
			/// What it added.
			amount: BalanceOf<T>,
		},
		/// An account that is not a validator removed its session keys; their deposit was
		/// returned.
		SessionKeysPurged {
			/// The account.
			who: T::AccountId,
		},
		/// Governance changed the fewest validators the set may have.
		MinimumValidatorsSet {
			/// The new minimum.
			minimum: u32,
		},
		/// The set handed to the session pallet for the session after next.
		NewSetQueued {
			/// The session the set is for.
			session: SessionIndex,
			/// How many validators it has.
			validators: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account already holds a bond.
		AlreadyBonded,
		/// The account's free balance cannot cover the bond.
		InsufficientBalance,
		/// The account holds no bond.
		NotBonded,
		/// A validator cannot withdraw; governance must remove it first.
		StillAValidator,
		/// The bond of a removed validator is locked until the session in `Bond`.
		BondLocked,
		/// The account is already a validator.
		AlreadyValidator,
		/// The account is not a validator.
		NotAValidator,
		/// The account has no session keys (set them with `session.setKeys`).
		NoSessionKeys,
		/// The bond is below the validator bond (after a slash): it must bond again.
		BondTooLow,
		/// The set is full.
		TooManyValidators,
		/// The change would leave fewer validators than the minimum.
		TooFewValidators,
		/// The minimum must be at least one validator.
		ZeroMinimum,
		/// The account is still in the session's active or queued set; wait for the session
		/// change that takes it out.
		StillActive,
		/// The bond already holds the full validator bond.
		BondFull,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Holds the validator bond from the caller and makes it a candidate that governance can
		/// admit. Set session keys first (`session.setKeys`); they are checked on admission.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::announce_candidacy())]
		pub fn announce_candidacy(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Bonds::<T>::contains_key(&who), Error::<T>::AlreadyBonded);
			let bond = T::ValidatorBond::get();
			T::Currency::hold(&HoldReason::ValidatorBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Bonds::<T>::insert(
				&who,
				Bond {
					amount: bond,
					withdrawable_from: None,
				},
			);
			Self::deposit_event(Event::CandidacyAnnounced { who, bond });
			Ok(())
		}

		/// Releases the caller's bond: a candidate at any time, a removed validator once it has
		/// left the session's active and queued sets and the session its removal named has
		/// started.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_candidacy())]
		pub fn withdraw_candidacy(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let bond = Bonds::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			ensure!(
				!Validators::<T>::get().contains(&who),
				Error::<T>::StillAValidator
			);
			if let Some(from) = bond.withdrawable_from {
				ensure!(CurrentSession::<T>::get() >= from, Error::<T>::BondLocked);
			}
			// A removal still pending (or anything else that keeps the account validating) keeps
			// the bond, whatever the session.
			ensure!(!T::Session::is_active(&who), Error::<T>::StillActive);
			let released = T::Currency::release(
				&HoldReason::ValidatorBond.into(),
				&who,
				bond.amount,
				Precision::BestEffort,
			)?;
			Bonds::<T>::remove(&who);
			Self::deposit_event(Event::CandidacyWithdrawn { who, released });
			Ok(())
		}

		/// Admits a bonded candidate with session keys to the validator set (governance).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::admit_validator())]
		pub fn admit_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut bond = Bonds::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			ensure!(
				bond.amount >= T::ValidatorBond::get(),
				Error::<T>::BondTooLow
			);
			ensure!(T::Session::has_keys(&who), Error::<T>::NoSessionKeys);
			Validators::<T>::try_mutate(|set| {
				ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
				set.try_push(who.clone())
					.map_err(|_| Error::<T>::TooManyValidators)
			})?;
			// A validator removed and admitted again is locked like any validator.
			bond.withdrawable_from = None;
			Bonds::<T>::insert(&who, bond);
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdmitted { who });
			Ok(())
		}

		/// Removes a validator from the set (governance); its bond stays held until it cannot be
		/// in the active set any more.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_validator())]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(|set| {
				let index = set
					.iter()
					.position(|v| v == &who)
					.ok_or(Error::<T>::NotAValidator)?;
				ensure!(
					set.len() > MinimumValidators::<T>::get() as usize,
					Error::<T>::TooFewValidators
				);
				set.remove(index);
				Ok::<_, Error<T>>(())
			})?;
			// Queued at the next session change, out of the active set from the one after; then
			// held for the unbonding sessions, in which governance can still slash it.
			let bond_withdrawable_from = CurrentSession::<T>::get()
				.saturating_add(2)
				.saturating_add(UnbondingSessions::<T>::get());
			Bonds::<T>::mutate(&who, |bond| {
				if let Some(bond) = bond {
					bond.withdrawable_from = Some(bond_withdrawable_from);
				}
			});
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved {
				who,
				bond_withdrawable_from,
			});
			Ok(())
		}

		/// Burns up to `amount` of an account's bond (governance). A validator whose bond falls
		/// below the validator bond stays in the set until governance removes it, and cannot be
		/// admitted again before it tops its bond up ([`Pallet::top_up_bond`]).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::slash_bond())]
		pub fn slash_bond(
			origin: OriginFor<T>,
			who: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut bond = Bonds::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			let burned = T::Currency::burn_held(
				&HoldReason::ValidatorBond.into(),
				&who,
				amount.min(bond.amount),
				Precision::BestEffort,
				Fortitude::Force,
			)?;
			bond.amount = bond.amount.saturating_sub(burned);
			Bonds::<T>::insert(&who, bond);
			Self::deposit_event(Event::BondSlashed {
				who,
				amount: burned,
			});
			Ok(())
		}

		/// Sets the fewest validators the set may have (governance): at least one, at most the
		/// current set.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_minimum_validators())]
		pub fn set_minimum_validators(origin: OriginFor<T>, minimum: u32) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(minimum >= 1, Error::<T>::ZeroMinimum);
			ensure!(
				minimum as usize <= Validators::<T>::decode_len().unwrap_or(0),
				Error::<T>::TooFewValidators
			);
			MinimumValidators::<T>::put(minimum);
			Self::deposit_event(Event::MinimumValidatorsSet { minimum });
			Ok(())
		}

		/// Holds what the caller's bond lacks of the validator bond (after a slash, or after the
		/// runtime raised the bond), so that governance can admit it again.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::top_up_bond())]
		pub fn top_up_bond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut bond = Bonds::<T>::get(&who).ok_or(Error::<T>::NotBonded)?;
			let amount = T::ValidatorBond::get().saturating_sub(bond.amount);
			ensure!(!amount.is_zero(), Error::<T>::BondFull);
			T::Currency::hold(&HoldReason::ValidatorBond.into(), &who, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			bond.amount = bond.amount.saturating_add(amount);
			Bonds::<T>::insert(&who, bond);
			Self::deposit_event(Event::BondToppedUp { who, amount });
			Ok(())
		}

		/// Removes the caller's session keys and returns their deposit. Refused while the caller
		/// is a validator or still in the session's active or queued set: a validator leaves only
		/// when governance removes it (the runtime refuses `session.purgeKeys`, which would let it
		/// drop out of the set at the next session change).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::purge_keys())]
		pub fn purge_keys(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				!Validators::<T>::get().contains(&who),
				Error::<T>::StillAValidator
			);
			ensure!(!T::Session::is_active(&who), Error::<T>::StillActive);
			T::Session::purge_keys(&who)?;
			Self::deposit_event(Event::SessionKeysPurged { who });
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The admitted validators that have session keys: the set the session pallet gets.
	fn active_candidates() -> Vec<T::AccountId> {
		Validators::<T>::get()
			.into_iter()
			.filter(T::Session::has_keys)
			.collect()
	}

	/// What must always hold: every validator is bonded; the set is at least the minimum; each
	/// bond is what the account holds for it; the count of bonds is right.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let validators = Validators::<T>::get();
		ensure!(
			validators.iter().all(Bonds::<T>::contains_key),
			"a validator without a bond"
		);
		let minimum = MinimumValidators::<T>::get() as usize;
		ensure!(
			validators.is_empty() || validators.len() >= minimum,
			"fewer validators than the minimum"
		);
		let mut count = 0u32;
		for (who, bond) in Bonds::<T>::iter() {
			count += 1;
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ValidatorBond.into(), &who)
					== bond.amount,
				"a bond differs from what its account holds"
			);
		}
		ensure!(count == Bonds::<T>::count(), "the bond count is wrong");
		Ok(())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	/// The admitted set, when it changed since it was last handed over and enough of it has
	/// session keys; otherwise the session pallet keeps the current set.
	fn new_session(session: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::get() {
			return None;
		}
		let set = Self::active_candidates();
		if set.is_empty() || set.len() < MinimumValidators::<T>::get() as usize {
			// Keep the change pending: a set below the minimum is never handed over.
			return None;
		}
		SetChanged::<T>::put(false);
		Self::deposit_event(Event::NewSetQueued {
			session,
			validators: set.len() as u32,
		});
		Some(set)
	}

	fn new_session_genesis(_: SessionIndex) -> Option<Vec<T::AccountId>> {
		let set = Validators::<T>::get().into_inner();
		(!set.is_empty()).then_some(set)
	}

	fn end_session(_: SessionIndex) {}

	fn start_session(session: SessionIndex) {
		CurrentSession::<T>::put(session);
	}
}

/// Sessions of [`SessionLength`] blocks, for pallet-session's `ShouldEndSession` and
/// `NextSessionRotation`: a session ends at every multiple of the length.
pub struct SessionPeriod<T>(PhantomData<T>);

impl<T: Config> Get<BlockNumberFor<T>> for SessionPeriod<T> {
	fn get() -> BlockNumberFor<T> {
		// Zero only before genesis or a migration set it: then no session ends (the set stays).
		let length = SessionLength::<T>::get();
		if length.is_zero() {
			BlockNumberFor::<T>::max_value()
		} else {
			length
		}
	}
}

/// Storage migrations of the pallet.
pub mod migrations {
	use super::*;
	use frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade};

	/// Version 1 to 2: writes [`UnbondingSessions`] (new in version 2) from `Unbonding`, so a
	/// chain that ran version 1 holds removed validators' bonds as long as its genesis would;
	/// bonds already locked by a removal are locked for the unbonding sessions too.
	pub struct InitUnbondingSessions<T, Unbonding>(PhantomData<(T, Unbonding)>);

	impl<T: Config, Unbonding: Get<SessionIndex>> UncheckedOnRuntimeUpgrade
		for InitUnbondingSessions<T, Unbonding>
	{
		fn on_runtime_upgrade() -> Weight {
			let unbonding = Unbonding::get();
			UnbondingSessions::<T>::put(unbonding);
			let mut bonds = 0u64;
			Bonds::<T>::translate_values::<Bond<BalanceOf<T>>, _>(|mut bond| {
				bonds += 1;
				bond.withdrawable_from = bond
					.withdrawable_from
					.map(|from| from.saturating_add(unbonding));
				Some(bond)
			});
			// `Unbonding` may read the session length.
			T::DbWeight::get().reads_writes(1 + bonds, 1 + bonds)
		}
	}

	/// [`InitUnbondingSessions`], run once: only on a chain whose pallet is at version 1.
	pub type V1ToV2<T, Unbonding> = VersionedMigration<
		1,
		2,
		InitUnbondingSessions<T, Unbonding>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
