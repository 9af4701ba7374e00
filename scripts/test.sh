#!/usr/bin/env bash
# Runs every check and test of VIoT: formatting, clippy, the Rust tests, a release build of the
# node and the relayer, the SDK's WebAssembly package and its tests, and the Polkadot.js
# end-to-end tests against the node (which use the SDK). Exits non-zero on the first failure.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n\033[1;34m==> %s\033[0m (%s)\n' "$*" "$(date +%T)"; }
started=$(date +%s)

step "setup"
scripts/setup.sh

step "formatting"
cargo fmt --all -- --check

# One profile (release) and one feature set for every step, so that clippy, the tests and the
# node binary share build scripts, proc-macros and the runtime's WASM.
step "clippy"
cargo clippy --release --locked --workspace --all-targets -- -D warnings
cargo clippy --release --locked -p pallet-device-identity -p pallet-data-anchoring -p pallet-child-chains \
	--features pallet-device-identity/runtime-benchmarks,pallet-data-anchoring/runtime-benchmarks,pallet-child-chains/runtime-benchmarks \
	--all-targets -- -D warnings

# The SDK as WebAssembly (browsers and Node.js), the target it ships for.
cargo clippy --locked --profile sdk -p viot-sdk --target wasm32-unknown-unknown -- -D warnings

step "build (node, runtime WASM, tests)"
scripts/build.sh

step "SDK: WebAssembly package and its Node.js tests"
scripts/build-sdk.sh
(cd sdk/js && npm test)

step "rust tests"
cargo test --release --locked --workspace

# The runtime's migrations with their try-runtime checks (pre_upgrade/post_upgrade).
step "migrations with try-runtime checks"
SKIP_WASM_BUILD=1 cargo test --release --locked -p viot-runtime --features try-runtime migrations

# Every benchmark also runs once as a test on the pallet's mock runtime.
step "benchmark tests"
cargo test --release --locked -p pallet-device-identity -p pallet-data-anchoring -p pallet-child-chains \
	--features pallet-device-identity/runtime-benchmarks,pallet-data-anchoring/runtime-benchmarks,pallet-child-chains/runtime-benchmarks

# The second runtime of the end-to-end upgrade test: spec_version + 1 and a test migration, written
# next to the node's runtime as viot_runtime_upgrade_test.compact.compressed.wasm.
step "runtime for the upgrade test"
cargo build --release --locked -p viot-runtime --features upgrade-test

step "end-to-end tests (Polkadot.js)"
(cd scripts && VIOT_NODE="$CARGO_TARGET_DIR/release/viot-node" \
	VIOT_RELAYER="$CARGO_TARGET_DIR/release/viot-relayer" npm test)

# A few seconds of the throughput benchmark: every kind of extrinsic lands and succeeds.
step "throughput smoke run"
(cd scripts && VIOT_NODE="$CARGO_TARGET_DIR/release/viot-node" \
	node bench/throughput.mjs --count 24 --timeout 60 --strict)

step "all passed in $(($(date +%s) - started)) s"
