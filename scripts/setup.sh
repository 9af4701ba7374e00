#!/usr/bin/env bash
# Installs everything VIoT needs to build and test on a fresh Debian/Ubuntu machine.
# Idempotent: a second run only checks and returns.
set -euo pipefail

cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

sudo_if_needed() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. System packages: protoc (libp2p), clang/libclang (bindgen for C dependencies), Python with
#    venv (the README's Python client example), make and g++ (node-gyp compiles chopsticks'
#    SQLite binding), Chromium (the verify page's browser tests), the Mosquitto MQTT broker and
#    its clients (the gateway's tests and examples), gnuplot (the scale benchmark's plots).
missing=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v clang >/dev/null 2>&1 || missing+=(clang)
dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
if [ "${#missing[@]}" -gt 0 ]; then
	log "installing ${missing[*]}"
	sudo_if_needed apt-get update -qq
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Rust: the WASM targets and the standard library sources the runtime build needs; clippy
#    and rustfmt, which the tests run.
if ! command -v cargo >/dev/null 2>&1; then
	echo "cargo not found: install Rust with rustup first (https://rustup.rs)" >&2
	exit 1
fi
installed_targets=$(rustup target list --installed)
for target in wasm32-unknown-unknown wasm32v1-none; do
	if ! grep -qx "$target" <<<"$installed_targets"; then
		log "adding rust target $target"
		rustup target add "$target"
	fi
done
installed_components=$(rustup component list --installed)
for component in rust-src clippy rustfmt; do
	if ! grep -q "^$component" <<<"$installed_components"; then
		log "adding $component"
		rustup component add "$component"
	fi
done

# 3. wasm-bindgen-cli, which writes the SDK's JavaScript bindings: exactly the version of the
#    wasm-bindgen crate in Cargo.lock, built from its own lock file.
bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }')" != "$bindgen" ]; then
	log "installing wasm-bindgen-cli $bindgen (about 2 minutes)"
	cargo install --locked --force --quiet wasm-bindgen-cli --version "$bindgen"
fi

# 4. Node.js packages, exactly as locked: the tools and end-to-end tests in scripts/, and the
#    verify page in web/verify/ (its bundler and light client).
if ! command -v npm >/dev/null 2>&1; then
	echo "npm not found: install Node.js 20 or newer" >&2
	exit 1
fi
# sqlite3 (chopsticks' store) has no prebuilt binary we can download; node-gyp compiles it
# against the headers of the Node.js that runs it, which must not be downloaded either: point it
# at the ones installed with Node.js.
prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -f "$prefix/include/node/node.h" ]; then
	export npm_config_nodedir="$prefix"
fi
# Installed once per lock file: a checkout copies the packages a previous one installed from the
# same package-lock.json with the same Node.js ($HOME/.cache/viot/npm), which takes seconds
# instead of minutes; the stamp in node_modules names the lock file's content, not its time.
node_version=$(node --version)
npm_cache="$HOME/.cache/viot/npm"
for js in scripts web/verify; do
	hash=$({ cat "$js/package-lock.json"; echo "$node_version"; } | sha256sum | cut -c1-16)
	stamp="$js/node_modules/.viot-installed"
	[ "$(cat "$stamp" 2>/dev/null)" != "$hash" ] || continue
	kept="$npm_cache/${js//\//-}-$hash"
	if [ -f "$kept/.viot-installed" ]; then
		log "npm packages of $js as installed before from the same lock file ($kept)"
		rm -rf "$js/node_modules"
		cp -a "$kept" "$js/node_modules"
	else
		log "installing npm packages of $js (scripts: about 2 minutes, chopsticks' sqlite3 is compiled)"
		(cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
		echo "$hash" >"$stamp"
		# Kept for the next checkout; the copies of older lock files go.
		mkdir -p "$npm_cache"
		rm -rf "$npm_cache/${js//\//-}-"*
		cp -a "$js/node_modules" "$kept.partial.$$"
		mv -T "$kept.partial.$$" "$kept" 2>/dev/null || rm -rf "$kept.partial.$$"
	fi
done

# 5. The Python client of the README's example, py-substrate-interface, in a virtual environment
#    of its own (Debian's Python refuses system-wide pip installs).
venv="$HOME/.cache/viot/venv"
if ! "$venv/bin/python" -c 'import substrateinterface' >/dev/null 2>&1; then
	log "installing substrate-interface 1.8.1 into $venv"
	python3 -m venv "$venv"
	"$venv/bin/pip" install --quiet --disable-pip-version-check substrate-interface==1.8.1
fi

log "ready"
