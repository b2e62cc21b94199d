#!/bin/sh
# hostile_ring.sh DTRACE_LITE PROG: PROG finds the event ring and writes
# into it while it makes traced calls (hostile_ring.c). dtrace-lite must
# survive it: the program's output and status as natively, dtrace-lite not
# killed by a signal, the trace ending with the program's exit, and the
# damage reported on stderr rather than passed off as the program's calls.
set -u
dtl=$1 prog=$2
tmp=${TMPDIR:-/tmp}/dtl-hostile.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
"$prog" >"$tmp/native.out" 2>&1; native=$?
timeout 600 "$dtl" -f -o "$tmp/trace" "$prog" >"$tmp/traced.out" 2>"$tmp/traced.err"
traced=$?
status=0
if [ $native -ne $traced ] || ! cmp -s "$tmp/native.out" "$tmp/traced.out"; then
	echo "FAIL: output or status differ (native $native, traced $traced)"
	status=1
fi
if ! grep -q '^hostile: attacked the ring' "$tmp/traced.err"; then
	echo "FAIL: the program did not find the ring: the probe is broken"
	status=1
fi
if ! grep -q 'records no tracer writes' "$tmp/traced.err"; then
	echo "FAIL: the front-end did not report the damage"
	status=1
fi
main=$(head -n 1 "$tmp/trace" | cut -d' ' -f1)
if ! grep -q "^$main  *+++ exited with 0 +++" "$tmp/trace"; then
	echo "FAIL: the trace does not end with the program's exit"
	tail -n 3 "$tmp/trace"
	status=1
fi
sed 's/^/stderr: /' "$tmp/traced.err"
[ $status -eq 0 ] && echo PASS
exit $status
