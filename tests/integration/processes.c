// SPDX-License-Identifier: MIT
/*
 * fork from inside the VM: each child builds a VM of its own and carries on
 * in it with the parent's memory and registers; statuses are native
 * (exit codes, a child killed by a signal); exec failures are native; a
 * grandchild works; 200 children in a row. "ring3": run in ring 3.
 */
#include "dtl_test.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	dtl_init_or_skip();
	bool ring3 = dtl_enter_as_asked(argc, argv);
	volatile int shared_before = 41;
	int status;

	for (int i = 0; i < 200; i++) {
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			/* the child: in its own VM, with the parent's memory */
			if (!dune_entered() || shared_before != 41)
				_exit(100);
			shared_before = 0; /* a private copy */
			_exit(i % 100);
		}
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status));
		CHECK_EQ(WEXITSTATUS(status), i % 100);
	}
	CHECK_EQ(shared_before, 41);

	/* a grandchild, and a status passed up two levels */
	pid_t pid = fork();
	if (pid == 0) {
		pid_t g = fork();
		if (g == 0)
			_exit(9);
		int s;
		if (waitpid(g, &s, 0) != g)
			_exit(101);
		_exit(WEXITSTATUS(s) + 1);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(WEXITSTATUS(status), 10);

	/* a child killed by a signal */
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(102);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGTERM);

	/* exec of something that does not exist fails as natively */
	pid = fork();
	if (pid == 0) {
		execl("/nonexistent/program", "x", (char *)NULL);
		_exit(errno == ENOENT ? 42 : 103);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(WEXITSTATUS(status), 42);

	/* and a real exec from a forked child */
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit 5", (char *)NULL);
		_exit(104);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(WEXITSTATUS(status), 5);
	printf("%s: 200 forked children, a grandchild, signal and exec statuses native\n",
	       ring3 ? "ring 3" : "ring 0");
	return 0;
}
