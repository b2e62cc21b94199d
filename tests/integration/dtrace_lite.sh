#!/usr/bin/env bash
# dtrace-lite against strace on the same program with the same options: from
# the program's first own call on (ld.so's start-up happens before the
# injected runtime), the lines must be identical, and so must the exit.
set -uo pipefail
tracer=$1 target=$2
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: strace not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set=openat,read,write,close,lseek,access
"$tracer" -o "$tmp/dtl" -e trace=$set "$target" >"$tmp/dtl.out"; rc1=$?
strace -o "$tmp/st" -e trace=$set "$target" >"$tmp/st.out"; rc2=$?
from_begin() { sed -n '/^write(1, "BEGIN\\n", 6)/,$p' "$1"; }
from_begin "$tmp/dtl" >"$tmp/dtl.cmp"
from_begin "$tmp/st" >"$tmp/st.cmp"
cat "$tmp/dtl.cmp"
[[ -s $tmp/st.cmp ]] || { echo "FAIL: no BEGIN marker in strace's output"; exit 1; }
diff -u "$tmp/st.cmp" "$tmp/dtl.cmp" || { echo "FAIL: dtrace-lite differs from strace"; exit 1; }
cmp -s "$tmp/dtl.out" "$tmp/st.out" || { echo "FAIL: the program's output differs"; exit 1; }
[[ $rc1 -eq 3 && $rc2 -eq 3 ]] || { echo "FAIL: exit status $rc1 (strace: $rc2), want 3"; exit 1; }
# -y: the paths behind descriptors (stdout to the same file in both runs)
"$tracer" -y -o "$tmp/dtl-y" -e trace=$set "$target" >"$tmp/y.out"
strace -y -o "$tmp/st-y" -e trace=$set "$target" >"$tmp/y.out"
from_begin_y() { sed -n '/^write(1<[^>]*>, "BEGIN\\n", 6)/,$p' "$1"; }
from_begin_y "$tmp/dtl-y" >"$tmp/dtl-y.cmp"
from_begin_y "$tmp/st-y" >"$tmp/st-y.cmp"
[[ -s $tmp/st-y.cmp ]] || { echo "FAIL: -y: no BEGIN marker in strace's output"; exit 1; }
diff -u "$tmp/st-y.cmp" "$tmp/dtl-y.cmp" || { echo "FAIL: dtrace-lite -y differs from strace -y"; exit 1; }

# -c: the summary counts the program's calls and errors
out=$("$tracer" -c -e trace=openat,close,write "$target" 2>&1 >/dev/null); rc=$?
echo "$out"
[[ $rc -eq 3 ]] || { echo "FAIL: -c: exit status $rc"; exit 1; }
row() { awk -v s="$1" '$NF == s { print ($5 == s ? $4 " 0" : $4 " " $5) }' <<<"$out"; }
[[ $(row write) == "4 0" && $(row openat) == "3 1" && $(row close) == "3 1" ]] ||
	{ echo "FAIL: -c counts: write '$(row write)' openat '$(row openat)' close '$(row close)'"; exit 1; }
grep -q '^% time     seconds  usecs/call     calls    errors syscall$' <<<"$out" ||
	{ echo "FAIL: -c header"; exit 1; }

# a program killed by a signal: the trace says so and the status is the same
out=$("$tracer" -e trace=kill sh -c 'kill -SEGV $$' 2>&1); rc=$?
[[ $rc -eq 139 ]] || { echo "FAIL: killed program: rc $rc, want 139"; exit 1; }
grep -q '^+++ killed by SIGSEGV +++$' <<<"$out" || { echo "FAIL: no '+++ killed by' line: $out"; exit 1; }
grep -q '^kill([0-9]*, SIGSEGV) ' <<<"$out" || { echo "FAIL: kill() not decoded: $out"; exit 1; }
# a program that does not exist, and a bad -e
out=$("$tracer" no-such-program-xyz 2>&1); rc=$?
[[ $rc -eq 127 ]] && grep -q 'command not found' <<<"$out" || { echo "FAIL: missing program: $rc $out"; exit 1; }
out=$("$tracer" -e trace=nosuchcall true 2>&1); rc=$?
[[ $rc -eq 2 ]] && grep -q "invalid system call or class 'nosuchcall'" <<<"$out" ||
	{ echo "FAIL: bad -e: $rc $out"; exit 1; }
echo PASS
