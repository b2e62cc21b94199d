#!/bin/bash
# The fault profiler: dtrace-lite --pf on pf_target, whose first touches are
# known, checked by numbers: the CSV's rows against what the program did,
# and against the minor faults the kernel counted for it natively.
#   pf.sh DTRACE_LITE PF_TARGET errors    options refused, no backend needed
#   pf.sh DTRACE_LITE PF_TARGET patterns  the patterns [INJECT_LIB]
#   pf.sh DTRACE_LITE PF_TARGET quick     smaller, for a slow emulator
#   pf.sh DTRACE_LITE PF_TARGET scan      the access scan (--access-scan)
set -u
dtl=$1 target=$2 part=$3
[[ -n ${4:-} ]] && export DUNE_INJECT_LIB=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

refused() { # expect-in-message options...
	local want=$1
	shift
	"$dtl" "$@" "$target" sweep 1 >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[[ $rc == 2 ]] || fail "$*: exit status $rc, want 2 (refused)"
	grep -qF -- "$want" "$tmp/err" || fail "$*: message lacks '$want': $(cat "$tmp/err")"
	[[ ! -s $tmp/out ]] || fail "$*: the program ran"
}

# Run natively and under --pf: same stdout and status; the CSV and the
# summary kept. Native minor faults in $name.native.minflt.
run_both() { # name args...
	local name=$1
	shift
	echo "== $name: $*"
	"$target" "$@" >"$tmp/$name.native" 2>"$tmp/$name.native.err"
	echo "status $?" >>"$tmp/$name.native"
	"$dtl" --pf --pf-csv "$tmp/$name.csv" --heatmap "$tmp/$name.png" --heatmap-text \
		-o "$tmp/$name.summary" "$target" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo "status $?" >>"$tmp/$name.out"
	# the regions' addresses differ from run to run: compare the rest
	sed 's/0x[0-9a-f]*/ADDR/g' "$tmp/$name.native" >"$tmp/a"
	sed 's/0x[0-9a-f]*/ADDR/g' "$tmp/$name.out" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" ||
		fail "$name: output or status differs from the native run:
$(diff "$tmp/a" "$tmp/b")
$(cat "$tmp/$name.err")"
	[[ -s $tmp/$name.csv ]] || fail "$name: no CSV: $(cat "$tmp/$name.err")"
	head -c 8 "$tmp/$name.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' ||
		fail "$name: --heatmap wrote no PNG: $(cat "$tmp/$name.err")"
	grep -q '^page faults (--pf): ' "$tmp/$name.summary" ||
		fail "$name: no summary: $(cat "$tmp/$name.summary")"
}

# The CSV's rows as "time page access by mapping", addresses in decimal
# (awk here may be mawk, which reads no hex), in trace order.
decimal() { # csv
	local t pid tid addr page access by mapping rest
	tail -n +2 "$1" | while IFS=, read -r t pid tid addr page access by mapping rest; do
		echo "$t $((page)) $access $by $mapping"
	done
}

# The program's own first touches in [lo, lo + n pages): "time page access".
rows_in() { # csv lo n
	decimal "$1" | awk -v lo="$(($2))" -v hi="$(($2 + $3 * 4096))" \
		'$4 == "program" && $2 >= lo && $2 < hi { print $1, $2, $3 }'
}

# The access scan's rows of pages in [lo, lo + n pages): "start access",
# the interval's start and "accessed" or "dirty".
scan_rows() { # csv lo n
	local lo=$(($2)) hi=$(($2 + $3 * 4096))
	local t pid tid addr page access by mapping start func where t0 p
	tail -n +2 "$1" | while IFS=, read -r t pid tid addr page access by mapping start func where t0; do
		[[ $by == scan ]] || continue
		p=$((page))
		((p >= lo && p < hi)) && echo "$t0 $access"
	done
}

case $part in
errors)
	refused "cannot write in /nonexistent" --pf --heatmap /nonexistent/dir/x.png
	refused "a file name is needed" --heatmap /tmp
	refused "--heatmap-size 0x10" --pf --heatmap-size 0x10
	refused "--heatmap-size abc" --heatmap-size abc
	refused "--pf-range 0x2000-0x1000" --pf-range 0x2000-0x1000
	refused "--pf-csv /nonexistent/dir/x.csv" --pf-csv /nonexistent/dir/x.csv
	refused "--access-scan 0" --access-scan 0
	refused "--access-scan 10x" --pf --access-scan 10x
	echo "PASS: errors"
	;;
patterns | quick)
	n=300 stack_kib=256
	[[ $part == quick ]] && n=48 stack_kib=96
	# a sweep: exactly n first touches, each page once, writes, in address
	# order; the kernel counted about as many natively
	run_both sweep sweep $n
	rows_in "$tmp/sweep.csv" "$(awk '{print $2}' "$tmp/sweep.out" | head -1)" $n >"$tmp/rows"
	[[ $(wc -l <"$tmp/rows") == "$n" ]] ||
		fail "sweep: $(wc -l <"$tmp/rows") first touches in the region, want $n: $(head -3 "$tmp/sweep.csv")"
	awk '$3 != "write" { print "not a write: " $0; exit 1 }
	     NR > 1 && $2 != last + 4096 { print "out of order: " $0; exit 1 } { last = $2 }' \
		"$tmp/rows" || fail "sweep: first touches not one per page in address order"
	native=$(awk '/^minflt/ { print $2 }' "$tmp/sweep.native.err")
	((native >= n && native <= n + 16)) ||
		fail "sweep: natively $native minor faults for $n pages (want $n..$((n + 16)))"
	grep -q '\[anon\]' "$tmp/sweep.summary" || fail "sweep: no [anon] mapping in the summary"
	# two regions touched in turn: n each, interleaved, two bands
	run_both alternate alternate $n
	a=$(awk 'NR == 1 { print $2 }' "$tmp/alternate.out")
	b=$(awk 'NR == 2 { print $2 }' "$tmp/alternate.out")
	rows_in "$tmp/alternate.csv" "$a" $n >"$tmp/ra"
	rows_in "$tmp/alternate.csv" "$b" $n >"$tmp/rb"
	[[ $(wc -l <"$tmp/ra") == "$n" && $(wc -l <"$tmp/rb") == "$n" ]] ||
		fail "alternate: $(wc -l <"$tmp/ra") and $(wc -l <"$tmp/rb") first touches, want $n each"
	# in turn: the k-th touch of a comes before the (k+1)-th of b and after the (k-1)-th
	paste -d' ' "$tmp/ra" "$tmp/rb" | awk 'NR > 1 && $1 < prevb { print "not in turn: " $0; exit 1 } { prevb = $4 }' ||
		fail "alternate: the regions' first touches are not interleaved"
	# read but never written: reads only
	run_both readonly readonly $n
	rows_in "$tmp/readonly.csv" "$(awk 'NR == 1 {print $2}' "$tmp/readonly.out")" $n >"$tmp/rr"
	[[ $(wc -l <"$tmp/rr") == "$n" ]] || fail "readonly: $(wc -l <"$tmp/rr") first touches, want $n"
	awk '$3 != "read" { print; exit 1 }' "$tmp/rr" || fail "readonly: a first touch that is not a read"
	# a stack that grows: its first touches descend
	run_both stack stack $stack_kib
	decimal "$tmp/stack.csv" |
		awk '$4 == "program" && $5 == "stack" && $3 == "write" { print $2 }' >"$tmp/rs"
	# the frames' pages, less those the stack already had
	want=$((stack_kib / 4 * 3 / 4))
	(($(wc -l <"$tmp/rs") >= want)) ||
		fail "stack: $(wc -l <"$tmp/rs") first touches of the stack, want >= $want"
	awk 'NR > 1 && $1 > last { bad++ } { last = $1 } END { exit bad > 2 }' "$tmp/rs" ||
		fail "stack: first touches do not descend"
	# children that share the memory (posix_spawn, clone(CLONE_VM)): all
	# run and end; their stacks' pages are first touches of theirs
	# (not in quick: the Bochs rig's guest has only the files its command names)
	if [[ $part == patterns ]]; then
		run_both spawn spawn 4
		grep -q '^children 8/8, their writes 4$' "$tmp/spawn.out" ||
			fail "spawn: $(cat "$tmp/spawn.out" "$tmp/spawn.err")"
	fi
	# call stacks: the sweep's first touches all in main, folded
	"$dtl" --pf-folded "$tmp/folded" -o "$tmp/bt.summary" "$target" sweep $n >/dev/null \
		2>"$tmp/bt.err" || fail "--pf-folded: $(cat "$tmp/bt.err")"
	awk -v n=$n '/(^|;)main( |;)/ { c += $NF } END { exit !(c >= n) }' "$tmp/folded" ||
		fail "--pf-folded: fewer than $n first touches under main: $(head -5 "$tmp/folded")"
	grep -q '^by call stack' "$tmp/bt.summary" || fail "--pf-bt: no stacks in the summary"
	# --json: one object per first touch among the trace's, no table
	"$dtl" --pf --json -o "$tmp/json" "$target" sweep $n >/dev/null 2>"$tmp/json.err" ||
		fail "--json: $(cat "$tmp/json.err")"
	(($(grep -c '"type":"page_fault".*"access":"write".*"mapping":"\[anon\]"' "$tmp/json") >= n)) ||
		fail "--json: fewer than $n page_fault objects: $(head -3 "$tmp/json")"
	grep -v '^{.*}$' "$tmp/json" && fail "--json: a line that is not an object"
	# the terminal heatmap names the bands
	grep -q 'stack' "$tmp/stack.summary" || fail "stack: no stack band in --heatmap-text"
	echo "PASS: $part"
	;;
scan)
	n=32 ms=50 rounds=4
	# passes over a region only read and one only written, a sleep after
	# each: each page seen once per pass, in the interval of the pass (a
	# scan that falls inside a pass splits it, and the page being written
	# when it came may then show in both intervals: seen in the TCG rig),
	# the read region never dirty, the written one always
	"$dtl" --access-scan $ms --pf-csv "$tmp/passes.csv" --perfetto "$tmp/passes.json" \
		-o "$tmp/passes.summary" "$target" passes $n $ms $rounds >"$tmp/passes.out" \
		2>"$tmp/passes.err" || fail "passes: $(cat "$tmp/passes.err")"
	r=$(awk '$1 == "read" { print $2 }' "$tmp/passes.out")
	w=$(awk '$1 == "written" { print $2 }' "$tmp/passes.out")
	scan_rows "$tmp/passes.csv" "$r" $n >"$tmp/sr"
	scan_rows "$tmp/passes.csv" "$w" $n >"$tmp/sw"
	for region in sr sw; do
		seen=$(wc -l <"$tmp/$region")
		((seen >= n * rounds && seen <= n * rounds + rounds)) ||
			fail "passes: a region seen $seen times, want $((n * rounds)) ($n pages x $rounds passes, + at most one a pass): $(grep -A12 '^access scan' "$tmp/passes.summary")"
	done
	grep -q dirty "$tmp/sr" && fail "passes: a page only read was found dirty"
	grep -q accessed "$tmp/sw" && fail "passes: a page written was found clean"
	intervals=$(awk '{ print $1 }' "$tmp/sr" | sort -u | wc -l)
	((intervals >= rounds && intervals <= 2 * rounds)) ||
		fail "passes: the read region in $intervals intervals, want one or two per pass ($rounds passes)"
	grep -q '^working set (pages accessed in an interval): peak' "$tmp/passes.summary" ||
		fail "passes: no working set in the summary: $(cat "$tmp/passes.summary")"
	grep -q '"ph":"C","cat":"memory","name":"working set pages"' "$tmp/passes.json" ||
		fail "passes: no working-set counter track in --perfetto"
	# a loop without a system call for five intervals: the scans interrupt
	# it (a kick), and see the whole region in each full interval
	"$dtl" --access-scan $ms --pf-csv "$tmp/spin.csv" -o "$tmp/spin.summary" \
		"$target" spin $n $ms >"$tmp/spin.out" 2>"$tmp/spin.err" ||
		fail "spin: $(cat "$tmp/spin.err")"
	r=$(awk '$1 == "read" { print $2 }' "$tmp/spin.out")
	full=$(scan_rows "$tmp/spin.csv" "$r" $n | awk '{ c[$1]++ } END { for (i in c) if (c[i] == '$n') f++; print f + 0 }')
	((full >= 3)) ||
		fail "spin: $full intervals saw the whole region, want >= 3 (the scan did not interrupt the loop): $(grep -A14 '^access scan' "$tmp/spin.summary")"
	echo "PASS: scan"
	;;
*)
	fail "unknown part $part"
	;;
esac
