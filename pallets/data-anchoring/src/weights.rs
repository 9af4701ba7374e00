//! Weights of `pallet_data_anchoring`.
//!
//! NOT GENERATED: estimates written by hand until `scripts/bench/weights.sh` replaces this file
//! with weights from a benchmark run.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions of `pallet_data_anchoring`.
pub trait WeightInfo {
	fn anchor(m: u32) -> Weight;
	fn anchor_batch(m: u32) -> Weight;
	fn anchor_from_device_sr25519() -> Weight;
	fn anchor_from_device_ed25519() -> Weight;
	fn anchor_from_device_ecdsa() -> Weight;
	fn anchor_from_device_p256() -> Weight;
	fn anchor_scan_sr25519() -> Weight;
	fn anchor_scan_ed25519() -> Weight;
	fn anchor_scan_ecdsa() -> Weight;
	fn anchor_scan_p256() -> Weight;
	fn release_anchor() -> Weight;
}

/// Estimated weights priced with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn anchor(m: u32) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn anchor_batch(m: u32) -> Weight {
		Self::anchor(m)
	}
	fn anchor_from_device_sr25519() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(50_000_000, 4000))
	}
	fn anchor_from_device_ed25519() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(50_000_000, 4000))
	}
	fn anchor_from_device_ecdsa() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(50_000_000, 4000))
	}
	fn anchor_from_device_p256() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(1_100_000_000, 4000))
	}
	fn anchor_scan_sr25519() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(100_000_000, 8000))
	}
	fn anchor_scan_ed25519() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(100_000_000, 8000))
	}
	fn anchor_scan_ecdsa() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(100_000_000, 8000))
	}
	fn anchor_scan_p256() -> Weight {
		Self::anchor(0).saturating_add(Weight::from_parts(2_200_000_000, 8000))
	}
	fn release_anchor() -> Weight {
		Weight::from_parts(60_000_000, 4000).saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
}

/// For tests: the same estimates priced with no database cost.
impl WeightInfo for () {
	fn anchor(m: u32) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(m.into()))
	}
	fn anchor_batch(m: u32) -> Weight {
		Self::anchor(m)
	}
	fn anchor_from_device_sr25519() -> Weight {
		Weight::from_parts(110_000_000, 8000)
	}
	fn anchor_from_device_ed25519() -> Weight {
		Weight::from_parts(110_000_000, 8000)
	}
	fn anchor_from_device_ecdsa() -> Weight {
		Weight::from_parts(110_000_000, 8000)
	}
	fn anchor_from_device_p256() -> Weight {
		Weight::from_parts(1_160_000_000, 8000)
	}
	fn anchor_scan_sr25519() -> Weight {
		Weight::from_parts(160_000_000, 12000)
	}
	fn anchor_scan_ed25519() -> Weight {
		Weight::from_parts(160_000_000, 12000)
	}
	fn anchor_scan_ecdsa() -> Weight {
		Weight::from_parts(160_000_000, 12000)
	}
	fn anchor_scan_p256() -> Weight {
		Weight::from_parts(2_260_000_000, 12000)
	}
	fn release_anchor() -> Weight {
		Weight::from_parts(60_000_000, 4000)
	}
}
