#!/usr/bin/env bash
# The tracer's capture and a second tool with hooks of its own (syscall
# entry and exit, #PF, signals) in one process (two_tools.c): the trace is
# complete, calls the second tool answers are in it with the results the
# program got (a result it changed at exit too), and the second tool saw
# every call, the fault and the signal.
# usage: two_tools.sh DTRACE_LITE TWO_TOOLS_LIBRARY TARGET
set -uo pipefail
tracer=$1 lib=$2 target=$3
fail() { echo "FAIL: $*"; exit 1; }
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

DUNE_INJECT_LIB=$lib "$tracer" -o "$tmp/trace" "$target" >"$tmp/out" 2>"$tmp/err"; rc=$?
[[ $rc -eq 0 ]] || fail "exit status $rc ($(cat "$tmp/err"))"
[[ $(cat "$tmp/out") == "7002 4343 7003 1" ]] ||
	fail "the program got: '$(cat "$tmp/out")'"

# the trace from the marker on
sed -n '/^getsid(4242)/,$p' "$tmp/trace" | sed -E 's/0x[0-9a-f]{6,}/ADDR/g; s/\) +=/) =/' >"$tmp/from"
cat "$tmp/from"
want=$(cat <<'END'
getsid(4242) = 7002
getppid() = 4343
getpgid(4242) = 7003
mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = ADDR
--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=ADDR} ---
mprotect(ADDR, 4096, PROT_READ|PROT_WRITE) = 0
END
)
[[ $(head -6 "$tmp/from") == "$want" ]] || fail "the trace's first lines are not: $want"
grep -q '^rt_sigreturn(' "$tmp/from" || fail "no rt_sigreturn in the trace"
grep -qx 'write(1, "7002 4343 7003 1\\n", 17) = 17' "$tmp/from" ||
	fail "no write of the result in the trace"
[[ $(tail -2 "$tmp/from") == $'exit_group(0) = ?\n+++ exited with 0 +++' ]] ||
	fail "the trace does not end with exit_group"

# what the second tool saw: every call but getppid at entry (a hook before
# its own answered it), every call but exit_group at exit
calls=$(grep -cvE '^(---|\+\+\+) ' "$tmp/from")
sigs=$(grep -c '^--- ' "$tmp/from")
seen=$(sed -n 's/^second-tool: //p' "$tmp/err")
read -r _ entries _ exits _ faults _ signals <<<"$seen"
[[ -n $seen ]] || fail "the second tool said nothing: $(cat "$tmp/err")"
[[ $entries -eq $((calls - 1)) && $exits -eq $((calls - 1)) ]] ||
	fail "the second tool saw '$seen' of $calls calls"
[[ $faults -ge 1 ]] || fail "the second tool's #PF hook saw no fault: '$seen'"
[[ $signals -eq $sigs ]] || fail "the second tool saw '$seen', the trace $sigs signals"
echo "PASS: $calls calls traced, the second tool saw $seen"
