// SPDX-License-Identifier: MIT
/*
 * The library's own descriptors (/dev/kvm, the VM, the vCPUs, a tool's
 * event ring) are not the program's: natively they do not exist, so every
 * call of the program that names one fails as for a descriptor that is not
 * open (EBADF), and opening one again through /proc/self/fd or /dev/fd
 * fails as for a name that is not there (ENOENT). Otherwise a program could
 * mmap or ftruncate a tracer's ring, or drive the VM's ioctls itself.
 *
 * close(), and dup2/dup3 onto one of ours, keep their own rules (fds.c).
 */
#include "monitor.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

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
	size_t n = 0;
	if (!user_path)
		return -1;
	for (; n < sizeof(path) - 1; n++)
		if (!dune_read_user(&path[n], (const char *)user_path + n, 1) || !path[n])
			break;
	if (n == sizeof(path) - 1 || path[n])
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

bool dune_fd_guard(long nr, const uint64_t *args, long *ret)
{
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
