// SPDX-License-Identifier: MIT
/*
 * The library's own file descriptors (/dev/kvm, the VM, the vCPUs) live in
 * the program's descriptor table. They are moved high, out of the way of
 * the numbers the program gets from open/pipe/dup, and the monitor keeps the
 * program from closing them or dup2-ing over them: close() of one of ours
 * succeeds without closing it, close_range() skips them, and dup2/dup3 onto
 * one of ours first moves ours elsewhere.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_OWN_FDS (DUNE_MAX_VCPUS + 4)

static int own_fds[MAX_OWN_FDS];
static int nr_own;
static dune_spinlock_t own_lock;

static int fd_floor(void)
{
	struct rlimit rl;
	long floor = 1000;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur - MAX_OWN_FDS - 16 < floor)
		floor = (long)rl.rlim_cur - MAX_OWN_FDS - 16;
	return floor > 3 ? (int)floor : 3;
}

bool dune_fd_is_own(int fd)
{
	for (int i = 0; i < nr_own; i++)
		if (own_fds[i] == fd)
			return true;
	return false;
}

int dune_fd_adopt(int fd)
{
	if (fd < 0)
		return fd;
	int high = (int)dune_raw_syscall6(SYS_fcntl, fd, F_DUPFD_CLOEXEC, fd_floor(), 0, 0, 0);
	if (high >= 0) {
		dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
		fd = high;
	}
	dune_spin_lock(&own_lock);
	if (nr_own < MAX_OWN_FDS)
		own_fds[nr_own++] = fd;
	dune_spin_unlock(&own_lock);
	return fd;
}

/* Keep the program from closing @fd (ours, but not moved: its number is
 * known to others, e.g. through the environment). */
void dune_fd_protect(int fd)
{
	dune_spin_lock(&own_lock);
	if (nr_own < MAX_OWN_FDS && !dune_fd_is_own(fd))
		own_fds[nr_own++] = fd;
	dune_spin_unlock(&own_lock);
}

void dune_fd_release(int fd)
{
	dune_spin_lock(&own_lock);
	for (int i = 0; i < nr_own; i++)
		if (own_fds[i] == fd) {
			own_fds[i] = own_fds[--nr_own];
			break;
		}
	dune_spin_unlock(&own_lock);
	dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* Replace @old (ours) by the descriptor @fresh, at @old's number. */
int dune_fd_replace(int old, int fresh)
{
	int r = (int)dune_raw_syscall6(SYS_dup3, fresh, old, O_CLOEXEC, 0, 0, 0);
	dune_raw_syscall6(SYS_close, fresh, 0, 0, 0, 0, 0);
	return r < 0 ? r : old;
}

/* Every place that holds the number @from now holds @to. */
static void renumber(int from, int to)
{
	if (dune_state.kvm_fd == from)
		dune_state.kvm_fd = to;
	if (dune_state.vm_fd == from)
		dune_state.vm_fd = to;
	for (int i = 0; i < dune_state.nr_vcpus; i++) {
		struct dune_percpu *p = (struct dune_percpu *)(dune_state.rt_base + RT_PERCPU_OFF +
		                                               (uint64_t)i * PERCPU_SIZE);
		if (p->vcpu_fd == from)
			p->vcpu_fd = to;
	}
	for (int i = 0; i < nr_own; i++)
		if (own_fds[i] == from)
			own_fds[i] = to;
}

static long close_range_around_own(unsigned first, unsigned last, unsigned flags)
{
	unsigned cur = first;
	long r = 0;

	while (cur <= last) {
		/* the next own descriptor at or above cur */
		unsigned next = last + 1u;
		for (int i = 0; i < nr_own; i++)
			if ((unsigned)own_fds[i] >= cur && (unsigned)own_fds[i] < next)
				next = (unsigned)own_fds[i];
		if (next > cur)
			r = dune_raw_syscall6(SYS_close_range, cur, next - 1, flags, 0, 0, 0);
		if (r < 0 || next > last || next == ~0u)
			break;
		cur = next + 1;
	}
	return r;
}

/* Descriptor system calls that could touch ours; -1 when not ours to handle. */
bool dune_fd_syscall(long nr, const uint64_t *args, long *ret)
{
	switch (nr) {
	case SYS_close:
		if (!dune_fd_is_own((int)args[0]))
			return false;
		*ret = 0; /* as if closed; the number stays taken */
		return true;
	case SYS_close_range:
		if (args[2] & CLOSE_RANGE_CLOEXEC) /* ours are close-on-exec already */
			return false;
		*ret =
		    close_range_around_own((unsigned)args[0], (unsigned)args[1], (unsigned)args[2]);
		return true;
	case SYS_dup2:
	case SYS_dup3: {
		int target = (int)args[1];
		if (!dune_fd_is_own(target) || (int)args[0] == target)
			return false;
		int moved =
		    (int)dune_raw_syscall6(SYS_fcntl, target, F_DUPFD_CLOEXEC, fd_floor(), 0, 0, 0);
		if (moved < 0) {
			*ret = moved;
			return true;
		}
		renumber(target, moved);
		return false; /* now the program's dup2 may proceed */
	}
	default:
		return false;
	}
}
