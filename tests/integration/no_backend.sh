#!/usr/bin/env bash
# Without a usable /dev/kvm, entering fails with a message that says what
# and what to do, and the program's own error path runs (exit status 1).
# Needs root (a private mount namespace, another user); skipped otherwise.
set -uo pipefail
prog=$1
[[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null && command -v setpriv >/dev/null || {
	echo "SKIP: needs root, unshare and setpriv"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# 1. /dev/kvm absent: a private /dev without it
out=$(unshare -m sh -c 'mount -t tmpfs none /dev && exec "$0"' "$prog" 2>&1); rc=$?
echo "$out"
[[ $rc -eq 1 ]] || fail "absent /dev/kvm: exit status $rc, want 1"
grep -q '/dev/kvm does not exist' <<<"$out" || fail "absent /dev/kvm not explained"
grep -qE 'modprobe|run on a machine with' <<<"$out" || fail "no remedy for an absent /dev/kvm"

# 2. /dev/kvm not accessible to this user
if [[ -e /dev/kvm && $(stat -c %a /dev/kvm) != *6 ]]; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$prog" 2>&1); rc=$?
	echo "$out"
	[[ $rc -eq 1 ]] || fail "no permission: exit status $rc, want 1"
	grep -q 'Permission denied' <<<"$out" || fail "permission problem not explained"
	grep -q "kvm' group" <<<"$out" || fail "no remedy for the permission problem"
fi

# 3. a backend that this build does not have
out=$(DUNE_BACKEND=kmod "$prog" 2>&1); rc=$?
echo "$out"
[[ $rc -eq 1 ]] || fail "DUNE_BACKEND=kmod: exit status $rc, want 1"
grep -q "DUNE_BACKEND=kmod" <<<"$out" || fail "unavailable backend not named"
echo PASS
