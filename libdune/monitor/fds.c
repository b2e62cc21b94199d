// SPDX-License-Identifier: MIT
/*
 * The program's descriptor calls that could touch the library's own
 * descriptors (util/own_fds.c): close() of one of ours succeeds without
 * closing it, close_range() skips them, and dup2/dup3 onto one of ours
 * first moves ours elsewhere.
 */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/syscall.h>

/* Every place that holds the number @from now holds @to. */
static void renumber(int from, int to)
{
	dune_backend->fd_renumbered(from, to);
	dune_fd_renumber_own(from, to);
	dune_keep_fd_renumbered(from, to);
}

/*
 * close_range() of the program, in pieces between our descriptors: the
 * kernel's argument checks first (fs/file.c), then one call per piece, in
 * 64 bits so that a range up to ~0U (glibc's closefrom) ends. With
 * CLOSE_RANGE_UNSHARE a piece that reached ~0U would copy only the table
 * below it, losing ours above; a piece ends below ours, so it never does.
 */
static long close_range_around_own(unsigned first, unsigned last, unsigned flags)
{
	if ((flags & ~(unsigned)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	for (uint64_t cur = first; cur <= last;) {
		int own = dune_fd_next_own((unsigned)cur, last);
		uint64_t end = own >= 0 ? (uint64_t)own : (uint64_t)last + 1; /* exclusive */
		if (end > cur) {
			long r = dune_raw_syscall6(SYS_close_range, (long)cur, (long)(end - 1),
			                           flags, 0, 0, 0);
			if (r < 0)
				return r;
		}
		if (own < 0)
			break;
		cur = (uint64_t)own + 1;
	}
	return 0;
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
		dune_fd_room_open();
		int moved = (int)dune_raw_syscall6(SYS_fcntl, target, F_DUPFD_CLOEXEC,
		                                   dune_fd_floor(), 0, 0, 0);
		dune_fd_room_close();
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

/* The program raised its RLIMIT_NOFILE over some of ours: they move above
 * the new limit, so that every number below it is the program's. */
void dune_fd_after_syscall(long nr, const uint64_t *args, long ret)
{
	if (ret != 0)
		return;
	long pid = dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	if (!(nr == SYS_setrlimit && args[0] == RLIMIT_NOFILE) &&
	    !(nr == SYS_prlimit64 && args[1] == RLIMIT_NOFILE && args[2] &&
	      (args[0] == 0 || (long)args[0] == pid)))
		return;
	struct rlimit rl;
	if (dune_raw_syscall6(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&rl, 0, 0) != 0 ||
	    rl.rlim_cur > INT_MAX)
		return;
	int fd;
	while ((fd = dune_fd_own_below((int)rl.rlim_cur)) >= 0) {
		dune_fd_room_open();
		int moved = (int)dune_raw_syscall6(SYS_fcntl, fd, F_DUPFD_CLOEXEC, dune_fd_floor(),
		                                   0, 0, 0);
		dune_fd_room_close();
		if (moved >= 0 && (rlim_t)moved < rl.rlim_cur) {
			/* no room above (a hard limit it cannot pass): stays */
			dune_raw_syscall6(SYS_close, moved, 0, 0, 0, 0, 0);
			break;
		}
		if (moved < 0)
			break;
		renumber(fd, moved);
		dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
	}
}
