// SPDX-License-Identifier: MIT
/* A forked child that makes itself a tracee and stops, without an exec (as
 * debuggers' and ptrace test suites' children do): its tracer sees exactly
 * the system calls it makes and changes a result at a syscall-exit stop
 * (issue 11, item 15: inside Dune the tracer saw the monitor's KVM_RUN
 * ioctls). */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name_of(long nr)
{
	static char other[24];
	switch (nr) {
	case SYS_rt_sigprocmask:
		return "rt_sigprocmask";
	case SYS_getppid:
		return "getppid";
	case SYS_write:
		return "write";
	case SYS_getpid:
		return "getpid";
	case SYS_exit_group:
		return "exit_group";
	}
	snprintf(other, sizeof(other), "syscall_%ld", nr);
	return other;
}

static void child(void)
{
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
		_exit(91);
	raise(SIGSTOP);
	const char *ok = syscall(SYS_getppid) == getppid() ? "child: getppid agrees\n"
	                                                   : "child: getppid differs\n";
	if (write(1, ok, strlen(ok)) < 0)
		_exit(92);
	/* the tracer makes this 4242 */
	_exit(syscall(SYS_getpid) == 4242 ? 7 : 8);
}

int main(void)
{
	fflush(stdout);
	pid_t c = fork();
	if (c < 0)
		return 1;
	if (c == 0)
		child();
	int st;
	if (waitpid(c, &st, 0) != c || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP) {
		printf("no SIGSTOP stop (status %#x)\n", st);
		return 1;
	}
	printf("tracer: the child stopped itself\n");
	char seen[512] = "";
	bool entry = true;
	for (int stops = 0; stops < 100; stops++) {
		if (ptrace(PTRACE_SYSCALL, c, 0, 0) != 0 || waitpid(c, &st, 0) != c)
			break;
		if (!WIFSTOPPED(st))
			break;
		struct user_regs_struct r;
		if (WSTOPSIG(st) != SIGTRAP || ptrace(PTRACE_GETREGS, c, 0, &r) != 0)
			continue;
		if (entry) {
			strncat(seen, " ", sizeof(seen) - strlen(seen) - 1);
			strncat(seen, name_of((long)r.orig_rax), sizeof(seen) - strlen(seen) - 1);
		} else if ((long)r.orig_rax == SYS_getpid) {
			r.rax = 4242;
			ptrace(PTRACE_SETREGS, c, 0, &r);
		}
		entry = !entry;
	}
	printf("tracer: system calls seen:%s\n", seen);
	if (WIFEXITED(st))
		printf("tracer: the child exited with %d\n", WEXITSTATUS(st));
	else
		printf("tracer: the child ended otherwise (status %#x)\n", st);
	return 0;
}
