#!/usr/bin/env bash
# dune-info must agree with what the machine really is.
set -euo pipefail
bin=$1
out=$("$bin" -m) && rc=0 || rc=$?
echo "$out"

fail() { echo "FAIL: $*" >&2; exit 1; }

if [[ -e /dev/kvm && -r /dev/kvm && -w /dev/kvm ]]; then
	[[ $rc -eq 0 ]] || fail "backend reported unusable although /dev/kvm is accessible"
	if [[ -d /sys/module/kvm_pvm ]]; then
		grep -q '^hypervisor: *kvm (PVM' <<<"$out" || fail "kvm_pvm is loaded but not reported"
	elif grep -qw vmx /proc/cpuinfo && [[ -d /sys/module/kvm_intel ]]; then
		grep -q 'Intel VT-x' <<<"$out" || fail "VT-x not reported"
	elif grep -qw svm /proc/cpuinfo && [[ -d /sys/module/kvm_amd ]]; then
		grep -q 'AMD-V' <<<"$out" || fail "AMD-V not reported"
	fi
else
	[[ $rc -eq 1 ]] || fail "exit status $rc without a usable /dev/kvm (want 1)"
	grep -q '^backend: *none: ' <<<"$out" || fail "no reason given for the missing backend"
fi

# The memory listing must contain our own binary and the stack.
grep -q " file .*/dune-info$" <<<"$out" || fail "own executable not listed"
grep -q " stack .*\[stack\]$" <<<"$out" || fail "stack not listed"
want_bits=$(grep -m1 '^address sizes' /proc/cpuinfo | sed -E 's/.*: ([0-9]+) bits physical.*/\1/')
grep -q "physical $want_bits," <<<"$out" || fail "physical address bits differ from /proc/cpuinfo ($want_bits)"
echo PASS
