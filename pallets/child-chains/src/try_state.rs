//! The pallet's invariants, checked by `try-runtime` and the tests.

use crate::{pallet::*, types::*};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};
use viot_primitives::time::valid_slot_duration;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants: every chain has an authority set, a genesis entry when
	/// approved, its best header among its kept headers, ring and headers agree, halted chains
	/// exist, and deposits equal holds.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		if let Some(slot_duration) = SlotDuration::<T>::get() {
			ensure!(
				valid_slot_duration(slot_duration),
				"slot duration out of range"
			);
		}
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
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
			HaltedChains::<T>::iter_keys().all(Chains::<T>::contains_key),
			"a removed chain is still halted"
		);
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
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
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
