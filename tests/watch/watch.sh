#!/bin/bash
# Watchpoints: dtrace-lite --watch/--rwatch/--awatch on watch_target, whose
# accesses are known, compared with what it did and with its native run.
#   watch.sh DTRACE_LITE WATCH_TARGET errors   expressions refused, no backend needed
#   watch.sh DTRACE_LITE WATCH_TARGET hits     the hits themselves
#   watch.sh DTRACE_LITE WATCH_TARGET quick    fewer, for a slow emulator
# A fourth argument names libdtl-inject.so (for a rig that copies only the
# files its command names). DTL_WATCH_SKIP_HW=1 leaves out debug registers
# (an emulator that cannot run them).
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
	echo "== $name: ${watch[*]} $*"
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

# N writes of counter by --watch-mode=MODE: N hits, 0 -> 1 ... in order.
counter_in_order() { # mode n
	watch=(--watch-mode=$1 --watch counter)
	run_both counter counter "$2"
	[[ $(hits 1 "$tmp/counter.trace") == "$2" ]] ||
		fail "$1 counter: $(hits 1 "$tmp/counter.trace") hits, want $2: $(head "$tmp/counter.trace") $(cat "$tmp/counter.err")"
	awk '/^--- watch 1 counter: write/ { if ($6 != n || $8 != n + 1) { print "bad: " $0; exit 1 } n++ }' \
		"$tmp/counter.trace" || fail "$1 counter: values not 0 -> 1 ... $(($2 - 1)) -> $2 in order"
}

# Wait until FILE has at least N lines matching PATTERN (60 s at most).
wait_lines() { # file pattern n
	for _ in $(seq 600); do
		(($(grep -c -- "$2" "$1" 2>/dev/null) >= $3)) && return 0
		sleep 0.1
	done
	return 1
}

live_control() {
	local ctl=$tmp/ctl trace=$tmp/live.trace
	# the program named relatively: its objects are matched by their real paths
	(cd "$(dirname "$target")" && exec "$dtl" -e trace=none -o "$trace" --control "$ctl" \
		"./$(basename "$target")" slow "$tmp/stop" >"$tmp/live.out" 2>"$tmp/live.err") &
	local pid=$!
	for _ in $(seq 300); do [[ -S $ctl ]] && break; sleep 0.1; done
	"$dtl" ctl "$ctl" watch counter >"$tmp/ctl.out" || fail "ctl watch: $(cat "$tmp/ctl.out")"
	grep -q "^ok: watch 1 counter: sent to 1 process" "$tmp/ctl.out" || fail "ctl watch: $(cat "$tmp/ctl.out")"
	wait_lines "$trace" "^--- watch 1 counter: write" 3 || fail "ctl: no hits after watch: $(cat "$tmp/live.err")"
	"$dtl" ctl "$ctl" disable 1 >/dev/null || fail "ctl disable"
	wait_lines "$tmp/live.err" "watch 1 counter: .*deleted or disabled" 1 || fail "ctl disable: $(cat "$tmp/live.err")"
	local before after
	before=$(grep -c "^--- watch 1" "$trace")
	sleep 1
	after=$(grep -c "^--- watch 1" "$trace")
	((after <= before + 1)) || fail "ctl disable: $((after - before)) hits while disabled"
	"$dtl" ctl "$ctl" enable 1 >/dev/null || fail "ctl enable"
	wait_lines "$trace" "^--- watch 1 counter: write" $((after + 3)) || fail "ctl enable: no hits"
	"$dtl" ctl "$ctl" list >"$tmp/ctl.list" || fail "ctl list"
	grep -q "^1 watch counter [0-9]* hits" "$tmp/ctl.list" || fail "ctl list: $(cat "$tmp/ctl.list")"
	"$dtl" ctl "$ctl" delete 1 >/dev/null || fail "ctl delete"
	"$dtl" ctl "$ctl" delete 7 >"$tmp/ctl.out" && fail "ctl delete 7: accepted"
	grep -q "^error: no watchpoint 7" "$tmp/ctl.out" || fail "ctl delete 7: $(cat "$tmp/ctl.out")"
	"$dtl" ctl "$ctl" watch no_such_thing >"$tmp/ctl.out" && fail "ctl watch no_such_thing: accepted"
	touch "$tmp/stop"
	wait "$pid" || fail "live: the program's status $?: $(cat "$tmp/live.err")"
	grep -q "^stopped" "$tmp/live.out" || fail "live: the program did not finish"
	[[ ! -e $ctl ]] || fail "live: the control socket was left behind"
}

# The checks, with --watch-mode=$1 (page: exact old -> new even when
# threads race; hw: a debug register traps after the access, so racing
# writers show what the handler saw).
# 1512 watchpoints, on 1000 pages and 512 on one page: each write to one
# is its hit, old -> new; the writes beside them and to unwatched pages
# are not; read(2) into one is the kernel's.
many_watchpoints() {
	watch=(--watch-mode=page)
	for i in $(seq 0 999); do watch+=(--watch "slot_pages[$i].value"); done
	for k in $(seq 0 511); do watch+=(--watch "dense[$k]"); done
	run_both many many
	local want=$((334 + 1 + 512))
	[[ $(grep -c "^--- watch " "$tmp/many.trace") == "$want" ]] ||
		fail "many: $(grep -c "^--- watch " "$tmp/many.trace") hits, want $want: $(grep -v "watch .*write" "$tmp/many.trace" | head -5) $(tail -3 "$tmp/many.err")"
	awk '/by the kernel/ { next }
	     /^--- watch [0-9]+ slot_pages\[[0-9]+\]\.value: write [0-9]+ -> / {
		i = $3 - 1; if (i % 3 || $6 != 0 || $8 != i + 1) { print "bad: " $0; exit 1 } n++ }
	     /^--- watch [0-9]+ dense\[[0-9]+\]: write/ {
		k = $3 - 1001; if ($6 != 0 || $8 != k + 1) { print "bad: " $0; exit 1 } m++ }
	     END { if (n != 334 || m != 512) { print "counts " n " " m; exit 1 } }' \
		"$tmp/many.trace" || fail "many: a hit on the wrong watchpoint or value"
	grep -q "^--- watch 501 slot_pages\[500\]\.value: write 0 -> .* by the kernel in read()" "$tmp/many.trace" ||
		fail "many: read(2) into slot_pages[500] not reported: $(grep "watch 501 " "$tmp/many.trace")"
	grep -q "more watchpoints armed; not said one by one" "$tmp/many.err" ||
		fail "many: armed notices not summed up: $(head -3 "$tmp/many.err")"
}

# FUNC:LOCAL: tok in each of 5 activations of recurse, three writes each,
# as deep as they go; the calls the same as without the watchpoint.
local_in_recursion() { # mode
	watch=(--watch-mode=$1 --watch 'recurse:tok')
	run_both recurse recurse 5
	[[ $(hits 1 "$tmp/recurse.trace") == 15 ]] ||
		fail "$1 recurse: $(hits 1 "$tmp/recurse.trace") hits, want 15: $(head -5 "$tmp/recurse.trace") $(cat "$tmp/recurse.err")"
	local got
	got=$(awk '/^--- watch 1 recurse:tok: write/ { print $8 }' "$tmp/recurse.trace" | sort -n | tr '\n' ' ')
	[[ $got == "0 1 3 10 11 13 20 21 23 30 31 33 40 41 43 " ]] ||
		fail "$1 recurse: new values '$got', want d*10, +1, +3 for d = 0..4"
	grep -q "recurse+0x[0-9a-f]* (watch_target.c:[0-9]*)" "$tmp/recurse.trace" ||
		fail "$1 recurse: a hit not in recurse: $(head -2 "$tmp/recurse.trace")"
	grep -q "watch 1 recurse:tok: 8 bytes in each activation, from a breakpoint on its function's entry" \
		"$tmp/recurse.err" || fail "$1 recurse: no notice: $(cat "$tmp/recurse.err")"
}

hits_in_mode() {
	local mode=$1
	# every write, in order, one instruction each
	counter_in_order "$mode" 200
	grep -q "main+0x[0-9a-f]* (watch_target.c:[0-9]*): mov" "$tmp/counter.trace" ||
		fail "$mode counter: no function, line or instruction: $(head -3 "$tmp/counter.trace")"
	local by="page protection"
	[[ $mode == hw ]] && by="debug register DR0"
	grep -q "watch 1 counter: 4 bytes at 0x.*, by $by" "$tmp/counter.err" ||
		fail "$mode counter: no 'armed by $by' notice: $(cat "$tmp/counter.err")"

	# the engine's own arming is not a call of the program's in the trace
	"$dtl" -o "$tmp/calls.trace" --watch-mode=$mode --watch counter "$target" counter 3 \
		>/dev/null 2>&1 || fail "$mode calls: the run failed"
	"$dtl" -o "$tmp/calls.plain" "$target" counter 3 >/dev/null 2>&1 || fail "calls: the run failed"
	grep -v "^---" "$tmp/calls.trace" | sed 's/(.*//' >"$tmp/calls.a"
	sed 's/(.*//' "$tmp/calls.plain" >"$tmp/calls.b"
	diff "$tmp/calls.a" "$tmp/calls.b" >"$tmp/calls.diff" ||
		fail "$mode calls: the calls differ with a watchpoint: $(cat "$tmp/calls.diff")"

	# 4 threads x 2000 locked increments: 8000 hits; by page protection
	# each value once, as the writes happened
	watch=(--watch-mode=$mode --watch total)
	run_both threads threads 4 2000
	[[ $(hits 1 "$tmp/threads.trace") == 8000 ]] ||
		fail "$mode threads: $(hits 1 "$tmp/threads.trace") hits, want 8000"
	if [[ $mode == page ]]; then
		awk '/^--- watch 1 total: write/ { if ($8 != $6 + 1) { print "bad: " $0; exit 1 } print $6 }' \
			"$tmp/threads.trace" | sort -n >"$tmp/olds" || fail "threads: a hit's new value is not old + 1"
		seq 0 7999 | cmp -s - "$tmp/olds" || fail "threads: the old values are not 0..7999, each once"
	fi
	grep -q "worker+0x[0-9a-f]* (watch_target.c:[0-9]*): lock add" "$tmp/threads.trace" ||
		fail "$mode threads: not the locked add in worker: $(head -2 "$tmp/threads.trace")"

	# writes beside the watched variable, on its page: no hit
	watch=(--watch-mode=$mode --watch counter)
	run_both beside beside 100
	[[ $(hits 1 "$tmp/beside.trace") == 0 ]] || fail "$mode beside: hits for a neighbour's writes"
	if [[ $mode == page ]]; then
		# ... but counted, in -c's table
		"$dtl" -c -o "$tmp/beside.c" --watch-mode=page --watch counter "$target" beside 100 \
			>/dev/null 2>&1 || fail "beside -c: the run failed"
		awk '$2 == "counter" && $3 == 0 && $6 >= 100 { ok = 1 } END { exit !ok }' "$tmp/beside.c" ||
			fail "beside -c: 100 writes beside not counted: $(cat "$tmp/beside.c")"
	fi

	# a write the program may not make: its SIGSEGV, as natively
	watch=(--watch-mode=$mode --watch rodata_value)
	run_both readonly readonly
	[[ $(hits 1 "$tmp/readonly.trace") == 0 ]] || fail "$mode readonly: a hit for a write that faulted"

	# DWARF paths and types: an element of a member; an enum by name
	watch=(--watch-mode=$mode --watch 'cfg.limits[2]' --watch cfg.state)
	run_both config config 5
	[[ $(hits 1 "$tmp/config.trace") == 5 ]] ||
		fail "$mode config: $(hits 1 "$tmp/config.trace") hits of cfg.limits[2], want 5: $(cat "$tmp/config.trace")"
	grep -q -- "--- watch 1 cfg.limits\[2\]: write 40 -> 50 at" "$tmp/config.trace" ||
		fail "$mode config: $(head -5 "$tmp/config.trace")"
	grep -q -- "--- watch 2 cfg.state: write IDLE -> RUNNING at" "$tmp/config.trace" &&
		grep -q -- "--- watch 2 cfg.state: write RUNNING -> DONE at" "$tmp/config.trace" ||
		fail "$mode config: enum values not by name: $(cat "$tmp/config.trace")"

	# *POINTER: the struct it points to when armed; a NULL one is said
	watch=(--watch-mode=$mode --watch '*cfg_ptr' --watch '*null_ptr')
	run_both deref config 2
	[[ $(hits 1 "$tmp/deref.trace") == 7 ]] ||
		fail "$mode deref: $(hits 1 "$tmp/deref.trace") hits through *cfg_ptr, want 7: $(cat "$tmp/deref.trace")"
	grep -q -- "--- watch 1 \*cfg_ptr: write {id = 0, limits = .*, state = 1} -> {id = 0, .*state = 2} at" \
		"$tmp/deref.trace" || fail "$mode deref: not the struct's fields: $(cat "$tmp/deref.trace")"
	grep -q "watch 2 \*null_ptr: the pointer is NULL" "$tmp/deref.err" ||
		fail "$mode deref: no word of the NULL pointer: $(cat "$tmp/deref.err")"

	# FILE::NAME: one of two statics of the same name
	watch=(--watch-mode=$mode --watch watch_other.c::shared_name --watch watch_target.c::shared_name)
	run_both statics statics
	[[ $(hits 1 "$tmp/statics.trace") == 2 && $(hits 2 "$tmp/statics.trace") == 1 ]] &&
		grep -q -- "--- watch 1 watch_other.c::shared_name: write 11 -> 12 at .* other_bump+" \
			"$tmp/statics.trace" &&
		grep -q -- "--- watch 2 watch_target.c::shared_name: write 0 -> 5 at .* main+" \
			"$tmp/statics.trace" || fail "$mode statics: $(cat "$tmp/statics.trace")"

	# conditions on the new value, in ring 0
	watch=(--watch-mode=$mode --watch 'cfg.limits[2] if cfg.limits[2] >= 30' --watch 'cfg.state if cfg.state == DONE')
	run_both cond config 5
	[[ $(hits 1 "$tmp/cond.trace") == 3 && $(hits 2 "$tmp/cond.trace") == 1 ]] ||
		fail "$mode cond: want 3 hits (30, 40, 50) and 1 (DONE): $(cat "$tmp/cond.trace")"
	grep -q -- "--- watch 2 cfg.state if cfg.state == DONE: write RUNNING -> DONE at" "$tmp/cond.trace" ||
		fail "$mode cond: $(cat "$tmp/cond.trace")"

	# -f: a fork child has the watchpoints too (its own copy of the
	# memory); an exec'd image arms them again, by name
	"$dtl" -f -e trace=none -o "$tmp/fork.trace" --watch-mode=$mode --watch counter \
		"$target" fork 2 >/dev/null 2>"$tmp/fork.err" || fail "$mode fork: $(cat "$tmp/fork.err")"
	[[ $(grep -c -- "--- watch 1 counter: write 0 -> 100 at" "$tmp/fork.trace") == 1 &&
		$(grep -c -- "--- watch 1 counter: write 100 -> 101 at" "$tmp/fork.trace") == 1 &&
		$(grep -c -- "--- watch 1 counter: write 1 -> 2 at" "$tmp/fork.trace") == 1 ]] ||
		fail "$mode fork: not the child's and the parent's writes: $(cat "$tmp/fork.trace")"
	"$dtl" -f -e trace=none -o "$tmp/exec.trace" --watch-mode=$mode --watch counter \
		"$target" exec 3 >/dev/null 2>"$tmp/exec.err" || fail "$mode exec: $(cat "$tmp/exec.err")"
	[[ $(grep -c "watch 1 counter: 4 bytes at" "$tmp/exec.err") == 2 ]] ||
		fail "$mode exec: not armed in both images: $(cat "$tmp/exec.err")"
	grep -q -- "--- watch 1 counter: write 0 -> -1 at" "$tmp/exec.trace" &&
		grep -q -- "--- watch 1 counter: write 2 -> 3 at" "$tmp/exec.trace" ||
		fail "$mode exec: $(cat "$tmp/exec.trace")"

	# every kind of write instruction: xchg, lock cmpxchg, lock add
	watch=(--watch-mode=$mode --watch counter)
	run_both insns insns
	[[ $(hits 1 "$tmp/insns.trace") == 4 ]] &&
		grep -q -- "write 0 -> 5 at .*: xchgl" "$tmp/insns.trace" &&
		grep -q -- "write 5 -> 6 at .*: lock cmpxchgl" "$tmp/insns.trace" &&
		grep -q -- "write 7 -> 8 at .*: lock addl" "$tmp/insns.trace" ||
		fail "$mode insns: $(cat "$tmp/insns.trace")"
	if [[ $mode == page ]]; then
		# cmpxchg16b, and 16- and 32-byte vector stores into a buffer
		watch=(--watch pair --watch buf)
		run_both vector insns
		grep -q -- "--- watch 1 pair: write 0x0 -> 0x10000000000000002 at .*: lock cmpxchg16b" "$tmp/vector.trace" ||
			fail "vector: no cmpxchg16b hit: $(cat "$tmp/vector.trace")"
		grep -q -- '--- watch 2 buf: write "" -> "\\xff.*: movdqu %xmm0' "$tmp/vector.trace" ||
			fail "vector: no SSE store: $(cat "$tmp/vector.trace")"
		if grep -q "avx 1" "$tmp/vector.native"; then
			grep -q -- "--- watch 2 buf.*: vmovdqu %ymm1" "$tmp/vector.trace" ||
				fail "vector: no AVX store: $(cat "$tmp/vector.trace")"
		fi
	fi

	# --watch-bt: the call stack of a write, by DWARF CFI
	watch=(--watch-mode=$mode --watch-bt --watch counter)
	run_both deep deep
	grep -A3 -- "--- watch 1 counter: write 0 -> 42 at" "$tmp/deep.trace" >"$tmp/deep.bt"
	grep -q "^ > deep_writer+0x[0-9a-f]* (watch_target.c:[0-9]*) \[0x" "$tmp/deep.bt" &&
		grep -q "^ > deep_middle+0x[0-9a-f]* (watch_target.c:[0-9]*)" "$tmp/deep.bt" &&
		grep -q "^ > main+0x" "$tmp/deep.bt" ||
		fail "$mode deep: no backtrace through deep_writer, deep_middle, main: $(cat "$tmp/deep.trace")"

	# --control: set, disable, enable and delete one while it runs
	if [[ $mode == page ]]; then
		live_control
	fi

	# --json: the same hits as objects
	"$dtl" -e trace=none --json -o "$tmp/json" --watch-mode=$mode --watch counter "$target" counter 20 \
		>/dev/null 2>&1 || fail "$mode json: the run failed"
	[[ $(grep -c '"type":"watch","event":"hit","watch":1,"expr":"counter".*"old":"19","new":"20"' "$tmp/json") == 1 ]] ||
		fail "$mode json: no hit object for 19 -> 20: $(tail -3 "$tmp/json")"

	if [[ $mode == page ]]; then
		# a block copy into a watched 64-byte buffer: its bytes
		watch=(--watch-mode=page --watch buf)
		run_both copy copy
		local n
		n=$(hits 1 "$tmp/copy.trace")
		((n >= 1 && n <= 8)) || fail "copy: $n hits for one memcpy of 64 bytes"
		grep -q -- 'buf: write "" -> "ABCDEFGHIJKLMNOPQRSTUVWXYZ' "$tmp/copy.trace" ||
			fail "copy: the new bytes are not the copied ones: $(cat "$tmp/copy.trace")"
		# a read(2) into a watched buffer: the kernel's write, then the
		# program's own
		watch=(--watch buf)
		run_both kernel kernel
		grep -q -- 'watch 1 buf: write "" -> "hello" by the kernel in read() at' \
			"$tmp/kernel.trace" || fail "kernel: no write by read(): $(cat "$tmp/kernel.trace")"
		grep -q -- 'watch 1 buf: write "hello" -> "hello\\0\\0\\0\\0\\0!" at .* main+' "$tmp/kernel.trace" ||
			fail "kernel: the program's own write after it: $(cat "$tmp/kernel.trace")"
		[[ $(hits 1 "$tmp/kernel.trace") == 2 ]] || fail "kernel: $(cat "$tmp/kernel.trace")"
		# reads alone
		watch=(--rwatch counter)
		run_both reads reads 50
		[[ $(hits 1 "$tmp/reads.trace") == 50 ]] || fail "reads: $(hits 1 "$tmp/reads.trace") hits, want 50"
		grep -q "counter: read 0 at" "$tmp/reads.trace" || fail "reads: $(head -2 "$tmp/reads.trace")"
	else
		# reads alone are not a debug register's: refused, the program runs
		watch=(--watch-mode=hw --rwatch counter)
		run_both hwreads reads 5
		grep -q "cannot watch reads alone" "$tmp/hwreads.err" ||
			fail "hw rwatch: not refused: $(cat "$tmp/hwreads.err")"
		# accesses: a debug register watching reads and writes
		watch=(--watch-mode=hw --awatch counter)
		run_both hwaccess reads 30
		[[ $(hits 1 "$tmp/hwaccess.trace") == 30 ]] ||
			fail "hw awatch: $(hits 1 "$tmp/hwaccess.trace") hits for 30 reads"
	fi
}

case $part in
errors)
	refused "no variable 'no_such_variable' in watch_target" --watch no_such_variable
	refused "is a function" --watch main
	refused "expected a length" --watch 'counter:'
	refused "^" --watch 'counter:'
	refused "an address needs a length" --watch 0x1000
	refused "*: counter is int, not a pointer" --watch '*counter'
	refused "2 static variables are named 'shared_name'" --watch shared_name
	refused "say which one, FILE.c::shared_name" --watch shared_name
	refused "no variable 'shared_name' of a source file named nosuch.c" --watch nosuch.c::shared_name
	refused "struct config has no member 'nosuch'" --watch cfg.nosuch
	refused "beyond the array's 4 elements" --watch 'cfg.limits[4]'
	refused "is not a member: int is not a struct" --watch counter.x
	refused "'NOPE' is not an enumerator of the watched value's type, enum run_state" \
		--watch 'cfg.state if cfg.state == NOPE'
	refused "a condition is on the watched value itself" --watch 'counter if total == 1'
	refused "a condition compares a value of 1, 2, 4 or 8 bytes" --watch 'buf if buf == 1'
	refused "not one of the libraries" --watch 'libnosuch.so:counter'
	refused "recurse has no local variable or parameter named 'nosuch'" --watch 'recurse:nosuch'
	refused "'inner' lives in registers in recurse (an optimised build)" --watch 'recurse:inner'
	refused "no function 'nofunc' in the DWARF" --watch 'nofunc:tok'
	refused "reach beyond the memory" --watch 'counter+0:100000000'
	echo "PASS errors"
	;;
quick)
	# a few of each kind, both paths: the page path exact with two threads
	for mode in page hw; do
		[[ $mode == hw && ${DTL_WATCH_SKIP_HW:-0} == 1 ]] && continue
		counter_in_order "$mode" 20
		watch=(--watch-mode=$mode --watch total)
		run_both threads threads 2 50
		[[ $(hits 1 "$tmp/threads.trace") == 100 ]] ||
			fail "$mode threads: $(hits 1 "$tmp/threads.trace") hits, want 100"
		# five activations live at once: four debug registers, then pages
		if [[ $mode == hw ]]; then local_in_recursion auto; else local_in_recursion page; fi
	done
	many_watchpoints
	echo "PASS quick"
	;;
hits)
	# by page protection: exact, whatever the platform
	hits_in_mode page
	many_watchpoints
	local_in_recursion page
	if [[ ${DTL_WATCH_SKIP_HW:-0} == 1 ]]; then
		echo "PASS hits (page protection only: DTL_WATCH_SKIP_HW)"
		exit 0
	fi
	# by debug registers where they fire (not on PVM: then said so)
	watch=(--watch-mode=hw --watch counter)
	run_both hwprobe counter 1
	if grep -q "do not fire on this platform" "$tmp/hwprobe.err"; then
		echo "debug registers do not fire here: hw mode refused, as it should be"
	else
		hits_in_mode hw
		local_in_recursion auto
	fi
	echo "PASS hits"
	;;
*)
	fail "usage: watch.sh DTRACE_LITE WATCH_TARGET errors|hits|quick"
	;;
esac
