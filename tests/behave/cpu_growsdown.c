// SPDX-License-Identifier: MIT
/* A MAP_GROWSDOWN mapping grows when the program touches below it, as the
 * kernel grows a stack; a guard region (MADV_GUARD_INSTALL) gives a
 * catchable SIGSEGV (issue 11, items 12 and 20). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

static sigjmp_buf back;
static volatile int got_sig, got_code;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	siglongjmp(back, 1);
}

static void touch(const char *what, volatile char *p)
{
	got_sig = 0;
	if (!sigsetjmp(back, 1)) {
		*p = 7;
		printf("%s: written, reads back %d\n", what, *p);
	} else {
		printf("%s: %s, si_code %d\n", what, strsignal(got_sig), got_code);
	}
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	long page = sysconf(_SC_PAGESIZE);

	/* room below: 64 MiB reserved and given back, the stack at its top */
	size_t room = 64 << 20;
	char *hole = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, room);
	char *top = hole + room - page;
	char *stack = mmap(top, page, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	if (stack == MAP_FAILED)
		return 1;
	touch("the stack's own page", stack);
	touch("one page below it", stack - page);
	touch("16 pages below it", stack - 16 * page);
	touch("16 MiB below it", stack - (16 << 20));

	char *guarded =
	    mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (madvise(guarded + page, page, MADV_GUARD_INSTALL) == 0) {
		touch("before a guard page", guarded);
		touch("a guard page", guarded + page);
	} else {
		printf("no guard regions here\n");
	}
	return 0;
}
