// SPDX-License-Identifier: MIT
/* close_range() as the kernel does it (fs/file.c), with the runtime's own
 * descriptors somewhere in the range (issue 11, item 7): glibc's closefrom()
 * (a range up to ~0U) returns, bad ranges and flags are EINVAL, and
 * CLOSE_RANGE_UNSHARE keeps working. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void try(const char *what, unsigned first, unsigned last, unsigned flags)
{
	long r = syscall(SYS_close_range, first, last, flags);
	printf("%s = %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static int count_open(int below)
{
	int n = 0;
	for (int fd = 0; fd < below; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

int main(void)
{
	alarm(10);
	for (int i = 0; i < 5; i++)
		dup(1);
	try("close_range(4, 3, 0)", 4, 3, 0);
	try("close_range(~0U, ~1U, UNSHARE)", ~0U, ~1U, CLOSE_RANGE_UNSHARE);
	try("close_range(3, 10, 0x80)", 3, 10, 0x80);
	try("close_range(6, ~0U, CLOEXEC)", 6, ~0U, CLOSE_RANGE_CLOEXEC);
	printf("fd 6 close-on-exec: %d\n", (fcntl(6, F_GETFD) & FD_CLOEXEC) != 0);
	try("close_range(6, ~0U, UNSHARE)", 6, ~0U, CLOSE_RANGE_UNSHARE);
	printf("open below 64: %d\n", count_open(64));
	closefrom(4);
	printf("after closefrom(4), open below 64: %d\n", count_open(64));
	try("close_range(0x7fffffff, ~0U, 0)", 0x7fffffff, ~0U, 0);
	printf("write after all that: %s\n", write(1, "", 0) == 0 ? "ok" : "failed");
	return 0;
}
