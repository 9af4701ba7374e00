#!/usr/bin/env bash
# Generates weights.rs of our pallets, the weights of the runtime's transaction extensions and
# its block and extrinsic base weights, from benchmarks run through the node's `benchmark`
# subcommand on this machine.
#
#   scripts/bench/weights.sh                     # every pallet, 50 steps, 20 repeats
#   STEPS=10 REPEAT=5 scripts/bench/weights.sh   # a quicker, noisier run
#   PALLETS=child-chains scripts/bench/weights.sh # only these pallets (folder names)
#   PALLETS= scripts/bench/weights.sh              # only the runtime's block and extrinsic weights
#   OVERHEAD=0 scripts/bench/weights.sh            # no block and extrinsic base weights
#   RUNTIME_BENCHES= scripts/bench/weights.sh      # no transaction-extension weights
#
# The benchmark build (runtime-benchmarks feature) uses its own target dir
# ($CARGO_TARGET_DIR-bench) so it never replaces the node and runtime of normal builds.
set -euo pipefail

cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}-bench"
steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
pallets="${PALLETS-device-identity data-anchoring child-chains message-lanes validator-set upgrades}"

scripts/bench/build-bench-node.sh
export CARGO_TARGET_DIR="$target"
wasm="$target/release/wbuild/viot-runtime/viot_runtime.compact.compressed.wasm"

for pallet in $pallets; do
	crate="pallet_${pallet//-/_}"
	echo "==> $crate ($steps steps, $repeat repeats)"
	"$target/release/viot-node" benchmark pallet \
		--runtime "$wasm" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--pallet "$crate" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/bench/pallet-weight-template.hbs \
		--output "pallets/$pallet/src/weights.rs"
done

# 3. Weights of SDK pallets measured for this runtime, into runtime/src/weights/: the transaction
#    extensions every signed extrinsic runs (frame_system's checks, transaction payment), the
#    council and its membership.
for bench in ${RUNTIME_BENCHES-frame_system_extensions pallet_transaction_payment pallet_collective pallet_membership}; do
	echo "==> $bench ($steps steps, $repeat repeats)"
	"$target/release/viot-node" benchmark pallet \
		--runtime "$wasm" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--pallet "$bench" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--output "runtime/src/weights/$bench.rs"
	# The CLI names the trait after the benchmark; frame_system's extension weights implement
	# frame_system::ExtensionsWeightInfo.
	sed -i 's/frame_system_extensions::WeightInfo for/frame_system::ExtensionsWeightInfo for/' \
		"runtime/src/weights/$bench.rs"
	rustfmt --edition 2021 "runtime/src/weights/$bench.rs"
done

# 4. The runtime's own weights: an empty block (BlockExecutionWeight) and the base cost of an
#    extrinsic (ExtrinsicBaseWeight, from blocks full of System::remark), into runtime/src/weights/.
if [ "${OVERHEAD:-1}" = 1 ]; then
	echo "==> block and extrinsic overhead (10 warmups, 100 repeats)"
	"$target/release/viot-node" benchmark overhead \
		--runtime "$wasm" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--warmup 10 \
		--repeat 100 \
		--weight-path runtime/src/weights
	# The CLI's overhead template is not rustfmt-clean; keep `cargo fmt --check` green.
	rustfmt --edition 2021 runtime/src/weights/block_weights.rs runtime/src/weights/extrinsic_weights.rs
fi
