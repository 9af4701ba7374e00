//! Benchmark of the authorization (both calls do the same work).

use super::*;
#[allow(unused_imports)]
use crate::Pallet as Upgrades;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let code_hash = T::Hash::default();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, code_hash);
		assert!(frame_system::Pallet::<T>::authorized_upgrade().is_some());
		Ok(())
	}

	impl_benchmark_test_suite!(Upgrades, crate::mock::new_test_ext(), crate::mock::Test);
}
