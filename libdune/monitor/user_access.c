// SPDX-License-Identifier: MIT
/*
 * The monitor's access to the program's memory through pointers the
 * program passed (system-call arguments it intercepts): unchecked, so they
 * are copied with process_vm_readv/writev on the process itself, which
 * report a bad address (-EFAULT, as the kernel would) where a plain access
 * would fault inside the monitor.
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static long copy(long nr, void *local, const void *remote, size_t len)
{
	struct iovec l = {local, len}, r = {(void *)remote, len};
	long pid = dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	return dune_raw_syscall6(nr, pid, (long)&l, 1, (long)&r, 1, 0);
}

bool dune_read_user(void *dst, const void *user_src, size_t len)
{
	return copy(SYS_process_vm_readv, dst, user_src, len) == (long)len;
}

long dune_read_user_string(char *dst, const char *user_src, size_t cap)
{
	/* one copy: it stops at the first unreadable page, with what it got
	 * (the string may end just before one) */
	long got = copy(SYS_process_vm_readv, dst, user_src, cap);
	if (got <= 0)
		return -1;
	const char *nul = memchr(dst, 0, (size_t)got);
	return nul ? nul - dst : -1;
}

bool dune_write_user(void *user_dst, const void *src, size_t len)
{
	return copy(SYS_process_vm_writev, (void *)src, user_dst, len) == (long)len;
}
