#!/usr/bin/env bash
# libdune's generic injection starts the tool runtimes of the library it is
# built into (inject_tool.c): init outside the VM, start inside, the tool's
# handler in ring 0; a failing init is reported through the handshake.
# usage: inject_tool.sh DUNE_RUN TOOL_LIBRARY
set -uo pipefail
run=$1 lib=$2
fail() { echo "FAIL: $*"; exit 1; }
[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "SKIP: no usable /dev/kvm"; exit 77; }

out=$(DUNE_INJECT_LIB=$lib "$run" sh -c 'echo hello >/dev/null; exit 3' 2>&1); rc=$?
[[ $rc -eq 3 ]] || fail "exit status 3 came back as $rc ($out)"
want=$'inject-tool: init, inside the VM: no\ninject-tool: start, inside the VM: yes'
[[ $(head -2 <<<"$out") == "$want" ]] || fail "init/start: '$out'"
n=$(sed -n 's/^inject-tool: calls seen //p' <<<"$out")
[[ -n $n && $n -gt 0 ]] || fail "the tool's syscall handler saw no call: '$out'"

out=$(INJECT_TOOL_FAIL=1 DUNE_INJECT_LIB=$lib "$run" /bin/true 2>&1); rc=$?
[[ $rc -eq 127 ]] || fail "failing init: rc $rc, want 127 ($out)"
grep -q 'cannot run inside Dune: the inject-tool runtime did not start: Operation not permitted' \
	<<<"$out" || fail "failing init: '$out'"

# libdune-inject.so itself has no tool
out=$("$run" /bin/true 2>&1) && [[ -z $out ]] || fail "dune-run without a tool: '$out'"
echo "PASS: tool init, start and handler ran; a failing init is reported"
