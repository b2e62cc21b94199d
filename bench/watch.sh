#!/usr/bin/env bash
# The cost of a watchpoint hit, side by side in one run: dtrace-lite by page
# protection and by debug register, gdb's hardware and software
# watchpoints, perf's breakpoint event (mem:ADDR:w) and mprotect+SIGSEGV.
# The workload writes a watched int N times (tests/watch/watch_target
# counter N) and times its own loop, so start-up costs are not counted.
# Prints a Markdown table headed by the platform: ns per hit, ratio to
# dtrace-lite's page path, guest->host exits per hit (dtrace-lite's from
# DUNE_STATS, minus the same run without a watchpoint).
#
# usage: bench/watch.sh [BUILD_DIR] [N]
# DTL_BENCH_SKIP_HW=1 leaves out dtrace-lite's debug registers (QEMU 7.2's
# TCG crashes on data breakpoints in a nested guest).
set -uo pipefail
build=${1:-build}
n=${2:-20000}
target="$build/tests/watch_target"
dtl="$build/cmd/dtrace-lite"
nat="$build/bench/native_events"
[[ -x $target && -x $dtl && -x $nat ]] || { echo "build first: make build" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

platform=$("$build/cmd/dune-info" 2>/dev/null | sed -n 's/^hypervisor: *//p')
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "# watchpoint hits, $(date -u +%F), $n writes of a watched int"
echo "platform: ${platform:-no /dev/kvm}; CPU: $cpu; kernel $(uname -r)"
echo

# ns per iteration of the program's loop, from its stderr
per_hit() { awk -v n="$1" '/^loop_ns/ { printf "%.0f", $2 / n }' "$tmp/err"; }
exits() { awk '{ e += $6 } END { print e + 0 }' "$tmp/stats"; }

declare -A ns xs
run_dtl() { # name options...
	local name=$1
	shift
	: >"$tmp/stats"
	DTL_WATCH_TIME=1 DUNE_STATS=$tmp/stats timeout 600 "$dtl" -e trace=none -o /dev/null "$@" \
		"$target" counter "$n" >/dev/null 2>"$tmp/err" || { ns[$name]=""; return; }
	ns[$name]=$(per_hit "$n")
	xs[$name]=$(exits)
}
run_dtl dtl-none
run_dtl dtl-page --watch-mode=page --watch counter
if [[ ${DTL_BENCH_SKIP_HW:-0} != 1 ]]; then
	run_dtl dtl-hw --watch-mode=hw --watch counter
	grep -q "not fire\|cannot" "$tmp/err" && ns[dtl-hw]=""
fi
DTL_WATCH_TIME=1 "$target" counter "$n" >/dev/null 2>"$tmp/err"
ns[native]=$(per_hit "$n")

# gdb: a watchpoint whose command list continues silently
gdb_run() { # name n setup...
	local name=$1 k=$2
	shift 2
	{
		printf '%s\n' "$@"
		# the last write deletes it: a software watchpoint would
		# single-step the rest of the program too
		printf 'break main\nrun\nwatch counter\ncommands\nsilent\nif counter >= %d\ndelete\nend\ncontinue\nend\ncontinue\nquit\n' "$k"
	} >"$tmp/gdb.cmds"
	ns[$name]=""
	command -v gdb >/dev/null || return
	DTL_WATCH_TIME=1 timeout "$gdb_limit" gdb -q -batch -x "$tmp/gdb.cmds" --args "$target" \
		counter "$k" >"$tmp/gdb.out" 2>"$tmp/err"
	case $? in
	0) ns[$name]=$(per_hit "$k") ;;
	124) note[$name]="did not reach the end of $k writes in $gdb_limit s" ;;
	esac
}
declare -A note
gdb_limit=${DTL_BENCH_GDB_LIMIT:-120}
gdb_run gdb-hw "$n"
# software watchpoints single-step everything: far fewer writes
gdb_sw_n=20
gdb_run gdb-sw "$gdb_sw_n" "set can-use-hw-watchpoints 0"

# perf: a breakpoint event on the variable's address, one sample per hit
# (no ASLR: setarch -R, so that the address is known before the run)
ns[perf]=""
if command -v perf >/dev/null && command -v setarch >/dev/null; then
	off=$(nm "$target" | awk '$3 == "counter" { print $1 }')
	# the load address of a PIE without ASLR (that of any PIE: cat's)
	base=$(setarch -R cat /proc/self/maps | awk 'NR == 1 { split($1, a, "-"); print a[1] }')
	if [[ -n $off && -n $base ]]; then
		addr=$(printf '0x%x' $((0x$base + 0x$off)))
		DTL_WATCH_TIME=1 timeout 600 perf record -q -c 1 -e "mem:$addr:w" -o "$tmp/perf.data" -- \
			setarch -R "$target" counter "$n" >/dev/null 2>"$tmp/err" && ns[perf]=$(per_hit "$n")
	fi
fi
ns[mprotect]=$("$nat" mprotect "$n" | awk '{print $3}')

row() { # name label
	local v=${ns[$1]:-} ratio="-" x="-"
	if [[ -z $v ]]; then
		echo "| $2 | ${note[$1]:-not available here} | - | - |"
		return
	fi
	[[ -n ${ns[dtl-page]:-} && ${ns[dtl-page]} != 0 ]] &&
		ratio=$(awk -v a="$v" -v b="${ns[dtl-page]}" 'BEGIN { printf "%.2f", a / b }')
	if [[ -n ${xs[$1]:-} && -n ${xs[dtl-none]:-} ]]; then
		x=$(awk -v a="${xs[$1]}" -v b="${xs[dtl-none]}" -v n="$n" 'BEGIN { printf "%.2f", (a - b) / n }')
	fi
	echo "| $2 | $v | $ratio | $x |"
}
echo "| per hit | ns | ratio to dtrace-lite page | exits to the host |"
echo "|---|---|---|---|"
row dtl-page "dtrace-lite --watch (page protection, ring 0)"
row dtl-hw "dtrace-lite --watch (debug register, ring 0)"
row gdb-hw "gdb watch (hardware)"
row gdb-sw "gdb watch (software, $gdb_sw_n writes)"
row perf "perf record -e mem:ADDR:w"
row mprotect "mprotect + SIGSEGV handler"
row native "the loop's write, natively"
