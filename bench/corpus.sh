#!/usr/bin/env bash
# Wall time of each corpus program natively and under dune-run, side by side
# in one run, with the guest->host exits of all its processes (DUNE_STATS).
#   bench/corpus.sh [BUILD_DIR] [CASE...]
set -uo pipefail
build=$(realpath "${1:-build}"); shift || true
runner="$build/cmd/dune-run"
here=$(cd "$(dirname "$0")/../tests/corpus" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dtl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export DTL_SIGNALS_BIN="$build/tests/signal_workout" DTL_MEMTIME_BIN="$build/tests/memtime" \
	DTL_MUTEXES_BIN="$build/tests/mutexes"
. "$here/cases.sh"
[[ $# -gt 0 ]] && order=("$@")

platform=$("$build/cmd/dune-info" | sed -n 's/^hypervisor: *//p')
echo "# corpus under dune-run, $(date -u +%F), platform: ${platform:-none}; best of 3 runs each"
echo
echo "| program | native s | dune-run s | × | processes | exits | exits/process |"
echo "|---|---:|---:|---:|---:|---:|---:|"
best() { # mode cmd -> best wall seconds of 3
	local b="" t
	for _ in 1 2 3; do
		local s e
		s=$(date +%s.%N)
		if [[ $1 == native ]]; then
			(cd "$work/run" && bash -c "$2") >/dev/null 2>&1
		else
			(cd "$work/run" && "$runner" bash -c "$2") >/dev/null 2>&1
		fi
		e=$(date +%s.%N)
		t=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.4f", b - a }')
		if [[ -z $b ]] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
	done
	echo "$b"
}
for name in "${order[@]}"; do
	cmd=${cases[$name]}
	rm -rf "$work/run" && mkdir -p "$work/run" && cp -r "$work/big.txt" "$work/tree" "$work/proj" "$work/run/"
	n=$(best native "$cmd")
	d=$(best dune "$cmd")
	rm -f "$work/stats"
	(cd "$work/run" && DUNE_STATS="$work/stats" "$runner" bash -c "$cmd") >/dev/null 2>&1
	procs=$(grep -c ' at exit' "$work/stats" 2>/dev/null || echo 0)
	exits=$(awk '{ s += $6 } END { print s + 0 }' "$work/stats" 2>/dev/null)
	printf '| %s | %.3f | %.3f | %.1f | %s | %s | %s |\n' "$name" "$n" "$d" \
		"$(awk -v d="$d" -v n="$n" 'BEGIN { print d / n }')" "$procs" "$exits" \
		"$( ((procs > 0)) && echo $((exits / procs)) || echo -)"
done
