// SPDX-License-Identifier: MIT
/*
 * Memory registered with a userfaultfd. A missing page there is filled by
 * the program's own handler thread when the program touches it. Inside
 * Dune the guest's access reaches the host as the hypervisor's
 * get_user_pages, a kernel-mode fault: a userfaultfd made with
 * UFFD_USER_MODE_ONLY does not report those, so the page could never be
 * filled and the VM stopped ("Bad address"). So these ranges are never
 * mapped into the guest wholesale: a guest fault there is replayed on the
 * host thread as the program's own (user-mode) access, which the handler
 * resolves, and only that page is mapped (dune_mem_fault). What takes a
 * page away again (MADV_DONTNEED and the like, munmap) takes it out of the
 * guest too, so that the next touch faults to the monitor once more.
 */
#include "monitor.h"

#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MAX_UFFD_RANGES 256

static struct {
	uintptr_t begin, end;
} ranges[MAX_UFFD_RANGES];
static int nr_ranges;
static dune_spinlock_t lock;

bool dune_uffd_covers(uintptr_t addr)
{
	int n = __atomic_load_n(&nr_ranges, __ATOMIC_ACQUIRE);
	for (int r = 0; r < n; r++)
		if (addr >= ranges[r].begin && addr < ranges[r].end)
			return true;
	return false;
}

static bool overlaps(uintptr_t lo, uintptr_t hi)
{
	int n = __atomic_load_n(&nr_ranges, __ATOMIC_ACQUIRE);
	for (int r = 0; r < n; r++)
		if (lo < ranges[r].end && hi > ranges[r].begin)
			return true;
	return false;
}

/* Forget [lo, hi): ranges inside it go, ranges across it shrink or split. */
static void forget(uintptr_t lo, uintptr_t hi)
{
	dune_spin_lock(&lock);
	for (int r = 0; r < nr_ranges; r++) {
		uintptr_t b = ranges[r].begin, e = ranges[r].end;
		if (hi <= b || lo >= e)
			continue;
		if (lo > b && hi < e && nr_ranges < MAX_UFFD_RANGES) {
			ranges[nr_ranges].begin = hi;
			ranges[nr_ranges].end = e;
			__atomic_store_n(&nr_ranges, nr_ranges + 1, __ATOMIC_RELEASE);
		}
		if (lo > b) {
			ranges[r].end = lo;
		} else if (hi < e) {
			ranges[r].begin = hi;
		} else {
			ranges[r--] = ranges[nr_ranges - 1];
			__atomic_store_n(&nr_ranges, nr_ranges - 1, __ATOMIC_RELEASE);
		}
	}
	dune_spin_unlock(&lock);
}

void dune_uffd_after_syscall(struct dune_percpu *pc, long nr, const uint64_t *a, long ret)
{
	if (ret < 0 && ret > -4096)
		return;
	switch (nr) {
	case SYS_ioctl:
		if (a[1] == UFFDIO_REGISTER) {
			struct uffdio_register reg;
			if (!dune_read_user(&reg, (const void *)a[2], sizeof(reg)))
				return;
			uintptr_t lo = reg.range.start, hi = lo + reg.range.len;
			forget(lo, hi);
			dune_spin_lock(&lock);
			if (nr_ranges < MAX_UFFD_RANGES) {
				ranges[nr_ranges].begin = lo;
				ranges[nr_ranges].end = hi;
				__atomic_store_n(&nr_ranges, nr_ranges + 1, __ATOMIC_RELEASE);
			}
			dune_spin_unlock(&lock);
			dune_mem_unmap_guest(pc, lo, hi - lo);
		} else if (a[1] == UFFDIO_UNREGISTER) {
			struct uffdio_range range;
			if (dune_read_user(&range, (const void *)a[2], sizeof(range)))
				forget(range.start, range.start + range.len);
		}
		return;
	case SYS_munmap:
		forget(a[0], a[0] + a[1]);
		return;
	case SYS_madvise:
		/* the pages are missing again: the handler fills them anew */
		if ((a[2] == MADV_DONTNEED || a[2] == MADV_FREE || a[2] == MADV_REMOVE) &&
		    overlaps(a[0], a[0] + a[1]))
			dune_mem_unmap_guest(pc, a[0], a[1]);
		return;
	}
}
