# shellcheck shell=bash
# The one cargo environment of every build script (build.sh, build-sdk.sh, run-dev.sh, test.sh):
# the same target dir and the same compiler for our crates, so that whichever of the README's two
# commands runs first, the other reuses its build.
#
# Clippy lints our crates while they are compiled, with every warning an error: clippy-driver is
# the compiler of the workspace's crates (what `cargo clippy` does, without checking every
# dependency a second time in check mode); dependencies are compiled by rustc as usual. The
# wrapper is part of every artifact's fingerprint, so a build without it could not reuse one
# with it: every build uses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
# The benchmark CLI's own test runtime is a second WASM build, used only by `benchmark storage
# --mode validate-block` (a parachain's proof-of-validity mode, which a solochain never runs).
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
