#!/bin/sh
# compare.sh DUNE_RUN DTRACE_LITE PROG [ARGS...]
# Run PROG natively, under dune-run and traced by dtrace-lite -f: stdout,
# stderr and exit status must be the same all three ways, and the trace must
# end the way the program did. DTRACE_LITE may be "-" where there is none
# (the VM rig's guest). POSIX sh only: it also runs in the rig's busybox.
# PROG sees DTL_BEHAVE=native|dune|traced, for the rare case where it must
# know (never to change what it prints).
set -u
run=$1 dtl=$2
shift 2
tmp=${TMPDIR:-/tmp}/dtl-behave.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

DTL_BEHAVE=native "$@" >"$tmp/native.out" 2>"$tmp/native.err" </dev/null
echo $? >"$tmp/native.rc"
DTL_BEHAVE=dune "$run" "$@" >"$tmp/dune.out" 2>"$tmp/dune.err" </dev/null
echo $? >"$tmp/dune.rc"
ways=dune
if [ "$dtl" != - ]; then
	DTL_BEHAVE=traced "$dtl" -f -q -o "$tmp/trace" "$@" >"$tmp/traced.out" \
		2>"$tmp/traced.err" </dev/null
	echo $? >"$tmp/traced.rc"
	ways="dune traced"
fi

status=0
for way in $ways; do
	for part in out err rc; do
		if ! cmp -s "$tmp/native.$part" "$tmp/$way.$part"; then
			echo "FAIL: $part differs natively / $way"
			echo "--- native $part:"; head -c 3000 "$tmp/native.$part"
			echo "--- $way $part:"; head -c 3000 "$tmp/$way.$part"
			status=1
		fi
	done
done
if [ "$dtl" != - ] && ! grep -Eq '\+\+\+ (exited with|killed by) ' "$tmp/trace"; then
	echo "FAIL: the trace does not end with the program's exit"
	tail -n 20 "$tmp/trace"
	status=1
fi
[ $status -eq 0 ] && echo "PASS: $* (exit $(cat "$tmp/native.rc"), $(wc -c <"$tmp/native.out") bytes, $ways)"
exit $status
