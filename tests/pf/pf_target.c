// SPDX-License-Identifier: MIT
/*
 * Memory touched in known patterns, for the fault profiler's tests
 * (pf.sh). Each mode says on stdout where its memory is, and the minor
 * faults the kernel counted for the pattern (getrusage), so that a run
 * under dtrace-lite --pf can be checked against both.
 *   pf_target sweep N      N fresh pages written in address order
 *   pf_target alternate N  two regions of N pages, page i of each in turn
 *   pf_target readonly N   N fresh pages read, never written
 *   pf_target stack KIB    the stack grown by KIB KiB of recursion
 *   pf_target passes N MS ROUNDS  regions R (only ever read) and W (only
 *                          ever written) of N pages, ROUNDS passes over
 *                          both, each followed by a sleep of 1.5 MS ms
 *   pf_target spin N MS    R read over and over for 5 MS ms without a
 *                          system call (an access scan must interrupt it)
 *   pf_target spawn N      N children by posix_spawn (a CLONE_VM|CLONE_VFORK
 *                          child) and N by clone(CLONE_VM) with a stack of
 *                          fresh pages, each writing memory the parent reads
 */
#define _GNU_SOURCE
#include <sched.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#define PAGE 4096

static long minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* @pages fresh pages, without transparent huge pages (one native fault
 * each, like the guest's 4 KiB first touches) */
static volatile char *region(size_t pages)
{
	void *p =
	    mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	return p;
}

static uintptr_t grow(unsigned kib)
{
	volatile char frame[1024];
	frame[0] = (char)kib;
	frame[1023] = 1;
	if (kib > 1)
		return grow(kib - 1) + frame[0] - frame[0];
	return (uintptr_t)frame;
}

extern char **environ;
static volatile int from_child;

static int clone_child(void *arg)
{
	from_child += (int)(long)arg;
	return 0;
}

static void sleep_ms(double ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6)};
	nanosleep(&ts, NULL);
}

/* the vDSO's clock: no system call */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	size_t n = strtoul(argv[2], NULL, 0);
	double ms = argc > 3 ? strtod(argv[3], NULL) : 0;
	long before;
	if (!strcmp(argv[1], "sweep")) {
		volatile char *a = region(n);
		before = minflt();
		for (size_t i = 0; i < n; i++)
			a[i * PAGE] = 1;
		printf("region %#lx %zu\n", (unsigned long)a, n);
	} else if (!strcmp(argv[1], "alternate")) {
		volatile char *a = region(n), *b = region(n);
		before = minflt();
		for (size_t i = 0; i < n; i++) {
			a[i * PAGE + 8] = 1;
			b[i * PAGE + 16] = 2;
		}
		printf("region %#lx %zu\nregion %#lx %zu\n", (unsigned long)a, n, (unsigned long)b,
		       n);
	} else if (!strcmp(argv[1], "readonly")) {
		volatile char *a = region(n);
		long sum = 0;
		before = minflt();
		for (size_t i = 0; i < n; i++)
			sum += a[i * PAGE];
		printf("region %#lx %zu sum %ld\n", (unsigned long)a, n, sum);
	} else if (!strcmp(argv[1], "passes") && argc == 5) {
		volatile char *r = region(n), *w = region(n);
		long rounds = strtol(argv[4], NULL, 0), sum = 0;
		before = minflt();
		for (long k = 0; k < rounds; k++) {
			for (size_t i = 0; i < n; i++) {
				sum += r[i * PAGE + 64];
				w[i * PAGE + 128] = (char)k;
			}
			sleep_ms(ms * 1.5);
		}
		printf("read %#lx %zu\nwritten %#lx %zu\nsum %ld\n", (unsigned long)r, n,
		       (unsigned long)w, n, sum);
	} else if (!strcmp(argv[1], "spin") && argc == 4) {
		volatile char *r = region(n);
		long sum = 0, passes = 0;
		before = minflt();
		double until = now_ms() + 5 * ms;
		while (now_ms() < until) {
			for (size_t i = 0; i < n; i++)
				sum += r[i * PAGE];
			passes++;
		}
		printf("read %#lx %zu\nsum %ld\n", (unsigned long)r, n, sum + passes - passes);
	} else if (!strcmp(argv[1], "spawn")) {
		int ok = 0, st;
		before = minflt();
		for (size_t i = 0; i < n; i++) {
			pid_t pid;
			char *args[] = {"true", NULL};
			if (posix_spawn(&pid, "/bin/true", NULL, NULL, args, environ) == 0 &&
			    waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st))
				ok++;
			char *stack = (char *)region(16);
			pid = clone(clone_child, stack + 16 * PAGE, CLONE_VM | SIGCHLD, (void *)1L);
			if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
			    !WEXITSTATUS(st))
				ok++;
			munmap(stack, 16 * PAGE);
		}
		printf("children %d/%zu, their writes %d\n", ok, 2 * n, from_child);
	} else if (!strcmp(argv[1], "stack")) {
		before = minflt();
		uintptr_t low = grow((unsigned)n);
		printf("stack-low %#lx\n", (unsigned long)low);
	} else {
		return 2;
	}
	long faults = minflt() - before;
	/* on stderr: the only line that differs between runs */
	fprintf(stderr, "minflt %ld\n", faults);
	return 0;
}
