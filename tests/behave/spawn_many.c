// SPDX-License-Identifier: MIT
/* A shell, make or a daemon spawns children all its life: posix_spawn,
 * vfork+exec and system() must keep working however many came before
 * (issue 11, item 1: each kept a vCPU, and after about 255 every new
 * child or thread failed). Then a thread still starts. */
#define _GNU_SOURCE
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void *thread_main(void *arg)
{
	return arg;
}

int main(void)
{
	static int spawned, vforked, systems; /* static: vfork below */
	char *argv[] = {"true", NULL};
	alarm(120);
	for (int i = 0; i < 300; i++) {
		pid_t pid;
		int st;
		if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0 &&
		    waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			spawned++;
	}
	for (int i = 0; i < 40; i++) {
		pid_t pid = vfork();
		if (pid == 0) {
			execve("/bin/true", argv, environ);
			_exit(127);
		}
		int st;
		if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			vforked++;
	}
	for (int i = 0; i < 5; i++)
		systems += system("exit 3") >> 8 == 3;
	pthread_t t;
	void *ret = NULL;
	int thread_ok = pthread_create(&t, NULL, thread_main, (void *)7) == 0 &&
	                pthread_join(t, &ret) == 0 && ret == (void *)7;
	printf("posix_spawn %d/300, vfork+exec %d/40, system %d/5, thread %s\n", spawned, vforked,
	       systems, thread_ok ? "ok" : "failed");
	return 0;
}
