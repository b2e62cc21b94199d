#!/usr/bin/env bash
# libdune event costs side by side with the native alternatives, in one run
# on this machine. Prints a Markdown table (ns per event, ratio to native
# getppid, guest->host exits per event) headed by the platform and date.
#
# usage: bench/run.sh [BUILD_DIR] [ITERATIONS]
set -euo pipefail
build=${1:-build}
n=${2:-10000}
ev="$build/bench/dune_events"
nat="$build/bench/native_events"
sizes="$build/bench/record_sizes"
[[ -x $ev && -x $nat && -x $sizes ]] || { echo "build first: make build" >&2; exit 1; }

platform=$("$build/cmd/dune-info" | sed -n 's/^hypervisor: *//p')
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "# libdune event costs, $(date -u +%F), $n iterations"
echo "platform: ${platform:-no /dev/kvm}; CPU: $cpu; kernel $(uname -r)"
echo

declare -A ns exits
while read -r _ name t _ x _; do
	ns[$name]=$t
	exits[$name]=$x
done < <("$ev" "$n" | grep '^event')
while read -r _ name t _ x _; do
	ns[$name]=$t
	exits[$name]=$x
done < <("$ev" "$n" ring3 | grep '^event' | sed 's/^event pagefault-ring3-map/event pagefault-ring3-map/')

native_getppid=$("$nat" getppid "$n" | awk '{print $3}')
mprotect_trap=$("$nat" mprotect "$n" | awk '{print $3}')
strace_getppid=$(strace -f -qq -o /dev/null -e trace=getppid "$nat" getppid "$n" | awk '{print $3}')
strace_seccomp_other=$(strace -f -qq -o /dev/null --seccomp-bpf -e trace=openat "$nat" getppid "$n" 2>/dev/null |
	awk '{print $3}') || strace_seccomp_other=""
# exits per call of a whole injected process, from its DUNE_STATS line
stats=$(mktemp)
exits_per_call() { awk -v n="$n" '{ e += $6 } END { printf "%.2f", e / n }' "$stats"; : >"$stats"; }
dtl_getppid=$(DUNE_STATS=$stats "$build/cmd/dtrace-lite" -o /dev/null -e trace=getppid "$nat" getppid "$n" | awk '{print $3}')
dtl_exits=$(exits_per_call)
dune_run_getppid=$(DUNE_STATS=$stats "$build/cmd/dune-run" "$nat" getppid "$n" | awk '{print $3}')
dune_run_exits=$(exits_per_call)
rm -f "$stats"
perf_trace=""
if command -v perf >/dev/null && perf trace -o /dev/null true >/dev/null 2>&1; then
	perf_trace=$(perf trace -o /dev/null -e getppid "$nat" getppid "$n" | awk '{print $3}')
fi

row() { # name ns exits note
	local ratio
	ratio=$(awk -v a="$2" -v b="$native_getppid" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "-" }')
	printf '| %s | %s | %s× | %s | %s |\n' "$1" "$2" "$ratio" "$3" "$4"
}

echo "| event | ns/event | × native getppid | guest→host exits/event | notes |"
echo "|---|---:|---:|---:|---|"
row "native getppid (no tracing)" "$native_getppid" "-" "baseline"
row "libdune: syscall passed through, from ring 0" "${ns[syscall-ring0-passthrough]}" "${exits[syscall-ring0-passthrough]}" "program in ring 0 (dune_enter)"
row "libdune: syscall passed through, from ring 3" "${ns[syscall-ring3-passthrough]}" "${exits[syscall-ring3-passthrough]}" "program in ring 3, ring-0 handler (tracer's path)"
row "libdune: int3 handled in ring 0, from ring 0" "${ns[exception-ring0-int3]}" "${exits[exception-ring0-int3]}" ""
row "libdune: int3 handled in ring 0, from ring 3" "${ns[exception-ring3-int3]}" "${exits[exception-ring3-int3]}" ""
row "libdune: page fault mapped in ring 0, from ring 0" "${ns[pagefault-ring0-map]}" "${exits[pagefault-ring0-map]}" "first touch of a page"
row "libdune: page fault mapped in ring 0, from ring 3" "${ns[pagefault-ring3-map]}" "${exits[pagefault-ring3-map]}" "first touch of a page"
row "libdune: ring-3 round trip" "${ns[ring3-round-trip]}" "${exits[ring3-round-trip]}" "dune_jump_to_user + dune_ret_from_user"
row "dune-run (inside Dune, untraced), getppid" "$dune_run_getppid" "$dune_run_exits" "passthrough from ring 3; exits include start-up"
row "dtrace-lite, traced getppid" "$dtl_getppid" "$dtl_exits" "captured in ring 0; exits include start-up"
row "strace, traced getppid" "$strace_getppid" "-" "ptrace stops"
[[ -n $strace_seccomp_other ]] && row "strace --seccomp-bpf, untraced getppid" "$strace_seccomp_other" "-" "filter only"
[[ -n $perf_trace ]] && row "perf trace, getppid" "$perf_trace" "-" ""
row "mprotect + SIGSEGV + mprotect" "$mprotect_trap" "-" "write fault trapped by a signal handler"

echo
echo "## dtrace-lite's event stream: record sizes"
echo
"$sizes"
