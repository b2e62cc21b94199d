// SPDX-License-Identifier: MIT
/*
 * The smallest debugger: start a command (which is to PTRACE_TRACEME), see
 * it stop, say with which signal, let it go on (with that signal, but for
 * SIGTRAP), and say how it ended. usage: ptrace_parent COMMAND [ARGS...]
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	pid_t child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	for (;;) {
		int st;
		if (waitpid(child, &st, 0) != child)
			return 2;
		if (WIFSTOPPED(st)) {
			printf("stopped by %s\n", strsignal(WSTOPSIG(st)));
			fflush(stdout);
			int sig = WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st);
			if (ptrace(PTRACE_CONT, child, 0, (void *)(long)sig) < 0) {
				perror("PTRACE_CONT");
				return 1;
			}
			continue;
		}
		if (WIFEXITED(st))
			printf("exited %d\n", WEXITSTATUS(st));
		else
			printf("killed by %s\n", strsignal(WTERMSIG(st)));
		return 0;
	}
}
