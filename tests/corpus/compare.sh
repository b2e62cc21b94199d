#!/bin/sh
# compare.sh DUNE_RUN INJECT_LIB PROG [ARGS...]
# Run PROG natively and under dune-run; stdout, stderr and exit status must
# be the same. POSIX sh only: it also runs inside the VM rig's busybox guest.
set -u
run=$1 lib=$2
shift 2
tmp=${TMPDIR:-/tmp}/dtl-compare.$$
mkdir -p "$tmp" || exit 1
"$@" >"$tmp/n.out" 2>"$tmp/n.err"
echo $? >"$tmp/n.rc"
DUNE_INJECT_LIB=$lib "$run" "$@" >"$tmp/d.out" 2>"$tmp/d.err"
echo $? >"$tmp/d.rc"
status=0
for part in out err rc; do
	if ! cmp -s "$tmp/n.$part" "$tmp/d.$part"; then
		echo "FAIL: $part differs natively / under dune-run"
		echo "--- native $part:"; head -c 2000 "$tmp/n.$part"
		echo "--- dune-run $part:"; head -c 2000 "$tmp/d.$part"
		status=1
	fi
done
[ $status -eq 0 ] && echo "PASS: $* (exit $(cat "$tmp/n.rc"), $(wc -c <"$tmp/n.out") bytes)"
rm -rf "$tmp"
exit $status
