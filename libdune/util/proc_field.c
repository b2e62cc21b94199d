// SPDX-License-Identifier: MIT
/* A number from a "Name:\tvalue" line of a small /proc file, read with raw
 * system calls (usable in the monitor and before the runtime starts). */
#include "util.h"

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

long dune_proc_field(const char *path, const char *name)
{
	char buf[4096], key[40];
	size_t klen = strlen(name);
	if (klen + 2 > sizeof(key))
		return -1;
	key[0] = '\n';
	memcpy(key + 1, name, klen + 1);
	long fd =
	    dune_raw_syscall6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return -1;
	long n = dune_raw_syscall6(SYS_read, fd, (long)buf + 1, sizeof(buf) - 2, 0, 0, 0);
	dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
	if (n <= 0)
		return -1;
	buf[0] = '\n'; /* the first line is a line too */
	buf[n + 1] = 0;
	const char *at = strstr(buf, key);
	if (!at)
		return -1;
	at += klen + 1;
	while (*at == ' ' || *at == '\t')
		at++;
	if (*at < '0' || *at > '9')
		return -1;
	long v = 0;
	for (; *at >= '0' && *at <= '9'; at++)
		v = v * 10 + (*at - '0');
	return v;
}
