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
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
	if (ret != 0 || (!(nr == SYS_setrlimit && args[0] == RLIMIT_NOFILE) &&
	                 !(nr == SYS_prlimit64 && args[1] == RLIMIT_NOFILE && args[2] &&
	                   dune_pid_is_self(args[0]))))
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

/* Is @fd the program's own /proc/PID/fd or fdinfo directory (also through
 * /proc/self, /proc/thread-self, task/TID or /dev/fd)? */
static bool is_own_fd_dir(int fd)
{
	char link[64], target[128], mine[32];
	dune_snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long n =
	    dune_raw_syscall6(SYS_readlink, (long)link, (long)target, sizeof(target) - 1, 0, 0, 0);
	if (n <= 0)
		return false;
	target[n] = 0;
	int m = dune_snprintf(mine, sizeof(mine), "/proc/%ld/",
	                      dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0));
	return strncmp(target, mine, (size_t)m) == 0 &&
	       ((n >= 3 && !strcmp(target + n - 3, "/fd")) ||
	        (n >= 7 && !strcmp(target + n - 7, "/fdinfo")));
}

long dune_fd_getdents(const uint64_t *args)
{
	int fd = (int)args[0];
	void *user = (void *)args[1];
	size_t count = args[2];
	bool listing = is_own_fd_dir(fd);
	char stack_buf[16384];
	for (;;) {
		long n =
		    dune_program_syscall6(SYS_getdents64, fd, (long)user, (long)count, 0, 0, 0);
		if (n <= 0 || !listing)
			return n;
		char *buf = (size_t)n <= sizeof(stack_buf)
		                ? stack_buf
		                : mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE,
		                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED || !dune_read_user(buf, user, (size_t)n)) {
			if (buf != stack_buf && buf != MAP_FAILED)
				munmap(buf, (size_t)n);
			return n; /* as it is */
		}
		size_t kept = 0;
		for (long off = 0; off < n;) {
			struct dune_dirent64 *d = (struct dune_dirent64 *)(buf + off);
			size_t len = d->reclen;
			if (!len || off + (long)len > n)
				break;
			off += (long)len;
			char *end;
			long num = strtol(d->name, &end, 10);
			if (end != d->name && !*end && num >= 0 && num <= INT_MAX &&
			    dune_fd_is_own((int)num))
				continue; /* one of ours */
			memmove(buf + kept, d, len);
			kept += len;
		}
		if (kept)
			dune_write_user(user, buf, kept);
		if (buf != stack_buf)
			munmap(buf, (size_t)n);
		if (kept)
			return (long)kept;
		/* a batch of ours only: the next, or the end */
	}
}
