//! Weights of `pallet_child_chains`.
//!
//! NOT GENERATED YET: estimates written by hand until `scripts/bench/weights.sh` replaces this
//! file with the output of the pallet's benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_child_chains`.
pub trait WeightInfo {
	fn register_child_chain(a: u32, ) -> Weight;
	fn deregister_child_chain(h: u32, ) -> Weight;
	fn submit_finality_proof(p: u32, v: u32, ) -> Weight;
	fn enact_authority_set_change(a: u32, ) -> Weight;
	fn index_child_anchor(b: u32, ) -> Weight;
	fn remove_child_anchor() -> Weight;
}

/// Weights of `pallet_child_chains` priced with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_child_chain(a: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(100_000, 48).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn deregister_child_chain(h: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(h.into())))
	}
	fn submit_finality_proof(p: u32, v: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(150_000_000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn enact_authority_set_change(a: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(Weight::from_parts(500_000, 0).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn index_child_anchor(b: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(20_000, 0).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn remove_child_anchor() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For tests and benchmarks: the same figures with RocksDB weights.
impl WeightInfo for () {
	fn register_child_chain(a: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(100_000, 48).saturating_mul(a.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	fn deregister_child_chain(h: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(h.into())))
	}
	fn submit_finality_proof(p: u32, v: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(150_000_000, 0).saturating_mul(p.into()))
			.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn enact_authority_set_change(a: u32, ) -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(Weight::from_parts(500_000, 0).saturating_mul(a.into()))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn index_child_anchor(b: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(Weight::from_parts(20_000, 0).saturating_mul(b.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn remove_child_anchor() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
}
