#!/usr/bin/env bash
# Real workloads traced side by side, in one run on this machine.
#
# What it measures: the wall time of three ordinary workloads
#   find    find /usr -name '*.h'                 (stdout to a temp file)
#   tar     tar cf TMP/out.tar -C /usr include    (archive /usr/include)
#   make    make -s -j2 in a generated project    (20 small .c + main.c;
#                                                   `make clean` before each run)
# under each mode:
#   native            untraced
#   dune-run          inside Dune, not traced (the cost of running in the VM)
#   dtrace-lite -f    every call captured in ring 0, written with -o FILE
#   dtrace-lite -f -e trace=openat,execve
#   strace -f         ptrace, every call, -o FILE
#   strace -f --seccomp-bpf -e trace=openat,execve
#                     the kernel filters: other calls run without a stop
#   perf trace -m 8192  kernel tracepoints, -o FILE (if `perf trace` works
#                     here); 32 MiB buffers per CPU, as the default loses
#                     events on find
#
# How: every (workload, mode) pair runs BENCH_RUNS times (default 3); the
# table shows the median wall time and its ratio to the native median. Each
# run's result is checked against an untimed native reference run (find:
# identical output; tar: identical `tar tf` listing; make: the built program
# prints the same line); a row whose run fails that check, exits non-zero or
# passes BENCH_TIMEOUT seconds (default 300) shows FAILED and the reason
# instead of a time. "syscalls traced" counts the call lines of the last
# run's trace file (a call split into <unfinished ...> / <... resumed> counts
# once; +++/--- lines do not count). For the Dune rows DUNE_STATS=FILE makes
# every injected process image append "pid N comm C exits N syscalls N traps
# N at WHY" (libdune/kvm/monitor.c); exits/syscall is the sum of exits over
# the sum of syscalls run by the monitor, all runs together (field 6 / field
# 8). Absolute counts are not shown: a vfork/posix_spawn child shares its
# parent's counters until it execs, so its "at execve" line repeats the
# parent's running totals and sums over the file count those twice.
#
# stdout: Markdown, one section per workload; progress goes to stderr.
#
# usage: bench/workloads.sh [BUILD_DIR]
#   env: BENCH_RUNS (3), BENCH_TIMEOUT (300 s a run),
#        BENCH_WORKLOADS ("find tar make": which to run, in this order)
set -euo pipefail
build=$(realpath "${1:-build}")
runs=${BENCH_RUNS:-3}
limit=${BENCH_TIMEOUT:-300}
read -ra workloads <<<"${BENCH_WORKLOADS:-find tar make}"
small=openat,execve
dune_run="$build/cmd/dune-run"
dtl="$build/cmd/dtrace-lite"
[[ -x $dune_run && -x $dtl && -x $build/cmd/dune-info ]] || {
	echo "build first: make build (or pass the build directory)" >&2
	exit 1
}
command -v strace >/dev/null || { echo "strace is needed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/dtl-workloads.XXXXXX")
log() { echo "workloads: $*" >&2; }
# Every workload runs with its working directory under $work. A tracer that
# dies can leave its tracees behind (dtrace-lite's spin on the full ring);
# they are killed after a failed run so they do not load the next rows.
sweep() { # -> how many processes were killed
	local p c n=0
	for p in /proc/[0-9]*; do
		c=$(readlink "$p/cwd" 2>/dev/null) || continue
		[[ $c == "$work"* ]] || continue
		kill -9 "${p#/proc/}" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}
trap 'sweep >/dev/null; rm -rf "$work"' EXIT

# ---- the generated make project: 20 small files, main.c, a Makefile ----
mkdir "$work/proj"
for i in $(seq 1 20); do
	printf '#include <stdio.h>\n#include <string.h>\nint f%d(int x)\n{\n\tchar b[32];\n\tsnprintf(b, sizeof b, "%%d", x * %d);\n\treturn (int)strlen(b) + x;\n}\n' \
		"$i" "$i" >"$work/proj/f$i.c"
done
# shellcheck disable=SC2028 # the C text's \n is meant literally
{
	echo '#include <stdio.h>'
	for i in $(seq 1 20); do echo "int f$i(int);"; done
	echo 'int main(void)'
	echo '{'
	echo '	int s = 0;'
	for i in $(seq 1 20); do echo "	s += f$i($i);"; done
	echo '	printf("sum %d\n", s);'
	echo '	return 0;'
	echo '}'
} >"$work/proj/main.c"
# shellcheck disable=SC2016 # make's $(...), not the shell's
printf '%s\n' 'SRCS := $(wildcard *.c)' 'OBJS := $(SRCS:.c=.o)' 'prog: $(OBJS)' \
	'	$(CC) -o $@ $(OBJS)' '%.o: %.c' '	$(CC) -O1 -c -o $@ $<' 'clean:' \
	'	rm -f $(OBJS) prog' >"$work/proj/Makefile"

# ---- workloads: command, preparation before each run, result check ----
declare -A title
title[find]="find /usr -name '*.h'"
title[tar]="tar cf OUT.tar -C /usr include"
title[make]="make -s -j2 of a generated project (20 small .c files + main.c)"
workload_cmd() { # name -> sets the array cmd
	case $1 in
	find) cmd=(find /usr -name '*.h') ;;
	tar) cmd=(tar cf "$work/out.tar" -C /usr include) ;;
	make) cmd=(make -s -j2 -C "$work/proj") ;;
	esac
}
prepare() {
	case $1 in
	find) : ;;
	tar) rm -f "$work/out.tar" ;;
	make) make -s -C "$work/proj" clean >/dev/null ;;
	esac
}
result() { # name -> what must equal the native reference, on stdout
	case $1 in
	find) cat "$work/out" ;;
	tar) tar tf "$work/out.tar" ;;
	make) "$work/proj/prog" ;;
	esac
}
describe() { # name file -> a few words about a result, for a FAILED note
	case $1 in
	find) echo "$(wc -l <"$2") output lines, native $(wc -l <"$work/ref") " ;;
	tar) echo "$(wc -l <"$2") archive members, native $(wc -l <"$work/ref") " ;;
	make) echo "prog printed '$(head -c 60 "$2")', native '$(cat "$work/ref")'" ;;
	esac
}

# ---- modes ----
modes=(native dune-run dtl dtl-e strace strace-seccomp perf)
declare -A label note
label[native]="native (untraced)"
label[dune-run]="dune-run (in Dune, not traced)"
label[dtl]="dtrace-lite -f -o FILE"
label[dtl-e]="dtrace-lite -f -e trace=$small -o FILE"
label[strace]="strace -f -o FILE"
label[strace-seccomp]="strace -f --seccomp-bpf -e trace=$small -o FILE"
label[perf]="perf trace -m 8192 -o FILE"
note[native]="reference"
note[dune-run]="every call passed through ring 0 to the monitor"
note[dtl]="ring-0 capture; calls before the runtime enters the VM (ld.so start-up of each exec) are not seen"
note[dtl-e]="ring 0 still takes every call (one exit each); only $small recorded"
note[strace]="ptrace: two stops per call"
note[strace-seccomp]="seccomp filter: the other calls run without a stop"
note[perf]="tracepoints, no stops; pointer arguments not decoded"
perf_ok=1
if ! command -v perf >/dev/null; then
	perf_ok=0
	note[perf]="not run: no perf command"
elif ! perf_err=$(perf trace -o /dev/null true 2>&1); then
	perf_ok=0
	note[perf]="not run: \`perf trace\` fails here: $(echo "$perf_err" | grep -m1 . | cut -c1-120)"
fi

run_mode() { # mode trace stats cmd... ; runs under the time limit
	local mode=$1 trace=$2 stats=$3
	shift 3
	case $mode in
	native) timeout "$limit" "$@" ;;
	dune-run) DUNE_STATS=$stats timeout "$limit" "$dune_run" "$@" ;;
	dtl) DUNE_STATS=$stats timeout "$limit" "$dtl" -f -o "$trace" "$@" ;;
	dtl-e) DUNE_STATS=$stats timeout "$limit" "$dtl" -f -e trace="$small" -o "$trace" "$@" ;;
	strace) timeout "$limit" strace -f -o "$trace" "$@" ;;
	strace-seccomp) timeout "$limit" strace -f --seccomp-bpf -e trace="$small" -o "$trace" "$@" ;;
	perf) timeout "$limit" perf trace -m 8192 -o "$trace" "$@" ;;
	esac
}

count_calls() { # mode trace -> call lines in the trace
	[[ -s $2 ]] || { echo 0; return; }
	case $1 in
	perf) grep -cE '/[0-9]+ +[a-z_][a-z0-9_]*\(' "$2" || true ;;
	*) grep -cE '^(\[pid +[0-9]+\] +|[0-9]+ +)?[a-z_][a-z0-9_]*\(' "$2" || true ;;
	esac
}

median() {
	printf '%s\n' "$@" | sort -g |
		awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# ---- header ----
hv=$("$build/cmd/dune-info" 2>/dev/null | sed -n 's/^hypervisor: *//p') || true
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
short_kind="hardware virtualization"
if [[ $hv == *PVM* ]]; then
	short_kind="PVM (nested, software), not hardware"
	kind="**PVM** (kvm_pvm: the guest is run by a paravirtualized, software hypervisor nested in a cloud VM) — **not hardware VT-x/AMD-V**; Dune rows pay PVM's software world switches, so they are not what hardware would give"
elif [[ -n $hv ]]; then
	kind="hardware virtualization ($hv)"
else
	short_kind="no /dev/kvm"
	kind="no usable /dev/kvm: the Dune rows will fail"
fi
platform_line="platform: ${hv:-none}; CPU: $cpu ($(nproc) cores); kernel $(uname -r); $(date -u +%F)"
echo "# Real workloads, native and traced, $(date -u +%F)"
echo
echo "$platform_line"
echo
echo "Platform kind: $kind."
echo
echo "Wall time: median of $runs runs (\`BENCH_RUNS\`), each checked against an untimed native reference run (FAILED: a wrong result, a non-zero exit or a ${limit} s timeout). Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores, which other work may share: expect noise."
echo
echo "Columns: *syscalls traced* = call lines in the last run's trace file (a call split into unfinished/resumed counts once). *exits/syscall* = guest→host exits over system calls run by the Dune monitor (DUNE_STATS, all runs; Dune rows only)."
echo

for w in "${workloads[@]}"; do
	workload_cmd "$w"
	log "$w: native reference run"
	prepare "$w"
	(cd "$work" && "${cmd[@]}") >"$work/out" 2>"$work/err"
	result "$w" >"$work/ref"
	native_median=""

	echo "## ${title[$w]}"
	echo
	echo "$platform_line; $short_kind. Reference result: $(case $w in
		find) echo "$(wc -l <"$work/ref") paths" ;;
		tar) echo "$(wc -l <"$work/ref") archive members, $(du -h "$work/out.tar" | cut -f1) archive" ;;
		make) echo "\`prog\` prints \"$(cat "$work/ref")\"" ;;
		esac)."
	echo
	echo "| mode | wall s (median) | × native | syscalls traced | exits/syscall | notes |"
	echo "|---|---:|---:|---:|---:|---|"
	for m in "${modes[@]}"; do
		if [[ $m == perf && $perf_ok == 0 ]]; then
			printf '| %s | - | - | - | - | %s |\n' "${label[$m]}" "${note[$m]}"
			continue
		fi
		times=() failed="" trace="$work/trace" stats="$work/stats"
		rm -f "$stats"
		for r in $(seq 1 "$runs"); do
			log "$w: ${label[$m]}: run $r/$runs"
			prepare "$w"
			rm -f "$trace"
			rc=0
			s=$(date +%s.%N)
			(cd "$work" && run_mode "$m" "$trace" "$stats" "${cmd[@]}") >"$work/out" 2>"$work/err" || rc=$?
			e=$(date +%s.%N)
			if ((rc == 124)); then
				failed="run $r passed ${limit}s (timeout)"
			elif ((rc != 0)); then
				failed="run $r exited $rc"
				((rc > 128)) && failed+=" (killed by SIG$(kill -l $((rc - 128))))"
				failed+=": $(grep -v -e ' attached$' -e ': line [0-9]*: ' "$work/err" | grep . | tail -1 | cut -c1-100)"
			elif ! result "$w" >"$work/got" 2>&1; then
				failed="run $r: result unreadable: $(head -c 100 "$work/got")"
			elif ! cmp -s "$work/got" "$work/ref"; then
				failed="run $r: result differs from native: $(describe "$w" "$work/got")"
			fi
			[[ -n $failed ]] && break
			times+=("$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", b - a }')")
		done
		if [[ -n $failed ]]; then
			left=$(sweep)
			((left == 0)) || failed+="; $left processes it left running were killed"
			log "$w: ${label[$m]}: FAILED: $failed"
			printf '| %s | FAILED | - | - | - | %s |\n' "${label[$m]}" "$failed"
			continue
		fi
		t=$(median "${times[@]}")
		[[ $m == native ]] && native_median=$t
		ratio=$(awk -v a="$t" -v b="$native_median" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "-" }')
		traced="-" per="-"
		case $m in
		native | dune-run) ;;
		*) traced=$(count_calls "$m" "$trace") ;;
		esac
		if [[ -s $stats ]]; then
			per=$(awk '{ e += $6; s += $8 } END { printf "%.2f", (s > 0 ? e / s : 0) }' "$stats")
		fi
		extra=""
		if [[ $m == perf ]] && grep -q 'LOST' "$trace" 2>/dev/null; then extra="; perf lost events"; fi
		printf '| %s | %s | %s | %s | %s | %s |\n' "${label[$m]}" "$t" "$ratio" "$traced" \
			"$per" "${note[$m]}$extra"
	done
	echo
done
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
