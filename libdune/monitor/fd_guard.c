// SPDX-License-Identifier: MIT
/*
 * The library's own descriptors (/dev/kvm, the VM, the vCPUs, a tool's
 * event ring) are not the program's: natively they do not exist, so every
 * call of the program that names one fails as for a descriptor that is not
 * open (EBADF), and opening one again through /proc/self/fd or /dev/fd
 * fails as for a name that is not there (ENOENT). Otherwise a program could
 * mmap or ftruncate a tracer's ring, or drive the VM's ioctls itself.
 *
 * The same for descriptors passed in memory (SCM_RIGHTS, io_uring's file
 * tables, pidfd_getfd on itself). close(), and dup2/dup3 onto one of ours,
 * keep their own rules (fds.c).
 */
#define _GNU_SOURCE /* struct mmsghdr */
#include "monitor.h"

#include <errno.h>
#include <limits.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

/* Is the path the program passed with a directory descriptor absolute, so
 * that the kernel ignores the descriptor (fs/namei.c path_init)? */
static bool path_is_absolute(uint64_t user_path)
{
	char c;
	return user_path && dune_read_user(&c, (const void *)user_path, 1) && c == '/';
}

/* The number N of "/dev/fd/N", "/proc/self/fd/N", "/proc/thread-self/fd/N",
 * "/proc/<pid>[/task/<tid>]/fd/N" and their fdinfo twins, or -1. Only our
 * own process's names matter; a pid other than ours is not compared here
 * (our descriptors are close-on-exec and not inherited by others). */
static int fd_of_path(uint64_t user_path)
{
	char path[80];
	if (!user_path || dune_read_user_string(path, (const char *)user_path, sizeof(path)) < 0)
		return -1;
	const char *p;
	if (!strncmp(path, "/dev/fd/", 8)) {
		p = path + 8;
	} else {
		p = strrchr(path, '/');
		if (!p || strncmp(path, "/proc/", 6))
			return -1;
		size_t dir = (size_t)(p - path);
		if (!(dir >= 3 && !strncmp(p - 3, "/fd", 3)) &&
		    !(dir >= 7 && !strncmp(p - 7, "/fdinfo", 7)))
			return -1;
		p++;
	}
	if (!*p)
		return -1;
	long fd = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || fd > 1 << 24)
			return -1;
		fd = fd * 10 + (*p - '0');
	}
	return (int)fd;
}

/*
 * Descriptors passed in memory, which the kernel looks up as the call's
 * own (each is EBADF natively when one of them is not open): SCM_RIGHTS in
 * a message (else the program could send one of ours to itself over a
 * socket pair and receive a number that is not ours), a file table an
 * io_uring registers, pidfd_getfd on the program's own pidfd.
 */
#define SCM_MAX_FD_KERNEL 253 /* include/net/scm.h */
#ifndef IORING_REGISTER_USE_REGISTERED_RING
#define IORING_REGISTER_USE_REGISTERED_RING (1u << 31) /* Linux 6.3 */
#endif

/* Does the SCM_RIGHTS list of the message at @user_msg hold one of ours?
 * A message that cannot be read is left to the kernel (EFAULT, EINVAL). */
static bool message_passes_own(uint64_t user_msg)
{
	struct msghdr m;
	if (!user_msg || !dune_read_user(&m, (const void *)user_msg, sizeof(m)) || !m.msg_control)
		return false;
	for (size_t at = 0; at + sizeof(struct cmsghdr) <= m.msg_controllen;) {
		struct cmsghdr c;
		const char *where = (const char *)m.msg_control + at;
		if (!dune_read_user(&c, where, sizeof(c)) || c.cmsg_len < sizeof(c) ||
		    c.cmsg_len > m.msg_controllen - at)
			return false;
		if (c.cmsg_level == SOL_SOCKET && c.cmsg_type == SCM_RIGHTS) {
			int fds[SCM_MAX_FD_KERNEL];
			size_t n = (c.cmsg_len - CMSG_LEN(0)) / sizeof(int);
			n = n < SCM_MAX_FD_KERNEL ? n : SCM_MAX_FD_KERNEL;
			if (!dune_read_user(fds, CMSG_DATA((const struct cmsghdr *)where),
			                    n * sizeof(int)))
				return false;
			for (size_t i = 0; i < n; i++)
				if (dune_fd_is_own(fds[i]))
					return true;
		}
		at += CMSG_ALIGN(c.cmsg_len);
	}
	return false;
}

/* sendmmsg: the first message that passes one of ours, or -1. The kernel
 * sends the ones before it and returns how many; none: EBADF. */
static long first_message_passing_own(uint64_t user_vec, uint64_t vlen)
{
	vlen = vlen < UIO_MAXIOV ? vlen : UIO_MAXIOV;
	for (uint64_t i = 0; i < vlen; i++)
		if (message_passes_own(user_vec + i * sizeof(struct mmsghdr)))
			return (long)i;
	return -1;
}

/* Does the table of @n descriptors at @user_fds hold one of ours? (-1 is a
 * hole, IORING_REGISTER_FILES_SKIP a skipped slot: not descriptors.) */
static bool table_holds_own(uint64_t user_fds, uint64_t n)
{
	int fd;
	n = n < (1u << 15) ? n : (1u << 15); /* the kernel's IORING_MAX_FIXED_FILES */
	for (uint64_t i = 0; i < n; i++)
		if (dune_read_user(&fd, (const char *)user_fds + i * sizeof(fd), sizeof(fd)) &&
		    fd >= 0 && dune_fd_is_own(fd))
			return true;
	return false;
}

static bool io_uring_registers_own(const uint64_t *args)
{
	switch (args[1] & ~(uint64_t)IORING_REGISTER_USE_REGISTERED_RING) {
	case IORING_REGISTER_FILES:
		return table_holds_own(args[2], args[3]);
	case IORING_REGISTER_FILES_UPDATE: {
		struct io_uring_files_update u;
		return dune_read_user(&u, (const void *)args[2], sizeof(u)) &&
		       table_holds_own(u.fds, args[3]);
	}
	case IORING_REGISTER_FILES2: {
		struct io_uring_rsrc_register r;
		return args[3] >= sizeof(r) &&
		       dune_read_user(&r, (const void *)args[2], sizeof(r)) &&
		       table_holds_own(r.data, r.nr);
	}
	case IORING_REGISTER_FILES_UPDATE2: {
		struct io_uring_rsrc_update2 u;
		return args[3] >= sizeof(u) &&
		       dune_read_user(&u, (const void *)args[2], sizeof(u)) &&
		       table_holds_own(u.data, u.nr);
	}
	}
	return false;
}

/* Is @pidfd one for this very process? (Its fdinfo says whose.) */
static bool pidfd_is_self(int pidfd)
{
	char path[48];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	long pid = dune_proc_field(path, "Pid:");
	return pid > 0 && dune_pid_is_self((uint64_t)pid);
}

static bool passes_own_in_memory(long nr, const uint64_t *args, long *ret)
{
	switch (nr) {
	case SYS_sendmsg:
		if (!message_passes_own(args[1]))
			return false;
		*ret = -EBADF;
		return true;
	case SYS_sendmmsg: {
		long first = first_message_passing_own(args[1], args[2]);
		if (first < 0)
			return false;
		/* the ones before it go, as the kernel sends them */
		*ret = first ? dune_program_syscall6(SYS_sendmmsg, (long)args[0], (long)args[1],
		                                     first, (long)args[3], 0, 0)
		             : -EBADF;
		return true;
	}
	case SYS_io_uring_register:
		if (!io_uring_registers_own(args))
			return false;
		*ret = -EBADF;
		return true;
	case SYS_pidfd_getfd:
		if (!dune_fd_is_own((int)args[1]) || !pidfd_is_self((int)args[0]))
			return false;
		*ret = -EBADF;
		return true;
	}
	return false;
}

bool dune_fd_guard(long nr, const uint64_t *args, long *ret)
{
	if (passes_own_in_memory(nr, args, ret))
		return true;

	struct dune_syscall_facts a = dune_syscall_facts(nr);
	unsigned fds = a.fds;

	switch (nr) {
	case SYS_close:
		return false; /* fds.c: "closed", the number stays taken */
	case SYS_dup2:
	case SYS_dup3:
		fds &= ~2u; /* the target: fds.c moves ours out of its way */
		break;
	case SYS_mmap:
		if (args[3] & MAP_ANONYMOUS)
			fds = 0; /* the kernel ignores the descriptor */
		break;
	case SYS_open:
	case SYS_openat:
	case SYS_openat2: {
		int fd = fd_of_path(nr == SYS_open ? args[0] : args[1]);
		if (fd >= 0 && dune_fd_is_own(fd)) {
			*ret = -ENOENT;
			return true;
		}
		break;
	}
	}
	for (int i = 0; fds >> i; i++)
		if ((fds >> i & 1) && dune_fd_is_own((int)args[i]))
			goto ebadf;
	for (int i = 0; a.dirfds >> i; i++)
		if ((a.dirfds >> i & 1) && dune_fd_is_own((int)args[i]) &&
		    !path_is_absolute(args[i + 1]))
			goto ebadf;
	return false;
ebadf:
	*ret = -EBADF;
	return true;
}
