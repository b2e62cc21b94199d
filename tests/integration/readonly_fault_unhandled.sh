#!/usr/bin/env bash
# Without a handler, a write to read-only memory ends the program with
# SIGSEGV, as natively, after a diagnostic that names the fault.
set -uo pipefail
out=$("$1" --unhandled 2>&1)
rc=$?
echo "$out"
[[ $rc -eq 77 ]] && exit 77
[[ $rc -eq 139 ]] || { echo "FAIL: exit status $rc, want 139 (SIGSEGV)"; exit 1; }
grep -q 'unhandled exception 14 (#PF page fault)' <<<"$out" || { echo "FAIL: no diagnostic"; exit 1; }
grep -q 'write, protection' <<<"$out" || { echo "FAIL: fault kind not reported"; exit 1; }
grep -q '  code at 0x' <<<"$out" || { echo "FAIL: no faulting instruction"; exit 1; }
echo PASS
