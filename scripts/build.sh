#!/usr/bin/env bash
# Builds every crate of the workspace, tests included, in release with one feature set.
# scripts/run-dev.sh and scripts/test.sh both build through here, so a build for one serves the
# other: the node binary, the tests and clippy share build scripts, proc-macros and the runtime's
# WASM in $CARGO_TARGET_DIR (default $HOME/.cache/viot/target), linted by clippy as they compile
# (scripts/lib/cargo-env.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/lib/cargo-env.sh

cargo build --release --locked --workspace --all-targets "$@"
