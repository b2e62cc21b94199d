#!/usr/bin/env bash
# A trace that cannot be written is never lost silently: -o /dev/full, a full
# file system, and the --json, --perfetto and -c outputs each report the file
# and the reason on stderr, say at the end that the trace is incomplete, and
# keep the program's own exit status (as strace does).
set -uo pipefail
tracer=$1 loop=$2
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }
tmp=$(mktemp -d)
mnt=
cleanup() { [[ -n $mnt ]] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# $1: what; the rest: dtrace-lite's arguments. The program exits with 3.
expect_reported() {
	local what=$1 file=$2
	shift 2
	"$tracer" "$@" sh -c 'echo out; exit 3' >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[[ $rc -eq 3 ]] || fail "$what: exit status $rc, not the program's 3"
	grep -qx out "$tmp/out" || fail "$what: the program's output is missing"
	grep -q "^dtrace-lite: $file: No space left on device$" "$tmp/err" ||
		{ cat "$tmp/err"; fail "$what: the write error is not reported"; }
	grep -q "^dtrace-lite: the trace in $file is incomplete" "$tmp/err" ||
		{ cat "$tmp/err"; fail "$what: the end does not say the trace is incomplete"; }
}
expect_reported "-o /dev/full" /dev/full -o /dev/full
expect_reported "-f -o /dev/full" /dev/full -f -o /dev/full
expect_reported "--json" /dev/full --json -o /dev/full
expect_reported "--perfetto" /dev/full --perfetto /dev/full -o /dev/null
expect_reported "-c" /dev/full -c -o /dev/full

# a writable trace: nothing said
"$tracer" -o "$tmp/ok" sh -c 'exit 3' 2>"$tmp/err"
[[ $? -eq 3 && ! -s $tmp/err ]] || { cat "$tmp/err"; fail "a good trace reports an error"; }

# a file system that fills up part-way: what fit is kept, the rest is reported
if mkdir "$tmp/small" && mount -t tmpfs -o size=64k tmpfs "$tmp/small" 2>/dev/null; then
	mnt=$tmp/small
	"$tracer" -o "$mnt/t" "$loop" 20000 >/dev/null 2>"$tmp/err"
	rc=$?
	[[ $rc -eq 0 ]] || fail "full tmpfs: exit status $rc"
	grep -q "^dtrace-lite: $mnt/t: No space left on device$" "$tmp/err" ||
		{ cat "$tmp/err"; fail "full tmpfs: not reported"; }
	[[ $(grep -c getppid "$mnt/t") -gt 100 ]] || fail "full tmpfs: what fit was not kept"
else
	echo "note: cannot mount a small tmpfs here; the full-file-system case is skipped"
fi
echo PASS
