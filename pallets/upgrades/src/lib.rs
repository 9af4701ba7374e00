//! # Upgrades
//!
//! Runtime upgrades decided by governance. frame_system's own `authorize_upgrade` takes only
//! root; this pallet lets the runtime's admin origin (root, or a council motion) authorize the
//! hash of a new runtime. Anyone then submits the code with
//! `system.applyAuthorizedUpgrade(code)`: the chain checks it against the authorized hash (and,
//! unless authorized without checks, that its `spec_name` is the same and its `spec_version`
//! higher), so whoever pays for the large transaction cannot change what was decided.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Authorizes upgrades (root, or a council motion).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Authorizes the runtime whose code hashes to `code_hash` (governance). The code is
		/// then applied by anyone with `system.applyAuthorizedUpgrade`, which checks that it
		/// keeps the `spec_name` and raises the `spec_version`. frame_system emits
		/// `UpgradeAuthorized`; a later authorization replaces an earlier one.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::authorize_upgrade())]
		pub fn authorize_upgrade(origin: OriginFor<T>, code_hash: T::Hash) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
			Ok(())
		}

		/// Like `authorize_upgrade`, without the version checks when the code is applied: for
		/// recovering a chain whose runtime cannot report its version. Use with care.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::authorize_upgrade())]
		pub fn authorize_upgrade_without_checks(
			origin: OriginFor<T>,
			code_hash: T::Hash,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, false);
			Ok(())
		}
	}
}
