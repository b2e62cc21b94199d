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
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MAX_OWN_RANGES 512

static struct {
	uintptr_t begin, end;
} own_ranges[MAX_OWN_RANGES];
static int nr_own_ranges;
static dune_spinlock_t ranges_lock;

void dune_procfs_hide_range(uintptr_t begin, size_t len)
{
	/* A VMA flag the program's anonymous memory lacks keeps the kernel from
	 * merging ours with a neighbour of the program's (one maps line for
	 * both would hide the program's memory, or show ours). */
	dune_raw_syscall6(SYS_madvise, (long)begin, (long)len, MADV_NOHUGEPAGE, 0, 0, 0);
	dune_spin_lock(&ranges_lock);
	if (nr_own_ranges < MAX_OWN_RANGES) {
		own_ranges[nr_own_ranges].begin = begin;
		own_ranges[nr_own_ranges].end = begin + len;
		nr_own_ranges++;
	}
	dune_spin_unlock(&ranges_lock);
}

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

bool dune_procfs_overlaps_own(uintptr_t lo, uintptr_t hi)
{
	int n = __atomic_load_n(&nr_own_ranges, __ATOMIC_ACQUIRE);
	for (int r = 0; r < n; r++)
		if (lo < own_ranges[r].end && hi > own_ranges[r].begin)
			return true;
	return false;
}

void dune_procfs_unhide_range(uintptr_t begin, size_t len)
{
	dune_spin_lock(&ranges_lock);
	for (int r = 0; r < nr_own_ranges; r++)
		if (own_ranges[r].begin == begin && own_ranges[r].end == begin + len) {
			own_ranges[r] = own_ranges[--nr_own_ranges];
			break;
		}
	dune_spin_unlock(&ranges_lock);
}

static bool is_own_line(const char *line, size_t len)
{
	uintptr_t begin = 0;
	size_t i = 0;
	for (; i < len && line[i] != '-'; i++) {
		char c = line[i];
		begin = (begin << 4) | (uintptr_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	if (begin >= dune_state.rt_base && begin < dune_state.rt_base + RT_SIZE)
		return true;
	for (int r = 0; r < nr_own_ranges; r++)
		if (begin >= own_ranges[r].begin && begin < own_ranges[r].end)
			return true;
	const char *backend = dune_backend ? dune_backend->maps_name : NULL;
	return (backend && memmem(line, len, backend, strlen(backend))) ||
	       memmem(line, len, "/libdune-inject.so", 18);
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
