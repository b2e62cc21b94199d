#!/usr/bin/env bash
# dtrace-lite's options beyond the strace comparison: structured output
# (--json, --perfetto), per-thread files (-ff), timestamps (-t -tt -ttt -r
# -T), -e signal=, -q/-qq, -C, and the ring under a stalled reader: waiting
# by default (nothing lost), counted losses with --drop.
set -uo pipefail
tracer=$1 target=$2 loop=$3
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --json: every line is an object; the calls and the exit are there
"$tracer" --json -o "$tmp/j" -e trace=openat,write "$target" >/dev/null; rc=$?
[[ $rc -eq 3 ]] || fail "--json: exit status $rc"
python3 - "$tmp/j" <<'PY' || fail "--json output"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
calls = [l for l in lines if l.get("type") == "syscall"]
assert any(c["name"] == "openat" and c["ret"] == -2 and c["errno"] == "ENOENT" for c in calls), calls
assert any(c["name"] == "write" and c["args"][1] == '"BEGIN\\n"' for c in calls), calls
assert lines[-1] == {"type": "exit", "pid": lines[-1]["pid"], "status": 3}, lines[-1]
PY

# --perfetto: a trace-event document with one complete slice per call
"$tracer" --perfetto "$tmp/p.json" -o /dev/null -e trace=write "$target" >/dev/null
python3 - "$tmp/p.json" <<'PY' || fail "--perfetto output"
import json, sys
doc = json.load(open(sys.argv[1]))
ev = doc["traceEvents"]
slices = [e for e in ev if e["ph"] == "X"]
assert len([e for e in slices if e["name"] == "write"]) == 4, slices
assert all(e["dur"] >= 0 and e["ts"] > 0 for e in slices)
assert any(e["ph"] == "M" and e["name"] == "process_name" for e in ev)
assert any(e["ph"] == "i" and e["name"] == "exited with 3" for e in ev)
PY

# -ff: one file per thread, no prefixes in them
"$tracer" -ff -o "$tmp/ff" -e trace=write sh -c 'echo a; (echo b); true' >/dev/null
files=$(ls "$tmp"/ff.* | wc -l)
[[ $files -ge 2 ]] || fail "-ff: $files files"
grep -h '^write(1, "b\\n", 2)' "$tmp"/ff.* >/dev/null || fail "-ff: no child write in any file"
! grep -h '^\[pid' "$tmp"/ff.* || fail "-ff: prefixes in per-thread files"

# timestamps
out=$("$tracer" -t -e trace=write "$target" 2>&1 >/dev/null)
grep -Eq '^[0-9]{2}:[0-9]{2}:[0-9]{2} write\(1, "BEGIN' <<<"$out" || fail "-t: $out"
out=$("$tracer" -tt -e trace=write "$target" 2>&1 >/dev/null)
grep -Eq '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} write\(1, "BEGIN' <<<"$out" || fail "-tt: $out"
out=$("$tracer" -ttt -e trace=write "$target" 2>&1 >/dev/null)
grep -Eq '^[0-9]{10}\.[0-9]{6} write\(1, "BEGIN' <<<"$out" || fail "-ttt: $out"
out=$("$tracer" -r -e trace=write "$target" 2>&1 >/dev/null)
grep -Eq '^ +0\.[0-9]{6} write\(1, "BEGIN' <<<"$out" || fail "-r: $out"
out=$("$tracer" -T -e trace=write "$target" 2>&1 >/dev/null)
grep -Eq '^write\(1, "BEGIN\\n", 6\) += 6 <[0-9]+\.[0-9]{6}>$' <<<"$out" || fail "-T: $out"

# -qq: no exit line; -C: the trace and the table
out=$("$tracer" -qq -e trace=write "$target" 2>&1 >/dev/null)
! grep -q '^+++' <<<"$out" || fail "-qq printed an exit line"
out=$("$tracer" -C -e trace=write "$target" 2>&1 >/dev/null)
grep -q '^write(1, "BEGIN' <<<"$out" && grep -Eq ' +4 +write$' <<<"$out" || fail "-C: $out"

# -e signal=: the --- lines of other signals are left out
out=$("$tracer" -e trace=none -e signal=SIGUSR2 sh -c 'trap "" USR1; trap "echo x" USR2; kill -USR1 $$; kill -USR2 $$' 2>&1 >/dev/null)
grep -q '^--- SIGUSR2 ' <<<"$out" || fail "-e signal=SIGUSR2 lost SIGUSR2: $out"
! grep -q 'SIGUSR1' <<<"$out" || fail "-e signal=SIGUSR2 showed SIGUSR1: $out"

# a stalled reader: the program waits and nothing is lost ...
n=40000
# stop the reader as soon as the program runs (its BEGIN line)
stall() {
	local pid=$1 out=$2
	for _ in $(seq 200); do grep -q BEGIN "$out" 2>/dev/null && break; sleep 0.02; done
	kill -STOP "$pid"; sleep "${DTL_STALL_SECONDS:-4}"; kill -CONT "$pid"
}
"$tracer" -o "$tmp/wait" -e trace=getppid "$loop" $n >"$tmp/wait.out" &
pid=$!
stall $pid "$tmp/wait.out"
wait $pid || fail "stalled reader: exit status $?"
got=$(grep -c '^getppid()' "$tmp/wait")
[[ $got -eq $n ]] || fail "stalled reader: $got of $n calls traced"
# ... or, with --drop, it runs on and the losses are counted and reported
"$tracer" --drop -o "$tmp/drop" -e trace=getppid "$loop" $n >"$tmp/drop.out" 2>"$tmp/drop.err" &
pid=$!
stall $pid "$tmp/drop.out"
wait $pid || fail "--drop: exit status $?"
got=$(grep -c '^getppid()' "$tmp/drop")
lost=$(sed -n 's/^dtrace-lite: \([0-9]*\) events lost in all.*/\1/p' "$tmp/drop.err")
echo "--drop: $got traced, ${lost:-0} lost of $n"
[[ -n $lost && $lost -gt 0 ]] || fail "--drop: no loss reported (the stall did not fill the ring?)"
grep -q -- '^--- dtrace-lite: [0-9]* events lost' "$tmp/drop" || fail "--drop: no loss line in the trace"
# every call is either traced or counted as lost (the write and exit_group too)
[[ $((got + lost)) -ge $n ]] || fail "--drop: $got + $lost < $n"

# the front-end dies: the program is not left waiting on a ring nobody reads
"$tracer" -o /dev/null -e trace=getppid "$loop" 60000 >"$tmp/orphan.out" &
pid=$!
for _ in $(seq 200); do grep -q BEGIN "$tmp/orphan.out" 2>/dev/null && break; sleep 0.02; done
prog=$(pgrep -P $pid)
kill -9 $pid
for _ in $(seq 600); do kill -0 "$prog" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$prog" 2>/dev/null || { kill -9 "$prog"; fail "the program spins after the tracer died"; }
echo PASS
