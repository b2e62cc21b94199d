// SPDX-License-Identifier: MIT
/*
 * A program that asks its parent to trace it (PTRACE_TRACEME) and stops
 * itself with SIGTRAP, as a debugger's inferior does; run by
 * ptrace_parent, natively and under dune-run. Exits 3.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>

int main(void)
{
	long r = ptrace(PTRACE_TRACEME, 0, 0, 0);
	printf("traceme: %ld\n", r);
	fflush(stdout);
	raise(SIGTRAP);
	printf("after the stop\n");
	return 3;
}
