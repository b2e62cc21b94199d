#!/bin/bash
# Watchpoints: dtrace-lite --watch/--rwatch/--awatch on watch_target, whose
# accesses are known, compared with what it did and with its native run.
#   watch.sh DTRACE_LITE WATCH_TARGET errors   expressions refused, no backend needed
#   watch.sh DTRACE_LITE WATCH_TARGET hits     the hits themselves
# A fourth argument names libdtl-inject.so (for a rig that copies only the
# files its command names).
set -u
dtl=$1 target=$2 part=$3
[[ -n ${4:-} ]] && export DUNE_INJECT_LIB=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# the program's stdout and status natively and traced, the trace apart
run_both() { # name args...
	local name=$1
	shift
	"$target" "$@" >"$tmp/$name.native" 2>/dev/null
	echo "status $?" >>"$tmp/$name.native"
	"$dtl" -e trace=none -o "$tmp/$name.trace" "${watch[@]}" "$target" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
	echo "status $?" >>"$tmp/$name.out"
	cmp -s "$tmp/$name.native" "$tmp/$name.out" ||
		fail "$name: output or status differs from the native run:
$(diff "$tmp/$name.native" "$tmp/$name.out")
$(cat "$tmp/$name.err")"
}

hits() { grep -c -- "^--- watch $1 " "$2"; }

refused() { # expect-in-message expression...
	local want=$1
	shift
	"$dtl" "$@" "$target" counter 1 >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[[ $rc == 2 ]] || fail "$*: exit status $rc, want 2 (refused)"
	grep -qF -- "$want" "$tmp/err" || fail "$*: message lacks '$want': $(cat "$tmp/err")"
	[[ ! -s $tmp/out ]] || fail "$*: the program ran"
}

case $part in
errors)
	refused "no variable 'no_such_variable' in watch_target" --watch no_such_variable
	refused "is a function" --watch main
	refused "expected a length" --watch 'counter:'
	refused "^" --watch 'counter:'
	refused "an address needs a length" --watch 0x1000
	refused "not supported yet" --watch 'counter if counter == 3'
	refused "needs the DWARF expression engine" --watch '*counter'
	refused "not one of the libraries" --watch 'libnosuch.so:counter'
	refused "reach beyond the memory" --watch 'counter+0:100000000'
	echo "PASS errors"
	;;
hits)
	# every write, in order, one instruction each
	watch=(--watch counter)
	run_both counter counter 200
	[[ $(hits 1 "$tmp/counter.trace") == 200 ]] ||
		fail "counter: $(hits 1 "$tmp/counter.trace") hits, want 200: $(head "$tmp/counter.trace")"
	awk '/^--- watch 1 counter: write/ { if ($6 != n || $8 != n + 1) { print "bad: " $0; exit 1 } n++ }' \
		"$tmp/counter.trace" || fail "counter: values not 0 -> 1 ... 199 -> 200 in order"
	grep -q "main+0x[0-9a-f]* (watch_target.c:[0-9]*): mov" "$tmp/counter.trace" ||
		fail "counter: no function, line or instruction: $(head -3 "$tmp/counter.trace")"
	grep -q "watch 1 counter: 4 bytes at 0x" "$tmp/counter.err" ||
		fail "counter: no 'armed' notice: $(cat "$tmp/counter.err")"

	# 4 threads x 2000 locked increments: 8000 hits, each value once
	watch=(--watch total)
	run_both threads threads 4 2000
	[[ $(hits 1 "$tmp/threads.trace") == 8000 ]] ||
		fail "threads: $(hits 1 "$tmp/threads.trace") hits, want 8000"
	awk '/^--- watch 1 total: write/ { if ($8 != $6 + 1) { print "bad: " $0; exit 1 } print $6 }' \
		"$tmp/threads.trace" | sort -n >"$tmp/olds" || fail "threads: a hit's new value is not old + 1"
	seq 0 7999 | cmp -s - "$tmp/olds" || fail "threads: the old values are not 0..7999, each once"

	# writes beside the watched variable, on its page: no hit
	watch=(--watch counter)
	run_both beside beside 100
	[[ $(hits 1 "$tmp/beside.trace") == 0 ]] || fail "beside: hits for a neighbour's writes"

	# a block copy into a watched buffer: its bytes, in one hit or a few
	watch=(--watch buf)
	run_both copy copy
	n=$(hits 1 "$tmp/copy.trace")
	((n >= 1 && n <= 8)) || fail "copy: $n hits for one memcpy of 64 bytes"
	grep -q -- "-> 41 42 43" "$tmp/copy.trace" || grep -q -- "-> .*4[1-9a-f] 4" "$tmp/copy.trace" ||
		fail "copy: the new bytes are not the copied ones: $(cat "$tmp/copy.trace")"

	# reads
	watch=(--rwatch counter)
	run_both reads reads 50
	[[ $(hits 1 "$tmp/reads.trace") == 50 ]] || fail "reads: $(hits 1 "$tmp/reads.trace") hits, want 50"
	grep -q "counter: read 0 at" "$tmp/reads.trace" || fail "reads: $(head -2 "$tmp/reads.trace")"

	# a write the program may not make: its SIGSEGV, as natively
	watch=(--watch rodata_value)
	run_both readonly readonly
	[[ $(hits 1 "$tmp/readonly.trace") == 0 ]] || fail "readonly: a hit for a write that faulted"

	# --json: the same hits as objects
	"$dtl" -e trace=none --json -o "$tmp/json" --watch counter "$target" counter 20 >/dev/null 2>&1 ||
		fail "json: the run failed"
	[[ $(grep -c '"type":"watch","event":"hit","watch":1,"expr":"counter".*"old":"19","new":"20"' "$tmp/json") == 1 ]] ||
		fail "json: no hit object for 19 -> 20: $(tail -3 "$tmp/json")"
	echo "PASS hits"
	;;
*)
	fail "usage: watch.sh DTRACE_LITE WATCH_TARGET errors|hits"
	;;
esac
