// SPDX-License-Identifier: MIT
/*
 * A program that asks its parent to trace it (PTRACE_TRACEME) and stops
 * itself with SIGTRAP, as a debugger's inferior does; run by
 * ptrace_parent, natively and under dune-run. Exits 3; or, with "segv",
 * then faults, and its SIGSEGV handler (which the tracer sees coming)
 * exits 4.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	printf("SIGSEGV handler: si_code %d, address %p\n", si->si_code, si->si_addr);
	fflush(stdout);
	_exit(4);
}

int main(int argc, char **argv)
{
	long r = ptrace(PTRACE_TRACEME, 0, 0, 0);
	printf("traceme: %ld\n", r);
	fflush(stdout);
	raise(SIGTRAP);
	printf("after the stop\n");
	if (argc > 1 && !strcmp(argv[1], "segv")) {
		fflush(stdout);
		struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
		sigaction(SIGSEGV, &sa, NULL);
		volatile int *unmapped = (volatile int *)(uintptr_t)(argc * 4); /* page 0 */
		*unmapped = 1;
	}
	return 3;
}
