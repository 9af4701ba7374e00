#!/usr/bin/env bash
# Builds the SDK's JavaScript package in sdk/js: the WebAssembly module of viot-sdk (cargo
# profile `sdk`: LTO, one codegen unit) and wasm-bindgen's bindings for Node.js (sdk/js/nodejs)
# and for browsers as an ES module (sdk/js/web). Prints the module's size.
set -euo pipefail

cd "$(dirname "$0")/.."

# wasm-bindgen-cli of the exact version of the wasm-bindgen crate the module links, among the rest.
scripts/setup.sh
source scripts/lib/cargo-env.sh

cargo build --locked --profile sdk -p viot-sdk --target wasm32-unknown-unknown
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/sdk/viot_sdk.wasm"

for target in nodejs web; do
	rm -rf "sdk/js/$target"
	wasm-bindgen --target "$target" --out-dir "sdk/js/$target" "$wasm"
done
# The Node.js bindings are CommonJS, the browser ones an ES module.
echo '{ "type": "commonjs" }' >sdk/js/nodejs/package.json
echo '{ "type": "module" }' >sdk/js/web/package.json

module=sdk/js/nodejs/viot_sdk_bg.wasm
printf 'sdk/js: WebAssembly module %s bytes (%s gzipped)\n' \
	"$(wc -c <"$module")" "$(gzip -9c "$module" | wc -c)"
