#!/usr/bin/env bash
# Runs viot-gateway against the dev chain of scripts/run-dev.sh (ws://127.0.0.1:9944), with a
# Mosquitto broker on 127.0.0.1:1883 for devices that publish over MQTT:
#
#   scripts/run-gateway.sh                 # HTTP API on http://127.0.0.1:8090
#
# Readings are anchored by //Eve (a funded dev account). The store is a temporary SQLite file,
# as the dev chain is temporary; set VIOT_GATEWAY_DB to keep it (a store serves one chain).
# VIOT_NODE_URL, VIOT_GATEWAY_SIGNER and VIOT_GATEWAY_HTTP change the node, the account and the
# address; VIOT_MQTT=0 runs without a broker. Extra arguments go to `viot-gateway run`.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/viot/target}"

scripts/setup.sh
scripts/build.sh

work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# The node may still be starting in the other terminal (its first build takes half an hour):
# the gateway waits for it.
args=(run
	--wait-for-node 3600
	--node "${VIOT_NODE_URL:-ws://127.0.0.1:9944}"
	--signer "${VIOT_GATEWAY_SIGNER:-//Eve}"
	--db "${VIOT_GATEWAY_DB:-$work/gateway.sqlite}"
	--http "${VIOT_GATEWAY_HTTP:-127.0.0.1:8090}")
mqtt=""
if [ "${VIOT_MQTT:-1}" != 0 ]; then
	printf 'listener 1883 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' >"$work/mosquitto.conf"
	/usr/sbin/mosquitto -c "$work/mosquitto.conf" 2>"$work/mosquitto.log" &
	pids+=($!)
	args+=(--mqtt mqtt://127.0.0.1:1883)
	mqtt="  MQTT: publish readings to viot/readings/<device> on mqtt://127.0.0.1:1883 (QoS 1)
"
fi

cat <<MSG

  VIoT gateway starting against ${VIOT_NODE_URL:-ws://127.0.0.1:9944}.
  HTTP: POST http://${VIOT_GATEWAY_HTTP:-127.0.0.1:8090}/readings, GET /readings/<digest>, /metrics, /health
${mqtt}  Stop with Ctrl-C.

MSG
"$CARGO_TARGET_DIR/release/viot-gateway" "${args[@]}" "$@" &
pids+=($!)
wait "${pids[-1]}"
