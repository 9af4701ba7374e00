#!/usr/bin/env bash
# Builds viot-node and launches a single-validator dev chain (Alice authors and finalizes).
# Extra arguments go to viot-node, e.g. `scripts/run-dev.sh --rpc-port 9955`.
# The chain lives in a temporary directory and is gone when the node stops; pass
# `--base-path <dir>` to keep it.
#
# The node also listens for peers over WebSocket on 127.0.0.1:30334 (light clients in browsers
# connect there) with a fixed node key, and the verify page (web/verify) is served on
# http://127.0.0.1:8080 with a chain spec naming this node as its boot node: the page syncs the
# chain with its own light client. VIOT_VERIFY_PORT moves the page, VIOT_VERIFY=0 skips it.
set -euo pipefail

cd "$(dirname "$0")/.."

scripts/setup.sh
source scripts/lib/cargo-env.sh
scripts/build.sh

node_bin="$CARGO_TARGET_DIR/release/viot-node"
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

page=""
if [ "${VIOT_VERIFY:-1}" != 0 ] && [[ " $* " != *" --listen-addr "* ]] && [[ " $* " != *" --port "* ]]; then
	# A fixed node key, so the chain spec the page gets can name this node.
	key="$HOME/.cache/viot/dev-node.key"
	[ -f "$key" ] || "$node_bin" key generate-node-key --file "$key" 2>/dev/null
	peer=$("$node_bin" key inspect-node-key --file "$key")
	args+=(--node-key-file "$key" --listen-addr /ip4/0.0.0.0/tcp/30333 --listen-addr /ip4/127.0.0.1/tcp/30334/ws)
	scripts/build-sdk.sh >/dev/null
	(cd web/verify && node build.mjs >/dev/null)
	spec="$HOME/.cache/viot/verify-dev-spec.json"
	"$node_bin" build-spec --chain dev --raw 2>/dev/null |
		node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);j.bootNodes=[process.argv[1]];process.stdout.write(JSON.stringify(j))})' \
			"/ip4/127.0.0.1/tcp/30334/ws/p2p/$peer" >"$spec"
	verify_port="${VIOT_VERIFY_PORT:-8080}"
	node web/verify/serve.mjs --spec "$spec" --port "$verify_port" &
	server=$!
	trap 'kill "$server" 2>/dev/null' EXIT
	page="  Verify page (light client, no RPC): http://127.0.0.1:${verify_port}/?device=0x<device id>&subject=0x<item id>
"
fi

cat <<MSG

  VIoT dev chain starting. JSON-RPC / WebSocket: ws://127.0.0.1:${rpc_port}
  Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_port}#/explorer
${page}  Stop with Ctrl-C.

MSG
"$node_bin" "${args[@]}" "$@"
