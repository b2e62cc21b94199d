#!/bin/sh
# traced_million.sh DTRACE_LITE PROG: PROG makes 1,000,000 getppid calls
# from 4 threads; traced with -f, the trace must hold every one, report no
# loss, and end with the program's exit; the program's output and status
# are as natively.
set -u
dtl=$1 prog=$2
tmp=${TMPDIR:-/tmp}/dtl-soak.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
"$prog" >"$tmp/native.out"; native=$?
"$dtl" -f -o "$tmp/trace" -e trace=getppid "$prog" >"$tmp/traced.out"; traced=$?
status=0
if [ $native -ne $traced ] || ! cmp -s "$tmp/native.out" "$tmp/traced.out"; then
	echo "FAIL: output or status differ (native $native, traced $traced)"
	status=1
fi
calls=$(grep -c 'getppid() *= ' "$tmp/trace")
# a call cut by a thread switch is printed as <unfinished ...> + resumed
resumed=$(grep -c 'getppid resumed>' "$tmp/trace")
total=$((calls + resumed))
if [ "$total" -ne 1000000 ]; then
	echo "FAIL: $total of 1000000 calls in the trace"
	status=1
fi
if grep -Eq 'lost|dropped|skipped' "$tmp/trace"; then
	echo "FAIL: the trace reports a loss:"
	grep -E 'lost|dropped|skipped' "$tmp/trace" | head -5
	status=1
fi
if ! tail -n 1 "$tmp/trace" | grep -q '+++ exited with 0 +++'; then
	echo "FAIL: the trace does not end with the program's exit"
	tail -n 3 "$tmp/trace"
	status=1
fi
[ $status -eq 0 ] && echo "PASS: $total calls traced, none lost"
exit $status
