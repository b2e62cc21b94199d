// SPDX-License-Identifier: MIT
/* Soak (issue 11, "Done when"): 10,000 posix_spawn + exec in one process,
 * as a shell or make does over a day. Every child must start and exit 0,
 * and the spawning process must end with the address space and
 * descriptors it had after its first 100 spawns: nothing leaks per spawn. */
#include <dirent.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "../behave/vm_size.h"

#define SPAWNS 10000

extern char **environ;

static int open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	char *argv[] = {"true", NULL};
	int failed = 0;
	long vm_after_100 = 0;
	int fds_after_100 = 0;
	for (int i = 0; i < SPAWNS; i++) {
		pid_t pid;
		int st;
		if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0 ||
		    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
		if (i == 99) {
			vm_after_100 = vm_size_kib();
			fds_after_100 = open_descriptors();
		}
	}
	long growth = vm_size_kib() - vm_after_100;
	printf("%d spawns, %d failed; address space grew by less than 4 MiB: %s; descriptors "
	       "leaked: %d\n",
	       SPAWNS, failed, growth < 4096 ? "yes" : "no", open_descriptors() - fds_after_100);
	return failed != 0;
}
