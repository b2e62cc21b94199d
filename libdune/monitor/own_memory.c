// SPDX-License-Identifier: MIT
/*
 * The memory of the runtime's that lives in the program's address space: its
 * region, the monitor stacks, libdune-inject.so, a tool's ring (all recorded
 * here with dune_procfs_hide_range) and the backend's own mappings (its
 * owns_memory). One answer for every part that must tell it apart from the
 * program's: the /proc/self/maps view, mlockall, and the guard that keeps
 * the program from mapping over it.
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <sys/mman.h>
#include <sys/syscall.h>

/* a monitor stack and a TLS copy per vCPU, and the rest */
#define MAX_OWN_RANGES (2 * DUNE_MAX_VCPUS + 256)

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
		__atomic_store_n(&nr_own_ranges, nr_own_ranges + 1, __ATOMIC_RELEASE);
	}
	dune_spin_unlock(&ranges_lock);
}

void dune_procfs_unhide_range(uintptr_t begin, size_t len)
{
	dune_spin_lock(&ranges_lock);
	for (int r = 0; r < nr_own_ranges; r++)
		if (own_ranges[r].begin == begin && own_ranges[r].end == begin + len) {
			own_ranges[r] = own_ranges[nr_own_ranges - 1];
			__atomic_store_n(&nr_own_ranges, nr_own_ranges - 1, __ATOMIC_RELEASE);
			break;
		}
	dune_spin_unlock(&ranges_lock);
}

bool dune_runtime_owns(uintptr_t lo, uintptr_t hi)
{
	if (lo >= hi)
		return false;
	int n = __atomic_load_n(&nr_own_ranges, __ATOMIC_ACQUIRE);
	for (int r = 0; r < n; r++)
		if (lo < own_ranges[r].end && hi > own_ranges[r].begin)
			return true;
	return dune_backend && dune_backend->owns_memory && dune_backend->owns_memory(lo, hi);
}
