// SPDX-License-Identifier: MIT
/*
 * Process creation, timed: N times one of
 *   fork        fork, the child _exits, the parent waits
 *   vfork-exec  vfork, the child execs /bin/true, the parent waits
 *   spawn       posix_spawn /bin/true, wait
 *   fork-exec   fork, the child execs /bin/true, the parent waits
 * Prints "MODE N ns_per_op". Run natively or under dune-run / dtrace-lite
 * (bench/forkexec.sh); never part of the timed tests.
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char *const true_argv[] = {"true", NULL};
static const char *true_path = "/bin/true";

static void reap(pid_t pid)
{
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "forkexec: a child failed\n");
		exit(1);
	}
}

static void one(const char *mode)
{
	pid_t pid;

	if (strcmp(mode, "fork") == 0) {
		pid = fork();
		if (pid == 0)
			_exit(0);
	} else if (strcmp(mode, "vfork-exec") == 0) {
		pid = vfork();
		if (pid == 0) {
			execve(true_path, true_argv, environ);
			_exit(127);
		}
	} else if (strcmp(mode, "fork-exec") == 0) {
		pid = fork();
		if (pid == 0) {
			execve(true_path, true_argv, environ);
			_exit(127);
		}
	} else if (strcmp(mode, "spawn") == 0) {
		if (posix_spawn(&pid, true_path, NULL, NULL, true_argv, environ))
			pid = -1;
	} else {
		fprintf(stderr, "usage: forkexec fork|vfork-exec|spawn|fork-exec N\n");
		exit(2);
	}
	reap(pid);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: forkexec fork|vfork-exec|spawn|fork-exec N\n");
		return 2;
	}
	long n = atol(argv[2]);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		one(argv[1]);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	printf("%s %ld %.0f\n", argv[1], n, n > 0 ? ns / (double)n : 0);
	return 0;
}
