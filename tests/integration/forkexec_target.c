// SPDX-License-Identifier: MIT
/* Processes for the dtrace-lite vs strace comparison under -f
 * (tests/integration/trace_compare.sh --sort, test trace-forkexec): fork +
 * execve of /bin/true, fork + execve of itself with an argument ("child":
 * writes the BEGIN marker again, then exits 5), vfork + execve, posix_spawn,
 * an execve that fails, a forked child that makes calls of its own, each
 * reaped with wait4. SIGCHLD stays blocked throughout so that it is never
 * delivered: its place in the parent's calls would depend on timing. Every
 * execve gets a fixed one-variable environment. */
#define _GNU_SOURCE
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const env[] = {"DTL_TRACE_TEST=1", NULL};

static int reap(pid_t pid, int want)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != want)
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (write(1, "BEGIN\n", 6) != 6)
		return 1;
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		if (write(1, "child\n", 6) != 6)
			return 1;
		return 5;
	}
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	int bad = 0;

	/* fork + execve /bin/true */
	pid_t pid = fork();
	if (pid == 0) {
		char *const args[] = {"true", NULL};
		execve("/bin/true", args, env);
		_exit(126);
	}
	bad |= reap(pid, 0);

	/* fork + execve of itself with an argument */
	pid = fork();
	if (pid == 0) {
		char *const args[] = {argv[0], "child", NULL};
		execve(argv[0], args, env);
		_exit(126);
	}
	bad |= reap(pid, 5);

	/* vfork + execve */
	pid = vfork();
	if (pid == 0) {
		char *const args[] = {"/bin/true", "from-vfork", NULL};
		execve("/bin/true", args, env);
		_exit(126);
	}
	bad |= reap(pid, 0);

	/* posix_spawn (a CLONE_VM|CLONE_VFORK child on its own stack) */
	char *const sargs[] = {"true", "spawned", NULL};
	if (posix_spawn(&pid, "/bin/true", NULL, NULL, sargs, env) != 0)
		bad = 1;
	else
		bad |= reap(pid, 0);

	/* an execve that fails */
	pid = fork();
	if (pid == 0) {
		char *const args[] = {"missing", NULL};
		execve("/nonexistent/program", args, env);
		_exit(127);
	}
	bad |= reap(pid, 127);

	/* a forked child that makes calls of its own */
	pid = fork();
	if (pid == 0) {
		if (syscall(SYS_getppid) <= 0 || write(1, "forked\n", 7) != 7)
			_exit(1);
		_exit(3);
	}
	bad |= reap(pid, 3);
	int status;
	if (waitpid(-1, &status, WNOHANG) != -1) /* ECHILD: none left */
		bad = 1;

	if (write(1, bad ? "FAILED\n" : "reaped\n", 7) != 7)
		return 1;
	return bad ? 1 : 6;
}
