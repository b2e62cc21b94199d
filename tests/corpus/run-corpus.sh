#!/usr/bin/env bash
# Run each corpus case natively and under dune-run; stdout, stderr and exit
# status must be byte-for-byte the same. Prints one line per case and exits
# non-zero if any differs.
#   run-corpus.sh DUNE_RUN [CASE...]
set -uo pipefail
runner=$(realpath "$1"); shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dtl-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT

. "$here/cases.sh"
[[ $# -gt 0 ]] && order=("$@")

fails=0
for name in "${order[@]}"; do
	cmd=${cases[$name]}
	for mode in native dune; do
		dir="$work/$mode"
		mkdir -p "$dir" && cp -r "$work/big.txt" "$work/tree" "$work/proj" "$dir/" 2>/dev/null
		if [[ $mode == native ]]; then
			(cd "$dir" && bash -c "$cmd") >"$work/$name.$mode.out" 2>"$work/$name.$mode.err"
		else
			(cd "$dir" && "$runner" bash -c "$cmd") >"$work/$name.$mode.out" 2>"$work/$name.$mode.err"
		fi
		echo $? >"$work/$name.$mode.rc"
	done
	ok=1
	if [[ $(cat "$work/$name.native.rc") == 127 ]]; then
		ok=0
		echo "--- $name: could not run natively (exit 127): $(head -c 300 "$work/$name.native.err")"
	fi
	for part in out err rc; do
		if ! cmp -s "$work/$name.native.$part" "$work/$name.dune.$part"; then
			ok=0
			echo "--- $name: $part differs (native vs dune-run)"
			diff "$work/$name.native.$part" "$work/$name.dune.$part" | head -20
		fi
	done
	if [[ $ok == 1 ]]; then
		echo "PASS $name (exit $(cat "$work/$name.native.rc"), $(wc -c <"$work/$name.native.out") bytes)"
	else
		echo "FAIL $name"
		fails=$((fails + 1))
	fi
done
exit $((fails > 0))
