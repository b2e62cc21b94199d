// SPDX-License-Identifier: MIT
/* RLIMIT_AS is the program's (issue 11, item 9): with 256 MiB of address
 * space it allocates, makes a thread and forks as natively, reads back the
 * limit it set, and is refused where natively it would be. Inside Dune the
 * runtime's reservation does not count against it. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1UL << 20)

static void *thread(void *arg)
{
	return arg;
}

int main(void)
{
	struct rlimit rl = {256 * MIB, RLIM_INFINITY};
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return 1;
	getrlimit(RLIMIT_AS, &rl);
	printf("limit %lu MiB, max %s\n", (unsigned long)(rl.rlim_cur / MIB),
	       rl.rlim_max == RLIM_INFINITY ? "unlimited" : "limited");
	struct rlimit old;
	prlimit(0, RLIMIT_AS, NULL, &old);
	printf("prlimit says %lu MiB\n", (unsigned long)(old.rlim_cur / MIB));
	char *p = malloc(64 * MIB);
	if (p)
		memset(p, 1, 64 * MIB);
	printf("malloc 64 MiB: %s\n", p ? "ok" : "failed");
	pthread_t t;
	int r = pthread_create(&t, NULL, thread, NULL);
	if (r == 0)
		pthread_join(t, NULL);
	printf("thread: %s\n", r ? strerror(r) : "ok");
	pid_t pid = fork();
	if (pid == 0)
		_exit(malloc(32 * MIB) ? 0 : 1);
	int st = -1;
	if (pid > 0)
		waitpid(pid, &st, 0);
	printf("fork: %s, child's malloc %s\n", pid > 0 ? "ok" : strerror(errno),
	       st == 0 ? "ok" : "failed");
	void *big = mmap(NULL, 512 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 512 MiB: %s\n", big == MAP_FAILED ? strerror(errno) : "ok");
	rl.rlim_cur = RLIM_INFINITY;
	setrlimit(RLIMIT_AS, &rl);
	big = mmap(NULL, 512 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("unlimited again, mmap 512 MiB: %s\n", big == MAP_FAILED ? strerror(errno) : "ok");
	getrlimit(RLIMIT_AS, &rl);
	printf("limit %s\n", rl.rlim_cur == RLIM_INFINITY ? "unlimited" : "limited");
	return 0;
}
