// SPDX-License-Identifier: MIT
/*
 * The library's own file descriptors (/dev/kvm, the VM, the vCPUs) live in
 * the program's descriptor table. They are moved high, out of the way of
 * the numbers the program gets from open/pipe/dup; monitor/fds.c keeps the
 * program from closing them or dup2-ing over them.
 */
#include "util.h"

#include <dune/spinlock.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_OWN_FDS (256 + 4) /* a descriptor per vCPU, and a few */

static int own_fds[MAX_OWN_FDS];
static int nr_own;
static dune_spinlock_t own_lock;

int dune_fd_floor(void)
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
	int high = (int)dune_raw_syscall6(SYS_fcntl, fd, F_DUPFD_CLOEXEC, dune_fd_floor(), 0, 0, 0);
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

int dune_fd_replace(int old, int fresh)
{
	int r = (int)dune_raw_syscall6(SYS_dup3, fresh, old, O_CLOEXEC, 0, 0, 0);
	dune_raw_syscall6(SYS_close, fresh, 0, 0, 0, 0, 0);
	return r < 0 ? r : old;
}

/* The number @from, one of ours, is now @to. */
void dune_fd_renumber_own(int from, int to)
{
	for (int i = 0; i < nr_own; i++)
		if (own_fds[i] == from)
			own_fds[i] = to;
}

/* The lowest of ours in [@lo, @hi], or -1. */
int dune_fd_next_own(unsigned lo, unsigned hi)
{
	int best = -1;
	for (int i = 0; i < nr_own; i++)
		if ((unsigned)own_fds[i] >= lo && (unsigned)own_fds[i] <= hi &&
		    (best < 0 || own_fds[i] < best))
			best = own_fds[i];
	return best;
}
