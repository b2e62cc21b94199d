#!/usr/bin/env bash
# The event stream in real runs, where dtrace_lite_options.sh leaves off:
# the front-end dies and nobody reaps it, a program idle for a while
# between calls (the doorbell), records near the largest size (-s 4096),
# signals that arrive while the capture makes system calls of its own,
# threads killed (exit_group) while they write a record.
set -uo pipefail
tracer=$1 loop=$2 timer=$3 storm=$4 ptrace_target=$5
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }
tmp=$(mktemp -d)
holder=
trap '[[ -n $holder ]] && kill -9 $holder 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The front-end is killed and its parent never waits for it (a process that
# is not a shell): it stays a zombie, which kill(pid, 0) does not tell from
# a live process. The program must still run on once the ring is full.
sh -c '"$1" -o /dev/null -e trace=getppid "$2" 60000 >"$3" & echo $! >"$4"; exec sleep 120' \
	sh "$tracer" "$loop" "$tmp/zombie.out" "$tmp/zombie.pid" &
holder=$!
for _ in $(seq 300); do grep -q BEGIN "$tmp/zombie.out" 2>/dev/null && break; sleep 0.02; done
grep -q BEGIN "$tmp/zombie.out" || fail "zombie front-end: the program did not start"
fe=$(cat "$tmp/zombie.pid")
prog=$(pgrep -P "$fe")
kill -9 "$fe"
for _ in $(seq 300); do kill -0 "$prog" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$prog" 2>/dev/null; then
	kill -9 "$prog"
	fail "the program waits forever on the ring of a front-end that is a zombie"
fi
kill -9 $holder
wait $holder 2>/dev/null
holder=
echo "zombie front-end: the program ran on"

# Signals while the ring-0 capture makes its own system calls (the
# doorbell's wake, -y's readlink): the program's calls and results stay its
# own, and its handler runs.
for opts in "" "-y" "-f -y"; do
	# shellcheck disable=SC2086
	out=$("$tracer" $opts -o "$tmp/timer" "$timer" 2>&1) ||
		fail "timer signals ($opts): $out"
	grep -q -- '--- SIGALRM ' "$tmp/timer" || fail "timer signals ($opts): no SIGALRM line"
	echo "timer signals ($opts): $out"
done

# Threads killed by another thread's exit_group in the middle of writing a
# record: the reader steps over what they left and counts it, and the rest
# of the trace (the shell's next programs) is all there.
for run in 1 2 3 4 5; do
	"$tracer" -f -o "$tmp/storm" sh -c "\"\$0\" 4 3000; for j in 1 2 3; do \"\$0\" 2 2000; done" \
		"$storm" 2>"$tmp/storm.err" || fail "exit mid-storm: exit status $?"
	exits=$(grep -c 'exit_group(0)' "$tmp/storm")
	[[ $exits -eq 5 ]] || fail "exit mid-storm, run $run: $exits of 5 exit_group lines: the trace stops early"
	if grep -q 'lost' "$tmp/storm.err"; then
		grep -q -- '^--- dtrace-lite: [0-9]* events lost' "$tmp/storm" ||
			fail "exit mid-storm: a loss on stderr, none in the trace"
		echo "exit mid-storm, run $run: $(cat "$tmp/storm.err")"
	fi
done
# Threads killed from outside (SIGKILL: the process cannot first hold its
# threads out of the claim window) in the middle of the storm, 30 times:
# whatever they leave in the ring, the trace goes on to the end, and the
# program after them runs and is traced.
"$tracer" -f -o "$tmp/killed" sh -c 'for i in $(seq 30); do "$0" 4 100000000 & sleep 0.05
	kill -9 $!; wait $! 2>/dev/null; done; "$0" 1 1000' "$storm" 2>"$tmp/killed.err" ||
	fail "SIGKILL mid-storm: exit status $?"
killed=$(grep -c '+++ killed by SIGKILL +++' "$tmp/killed")
[[ $killed -ge 30 ]] || fail "SIGKILL mid-storm: $killed threads killed in the trace, not 30 processes' worth"
last=$(grep 'exit_group(0)' "$tmp/killed" | tail -1 | cut -d' ' -f1)
grep -q "^$last  *+++ exited with 0 +++" "$tmp/killed" ||
	fail "SIGKILL mid-storm: the trace stops before the last program's end"
echo "SIGKILL mid-storm: $(grep -v Killed "$tmp/killed.err" || echo 'no loss')"
# The program makes dtrace-lite its tracer (PTRACE_TRACEME) and stops
# itself with SIGTRAP: dtrace-lite is no debugger, and lets it go on with
# that signal, as if untraced (it dies of it); it does not return first.
for opts in "" "-f"; do
	# shellcheck disable=SC2086
	"$tracer" $opts -o "$tmp/traceme" "$ptrace_target" >"$tmp/traceme.out" 2>&1
	rc=$?
	[[ $rc -eq 133 ]] || fail "PTRACE_TRACEME ($opts): exit status $rc, want 133 (SIGTRAP)"
	grep -q '+++ killed by SIGTRAP' "$tmp/traceme" ||
		fail "PTRACE_TRACEME ($opts): the trace does not end with SIGTRAP"
done
echo "PTRACE_TRACEME: the program ends by its SIGTRAP"
echo PASS
