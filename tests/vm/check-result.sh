#!/usr/bin/env bash
# One CTest test of the VM rig: report what run-tests.sh found for NAME.
# usage: check-result.sh RESULTS NAME [LOG]
# Prints the result line and the test's console output (from LOG); exits 0 on
# PASS, 77 on SKIP (CTest SKIP_RETURN_CODE), 1 on FAIL or a missing result.
set -euo pipefail

[[ $# -ge 2 ]] || {
	echo "usage: $0 RESULTS NAME [LOG]" >&2
	exit 2
}
results=$1 name=$2 log=${3:-}

if [[ ! -f $results ]]; then
	echo "vm: no results file $results (the rig's boot test did not run or failed)"
	exit 1
fi
line=$(awk -v n="$name" '$1 == n { print; exit }' "$results")
if [[ -z $line ]]; then
	echo "vm: $name is not in $results"
	exit 1
fi
echo "vm: $line"

if [[ -n $log && -f $log ]]; then
	# The test's output between its markers (a kernel message may share a
	# line with a marker, so they are matched anywhere in the line).
	awk -v b="@@DTL-BEGIN $name" -v e="@@DTL-END $name" '
		# marker m followed by the end of the line or a blank (so that
		# "x" does not match the markers of "x-36bit")
		function has(m, i, c) {
			i = index($0, m)
			if (!i) return 0
			c = substr($0, i + length(m), 1)
			return c == "" || c == " "
		}
		has(e) { exit }
		on { print "  | " $0 }
		has(b) { on = 1 }' "$log"
fi

read -r _ status _ <<<"$line"
case $status in
PASS) exit 0 ;;
SKIP) exit 77 ;;
*) exit 1 ;;
esac
