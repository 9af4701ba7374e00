#!/usr/bin/env bash
# Runs every check and test of VIoT: formatting, clippy, the Rust tests, a release build of the
# node and the relayer, the SDK's WebAssembly package and its tests, and the Polkadot.js
# end-to-end tests against the node (which use the SDK). Exits non-zero on the first failure and
# prints how long each step took.
set -euo pipefail

cd "$(dirname "$0")/.."

started=$(date +%s)
step_names=()
step_seconds=()
current=""
current_started=$started

# Ends the running step (recording its time) and starts the next one.
step() {
	local now
	now=$(date +%s)
	if [ -n "$current" ]; then
		step_names+=("$current")
		step_seconds+=($((now - current_started)))
	fi
	current="$*"
	current_started=$now
	if [ -n "$current" ]; then printf '\n\033[1;34m==> %s\033[0m (%s)\n' "$*" "$(date +%T)"; fi
}

# The time of every step, also when one failed.
summary() {
	local status=$? i
	step ""
	printf '\nTime per step:\n'
	for i in "${!step_names[@]}"; do
		printf '  %5d s  %s\n' "${step_seconds[$i]}" "${step_names[$i]}"
	done
	if [ "$status" -eq 0 ]; then
		printf '\033[1;34m==> all passed in %d s\033[0m (%s)\n' "$(($(date +%s) - started))" "$(date +%T)"
	else
		printf '\033[1;31m==> failed after %d s\033[0m\n' "$(($(date +%s) - started))"
	fi
}
trap summary EXIT

step "setup"
scripts/setup.sh

step "formatting"
cargo fmt --all -- --check

# One cargo environment for every step and for scripts/run-dev.sh: one target dir, clippy as the
# compiler of our crates (every warning an error), one profile (release) and one feature set, so
# that the tests and the node binary share build scripts, proc-macros and the runtime's WASM.
source scripts/lib/cargo-env.sh

step "build with clippy (node, relayer, runtime WASM, tests)"
scripts/build.sh

# The SDK as WebAssembly (browsers and Node.js), the target it ships for; linted as it builds.
step "SDK: WebAssembly package and its Node.js tests"
scripts/build-sdk.sh
(cd sdk/js && npm test)

# The verify page: its rules without a browser, then its bundle (the end-to-end test serves it).
step "verify page: unit tests and bundle"
(cd web/verify && npm test && node build.mjs)

step "rust tests"
cargo test --release --locked --workspace

# Every benchmark also runs once as a test on the pallet's mock runtime (and its code is linted).
step "benchmark tests"
cargo test --release --locked --all-targets -p pallet-device-identity -p pallet-data-anchoring -p pallet-child-chains \
	-p pallet-validator-set -p pallet-upgrades -p pallet-message-lanes \
	--features pallet-device-identity/runtime-benchmarks,pallet-data-anchoring/runtime-benchmarks,pallet-child-chains/runtime-benchmarks,pallet-validator-set/runtime-benchmarks,pallet-upgrades/runtime-benchmarks,pallet-message-lanes/runtime-benchmarks

# The runtime's migrations with their try-runtime checks (pre_upgrade/post_upgrade); the same
# build writes the try-runtime WASM that the dry run of an upgrade on a chain's copied state runs
# (scripts/dry-run-upgrade.mjs): viot_runtime_try_runtime.compact.compressed.wasm.
step "migrations with try-runtime checks (and the dry run's runtime)"
cargo test --release --locked -p viot-runtime --features try-runtime migrations

# The second runtime of the end-to-end upgrade test: spec_version + 1 and a test migration, written
# next to the node's runtime as viot_runtime_upgrade_test.compact.compressed.wasm.
step "runtime for the upgrade test"
cargo build --release --locked -p viot-runtime --features upgrade-test

# The files run side by side (each starts its own nodes on free ports); at the end, each file's
# time against its budget in scripts/e2e/budgets.json.
step "end-to-end tests (Polkadot.js)"
(cd scripts && VIOT_NODE="$CARGO_TARGET_DIR/release/viot-node" \
	VIOT_RELAYER="$CARGO_TARGET_DIR/release/viot-relayer" node e2e/run.mjs)

# The benchmarks' smoke runs, side by side but after the end-to-end files (the scale run's
# genesis and syncs beside the four-validator networks' start overloaded two cores): a few seconds
# of the throughput benchmark (every kind of extrinsic lands and succeeds) and the scale
# benchmark at 2,000 devices and anchors (`benchmark block` and `benchmark storage` on its chain).
step "benchmark smoke runs (throughput, scale)"
(cd scripts && VIOT_NODE="$CARGO_TARGET_DIR/release/viot-node" \
	node e2e/run.mjs --concurrency 2 e2e/smoke/scale.test.mjs e2e/smoke/throughput.test.mjs)
