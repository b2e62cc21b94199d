// SPDX-License-Identifier: MIT
/*
 * The native baselines, run as an ordinary process (optionally under strace
 * or perf trace by the driver script):
 *   native_events getppid N   N getppid() calls
 *   native_events mprotect N  N write faults on a read-only page, each
 *                             handled by a SIGSEGV handler that unprotects
 *                             the page (Appel & Li's prot1-trap-unprot), then
 *                             the page is protected again
 * Prints "native <what> <ns per event>".
 */
#include "bench_util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *page;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	mprotect((void *)((uintptr_t)si->si_addr & ~4095UL), 4096, PROT_READ | PROT_WRITE);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: native_events getppid|mprotect N\n");
		return 2;
	}
	long n = atol(argv[2]);
	uint64_t t0, t1;

	if (strcmp(argv[1], "getppid") == 0) {
		t0 = now_ns();
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		t1 = now_ns();
	} else if (strcmp(argv[1], "mprotect") == 0) {
		struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
		sigaction(SIGSEGV, &sa, NULL);
		page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		t0 = now_ns();
		for (long i = 0; i < n; i++) {
			*(volatile char *)page = 1;
			mprotect(page, 4096, PROT_READ);
		}
		t1 = now_ns();
	} else {
		fprintf(stderr, "native_events: unknown event %s\n", argv[1]);
		return 2;
	}
	printf("native %s %.0f ns\n", argv[1], (double)(t1 - t0) / (double)n);
	return 0;
}
