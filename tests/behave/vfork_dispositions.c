// SPDX-License-Identifier: MIT
/* A child that shares the memory but not the signal dispositions (vfork,
 * posix_spawn, clone(CLONE_VM) without CLONE_SIGHAND) changes only its
 * own: glibc's posix_spawn child resets every handler to SIG_DFL, and the
 * parent's handlers must stay (inside Dune the dispositions were a table in
 * the shared memory, and the parent lost its handlers to its children's).
 * With CLONE_SIGHAND the child's changes are the parent's too. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile int caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

static const char *disposition(int sig)
{
	struct sigaction sa;
	sigaction(sig, NULL, &sa);
	return sa.sa_handler == on_usr1   ? "handler"
	       : sa.sa_handler == SIG_IGN ? "SIG_IGN"
	       : sa.sa_handler == SIG_DFL ? "SIG_DFL"
	                                  : "other";
}

static int child_ignores(void *arg)
{
	signal(*(int *)arg, SIG_IGN);
	return 0;
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	for (int i = 0; i < 3; i++) {
		pid_t pid;
		char *argv[] = {"true", NULL};
		if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0)
			waitpid(pid, NULL, 0);
	}
	printf("after posix_spawn: SIGUSR1 %s\n", disposition(SIGUSR1));
	pid_t pid = vfork();
	if (pid == 0) {
		signal(SIGUSR1, SIG_IGN); /* the child's own */
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("after a vfork child ignored it: SIGUSR1 %s\n", disposition(SIGUSR1));
	static char stack[64 * 1024];
	int sig = SIGUSR1;
	pid = clone(child_ignores, stack + sizeof(stack), CLONE_VM | SIGCHLD, &sig);
	waitpid(pid, NULL, 0);
	printf("after a CLONE_VM child ignored it: SIGUSR1 %s\n", disposition(SIGUSR1));
	sig = SIGUSR2;
	pid = clone(child_ignores, stack + sizeof(stack), CLONE_VM | CLONE_SIGHAND | SIGCHLD, &sig);
	waitpid(pid, NULL, 0);
	printf("after a CLONE_VM|CLONE_SIGHAND child ignored SIGUSR2: SIGUSR2 %s\n",
	       disposition(SIGUSR2));
	raise(SIGUSR1);
	printf("SIGUSR1 raised: the handler ran %d time(s)\n", caught);
	return 0;
}
