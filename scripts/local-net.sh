#!/usr/bin/env bash
# A local network of the four validators of the `local` chain (Alice, Bob, Charlie, Dave) on
# loopback ports, each with its own data directory and log, for trying VIoT with real finality
# and for fault drills. Four validators so that one can fail and GRANDPA still has two thirds.
#
#   scripts/local-net.sh start [NAME...]     start all four (or the named ones); builds first
#   scripts/local-net.sh stop [NAME...]      stop them cleanly (SIGTERM; SIGKILL after 30 s)
#   scripts/local-net.sh kill NAME...        kill -9, as a crash would
#   scripts/local-net.sh status              which run, their RPC ports and best/finalized blocks
#   scripts/local-net.sh purge               stop everything and delete the data directories
#
# Settings (environment): VIOT_NET_DIR (default /tmp/viot-local-net) holds <name>/ (data,
# node key), logs/<name>.log and <name>.pid; VIOT_NET_RPC_PORT (default 9944) and
# VIOT_NET_P2P_PORT (default 30333) are Alice's ports, Bob's are one higher, and so on.
# VIOT_NET_NO_BUILD=1 skips the build (the node binary must exist).
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}"
node_bin="${VIOT_NODE:-$CARGO_TARGET_DIR/release/viot-node}"
dir="${VIOT_NET_DIR:-/tmp/viot-local-net}"
rpc_base="${VIOT_NET_RPC_PORT:-9944}"
p2p_base="${VIOT_NET_P2P_PORT:-30333}"
validators=(alice bob charlie dave)

log() { printf '\033[1;34m[local-net]\033[0m %s\n' "$*"; }
die() {
	echo "local-net: $*" >&2
	exit 1
}

index_of() {
	local i
	for i in "${!validators[@]}"; do
		if [ "${validators[$i]}" = "$1" ]; then
			echo "$i"
			return
		fi
	done
	die "unknown validator '$1' (one of: ${validators[*]})"
}

pid_of() {
	local file="$dir/$1.pid"
	[ -f "$file" ] || return 1
	local pid
	pid=$(cat "$file")
	kill -0 "$pid" 2>/dev/null || return 1
	echo "$pid"
}

# A fixed node key per validator (its index), so every node knows Alice's peer id.
node_key_file() {
	local name=$1 file="$dir/$1/node-key"
	mkdir -p "$dir/$name"
	[ -f "$file" ] || printf '%064x' "$(($(index_of "$name") + 1))" >"$file"
	echo "$file"
}

rpc_call() {
	curl -s --max-time 2 -H 'content-type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":[]}" "http://127.0.0.1:$1" || true
}

start_one() {
	local name=$1 i
	i=$(index_of "$name")
	if pid_of "$name" >/dev/null; then
		log "$name already runs (pid $(pid_of "$name"))"
		return
	fi
	mkdir -p "$dir/logs"
	local key alice_id
	key=$(node_key_file "$name")
	alice_id=$("$node_bin" key inspect-node-key --file "$(node_key_file alice)")
	local args=(
		--chain local
		"--$name"
		--validator
		--name "$name"
		--base-path "$dir/$name"
		--node-key-file "$key"
		--listen-addr "/ip4/127.0.0.1/tcp/$((p2p_base + i))"
		--rpc-port "$((rpc_base + i))"
		--allow-private-ip
		--no-mdns
		--no-prometheus
		--no-telemetry
	)
	if [ "$name" != alice ]; then
		args+=(--bootnodes "/ip4/127.0.0.1/tcp/$p2p_base/p2p/$alice_id")
	fi
	nohup "$node_bin" "${args[@]}" >>"$dir/logs/$name.log" 2>&1 &
	echo $! >"$dir/$name.pid"
	log "$name started (pid $!, rpc ws://127.0.0.1:$((rpc_base + i)), log $dir/logs/$name.log)"
}

stop_one() {
	local name=$1 signal=${2:-TERM} pid
	if ! pid=$(pid_of "$name"); then
		rm -f "$dir/$name.pid"
		return
	fi
	kill "-$signal" "$pid" 2>/dev/null || true
	local waited=0
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$waited" -ge 300 ]; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	rm -f "$dir/$name.pid"
	log "$name stopped (SIG$signal)"
}

names_or_all() {
	if [ "$#" -gt 0 ]; then echo "$@"; else echo "${validators[@]}"; fi
}

command=${1:-}
[ "$#" -gt 0 ] && shift
case "$command" in
start)
	if [ "${VIOT_NET_NO_BUILD:-}" != 1 ]; then
		scripts/setup.sh
		scripts/build.sh
	fi
	[ -x "$node_bin" ] || die "no node binary at $node_bin"
	for name in $(names_or_all "$@"); do start_one "$name"; done
	log "Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${rpc_base}#/explorer"
	;;
stop)
	for name in $(names_or_all "$@"); do stop_one "$name" TERM; done
	;;
kill)
	[ "$#" -gt 0 ] || die "kill needs a validator name"
	for name in "$@"; do stop_one "$name" KILL; done
	;;
status)
	for name in "${validators[@]}"; do
		i=$(index_of "$name")
		if pid=$(pid_of "$name"); then
			port=$((rpc_base + i))
			best=$(rpc_call "$port" chain_getHeader | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
			fin_hash=$(rpc_call "$port" chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
			fin=$(curl -s --max-time 2 -H 'content-type: application/json' \
				-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chain_getHeader\",\"params\":[\"$fin_hash\"]}" \
				"http://127.0.0.1:$port" | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
			printf '%-8s pid %-7s rpc %-5s best #%s finalized #%s\n' "$name" "$pid" "$port" \
				"$((${best:-0}))" "$((${fin:-0}))"
		else
			printf '%-8s stopped\n' "$name"
		fi
	done
	;;
purge)
	for name in "${validators[@]}"; do stop_one "$name" TERM; done
	rm -rf "$dir"
	log "removed $dir"
	;;
*)
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
	[ -z "$command" ] || [ "$command" = help ] || exit 1
	;;
esac
