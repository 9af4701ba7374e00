//! The runtime's database weights: ParityDB measured by `viot-node benchmark storage` on a chain
//! holding 1,000,000 devices and 1,000,000 anchors (and their indexes, traces and
//! deposits). Written by `node scripts/bench/scale.mjs --write-db-weights` (or `--db-weights-only`
//! from a run's output); the command it ran is below (the chain and its paths were temporary).
//! The figures at every size and how they were chosen: docs/BENCHMARKS.md, "Scale".
//!
//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-12-02 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `Intel(R) Xeon(R) Processor`
//!
//! DATABASE: `ParityDb`, RUNTIME: `VIoT Development`
//! BLOCK-NUM: `Number(115)`
//! SKIP-WRITE: `false`, SKIP-READ: `false`, WARMUPS: `1`
//! STATE-VERSION: `V1`, STATE-CACHE-SIZE: ``
//! WEIGHT-PATH: `/tmp/viot-scale-FHV0Yk/1000000/weights`
//! METRIC: `Average`, WEIGHT-MUL: `1.0`, WEIGHT-ADD: `0`

// Executed Command:
//   /root/.cache/viot/target-bench/release/viot-node
//   benchmark
//   storage
//   --chain
//   /tmp/viot-scale-FHV0Yk/1000000/spec.json
//   --base-path
//   /tmp/viot-scale-FHV0Yk/1000000/chain
//   --database
//   paritydb
//   --state-version
//   1
//   --warmups
//   1
//   --keys-limit
//   50000
//   --random-seed
//   7
//   --batch-size
//   1000
//   --disable-pov-recorder
//   --weight-path
//   /tmp/viot-scale-FHV0Yk/1000000/weights

/// Storage DB weights for the `VIoT Development` runtime and `ParityDb`.
pub mod constants {
	use frame_support::weights::constants;
	use sp_core::parameter_types;
	use sp_weights::RuntimeDbWeight;

	parameter_types! {
		/// What reading and writing one storage item costs on a VIoT node (ParityDB).
		pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
			// Time to read one storage item.
			// Calculated by multiplying the *Average* of all values with `1.0` and adding `0`.
			//
			// Stats nanoseconds:
			//   Min, Max: 681, 617_964
			//   Average:  9_163
			//   Median:   8_818
			//   Std-Dev:  4952.47
			//
			// Percentiles nanoseconds:
			//   99th: 13_561
			//   95th: 11_275
			//   75th: 9_813
			read: 9_163 * constants::WEIGHT_REF_TIME_PER_NANOS,

			// Time to write one storage item.
			// Calculated by multiplying the *Average* of all values with `1.0` and adding `0`.
			//
			// Stats nanoseconds:
			//   Min, Max: 14_725, 124_485
			//   Average:  26_770
			//   Median:   20_401
			//   Std-Dev:  21168.49
			//
			// Percentiles nanoseconds:
			//   99th: 124_485
			//   95th: 91_637
			//   75th: 22_979
			write: 26_770 * constants::WEIGHT_REF_TIME_PER_NANOS,
		};
	}

	#[cfg(test)]
	mod test_db_weights {
		use super::ParityDbWeight as W;
		use sp_weights::constants;

		/// Checks that all weights exist and have sane values.
		// NOTE: If this test fails but you are sure that the generated values are fine,
		// you can delete it.
		#[test]
		fn bound() {
			// At least 1 µs.
			assert!(
				W::get().reads(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Read weight should be at least 1 µs."
			);
			assert!(
				W::get().writes(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Write weight should be at least 1 µs."
			);
			// At most 1 ms.
			assert!(
				W::get().reads(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Read weight should be at most 1 ms."
			);
			assert!(
				W::get().writes(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Write weight should be at most 1 ms."
			);
		}
	}
}
