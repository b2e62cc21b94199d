// SPDX-License-Identifier: MIT
/* The program two_tools.sh traces with the tracer and a second tool in one
 * process (two_tools.c): after its marker, getsid(4242), it calls getppid
 * (both answered by the second tool) and getpgid(4242) (its result changed
 * by the second tool), writes to a read-only page (a #PF the
 * second tool's hook passes on, then SIGSEGV with a handler that makes the
 * page writable) and prints what it got. Raw calls and write(2): every call
 * after the marker is the program's own. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *volatile page;

static void on_segv(int sig)
{
	(void)sig;
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_segv};
	sigaction(SIGSEGV, &sa, NULL);

	long sid = syscall(SYS_getsid, 4242);
	long ppid = syscall(SYS_getppid);
	long pgid = syscall(SYS_getpgid, 4242);
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	page[0] = 1;
	char buf[96];
	/* getsid, getppid, getpgid, the page: short enough for -s 32 */
	int n = snprintf(buf, sizeof(buf), "%ld %ld %ld %d\n", sid, ppid, pgid, page[0]);
	if (write(1, buf, (size_t)n) != n)
		return 1;
	syscall(SYS_exit_group, 0);
	return 0;
}
