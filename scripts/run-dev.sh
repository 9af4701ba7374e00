#!/usr/bin/env bash
# Builds viot-node and launches a single-validator dev chain (Alice authors and finalizes).
# Extra arguments go to viot-node, e.g. `scripts/run-dev.sh --rpc-port 9955`.
# The chain lives in a temporary directory and is gone when the node stops; pass
# `--base-path <dir>` to keep it.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}"

scripts/setup.sh
scripts/build.sh

args=(--dev)
if [[ " $* " != *" --base-path "* ]] && [[ " $* " != *" -d "* ]]; then
	args+=(--tmp)
fi

rpc_port=9944
prev=""
for arg in "$@"; do
	if [ "$prev" = "--rpc-port" ]; then rpc_port="$arg"; fi
	case "$arg" in --rpc-port=*) rpc_port="${arg#--rpc-port=}" ;; esac
	prev="$arg"
done

cat <<MSG

  VIoT dev chain starting. JSON-RPC / WebSocket: ws://127.0.0.1:${rpc_port}
  Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer
  Stop with Ctrl-C.

MSG
exec "$CARGO_TARGET_DIR/release/viot-node" "${args[@]}" "$@"
