#!/usr/bin/env bash
# dune-run: statuses passed through, and clear errors for what it cannot run.
set -uo pipefail
run=$1 ptrace_parent=$2 ptrace_target=$3
fail() { echo "FAIL: $*"; exit 1; }
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }

out=$("$run" /bin/echo hello 2>&1); rc=$?
[[ $rc -eq 0 && $out == hello ]] || fail "echo: rc $rc, output '$out'"
"$run" sh -c 'exit 7'; rc=$?
[[ $rc -eq 7 ]] || fail "exit status 7 came back as $rc"
"$run" sh -c 'kill -SEGV $$'; rc=$?
[[ $rc -eq 139 ]] || fail "SIGSEGV came back as $rc, want 139"
"$run" sh -c 'kill -TERM $$'; rc=$?
[[ $rc -eq 143 ]] || fail "SIGTERM came back as $rc, want 143"

out=$("$run" no-such-program-xyz 2>&1); rc=$?
[[ $rc -eq 127 ]] || fail "missing program: rc $rc, want 127"
grep -q 'no-such-program-xyz: command not found' <<<"$out" || fail "missing program: '$out'"

if [[ -x /bin/busybox ]] && file /bin/busybox | grep -q 'statically linked'; then
	out=$("$run" /bin/busybox true 2>&1); rc=$?
	[[ $rc -eq 126 ]] || fail "static binary: rc $rc, want 126"
	grep -q 'statically linked' <<<"$out" || fail "static binary not explained: '$out'"
fi

# a script whose interpreter ignores LD_PRELOAD (statically linked): the
# program starts without the runtime, which is an error, never a silent run
if [[ -x /bin/busybox ]] && file /bin/busybox | grep -q 'statically linked'; then
	tmp=$(mktemp -d)
	printf '#!/bin/busybox sh\necho ran-untraced\n' >"$tmp/script" && chmod +x "$tmp/script"
	out=$("$run" "$tmp/script" 2>&1); rc=$?
	rm -rf "$tmp"
	[[ $rc -eq 126 ]] || fail "uninjected interpreter: rc $rc, want 126 ($out)"
	grep -q '/bin/busybox is statically linked' <<<"$out" || fail "static interpreter not explained: '$out'"
	grep -q 'ran-untraced' <<<"$out" && fail "the script ran outside Dune"
fi

# a runtime the dynamic loader refuses: it runs the program without it; the
# a library the loader would not preload is refused before the start
out=$(DUNE_INJECT_LIB=/etc/passwd "$run" /bin/true 2>&1); rc=$?
[[ $rc -eq 126 ]] || fail "refused preload: rc $rc, want 126 ($out)"
grep -q 'not an x86-64 shared library' <<<"$out" || fail "refused preload not explained: '$out'"
# one that loads but never reports: the program ran outside Dune, said so
lib=$(ldd /bin/true | awk '/libc.so/ {print $3}')
out=$(DUNE_INJECT_LIB=$lib "$run" /bin/true 2>&1)
grep -q 'started without the Dune runtime' <<<"$out" || fail "a silent run outside Dune: '$out'"

if [[ $(id -u) -eq 0 ]]; then
	tmp=$(mktemp -d)
	cp /bin/true "$tmp/suid-true" && chown 65534 "$tmp/suid-true" && chmod 4755 "$tmp/suid-true"
	out=$("$run" "$tmp/suid-true" 2>&1); rc=$?
	rm -rf "$tmp"
	[[ $rc -eq 126 ]] || fail "setuid binary: rc $rc, want 126"
	grep -q 'set-user-ID' <<<"$out" || fail "setuid binary not explained: '$out'"
fi

# every process image is inside: each one reports its exits (DUNE_STATS)
stats=$(mktemp)
DUNE_STATS=$stats "$run" sh -c 'cat /dev/null; true' >/dev/null 2>&1
grep -q ' comm cat ' "$stats" || fail "the exec'd cat did not run inside Dune: $(cat "$stats")"
# re-injection across execve even when the environment drops LD_PRELOAD
: >"$stats"
DUNE_STATS=$stats "$run" env -u LD_PRELOAD cat /dev/null >/dev/null 2>&1
grep -q ' comm cat ' "$stats" || fail "execve without LD_PRELOAD was not re-injected"
rm -f "$stats"

# and /proc/self/maps shows the program's mappings only, as natively
out=$("$run" cat /proc/self/maps 2>&1)
grep -qE 'libdune-inject|kvm-vcpu' <<<"$out" && fail "libdune's mappings show in /proc/self/maps"
grep -q '/cat$' <<<"$out" || fail "/proc/self/maps lost the program's own mappings"
# dune-run becomes the program: same pid, so the program's parent is the
# caller's, and so is its tracer after PTRACE_TRACEME
out=$("$run" sh -c 'echo $$' & echo "launched $!"; wait)
[[ $(sed -n 1p <<<"$out") == "launched $(sed -n 2p <<<"$out")" ]] ||
	fail "the program is not the process dune-run was: '$out'"
want=$("$ptrace_parent" "$ptrace_target" 2>&1)
got=$("$ptrace_parent" "$run" "$ptrace_target" 2>&1)
[[ $got == "$want" ]] || fail "PTRACE_TRACEME under dune-run: '$got', natively '$want'"
echo "PTRACE_TRACEME: $(tr '\n' ' ' <<<"$got")"
# a fault of a traced program inside Dune: its tracer sees the stop first
want=$("$ptrace_parent" "$ptrace_target" segv 2>&1)
got=$("$ptrace_parent" "$run" "$ptrace_target" segv 2>&1)
[[ $got == "$want" ]] || fail "a traced program's fault under dune-run: '$got', natively '$want'"
echo "traced fault: $(tr '\n' ' ' <<<"$got")"
# a process that starts under a tracer (strace's, gdb's inferior) runs
# outside Dune, where the tracer sees its own calls, and says so
if command -v strace >/dev/null; then
	want=$(strace -qq -e trace=exit_group /bin/true 2>&1)
	got=$("$run" strace -qq -e trace=exit_group /bin/true 2>&1)
	grep -q 'is traced by process .* it runs outside Dune' <<<"$got" ||
		fail "strace's tracee under dune-run: no notice: '$got'"
	[[ $(grep -v '^dune: ' <<<"$got") == "$want" ]] ||
		fail "strace under dune-run: '$got', natively '$want'"
fi
echo PASS
