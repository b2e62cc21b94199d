#!/usr/bin/env bash
# The fault profiler's costs, side by side in one run (issue 13):
#  - one first touch (pf_touch: N fresh pages written once each, ns per
#    page): natively (a minor fault), through userfaultfd (a user-space
#    handler's round trip), natively under perf trace -F all (where perf
#    can trace faults), inside Dune without --pf, and under dtrace-lite --pf
#    (a #PF handled in guest ring 0), with the guest->host exits per page
#    (DUNE_STATS);
#  - a real program, sort on LINES lines: natively, under dune-run, under
#    dtrace-lite -e trace=none, with --pf (its first touches, and the
#    kernel's minor faults natively for comparison) and with
#    --access-scan 100 (what one scan cost per 1000 pages looked at, from
#    the summary);
#  - bytes per record.
# Prints Markdown headed by the platform. Every figure is of that platform.
#
# usage: bench/pf.sh [BUILD_DIR] [PAGES] [LINES]
set -uo pipefail
build=${1:-build}
pages=${2:-20000}
lines=${3:-200000}
runs=${DTL_BENCH_RUNS:-3}
dtl="$build/cmd/dtrace-lite" run="$build/cmd/dune-run" touch="$build/bench/pf_touch"
[[ -x $dtl && -x $touch ]] || { echo "build first: make build" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

platform=$("$build/cmd/dune-info" 2>/dev/null | sed -n 's/^hypervisor: *//p')
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "# first touches (--pf), $(date -u +%F)"
echo "platform: ${platform:-no /dev/kvm}; CPU: $cpu; kernel $(uname -r)"
echo

# the best ns-per-page of RUNS runs of a command line; exits per page of
# the last run from DUNE_STATS into $tmp/exits
per_page() { # cmd...
	local b="" v
	for _ in $(seq "$runs"); do
		: >"$tmp/stats"
		v=$(DUNE_STATS=$tmp/stats "$@" 2>"$tmp/err" | awk '/^ns-per-page/ { print $2 }')
		[[ -n $v ]] || { echo ""; return; }
		[[ -z $b ]] || ((v < b)) && b=$v
	done
	awk -v p="$pages" '{ e += $6 } END { if (NR) printf "%.2f", e / p; else printf "-" }' \
		"$tmp/stats" >"$tmp/exits"
	echo "$b"
}

declare -A ns ex
row_touch() { # key label cmd...
	local key=$1 label=$2
	shift 2
	ns[$key]=$(per_page "$@")
	ex[$key]=$(cat "$tmp/exits")
	local ratio="-"
	[[ -n ${ns[$key]} && -n ${ns[native]:-} ]] &&
		ratio=$(awk -v a="${ns[$key]}" -v b="${ns[native]}" 'BEGIN { printf "%.1f", a / b }')
	echo "| $label | ${ns[$key]:-failed: $(tail -1 "$tmp/err")} | $ratio | ${ex[$key]} |"
}
echo "## One first touch ($pages fresh 4 KiB pages, best of $runs)"
echo
echo "| how | ns per page | ratio to native | exits to the host per page |"
echo "|---|---|---|---|"
row_touch native "natively (minor fault)" "$touch" touch "$pages"
row_touch uffd "natively, userfaultfd (UFFDIO_ZEROPAGE by a thread)" "$touch" uffd "$pages"
if command -v perf >/dev/null && perf trace -F all -o /dev/null true >/dev/null 2>&1; then
	row_touch perf "natively under perf trace -F all" perf trace -F all -o /dev/null "$touch" touch "$pages"
else
	echo "| natively under perf trace -F all | (perf trace cannot trace faults here) | - | - |"
fi
row_touch dune "dune-run, no profiler" "$run" "$touch" touch "$pages"
row_touch pf "dtrace-lite --pf (ring-0 #PF, one record each)" "$dtl" --pf -o /dev/null "$touch" touch "$pages"
echo

# a real program
seq "$lines" | awk '{ srand($1 * 7919); printf "%08d %s\n", int(rand() * 1e8), $1 }' >"$tmp/in"
sort "$tmp/in" >"$tmp/want"
sort=$(command -v sort)
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
"$dtl" -e trace=none -o /dev/null "$sort" "$tmp/in" >/dev/null 2>&1
declare -A secs
secs[native]=$(best "$sort" "$tmp/in")
secs[dune]=$(best "$run" "$sort" "$tmp/in")
secs[trace]=$(best "$dtl" -e trace=none -o /dev/null "$sort" "$tmp/in")
secs[pf]=$(best "$dtl" --pf -o "$tmp/summary" "$sort" "$tmp/in")
secs[scan]=$(best "$dtl" --access-scan 100 -o "$tmp/scan.summary" "$sort" "$tmp/in")
scan_cost=$(sed -n 's/^access scan.*: \([0-9]*\) scans, \([0-9.]*\) us each on average for \([0-9]*\) pages looked at (\([0-9.]*\) us per 1000).*/\1 scans of \3 pages, \2 us each, \4 us per 1000 pages/p' "$tmp/scan.summary")
peak=$(sed -n 's/^working set (pages accessed in an interval): peak \([0-9]*\) .*/\1/p' "$tmp/scan.summary")
touches=$(sed -n 's/^page faults (--pf): \([0-9]*\) first touches.*/\1/p' "$tmp/summary")
minflt=$(/usr/bin/time -f %R "$sort" "$tmp/in" 2>&1 >/dev/null | tail -1)
srow() { # key label
	local v=${secs[$1]:-} ratio="-"
	[[ -n $v && -n ${secs[native]:-} ]] &&
		ratio=$(awk -v a="$v" -v b="${secs[native]}" 'BEGIN { printf "%.2f", a / b }')
	echo "| $2 | ${v:-failed} | $ratio |"
}
echo "## sort on $lines lines (best of $runs; includes the front-end's end-of-run table)"
echo
echo "| how | s | ratio to native |"
echo "|---|---|---|"
srow native "natively ($minflt minor faults)"
srow dune "dune-run"
srow trace "dtrace-lite -e trace=none"
srow pf "dtrace-lite --pf (${touches:-?} first touches)"
srow scan "dtrace-lite --access-scan 100 (${scan_cost:-no scan}; peak working set ${peak:-?} pages)"
echo
echo "## Bytes per record"
echo
echo "DTL_REC_PAGE_FAULT: 48 bytes per first touch; DTL_REC_MAPPING: 64 bytes + the path, once per mapping;"
echo "DTL_REC_ACCESS_SCAN: 64 bytes + 16 per run of accessed pages, per scan (256 runs a record)."
