// SPDX-License-Identifier: MIT
/*
 * Memory accesses with known patterns, for the watchpoint tests
 * (tests/watch/watch.sh). Every mode prints what it did, so that the test
 * compares the hits with it:
 *
 *   counter N       N writes of counter, 0 -> N, one instruction each
 *   threads T N     T threads, N locked increments each of total
 *   beside N        N writes of neighbour, on counter's page, never counter
 *   copy            one memcpy of 64 bytes into buf (rep movsb or vector)
 *   reads N         N reads of counter (for --rwatch)
 *   readonly        a write to rodata_value: SIGSEGV, as natively
 *   kernel          read(2) of "hello" from a pipe into buf: a write by the
 *                   kernel, then a write by the program to buf[10]
 *   fork N          a child writes counter N times, then the parent N times
 *   exec N          the program execs itself as "counter N"
 *   insns           one write of counter by each of xchg, lock cmpxchg, lock
 *                   xadd; of pair by cmpxchg16b; of buf by an SSE store and
 *                   (where the CPU has it) an AVX store: 4, 1 and 1-2 writes
 *   statics         this file's static shared_name 0 -> 5, and watch_other.c's
 *                   10 -> 11 -> 12
 *   slow FILE       writes counter 1, 2, ... every 20 ms until FILE exists
 *                   (at most 60 s): for watchpoints set while it runs
 *   deep            one write of counter three calls down: deep_writer,
 *                   deep_middle, main
 *   config N        N writes of cfg.limits[2] (10, 20, ...), one of each
 *                   other limit, and cfg.state IDLE -> RUNNING -> DONE
 *   recurse N       recurse(N - 1) down to recurse(0); each activation's
 *                   local tok is written d * 10, + 1, and after the inner
 *                   call + 2 (for recurse:tok)
 *   many            for thousands of watchpoints: slot_pages[i].value = i + 1
 *                   for every third i (0, 3, ... 1098), a byte beside it on
 *                   every fifth page, dense[k] = k + 1 for each of its 512,
 *                   and "ABCDEFGH" read(2) from a pipe into
 *                   slot_pages[500].value
 *
 * With DTL_WATCH_TIME set, counter also says on stderr how long its loop
 * took ("loop_ns N"), for bench/watch.sh.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

int counter;
int neighbour;
long total;
char buf[64];
const int rodata_value = 7;

enum run_state { IDLE, RUNNING, DONE };
struct config {
	int id;
	long limits[4];
	enum run_state state;
} cfg;
struct config *cfg_ptr = &cfg; /* for --watch '*cfg_ptr' */
static int shared_name;        /* watch_other.c has one too */
int other_bump(void);
int *null_ptr; /* and a pointer that points nowhere */

/* a long at the start of each of 1100 pages, and a page of 512 longs */
struct slot_page {
	long value;
	char pad[4096 - sizeof(long)];
};
struct slot_page slot_pages[1100] __attribute__((aligned(4096)));
long dense[512] __attribute__((aligned(4096)));

/* a local in each activation of a recursive function, kept in memory
 * (volatile) so that the optimised build still has it on the stack */
__attribute__((noinline)) static long recurse(int depth)
{
	volatile long tok = depth * 10;
	tok = tok + 1;
	long inner = depth > 0 ? recurse(depth - 1) : 0;
	tok = tok + 2;
	return tok + inner;
}

static long per_thread;
__int128 pair __attribute__((aligned(16)));

/* stores of 16 and 32 bytes, whatever the compiler would choose */
static void sse_store(void *dst)
{
	__asm__ volatile("pcmpeqb %%xmm0, %%xmm0\n\tmovdqu %%xmm0, (%0)"
	                 :
	                 : "r"(dst)
	                 : "xmm0", "memory");
}

__attribute__((target("avx"))) static void avx_store(void *dst)
{
	__asm__ volatile(
	    "vpcmpeqb %%xmm1, %%xmm1, %%xmm1\n\tvinsertf128 $1, %%xmm1, %%ymm1, %%ymm1\n\t"
	    "vmovdqu %%ymm1, (%0)\n\tvzeroupper"
	    :
	    : "r"(dst)
	    : "xmm1", "memory");
}

/* not inlined, not tail calls: each is a frame of its own */
__attribute__((noinline)) static int deep_writer(int v)
{
	*(volatile int *)&counter = v;
	return *(volatile int *)&neighbour;
}

__attribute__((noinline)) static int deep_middle(int v)
{
	int r = deep_writer(v + 1);
	return r + *(volatile int *)&neighbour;
}

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < per_thread; i++)
		__atomic_add_fetch(&total, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "counter";
	long n = argc > 2 ? atol(argv[2]) : 10;

	if (!strcmp(mode, "counter")) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			*(volatile int *)&counter = (int)i + 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("counter %d\n", counter);
		if (getenv("DTL_WATCH_TIME"))
			fprintf(stderr, "loop_ns %lld\n",
			        (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
			            (t1.tv_nsec - t0.tv_nsec));
	} else if (!strcmp(mode, "threads")) {
		long nthreads = n;
		per_thread = argc > 3 ? atol(argv[3]) : 1000;
		pthread_t t[64];
		if (nthreads > 64)
			nthreads = 64;
		for (long i = 0; i < nthreads; i++)
			pthread_create(&t[i], NULL, worker, NULL);
		for (long i = 0; i < nthreads; i++)
			pthread_join(t[i], NULL);
		printf("total %ld\n", total);
	} else if (!strcmp(mode, "beside")) {
		for (long i = 0; i < n; i++)
			*(volatile int *)&neighbour = (int)i;
		printf("neighbour %d counter %d\n", neighbour, counter);
	} else if (!strcmp(mode, "copy")) {
		char src[64];
		for (int i = 0; i < 64; i++)
			src[i] = (char)('A' + i % 26);
		memcpy(buf, src, sizeof(buf));
		printf("buf %.8s\n", buf);
	} else if (!strcmp(mode, "recurse")) {
		printf("recurse %ld\n", recurse((int)n - 1));
	} else if (!strcmp(mode, "many")) {
		for (int i = 0; i < 1100; i += 3)
			*(volatile long *)&slot_pages[i].value = i + 1;
		for (int i = 1; i < 1100; i += 5)
			*(volatile char *)&slot_pages[i].pad[100] = 1;
		for (int k = 0; k < 512; k++)
			*(volatile long *)&dense[k] = k + 1;
		int p[2];
		if (pipe(p) || write(p[1], "ABCDEFGH", 8) != 8 ||
		    read(p[0], &slot_pages[500].value, 8) != 8)
			return 1;
		printf("many %ld %ld %.8s\n", slot_pages[999].value, dense[511],
		       (const char *)&slot_pages[500].value);
	} else if (!strcmp(mode, "reads")) {
		long sum = 0;
		for (long i = 0; i < n; i++)
			sum += *(volatile int *)&counter;
		printf("sum %ld\n", sum);
	} else if (!strcmp(mode, "readonly")) {
		*(volatile int *)&rodata_value = 8;
		printf("wrote rodata\n");
	} else if (!strcmp(mode, "insns")) {
		int old = __atomic_exchange_n(&counter, 5, __ATOMIC_SEQ_CST); /* xchg */
		int expect = 5;
		__atomic_compare_exchange_n(&counter, &expect, 6, false, __ATOMIC_SEQ_CST,
		                            __ATOMIC_SEQ_CST);     /* cmpxchg */
		__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST); /* xadd */
		__atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST); /* add/xadd */
		__int128 want = 0, next = ((__int128)1 << 64) | 2;
		__asm__ volatile("lock cmpxchg16b %0"
		                 : "+m"(pair), "+A"(want)
		                 : "b"((long)next), "c"((long)(next >> 64))
		                 : "memory"); /* cmpxchg16b */
		sse_store(buf);
		int avx = !!__builtin_cpu_supports("avx");
		if (avx)
			avx_store(buf + 32);
		printf("counter %d old %d pair %d avx %d\n", counter, old, pair != 0, avx);
	} else if (!strcmp(mode, "statics")) {
		*(volatile int *)&shared_name = 5;
		other_bump();
		printf("%d %d\n", shared_name, other_bump());
	} else if (!strcmp(mode, "slow")) {
		const char *stop = argc > 2 ? argv[2] : "/nonexistent";
		int i = 0;
		while (access(stop, F_OK) != 0 && i < 3000) {
			*(volatile int *)&counter = ++i;
			usleep(20000);
		}
		printf("stopped\n");
	} else if (!strcmp(mode, "deep")) {
		int r = deep_middle(41);
		printf("counter %d (%d)\n", counter, r);
	} else if (!strcmp(mode, "config")) {
		for (long i = 0; i < n; i++)
			*(volatile long *)&cfg.limits[2] = 10 * (i + 1);
		for (int i = 0; i < 4; i++)
			if (i != 2)
				*(volatile long *)&cfg.limits[i] = i;
		*(volatile enum run_state *)&cfg.state = RUNNING;
		*(volatile enum run_state *)&cfg.state = DONE;
		printf("limits[2] %ld state %d\n", cfg.limits[2], cfg.state);
	} else if (!strcmp(mode, "fork")) {
		fflush(stdout);
		pid_t child = fork();
		if (child == 0) {
			for (long i = 0; i < n; i++)
				*(volatile int *)&counter = (int)i + 100;
			_exit(0);
		}
		int status;
		waitpid(child, &status, 0);
		for (long i = 0; i < n; i++)
			*(volatile int *)&counter = (int)i + 1;
		printf("child %d parent counter %d\n", WEXITSTATUS(status), counter);
	} else if (!strcmp(mode, "exec")) {
		char count[24];
		snprintf(count, sizeof(count), "%ld", n);
		*(volatile int *)&counter = -1;
		fflush(stdout);
		execl("/proc/self/exe", argv[0], "counter", count, (char *)NULL);
		return 4;
	} else if (!strcmp(mode, "kernel")) {
		int p[2];
		if (pipe(p) || write(p[1], "hello", 5) != 5 || read(p[0], buf, sizeof(buf)) != 5)
			return 3;
		buf[10] = '!';
		printf("buf %s\n", buf);
	} else {
		fprintf(stderr, "watch_target: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}
