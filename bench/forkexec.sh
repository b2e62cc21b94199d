#!/usr/bin/env bash
# Process creation side by side, in one run on this machine: per-operation
# cost of
#   fork        fork + _exit + wait                  (bench/forkexec.c)
#   vfork-exec  vfork + exec /bin/true + wait
#   spawn       posix_spawn /bin/true + wait
#   fork-exec   fork + exec /bin/true + wait
#   sh-loop     sh -c 'while ...; do (exit $((n % 5))); ...' (the corpus
#               "forks" case: a subshell per iteration), wall time / N
# under each mode:
#   native        untraced
#   dune-run      inside Dune, not traced
#   dtrace-lite   dtrace-lite -f -o /dev/null (every call of every process)
#   strace        strace -f -o /dev/null
# With BASE_REF, that commit's dune-run and dtrace-lite are built in a
# temporary worktree and measured too, alternating with this tree's round by
# round (base, this, base, this ...) so that drifts of the shared machine hit
# both alike; the workload programs are this tree's for both sides.
#
# Each time is the median of ROUNDS runs, in microseconds per operation,
# with its ratio to native. A second table gives the guest->host transitions
# per operation, over all processes of a run (DUNE_STATS): "monitor", exits
# that reached the monitor; "kernel", every exit to the host kernel (KVM's
# vCPU statistics), also those KVM handles itself (shadow-paging faults on
# PVM); a build that does not report them shows "-". A vfork/posix_spawn
# child shares its parent's counters until it execs, so its "at execve" line
# is left out (the parent's total has its monitor exits; its vCPU's kernel
# exits are lost with the vCPU).
#
# stdout: Markdown; progress on stderr.
# usage: bench/forkexec.sh [BUILD_DIR] [BASE_REF]
#   env: FORKEXEC_N (100 operations a run), FORKEXEC_ROUNDS (3),
#        FORKEXEC_OPS (the operations to run, default all five)
set -euo pipefail
build=${1:-build}
base_ref=${2:-}
n=${FORKEXEC_N:-100}
rounds=${FORKEXEC_ROUNDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
prog="$build/bench/forkexec"
[[ -x $prog && -x $build/cmd/dune-run && -x $build/cmd/dtrace-lite ]] ||
	{ echo "build first: cmake --build $build" >&2; exit 1; }
prog=$(cd "$(dirname "$prog")" && pwd)/forkexec

work=$(mktemp -d /tmp/dtl-forkexec.XXXXXX)
cleanup() {
	[[ -n $base_ref ]] && git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
builds=("$build")
names=(this)
if [[ -n $base_ref ]]; then
	base_sha=$(git -C "$root" rev-parse --short "$base_ref")
	git -C "$root" worktree add -q --detach "$work/src" "$base_sha"
	echo "building $base_sha ..." >&2
	cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$work/build" -j 2 --target dune-run dtrace-lite >/dev/null
	builds=("$work/build" "$build")
	names=("$base_sha" this)
fi

read -r -a ops <<<"${FORKEXEC_OPS:-fork vfork-exec spawn fork-exec sh-loop}"
sh_loop='n=0; while [ $n -lt '"$n"' ]; do (exit $((n % 5))); n=$((n+1)); done'

now_ns() { date +%s%N; }
# one run: prints "us_per_op exits_per_op kernel_exits_per_op"
measure() { # mode build op
	local mode=$1 b=$2 op=$3 stats="$work/stats" ns
	local -a pre=()
	: >"$stats"
	case $mode in
	native) ;;
	dune-run) pre=(env DUNE_STATS="$stats" "$b/cmd/dune-run") ;;
	dtrace-lite) pre=(env DUNE_STATS="$stats" "$b/cmd/dtrace-lite" -f -o /dev/null) ;;
	strace) pre=(strace -f -qq -o /dev/null) ;;
	esac
	if [[ $op == sh-loop ]]; then
		local t0 t1
		t0=$(now_ns)
		"${pre[@]}" sh -c "$sh_loop"
		t1=$(now_ns)
		ns=$(((t1 - t0) / n))
	else
		ns=$("${pre[@]}" "$prog" "$op" "$n" | awk '{print $3}')
	fi
	local exits="- -"
	if [[ -s $stats ]]; then
		# "pid N comm C exits N syscalls N traps N kexits N first_touches N at WHY"
		exits=$(awk -v n="$n" -v shared="$([[ $op == vfork-exec || $op == spawn ]] && echo 1)" '
			shared && $4 == "forkexec" && $NF == "execve" { next }
			{ e += $6; if ($11 == "kexits") k += $12; else nok = 1 }
			END { printf "%.1f %s", e / n, nok ? "-" : sprintf("%.1f", k / n) }' "$stats")
	fi
	awk -v ns="$ns" -v e="$exits" 'BEGIN { printf "%.0f %s\n", ns / 1000, e }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

platform=$("$build/cmd/dune-info" | sed -n 's/^hypervisor: *//p')
echo "# fork/exec/spawn per operation, $(date -u +%F), $n operations x $rounds rounds"
echo "platform: ${platform:-no /dev/kvm}; CPU: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); kernel $(uname -r)"
echo
# columns: native, then per build dune-run and dtrace-lite, then strace
cols=(native)
for i in "${!builds[@]}"; do cols+=("dune-run:$i" "dtrace-lite:$i"); done
cols+=(strace)
label() { [[ $1 == *:* ]] && echo "${1%%:*} ${names[${1#*:}]}" || echo "$1"; }
for op in "${ops[@]}"; do
	echo "measuring $op ..." >&2
	for c in "${cols[@]}"; do : >"$work/res.$op.$c"; done
	for ((r = 0; r < rounds; r++)); do
		for c in "${cols[@]}"; do
			b=$build
			[[ $c == *:* ]] && b=${builds[${c#*:}]}
			measure "${c%%:*}" "$b" "$op" >>"$work/res.$op.$c"
		done
	done
done
med() { awk -v f="$2" '{ print $f }' "$1" | median; } # file field

echo "Microseconds per operation (median) and the ratio to native:"
echo
header="| operation | native us"
sep="|---|---:"
for c in "${cols[@]:1}"; do
	header+=" | $(label "$c") us | x native"
	sep+="|---:|---:"
done
echo "$header |"
echo "$sep|"
for op in "${ops[@]}"; do
	nat=$(med "$work/res.$op.native" 1)
	row="| $op | $nat"
	for c in "${cols[@]:1}"; do
		t=$(med "$work/res.$op.$c" 1)
		row+=" | $t | $(awk -v a="$t" -v b="$nat" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')"
	done
	echo "$row |"
done
echo
echo "Guest->host transitions per operation, all processes of a run (median):"
echo "*monitor* = exits that reached the monitor (DUNE_STATS exits); *kernel* ="
echo "every exit to the host kernel (KVM's vCPU statistics; - where the build"
echo "does not report them)."
echo
header="| operation"
sep="|---"
for c in "${cols[@]}"; do
	[[ $c == *:* ]] || continue
	header+=" | $(label "$c") monitor | $(label "$c") kernel"
	sep+="|---:|---:"
done
echo "$header |"
echo "$sep|"
for op in "${ops[@]}"; do
	row="| $op"
	for c in "${cols[@]}"; do
		[[ $c == *:* ]] || continue
		row+=" | $(med "$work/res.$op.$c" 2) | $(med "$work/res.$op.$c" 3)"
	done
	echo "$row |"
done
