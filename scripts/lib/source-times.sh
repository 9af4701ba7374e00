# shellcheck shell=bash
# Keeps a build reusable from one checkout to the next. Cargo decides what to rebuild by the
# modification times of our sources, and a fresh clone gives every file a new one, so a warm target
# dir would still recompile each of our crates in every configuration. Here a source file gets
# back the time the last build saw it with when, and only when, its content (git's hash of it) is
# the content that build saw; every other file is made newer than anything built so far. So cargo
# rebuilds exactly what depends on a changed file, whichever checkout the target dir was last
# built from:
#
# - The record ($CARGO_TARGET_DIR/.viot-source-times: the checkout's root, then hash, time and
#   path of every tracked Rust source, manifest and the lock file) is taken when a run starts, after the times are set, and kept
#   when it ends, without the files that changed meanwhile. A run that never ended leaves no
#   record, and then every file is made new (all of our crates are rebuilt).
# - A record older than the newest build in the target dir (a cargo run that did not go through
#   these scripts) is not trusted either.
# - The runtime's WASM build (substrate-wasm-builder) watches our other crates by their absolute
#   paths in the checkout it last ran from. When this checkout is another one and any file
#   differs from the record, runtime/build.rs is made new too, so the WASM is built from here.
#
# Only the outermost script of a run (test.sh, run-dev.sh, build.sh on its own) does this.

source_times_file() { printf '%s/.viot-source-times' "$CARGO_TARGET_DIR"; }

# Cargo's inputs among the tracked files (Rust sources, manifests and the lock file; no crate of
# ours includes any other file) as they are now: "hash<TAB>time<TAB>path", sorted. Other files
# are left alone: their times mean something to other tools (scripts/setup.sh installs npm
# packages again when a package-lock.json is newer than its node_modules).
source_times_now() {
	local files
	files=$(git ls-files --cached -- '*.rs' '*.toml' 'Cargo.lock' |
		while read -r path; do [ -f "$path" ] && printf '%s\n' "$path"; done)
	[ -n "$files" ] || return 0
	paste <(git hash-object --stdin-paths <<<"$files") \
		<(xargs -d '\n' stat -c '%.9Y' <<<"$files") <(printf '%s\n' "$files") | LC_ALL=C sort
}

# Whether a cargo build wrote to the target dir after the record was kept.
source_times_outdated() {
	local record=$1 dir
	while read -r dir; do
		if [ -n "$(find "$dir" -newer "$record" -print -quit)" ]; then return 0; fi
	done < <(find "$CARGO_TARGET_DIR" -maxdepth 6 -type d -name .fingerprint)
	return 1
}

# Sets the times of our sources for this run and records them.
source_times_begin() {
	[ -z "${VIOT_SOURCE_TIMES_OWNER:-}" ] || return 0
	export VIOT_SOURCE_TIMES_OWNER=$$
	git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
	mkdir -p "$CARGO_TARGET_DIR"
	local record root restored=0 renewed=0 action time path
	record=$(source_times_file)
	root=$(pwd -P)
	if [ -f "$record" ] && source_times_outdated "$record"; then
		echo "source times: the target dir was built after the last record; every file is new"
		rm -f "$record"
	fi
	# "old <time> <path>" for unchanged files, "new - <path>" for every other one.
	while IFS=$'\t' read -r action time path; do
		if [ "$action" = old ]; then
			touch -m -d "@$time" -- "$path" && restored=$((restored + 1))
		else
			touch -m -- "$path" && renewed=$((renewed + 1))
		fi
	done < <(source_times_now | awk -F '\t' -v OFS='\t' '
		NR == FNR { if (FNR > 1) { hash[$3] = $1; time[$3] = $2 } next }
		($3 in hash) && hash[$3] == $1 { if (time[$3] != $2) print "old", time[$3], $3; next }
		{ print "new", "-", $3 }' <(cat "$record" 2>/dev/null || printf 'root\t\n') -)
	if [ "$renewed" -gt 0 ] && [ -f "$record" ] && [ "$(head -1 "$record" | cut -f2)" != "$root" ] &&
		[ -f runtime/build.rs ]; then
		touch -m runtime/build.rs
	fi
	rm -f "$record"
	echo "source times: $restored files back to the time the last build saw them at, $renewed new"
	{
		printf 'root\t%s\n' "$root"
		source_times_now
	} >"$record.pending"
}

# Keeps the record of this run, without the files that changed since it started.
source_times_end() {
	[ "${VIOT_SOURCE_TIMES_OWNER:-}" = "$$" ] || return 0
	local record
	record=$(source_times_file)
	[ -f "$record.pending" ] || return 0
	{
		head -1 "$record.pending"
		LC_ALL=C comm -12 <(tail -n +2 "$record.pending") <(source_times_now)
	} >"$record"
	rm -f "$record.pending"
}
