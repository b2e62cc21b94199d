// SPDX-License-Identifier: MIT
/*
 * The library's own file descriptors (/dev/kvm, the VM, the vCPUs) live in
 * the program's descriptor table. They are moved high, out of the way of
 * the numbers the program gets from open/pipe/dup; monitor/fds.c keeps the
 * program from closing them or dup2-ing over them.
 *
 * High means at or above the program's RLIMIT_NOFILE where the hard limit
 * (or the privilege to raise it) leaves room: the kernel lets a descriptor
 * live above the soft limit and only refuses new numbers there, so the
 * program gets every number below its limit and none above, as natively.
 * The library opens that room for a moment when it makes or moves one of
 * its own (dune_fd_room_open: the soft limit raised, then put back).
 */
#include "util.h"

#include <dune/dune.h> /* DUNE_VCPU_MAX */
#include <dune/spinlock.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* a descriptor per vCPU, one per VM (at most 64), and a few */
#define MAX_OWN_FDS (DUNE_VCPU_MAX + 64 + 8)

static int own_fds[MAX_OWN_FDS];
static bool own_fixed[MAX_OWN_FDS]; /* dune_fd_protect: its number is known */
static int nr_own;
static dune_spinlock_t own_lock;

/* the room above the program's limit: how many hold it open, the
 * program's limit while they do */
static int room_users;
static struct rlimit room_saved;
static bool room_raised;
static dune_spinlock_t room_lock;

/* Numbers above the program's limit enough for ours and the next few: it
 * grows with the threads, each with a vCPU descriptor. */
static rlim_t room(void)
{
	return (rlim_t)__atomic_load_n(&nr_own, __ATOMIC_RELAXED) + 64;
}

static long get_nofile(struct rlimit *rl)
{
	return dune_raw_syscall6(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)rl, 0, 0);
}

static long set_nofile(const struct rlimit *rl)
{
	return dune_raw_syscall6(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)rl, 0, 0, 0);
}

void dune_fd_room_open(void)
{
	dune_spin_lock(&room_lock);
	if (room_users++ == 0) {
		room_raised = false;
		if (get_nofile(&room_saved) == 0 && room_saved.rlim_cur != RLIM_INFINITY &&
		    room_saved.rlim_cur < (1u << 30)) {
			struct rlimit wide = {room_saved.rlim_cur + room(), room_saved.rlim_max};
			if (wide.rlim_max != RLIM_INFINITY && wide.rlim_max < wide.rlim_cur)
				wide.rlim_max = wide.rlim_cur; /* with CAP_SYS_RESOURCE */
			room_raised = set_nofile(&wide) == 0;
		}
	}
	dune_spin_unlock(&room_lock);
}

void dune_fd_room_close(void)
{
	dune_spin_lock(&room_lock);
	if (--room_users == 0 && room_raised)
		set_nofile(&room_saved);
	dune_spin_unlock(&room_lock);
}

int dune_fd_floor(void)
{
	dune_spin_lock(&room_lock);
	bool above = room_users > 0 && room_raised;
	long limit = (long)room_saved.rlim_cur;
	dune_spin_unlock(&room_lock);
	if (above)
		return (int)limit;
	/* no room above: as high as fits below */
	struct rlimit rl;
	long floor = 1000;
	if (get_nofile(&rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur - (long)room() < floor)
		floor = (long)rl.rlim_cur - (long)room();
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
	dune_fd_room_open();
	int high = (int)dune_raw_syscall6(SYS_fcntl, fd, F_DUPFD_CLOEXEC, dune_fd_floor(), 0, 0, 0);
	dune_fd_room_close();
	if (high >= 0) {
		dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
		fd = high;
	}
	dune_spin_lock(&own_lock);
	if (nr_own < MAX_OWN_FDS) {
		own_fixed[nr_own] = false;
		own_fds[nr_own++] = fd;
	}
	dune_spin_unlock(&own_lock);
	return fd;
}

void dune_fd_protect(int fd)
{
	dune_spin_lock(&own_lock);
	if (nr_own < MAX_OWN_FDS && !dune_fd_is_own(fd)) {
		own_fixed[nr_own] = true;
		own_fds[nr_own++] = fd;
	}
	dune_spin_unlock(&own_lock);
}

void dune_fd_release(int fd)
{
	dune_spin_lock(&own_lock);
	for (int i = 0; i < nr_own; i++)
		if (own_fds[i] == fd) {
			--nr_own;
			own_fds[i] = own_fds[nr_own];
			own_fixed[i] = own_fixed[nr_own];
			break;
		}
	dune_spin_unlock(&own_lock);
	dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
}

int dune_fd_replace(int old, int fresh)
{
	/* @old may lie above the soft limit (placed under a higher one): dup3
	 * refuses a number there unless the limit is raised past it for now */
	struct rlimit saved;
	bool raised = false;
	if (get_nofile(&saved) == 0 && saved.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)old >= saved.rlim_cur) {
		struct rlimit wide = {(rlim_t)old + 1, saved.rlim_max};
		if (wide.rlim_max != RLIM_INFINITY && wide.rlim_max < wide.rlim_cur)
			wide.rlim_max = wide.rlim_cur;
		raised = set_nofile(&wide) == 0;
	}
	int r = (int)dune_raw_syscall6(SYS_dup3, fresh, old, O_CLOEXEC, 0, 0, 0);
	if (raised)
		set_nofile(&saved);
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

/* One of ours below @limit that may move (not one whose number is known
 * elsewhere), or -1. */
int dune_fd_own_below(int limit)
{
	int found = -1;
	dune_spin_lock(&own_lock);
	for (int i = 0; i < nr_own && found < 0; i++)
		if (own_fds[i] < limit && !own_fixed[i])
			found = own_fds[i];
	dune_spin_unlock(&own_lock);
	return found;
}
