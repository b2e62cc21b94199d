// SPDX-License-Identifier: MIT
/* clone() without CLONE_VM on a stack the caller gives: the child runs its
 * function there and exits with its status (issue 11, item 3: inside Dune
 * the child died of SIGSEGV). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int child_main(void *arg)
{
	int *value = arg;
	printf("child: value %d, on its own stack\n", *value);
	fflush(stdout);
	return *value + 1;
}

int main(void)
{
	static char stack[256 << 10] __attribute__((aligned(16)));
	int value = 41;
	pid_t pid = clone(child_main, stack + sizeof(stack), SIGCHLD, &value);
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	printf("parent: child %s %d\n", WIFEXITED(st) ? "exited with" : "killed by",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
