#!/usr/bin/env bash
# Runs every check and test of VIoT: formatting, clippy, the Rust tests, a release build of the
# node and the relayer, the SDK's WebAssembly package and its tests, and the Polkadot.js
# end-to-end tests against the node (which use the SDK). Exits non-zero on the first failure and
# prints how long each step took.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

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

# Clippy lints our crates while they are compiled for the build and the tests, with every
# warning an error: clippy-driver is the compiler of the workspace's crates (what `cargo clippy`
# does, without checking every dependency a second time in check mode). Dependencies are
# compiled by rustc as usual. One profile (release) and one feature set for every step, so that
# the tests and the node binary share build scripts, proc-macros and the runtime's WASM.
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

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

# The runtime's migrations with their try-runtime checks (pre_upgrade/post_upgrade).
step "migrations with try-runtime checks"
SKIP_WASM_BUILD=1 cargo test --release --locked -p viot-runtime --features try-runtime migrations

# Every benchmark also runs once as a test on the pallet's mock runtime (and its code is linted).
step "benchmark tests"
cargo test --release --locked --all-targets -p pallet-device-identity -p pallet-data-anchoring -p pallet-child-chains \
	-p pallet-validator-set -p pallet-upgrades -p pallet-message-lanes \
	--features pallet-device-identity/runtime-benchmarks,pallet-data-anchoring/runtime-benchmarks,pallet-child-chains/runtime-benchmarks,pallet-validator-set/runtime-benchmarks,pallet-upgrades/runtime-benchmarks,pallet-message-lanes/runtime-benchmarks

# The second runtime of the end-to-end upgrade test: spec_version + 1 and a test migration, written
# next to the node's runtime as viot_runtime_upgrade_test.compact.compressed.wasm.
step "runtime for the upgrade test"
cargo build --release --locked -p viot-runtime --features upgrade-test

# The try-runtime build of this runtime, which the dry run of an upgrade on a chain's copied state
# runs (scripts/dry-run-upgrade.mjs): viot_runtime_try_runtime.compact.compressed.wasm.
step "runtime for the upgrade dry run (try-runtime)"
cargo build --release --locked -p viot-runtime --features try-runtime

# The files run side by side (each starts its own nodes on free ports); at the end, each file's
# time against its budget in scripts/e2e/budgets.json.
step "end-to-end tests (Polkadot.js)"
(cd scripts && VIOT_NODE="$CARGO_TARGET_DIR/release/viot-node" \
	VIOT_RELAYER="$CARGO_TARGET_DIR/release/viot-relayer" node e2e/run.mjs)

# A few seconds of the throughput benchmark: every kind of extrinsic lands and succeeds.
step "throughput smoke run"
(cd scripts && VIOT_NODE="$CARGO_TARGET_DIR/release/viot-node" \
	node bench/throughput.mjs --count 24 --timeout 60 --strict --slot-ms 1000)

# The scale benchmark at a small size, with the node built with the `benchmark` subcommand: a
# chain with 2,000 devices and anchors at genesis, runtime API latency, a block of anchors, full
# and warp sync, then `benchmark block` and `benchmark storage` on its database (~2 min after the
# build).
step "bench node and scale smoke run"
scripts/bench/build-bench-node.sh
scale_out="$(mktemp -d)"
(cd scripts && VIOT_NODE="$CARGO_TARGET_DIR/release/viot-node" \
	node bench/scale.mjs --sizes 2000 --block-anchors 400 --keys-limit 2000 --strict \
	--out "$scale_out" --plots "$scale_out/plots")
rm -rf "$scale_out"
