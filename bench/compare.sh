#!/usr/bin/env bash
# Per-event cost of this tree against an earlier commit, side by side in one
# run on this machine: both trees are built, then the same events are timed
# alternately (base, this, base, this ...) so that drifts of the machine hit
# both alike. Prints a Markdown table with the median of each side, the
# ratio this/base, and the guest->host exits per event of each side.
#
# usage: bench/compare.sh BASE_REF [BUILD_DIR] [ITERATIONS] [ROUNDS]
#   BASE_REF   a commit to compare with (e.g. HEAD~5, a tag)
#   BUILD_DIR  this tree's build (default: build; built if needed)
set -euo pipefail
base_ref=${1:?usage: bench/compare.sh BASE_REF [BUILD_DIR] [ITERATIONS] [ROUNDS]}
build=${2:-build}
n=${3:-5000}
rounds=${4:-7}
root=$(cd "$(dirname "$0")/.." && pwd)
targets=(dtrace-lite dune-run native_events dune_events)

work=$(mktemp -d /tmp/dtl-compare.XXXXXX)
trap 'git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
base_sha=$(git -C "$root" rev-parse --short "$base_ref")
git -C "$root" worktree add -q --detach "$work/src" "$base_sha"
echo "building $base_sha and this tree ..." >&2
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" -j "$(nproc)" --target "${targets[@]}" >/dev/null
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" >/dev/null

stats=$(mktemp)
# one measurement: prints "ns exits_per_event"
measure() { # side-build what
	local b=$1 what=$2 ns exits
	: >"$stats"
	case $what in
	dtrace-lite)
		ns=$(DUNE_STATS=$stats "$b/cmd/dtrace-lite" -o /dev/null -e trace=getppid \
			"$b/bench/native_events" getppid "$n" | awk '{print $3}') ;;
	dtrace-lite-all)
		ns=$(DUNE_STATS=$stats "$b/cmd/dtrace-lite" -f -o /dev/null \
			"$b/bench/native_events" getppid "$n" | awk '{print $3}') ;;
	dune-run)
		ns=$(DUNE_STATS=$stats "$b/cmd/dune-run" "$b/bench/native_events" getppid "$n" |
			awk '{print $3}') ;;
	ring3-passthrough | ring3-pagefault | ring3-int3)
		local ev=${what#ring3-}
		case $ev in
		passthrough) ev=syscall-ring3-passthrough ;;
		pagefault) ev=pagefault-ring3-map ;;
		int3) ev=exception-ring3-int3 ;;
		esac
		"$b/bench/dune_events" "$n" ring3 | awk -v e="$ev" '$2 == e { print $3, $5 }'
		return ;;
	esac
	exits=$(awk -v n="$n" '{ e += $6 } END { if (NR) printf "%.2f", e / n; else print "-" }' "$stats")
	echo "$ns $exits"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "# this tree vs $base_sha, $(date -u +%F), $n events x $rounds rounds, alternating"
platform=$("$build/cmd/dune-info" | sed -n 's/^hypervisor: *//p')
echo "platform: ${platform:-no /dev/kvm}; CPU: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo
echo "| event | $base_sha ns | this ns | this / $base_sha | exits/event $base_sha | exits/event this |"
echo "|---|---:|---:|---:|---:|---:|"
for what in dtrace-lite dtrace-lite-all dune-run ring3-passthrough ring3-int3 ring3-pagefault; do
	: >"$work/base" && : >"$work/this"
	for ((r = 0; r < rounds; r++)); do
		measure "$work/build" "$what" >>"$work/base"
		measure "$build" "$what" >>"$work/this"
	done
	b=$(awk '{print $1}' "$work/base" | median)
	t=$(awk '{print $1}' "$work/this" | median)
	be=$(awk '{print $2}' "$work/base" | median)
	te=$(awk '{print $2}' "$work/this" | median)
	ratio=$(awk -v a="$t" -v b="$b" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }')
	echo "| $what | $b | $t | $ratio | $be | $te |"
done
rm -f "$stats"
