#!/usr/bin/env bash
# What watchpoints that are never hit cost a real program, side by side in
# one run: sort on 200,000 lines natively, under dtrace-lite without a
# watchpoint, and with 1, 100 and 10,000 page-protection watchpoints, one
# per page of memory the program never touches (libdtl_watch_pad.so,
# preloaded). What they cost is the engine's: arming them, and looking up
# every page fault and every memory-writing system call among them.
# Prints a Markdown table headed by the platform: seconds (best of
# DTL_BENCH_RUNS, default 5), ratio to dtrace-lite without watchpoints,
# guest->host exits (DUNE_STATS).
#
# usage: bench/watch_idle.sh [BUILD_DIR] [LINES]
set -uo pipefail
build=${1:-build}
lines=${2:-200000}
runs=${DTL_BENCH_RUNS:-5}
dtl="$build/cmd/dtrace-lite"
pad="$(realpath "$build/bench/libdtl_watch_pad.so" 2>/dev/null)"
[[ -x $dtl && -f $pad ]] || { echo "build first: make build" >&2; exit 1; }
sort=$(command -v sort)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

platform=$("$build/cmd/dune-info" 2>/dev/null | sed -n 's/^hypervisor: *//p')
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "# never-hit watchpoints, $(date -u +%F): sort on $lines lines"
echo "platform: ${platform:-no /dev/kvm}; CPU: $cpu; kernel $(uname -r)"
echo

# the same lines every time: a fixed shuffle
seq "$lines" | awk '{ srand($1 * 7919); printf "%08d %s\n", int(rand() * 1e8), $1 }' >"$tmp/in"
sort "$tmp/in" >"$tmp/want"

# seconds of the best run of a command line
best() { # cmd...
	local b="" t0 t1 s
	for _ in $(seq "$runs"); do
		t0=$(date +%s.%N)
		"$@" >"$tmp/out" 2>"$tmp/err" || { echo ""; return; }
		t1=$(date +%s.%N)
		cmp -s "$tmp/out" "$tmp/want" || { echo ""; return; }
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		[[ -z $b ]] || awk -v s="$s" -v b="$b" 'BEGIN { exit !(s < b) }' && b=$s
	done
	echo "$b"
}

watches() { # n: one 8-byte watchpoint on each of n pages of the pad
	local i
	for ((i = 0; i < $1; i++)); do
		printf -- '--watch\nlibdtl_watch_pad.so:dtl_watch_pad+%d:8\n' $((i * 4096))
	done
}

declare -A secs exits
# once untimed: the files and the program in the page cache
"$dtl" -e trace=none -o /dev/null "$sort" "$tmp/in" >/dev/null 2>&1
secs[native]=$(LD_PRELOAD=$pad best "$sort" "$tmp/in")
for n in none 1 100 10000; do
	args=()
	# (a file, not a process substitution: no /dev/fd in the rigs)
	[[ $n != none ]] && watches "$n" >"$tmp/args" && mapfile -t args <"$tmp/args"
	: >"$tmp/stats"
	secs[$n]=$(LD_PRELOAD=$pad DUNE_STATS=$tmp/stats best "$dtl" -e trace=none -o /dev/null \
		--watch-mode=page "${args[@]}" "$sort" "$tmp/in")
	# exits per run: every process's line, summed, over the runs
	exits[$n]=$(awk -v r="$runs" '{ e += $6 } END { printf "%.0f", e / r }' "$tmp/stats")
	# the watchpoints were armed (else the row would time sort alone)
	[[ $n == none ]] || grep -q "by page protection" "$tmp/err" || secs[$n]=""
	[[ -n ${secs[$n]} ]] || echo "($n watchpoints: the run failed: $(tail -2 "$tmp/err"))" >&2
done

row() { # key label
	local v=${secs[$1]:-} ratio="-"
	[[ -n $v && -n ${secs[none]:-} ]] &&
		ratio=$(awk -v a="$v" -v b="${secs[none]}" 'BEGIN { printf "%.2f", a / b }')
	echo "| $2 | ${v:-failed} | $ratio | ${exits[$1]:--} |"
}
echo "| sort, $lines lines | s (best of $runs) | ratio to no watchpoint | exits to the host |"
echo "|---|---|---|---|"
row native "natively"
row none "dtrace-lite -e trace=none, no watchpoint"
row 1 "1 watchpoint, never hit"
row 100 "100 watchpoints, never hit"
row 10000 "10,000 watchpoints, never hit"
