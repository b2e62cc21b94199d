// SPDX-License-Identifier: MIT
/* clone() with CLONE_VM but not CLONE_THREAD (issue 11, item 4): a process
 * of its own that shares the address space, with the parent's thread
 * pointer (no CLONE_SETTLS). It runs beside its parent, writes memory the
 * parent reads, exits with its own status; 300 rounds of three flag sets,
 * more than the VM has vCPUs, so each child's vCPU must come back. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK (64 << 10)

static volatile int shared;

static int child(void *arg)
{
	int n = (int)(long)arg;
	shared += n;
	if (shared < 0)
		printf("never\n");
	return 10 + n;
}

int main(void)
{
	static const int flags[] = {CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | SIGCHLD,
	                            CLONE_VM | SIGCHLD, CLONE_VM | CLONE_FILES | SIGCHLD};
	int bad = 0;
	for (int round = 0; round < 300; round++)
		for (int i = 0; i < 3; i++) {
			char *stack = malloc(STACK);
			int before = shared, st;
			pid_t pid = clone(child, stack + STACK, flags[i], (void *)(long)(i + 1));
			if (pid < 0) {
				perror("clone");
				return 1;
			}
			if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
			    WEXITSTATUS(st) != 11 + i || shared != before + i + 1)
				bad++;
			if (round == 0)
				printf("flags %d: exit %d, the parent sees the child's write: %s\n",
				       i, WIFEXITED(st) ? WEXITSTATUS(st) : -1,
				       shared == before + i + 1 ? "yes" : "no");
			free(stack);
		}
	printf("900 children, %d wrong; shared %d\n", bad, shared);
	return 0;
}
