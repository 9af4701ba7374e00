//! Storage migrations of the device-identity pallet.

/// Version 1 → 2: a tombstone names the manufacturer that issued the removed device, apart from
/// who paid its deposit (a device claimed from a provisioning batch is paid for by its claimer,
/// and only its manufacturer may register its id again).
pub mod v2 {
	use crate::{BalanceOf, Config, Pallet, Tombstone, Tombstones};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use codec::{Decode, Encode};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};

	/// A version 1 tombstone: before provisioning batches, whoever paid a device's deposit was
	/// its issuer.
	#[derive(Encode, Decode)]
	pub struct TombstoneV1<AccountId, Balance> {
		/// The nonce the device's next signature would have carried.
		pub nonce: u64,
		/// The manufacturer that issued the device and paid the deposit.
		pub depositor: AccountId,
		/// The deposit held for the tombstone.
		pub deposit: Balance,
	}

	/// DeviceIdentity 1 → 2, run once: every tombstone gets its depositor as its issuer (true of
	/// every tombstone version 1 made). One read and one write per tombstone; chains with
	/// version 1 hold few.
	pub type MigrateToV2<T> = VersionedMigration<
		1,
		2,
		NameTombstoneIssuers<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The unversioned step of [`MigrateToV2`].
	pub struct NameTombstoneIssuers<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for NameTombstoneIssuers<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Tombstones::<T>::translate_values(|old: TombstoneV1<T::AccountId, BalanceOf<T>>| {
				count += 1;
				Some(Tombstone::<T> {
					nonce: old.nonce,
					issuer: old.depositor.clone(),
					depositor: old.depositor,
					deposit: old.deposit,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let raw: Vec<([u8; 32], Vec<u8>)> = Tombstones::<T>::iter_keys()
				.map(|id| {
					let key = Tombstones::<T>::hashed_key_for(id);
					(
						id,
						frame_support::storage::unhashed::get_raw(&key).unwrap_or_default(),
					)
				})
				.collect();
			Ok(raw.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(before: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::ensure;
			let before: Vec<([u8; 32], Vec<u8>)> =
				Decode::decode(&mut &before[..]).map_err(|_| "the snapshot does not decode")?;
			ensure!(
				Tombstones::<T>::iter_keys().count() == before.len(),
				"the number of tombstones changed"
			);
			for (id, raw) in before {
				let old = TombstoneV1::<T::AccountId, BalanceOf<T>>::decode(&mut &raw[..])
					.map_err(|_| "a version 1 tombstone does not decode")?;
				let new = Tombstones::<T>::get(id).ok_or("a tombstone is gone")?;
				ensure!(
					new.nonce == old.nonce
						&& new.depositor == old.depositor
						&& new.issuer == old.depositor
						&& new.deposit == old.deposit,
					"a tombstone was not migrated exactly"
				);
			}
			Ok(())
		}
	}
}
