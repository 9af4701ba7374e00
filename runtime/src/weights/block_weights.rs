//! NOT GENERATED YET: polkadot-sdk's reference figure until `scripts/bench/weights.sh` replaces
//! this file with the output of `viot-node benchmark overhead` on this machine.

use sp_core::parameter_types;
use sp_weights::{constants::WEIGHT_REF_TIME_PER_NANOS, Weight};

parameter_types! {
	/// Weight of executing an empty block.
	pub const BlockExecutionWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_NANOS.saturating_mul(431_614), 0);
}
