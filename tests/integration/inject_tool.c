// SPDX-License-Identifier: MIT
/*
 * A tool runtime for libdune's generic injection (dune/inject.h), built
 * into a preload library of its own (tests/CMakeLists.txt) and run under
 * dune-run by inject_tool.sh: its init runs before the process enters the
 * VM, its start inside, and the syscall handler it registers there runs in
 * ring 0 for the program's calls. INJECT_TOOL_FAIL makes init fail.
 */
#include <dune/dune.h>
#include <dune/inject.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

static unsigned long calls;

/* ring 0: no stdio, a raw write */
static void say_count(void)
{
	char buf[64] = "inject-tool: calls seen ";
	int n = 24;
	char digits[24];
	int k = 0;
	unsigned long v = calls;
	do
		digits[k++] = (char)('0' + v % 10);
	while ((v /= 10) && k < 23);
	while (k)
		buf[n++] = digits[--k];
	buf[n++] = '\n';
	dune_syscall6(SYS_write, 2, (long)buf, n, 0, 0, 0);
}

static void count_call(struct dune_tf *tf)
{
	calls++;
	if (tf->rax == SYS_exit_group)
		say_count();
	dune_passthrough_syscall(tf);
}

static int tool_init(void)
{
	if (getenv("INJECT_TOOL_FAIL"))
		return -EPERM;
	fprintf(stderr, "inject-tool: init, inside the VM: %s\n", dune_entered() ? "yes" : "no");
	return 0;
}

static void tool_start(void)
{
	fprintf(stderr, "inject-tool: start, inside the VM: %s\n", dune_entered() ? "yes" : "no");
	dune_register_syscall_handler(count_call);
}

DUNE_TOOL(inject_test_tool) = {.name = "inject-tool", .init = tool_init, .start = tool_start};
