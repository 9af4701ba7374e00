//! Benchmarks of every call in its costliest path: the set and the bonded accounts as large as
//! the runtime allows, the account looked up last.

use super::*;
use crate::Pallet as ValidatorSet;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

/// A funded account.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// Enough for the bond twice over; not more, so that a full set stays within the issuance.
	let bond = T::ValidatorBond::get();
	T::Currency::set_balance(
		&who,
		bond.saturating_add(bond)
			.saturating_add(T::Currency::minimum_balance()),
	);
	who
}

/// Fills the set to one below its bound with bonded validators (all with session keys as the
/// benchmark helper registers them) and returns a bonded candidate.
fn full_set<T: Config>() -> T::AccountId {
	let mut set = Validators::<T>::get();
	let mut index = 0;
	while (set.len() as u32) < T::MaxValidators::get() - 1 {
		let who = funded::<T>("validator", index);
		index += 1;
		if Bonds::<T>::contains_key(&who) {
			continue;
		}
		T::BenchmarkHelper::set_session_keys(&who);
		ValidatorSet::<T>::announce_candidacy(RawOrigin::Signed(who.clone()).into())
			.expect("a funded account bonds");
		set.try_push(who).expect("below the bound");
	}
	Validators::<T>::put(set);
	let candidate = funded::<T>("candidate", 0);
	T::BenchmarkHelper::set_session_keys(&candidate);
	ValidatorSet::<T>::announce_candidacy(RawOrigin::Signed(candidate.clone()).into())
		.expect("a funded account bonds");
	candidate
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn announce_candidacy() {
		let who = funded::<T>("candidate", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Bonds::<T>::contains_key(&who));
	}

	#[benchmark]
	fn withdraw_candidacy() {
		let who = full_set::<T>();
		ValidatorSet::<T>::admit_validator(
			T::AdminOrigin::try_successful_origin().expect("an admin origin"),
			who.clone(),
		)
		.expect("admits");
		MinimumValidators::<T>::put(1);
		ValidatorSet::<T>::remove_validator(
			T::AdminOrigin::try_successful_origin().expect("an admin origin"),
			who.clone(),
		)
		.expect("removes");
		CurrentSession::<T>::put(u32::MAX);
		T::BenchmarkHelper::fill_session(T::MaxValidators::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Bonds::<T>::contains_key(&who));
	}

	#[benchmark]
	fn top_up_bond() -> Result<(), BenchmarkError> {
		let who = full_set::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// Half the bond: the account also holds its session keys' deposit, so it could not pay
		// the whole bond again out of what the benchmark gave it.
		let half = T::ValidatorBond::get() / 2u32.into();
		ValidatorSet::<T>::slash_bond(origin, who.clone(), half).expect("slashes");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert_eq!(
			Bonds::<T>::get(&who).expect("bonded").amount,
			T::ValidatorBond::get()
		);
		Ok(())
	}

	#[benchmark]
	fn purge_keys() {
		let who = full_set::<T>();
		assert!(T::Session::has_keys(&who));
		T::BenchmarkHelper::fill_session(T::MaxValidators::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!T::Session::has_keys(&who));
	}

	#[benchmark]
	fn admit_validator() -> Result<(), BenchmarkError> {
		let who = full_set::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Validators::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let who = full_set::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		ValidatorSet::<T>::admit_validator(origin.clone(), who.clone()).expect("admits");
		MinimumValidators::<T>::put(1);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Validators::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn slash_bond() -> Result<(), BenchmarkError> {
		let who = full_set::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			who.clone(),
			T::ValidatorBond::get(),
		);
		assert!(Bonds::<T>::get(&who)
			.expect("still bonded")
			.amount
			.is_zero());
		Ok(())
	}

	#[benchmark]
	fn set_minimum_validators() -> Result<(), BenchmarkError> {
		full_set::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1);
		assert_eq!(MinimumValidators::<T>::get(), 1);
		Ok(())
	}

	impl_benchmark_test_suite!(ValidatorSet, crate::mock::new_test_ext(), crate::mock::Test);
}
