// SPDX-License-Identifier: MIT
/* Four threads, each with its own distinctive calls, for the dtrace-lite vs
 * strace comparison under -f (tests/integration/trace_compare.sh --sort,
 * test trace-threads): the per-thread sequences are deterministic, their
 * interleaving is not.
 *
 * Thread i (1..4) writes "ti\n" to /dev/null, wakes a private futex word,
 * waits on it with a stale value (EAGAIN), reads 1 byte from a pipe that
 * main fills once all four exist, then sleeps i*100 ms. main creates all
 * four before joining any (so it maps four stacks) and joins them in the
 * order of their sleeps, so each join finds its thread still sleeping and
 * waits in futex: the main thread's sequence is deterministic too. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4

static int devnull, pipefd[2];
static uint32_t words[NTHREADS];

static void *worker(void *arg)
{
	int i = (int)(intptr_t)arg;
	char msg[4] = {'t', (char)('1' + i), '\n', 0};
	if (write(devnull, msg, 3) != 3)
		return (void *)1;
	syscall(SYS_futex, &words[i], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	syscall(SYS_futex, &words[i], FUTEX_WAIT_PRIVATE, words[i] + 1, NULL, NULL, 0);
	char c;
	if (read(pipefd[0], &c, 1) != 1)
		return (void *)1;
	struct timespec ts = {0, (i + 1) * 100 * 1000 * 1000};
	syscall(SYS_nanosleep, &ts, NULL);
	return NULL;
}

int main(void)
{
	/* glibc's heap starts on the first malloc (getrandom for the tcache
	 * key, brk): under dtrace-lite the injected runtime has made that
	 * first malloc before main, so make it here, before the marker, for
	 * the traces to start from the same state (pthread_create mallocs);
	 * through a volatile pointer, or the compiler drops the pair */
	void *volatile first = malloc(1);
	free(first);
	if (write(1, "BEGIN\n", 6) != 6)
		return 1;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0 || pipe2(pipefd, O_CLOEXEC) != 0)
		return 1;
	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		words[i] = (uint32_t)(100 + i);
		if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) != 0)
			return 1;
	}
	/* the bytes the workers wait for (one each, all the same) */
	if (write(pipefd[1], "xxxx", NTHREADS) != NTHREADS)
		return 1;
	int bad = 0;
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		if (pthread_join(t[i], &ret) != 0 || ret != NULL)
			bad = 1;
	}
	close(pipefd[0]);
	close(pipefd[1]);
	close(devnull);
	if (write(1, bad ? "FAILED\n" : "joined\n", 7) != 7)
		return 1;
	return bad ? 1 : 4;
}
