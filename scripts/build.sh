#!/usr/bin/env bash
# Builds every crate of the workspace, tests included, in release with one feature set.
# scripts/run-dev.sh and scripts/test.sh both build through here, so a build for one serves the
# other: the node binary, the tests and clippy share build scripts, proc-macros and the runtime's
# WASM in $CARGO_TARGET_DIR (default $HOME/.cache/viot/target).
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}"

cargo build --release --locked --workspace --all-targets "$@"
