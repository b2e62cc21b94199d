// SPDX-License-Identifier: MIT
/*
 * Memory and time, the same natively and inside Dune: mmap, munmap,
 * mprotect, mremap, madvise and brk take effect at once (a fault where the
 * kernel would fault, none where it would not); the vDSO's clock_gettime,
 * gettimeofday and getcpu, and the legacy vsyscall page, work.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf jb;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	siglongjmp(jb, 1);
}

static int writable(volatile char *p)
{
	if (sigsetjmp(jb, 1))
		return 0;
	*p = *p;
	return 1;
}

static int readable(volatile char *p)
{
	if (sigsetjmp(jb, 1))
		return 0;
	(void)*p;
	return 1;
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGSEGV, &sa, NULL);

	char *m =
	    mmap(NULL, 4 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(m, "fresh mapping");
	printf("mmap: %s, writable %d\n", m, writable(m));
	mprotect(m, (size_t)pg, PROT_READ);
	printf("mprotect read-only: readable %d writable %d\n", readable(m), writable(m));
	mprotect(m, (size_t)pg, PROT_NONE);
	printf("mprotect none: readable %d\n", readable(m));
	mprotect(m, (size_t)pg, PROT_READ | PROT_WRITE);
	printf("mprotect back: writable %d, content kept: %s\n", writable(m), m);
	munmap(m + pg, (size_t)pg);
	printf("munmap middle page: readable %d, next page readable %d\n", readable(m + pg),
	       readable(m + 2 * pg));
	m[2 * pg] = 'z';
	char *r = mremap(m + 2 * pg, (size_t)pg, 64 * (size_t)pg, MREMAP_MAYMOVE);
	printf("mremap grow: old content %c, tail writable %d\n", r[0], writable(r + 63 * pg));
	r[5] = 'q';
	madvise(r, (size_t)pg, MADV_DONTNEED);
	printf("madvise DONTNEED: zeroed %d\n", r[5] == 0);

	char *top = sbrk(0);
	sbrk(8 * pg);
	top[8 * pg - 1] = 1;
	printf("brk grow: writable %d\n", writable(top + 8 * pg - 1));
	sbrk(-8 * pg);
	printf("brk shrink: readable %d\n", readable(top + 8 * pg - 1));

	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	usleep(20000);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	printf("clock_gettime: 20 ms sleep measured in [20, 5000): %d\n", ms >= 20 && ms < 5000);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	printf("gettimeofday agrees with time: %d\n", tv.tv_sec - time(NULL) <= 1);
	unsigned cpu = 99;
	printf("getcpu: %d\n", getcpu(&cpu, NULL) == 0 && cpu < 4096);
	time_t (*vsyscall_time)(time_t *) = (time_t(*)(time_t *))0xffffffffff600400UL;
	printf("vsyscall time agrees: %d\n", time(NULL) - vsyscall_time(NULL) <= 1);
	return 0;
}
