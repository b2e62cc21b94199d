// SPDX-License-Identifier: MIT
/*
 * A second tool beside the tracer's capture in one process: built with the
 * tracer's runtime (tracer/runtime.c) into a preload library of its own
 * (tests/CMakeLists.txt) and run under dtrace-lite by two_tools.sh. From the
 * target's marker call, getsid(TWO_TOOLS_MARK), on it counts the calls its
 * entry and exit hooks see, the page faults its #PF hook sees and the
 * signals its signal hook sees, and prints them as the target exits. All its
 * hooks pass, except two calls it handles itself:
 *   getppid, before the tracer (DTL_CAPTURE_PRIO - 100): the tracer's entry
 *     hook does not see it, its exit hook does;
 *   the marker getsid, at the default priority, after the tracer's entry;
 * and it changes the result of one, getpgid(TWO_TOOLS_MARK), in its exit
 * hook (which runs before the tracer's). All three must be in the trace
 * with the results the target got.
 */
#include <dtl/capture.h>

#include <dune/dune.h>
#include <dune/hook.h>
#include <dune/inject.h>
#include <stdbool.h>
#include <sys/syscall.h>

#define TWO_TOOLS_MARK      4242 /* getsid(4242): the target's marker */
#define TWO_TOOLS_FAKE_SID  7002
#define TWO_TOOLS_FAKE_PPID 4343
#define TWO_TOOLS_FAKE_PGID 7003

static bool counting;
static unsigned long entries, exits, faults, signals;

/* ring 0: no stdio, one raw write */
static void report(void)
{
	char buf[128];
	int n = dune_snprintf(buf, sizeof(buf),
	                      "second-tool: entries %lu exits %lu faults %lu signals %lu\n",
	                      entries, exits, faults, signals);
	dune_syscall6(SYS_write, 2, (long)buf, n, 0, 0, 0);
}

static enum dune_hook_result fake_getppid(struct dune_tf *tf, void *arg)
{
	(void)arg;
	if (tf->rax != SYS_getppid)
		return DUNE_HOOK_PASS;
	tf->rax = TWO_TOOLS_FAKE_PPID;
	return DUNE_HOOK_HANDLED;
}

static enum dune_hook_result count_entry(struct dune_tf *tf, void *arg)
{
	bool mark = tf->rax == SYS_getsid && tf->rdi == TWO_TOOLS_MARK;

	(void)arg;
	counting |= mark;
	if (!counting)
		return DUNE_HOOK_PASS;
	entries++;
	if (tf->rax == SYS_exit_group)
		report();
	if (!mark)
		return DUNE_HOOK_PASS;
	tf->rax = TWO_TOOLS_FAKE_SID;
	return DUNE_HOOK_HANDLED;
}

static void count_exit(struct dune_tf *tf, long nr, void *arg)
{
	(void)arg;
	if (counting)
		exits++;
	if (nr == SYS_getpgid && tf->rdi == TWO_TOOLS_MARK)
		tf->rax = TWO_TOOLS_FAKE_PGID;
}

static enum dune_hook_result count_fault(uintptr_t addr, uint64_t fec, struct dune_tf *tf,
                                         void *arg)
{
	(void)addr;
	(void)fec;
	(void)tf;
	(void)arg;
	if (counting)
		faults++;
	return DUNE_HOOK_PASS;
}

/* in the monitor */
static void count_signal(int sig, const void *siginfo, bool fatal, void *arg)
{
	(void)sig;
	(void)siginfo;
	(void)fatal;
	(void)arg;
	if (counting)
		signals++;
}

static void second_tool_start(void)
{
	if (dune_hook_syscall_entry(DTL_CAPTURE_PRIO - 100, fake_getppid, NULL) < 0 ||
	    dune_hook_syscall_exit(DUNE_HOOK_PRIO_DEFAULT, count_exit, NULL) < 0 ||
	    dune_hook_syscall_entry(DUNE_HOOK_PRIO_DEFAULT, count_entry, NULL) < 0 ||
	    dune_hook_pgflt(DUNE_HOOK_PRIO_DEFAULT, count_fault, NULL) < 0 ||
	    dune_hook_signal(DUNE_HOOK_PRIO_DEFAULT, count_signal, NULL) < 0)
		dune_die("second-tool: a hook chain is full");
}

DUNE_TOOL(second_tool) = {.name = "second-tool", .start = second_tool_start};
