#!/usr/bin/env bash
# Builds the node with `benchmark pallet` and `benchmark overhead` (feature `runtime-benchmarks`)
# and the runtime WASM with its benchmarks, in their own target dir ($CARGO_TARGET_DIR-bench) so
# that they never replace the node and runtime of normal builds. scripts/bench/weights.sh uses
# them to generate weights: $CARGO_TARGET_DIR-bench/release/viot-node. (`benchmark storage` and
# `benchmark block`, which scripts/bench/scale.mjs runs, are in every build of the node.)
set -euo pipefail

cd "$(dirname "$0")/../.."
scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}-bench"
# A runtime built from stale sources must never be measured.
unset SKIP_WASM_BUILD
# 1. The runtime WASM with its benchmarks.
cargo build --release --locked -p viot-runtime --features runtime-benchmarks
# 2. The node with the benchmark CLI, embedding the same runtime. frame-benchmarking-cli's own
#    test runtime is not built as WASM (it cannot be from this workspace, and is not used).
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
	cargo build --release --locked -p viot-node --features runtime-benchmarks
