// SPDX-License-Identifier: MIT
/*
 * /proc/self/maps and smaps as the program would see them natively: the
 * monitor hands a program that opens its own maps or smaps file a copy
 * without libdune's mappings (the runtime region, monitor stacks, the
 * backend's own mappings such as the vCPUs' shared run areas, and
 * libdune-inject.so itself): a sealed memfd, reopened read-only, so that
 * writes, splices into it and fchmod fail as on the real file. What still
 * tells it apart: fstat's size (the real file says 0) and readlink of its
 * descriptor (/memfd:maps).
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* A mapping's first line ("begin-end perms ..."), not one of smaps'
 * "Name: value" lines after it: the kernel prints addresses in lower case. */
static bool is_mapping_line(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len &&
	       ((line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f')))
		i++;
	return i > 0 && i < len && line[i] == '-';
}

/* Parses "begin-end" at the start of a mapping line. */
static bool is_own_line(const char *line, size_t len)
{
	uintptr_t range[2] = {0, 0};
	size_t i = 0;
	for (int k = 0; k < 2; k++, i++)
		for (; i < len && line[i] != '-' && line[i] != ' '; i++) {
			char c = line[i];
			range[k] = (range[k] << 4) |
			           (uintptr_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		}
	return dune_runtime_owns(range[0], range[1]);
}

/* /proc/self/maps, /proc/thread-self/maps, /proc/<own pid>[/task/<tid>]/maps,
 * and the same for smaps.
 * @user_path is the program's pointer, unchecked: it is copied with
 * process_vm_readv, which reports a bad address instead of faulting here. */
static bool is_own_maps(const char *user_path)
{
	char mine[64], path[96];
	long pid = dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	/* byte by byte up to the NUL: the name may end just before an
	 * unmapped page */
	size_t n = 0;
	for (; n < sizeof(path) - 1; n++)
		if (!dune_read_user(&path[n], user_path + n, 1) || !path[n])
			break;
	if (n == sizeof(path) - 1 || path[n])
		return false; /* longer than any of these names, or unreadable */

	bool maps = n >= 5 && !strcmp(path + n - 5, "/maps");
	bool smaps = n >= 6 && !strcmp(path + n - 6, "/smaps");
	if (!(maps || smaps) || strncmp(path, "/proc/", 6) != 0)
		return false;
	const char *rest = path + 6;
	if (!strncmp(rest, "self/", 5) || !strncmp(rest, "thread-self/", 12))
		return true;
	int m = dune_snprintf(mine, sizeof(mine), "%ld/", pid);
	return strncmp(rest, mine, (size_t)m) == 0;
}

long dune_procfs_open(long nr, const uint64_t *args, bool *handled)
{
	const char *path = (const char *)(nr == SYS_open ? args[0] : args[1]);
	int flags = (int)(nr == SYS_open ? args[1] : args[2]);

	*handled = false;
	if (!path || (flags & O_ACCMODE) != O_RDONLY || !is_own_maps(path))
		return 0;
	int in = (int)dune_raw_syscall6(SYS_open, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0, 0);
	if (in < 0)
		return 0; /* let the real open report it */
	int out = (int)dune_raw_syscall6(SYS_memfd_create, (long)"maps",
	                                 MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0, 0, 0);
	if (out < 0) {
		dune_raw_syscall6(SYS_close, in, 0, 0, 0, 0, 0);
		return 0;
	}
	char buf[16384];
	size_t have = 0;
	bool hiding = false; /* the smaps lines of a mapping of ours */
	for (;;) {
		long n = dune_raw_syscall6(SYS_read, in, (long)(buf + have),
		                           (long)(sizeof(buf) - have), 0, 0, 0);
		if (n <= 0)
			break;
		have += (size_t)n;
		size_t start = 0;
		char *nl;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			size_t len = (size_t)(nl - (buf + start)) + 1;
			if (is_mapping_line(buf + start, len))
				hiding = is_own_line(buf + start, len);
			if (!hiding)
				dune_raw_syscall6(SYS_write, out, (long)(buf + start), (long)len, 0,
				                  0, 0);
			start += len;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	dune_raw_syscall6(SYS_close, in, 0, 0, 0, 0, 0);
	/* what the program gets: the copy, sealed, opened read-only as the
	 * real file is (a file of mode 0444) */
	dune_raw_syscall6(SYS_fchmod, out, 0444, 0, 0, 0, 0);
	dune_raw_syscall6(SYS_fcntl, out, F_ADD_SEALS,
	                  F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL, 0, 0, 0);
	char self[40];
	dune_snprintf(self, sizeof(self), "/proc/self/fd/%d", out);
	int ro = (int)dune_raw_syscall6(SYS_open, (long)self, O_RDONLY | (flags & O_CLOEXEC), 0, 0,
	                                0, 0);
	dune_raw_syscall6(SYS_close, out, 0, 0, 0, 0, 0);
	if (ro < 0)
		return 0; /* let the real open answer */
	*handled = true;
	return ro;
}
