// SPDX-License-Identifier: MIT
/* RLIMIT_NOFILE is the program's (issue 11, item 8): it gets every
 * descriptor number below its limit and none above, a fork and a new
 * thread still work when it holds them all, and raising the limit gives it
 * every new number. Inside Dune the runtime's own descriptors (the VM, a
 * vCPU per thread) live above the program's limit. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int fill(void)
{
	int n = 0;
	while (dup(0) >= 0)
		n++;
	return errno == EMFILE ? n : -n;
}

static void *thread(void *arg)
{
	return arg;
}

static void at_the_limit(const char *when)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(42);
	int st = 0;
	if (pid > 0)
		waitpid(pid, &st, 0);
	printf("%s: fork %s, child exit %d\n", when, pid > 0 ? "ok" : strerror(errno),
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	pthread_t t;
	void *ret = NULL;
	int r = pthread_create(&t, NULL, thread, (void *)7L);
	if (r == 0)
		pthread_join(t, &ret);
	printf("%s: thread %s, returned %ld\n", when, r ? strerror(r) : "ok", (long)ret);
}

int main(void)
{
	/* the number the program's own start has no part in */
	for (int fd = 3; fd < 64; fd++)
		close(fd);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 200;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1;
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("limit %ld\n", (long)rl.rlim_cur);
	printf("descriptors until EMFILE: %d\n", fill());
	at_the_limit("at 200");
	int r = dup2(0, 200);
	printf("dup2 to 200: %d %s\n", r, strerror(errno));
	r = fcntl(0, F_DUPFD, 200);
	printf("F_DUPFD from 200: %d %s\n", r, strerror(errno));
	rl.rlim_cur = 1500;
	setrlimit(RLIMIT_NOFILE, &rl);
	printf("after raising to 1500, more until EMFILE: %d\n", fill());
	at_the_limit("at 1500");
	printf("dup2 to 1499 over the program's own: %d\n", dup2(0, 1499));
	return 0;
}
