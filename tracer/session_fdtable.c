// SPDX-License-Identifier: MIT
/* Descriptor paths for -y (see session_fdtable.h). */
#define _GNU_SOURCE
#include "session_fdtable.h"

#include <dtl/catalogue.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUCKETS 1024

struct fd_entry {
	struct fd_entry *next;
	int pid, fd;
	char *path;
};

struct dtl_fdtable {
	struct fd_entry *buckets[BUCKETS];
	char proc_cwd[PATH_MAX]; /* what lookup returns for an unfollowed AT_FDCWD */
};

struct dtl_fdtable *dtl_fdtable_new(void)
{
	return calloc(1, sizeof(struct dtl_fdtable));
}

void dtl_fdtable_free(struct dtl_fdtable *t)
{
	if (!t)
		return;
	for (size_t h = 0; h < BUCKETS; h++) {
		while (t->buckets[h]) {
			struct fd_entry *e = t->buckets[h];
			t->buckets[h] = e->next;
			free(e->path);
			free(e);
		}
	}
	free(t);
}

static struct fd_entry **slot(struct dtl_fdtable *t, int pid, int fd)
{
	unsigned h = ((unsigned)pid * 31u + (unsigned)fd) % BUCKETS;
	struct fd_entry **p = &t->buckets[h];
	while (*p && !((*p)->pid == pid && (*p)->fd == fd))
		p = &(*p)->next;
	return p;
}

static void forget(struct dtl_fdtable *t, int pid, int fd)
{
	struct fd_entry **p = slot(t, pid, fd);
	if (*p) {
		struct fd_entry *e = *p;
		*p = e->next;
		free(e->path);
		free(e);
	}
}

static void remember(struct dtl_fdtable *t, int pid, int fd, const char *path)
{
	forget(t, pid, fd);
	struct fd_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return;
	e->pid = pid;
	e->fd = fd;
	e->path = strdup(path);
	*slot(t, pid, fd) = e;
}

/* What /proc says now; NULL if the descriptor is gone. */
static const char *from_proc(int pid, int fd, char *buf, size_t size)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	ssize_t n = readlink(link, buf, size - 1);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

/* What /proc says now; an entry of an older file with that number goes. */
static void learn(struct dtl_fdtable *t, int pid, int fd)
{
	char buf[PATH_MAX];
	const char *p = from_proc(pid, fd, buf, sizeof(buf));
	if (p)
		remember(t, pid, fd, p);
	else
		forget(t, pid, fd);
}

void dtl_fdtable_seed(struct dtl_fdtable *t, int pid)
{
	/* The program started in our working directory with our descriptors
	 * that are not close-on-exec; they are read here, from ourselves, since
	 * a short-lived program's /proc entries may already be gone. chdir,
	 * fchdir, open, close... are followed from there. */
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof(cwd)))
		remember(t, pid, AT_FDCWD, cwd);
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		int fd = atoi(e->d_name);
		int fl = fcntl(fd, F_GETFD);
		char buf[PATH_MAX];
		if (fl >= 0 && !(fl & FD_CLOEXEC) && from_proc(getpid(), fd, buf, sizeof(buf)))
			remember(t, pid, fd, buf);
	}
	closedir(d);
}

void dtl_fdtable_fork(struct dtl_fdtable *t, int parent, int child)
{
	for (size_t h = 0; h < BUCKETS; h++)
		for (struct fd_entry *e = t->buckets[h]; e; e = e->next)
			if (e->pid == parent && !*slot(t, child, e->fd))
				remember(t, child, e->fd, e->path);
}

/* A string the capture copied (piece @sub of argument @arg, at entry or
 * at exit), NUL-terminated into @buf; NULL if there is none. */
static const char *blob_string(const struct dtl_event *ev, int arg, unsigned sub, bool entry,
                               char *buf, size_t size)
{
	const struct dtl_blob *b = dtl_blob_find(ev, arg, sub, entry);
	if (!b || (b->flags & DTL_BLOB_FAULT) || !b->len || b->len >= size)
		return NULL;
	memcpy(buf, ev->data + b->offset, b->len);
	buf[b->len] = 0;
	return buf;
}

/* Descriptor @fd, number @sub of the ones the call created. */
static void created(struct dtl_fdtable *t, const struct dtl_event *ev, unsigned sub, int fd)
{
	char buf[PATH_MAX];
	/* recorded by the capture right after the call (DTL_RING_FD_PATHS) */
	if (blob_string(ev, DTL_BLOB_ARG_FD_PATH, sub, false, buf, sizeof(buf)))
		remember(t, ev->pid, fd, buf);
	else
		learn(t, ev->pid, fd);
}

void dtl_fdtable_before(struct dtl_fdtable *t, const struct dtl_event *ev)
{
	if (ev->type != DTL_EV_SYSCALL || ev->ret < 0)
		return;
	int where = dtl_syscall_fd_creation(ev->nr, ev->args);
	if (where == DTL_FD_IN_RESULT) {
		created(t, ev, 0, (int)ev->ret);
	} else if (where >= DTL_FD_PAIR_ARG(0)) {
		/* the pair is the exit copy of the array argument */
		const struct dtl_blob *b =
		    dtl_blob_find(ev, where - DTL_FD_PAIR_ARG(0), DTL_SUB_OBJECT, false);
		if (b && !(b->flags & DTL_BLOB_FAULT) && b->len >= 8) {
			int fds[2];
			memcpy(fds, ev->data + b->offset, sizeof(fds));
			created(t, ev, 0, fds[0]);
			created(t, ev, 1, fds[1]);
		}
	}
}

/* chdir and fchdir move the working directory AT_FDCWD stands for. */
static void follow_chdir(struct dtl_fdtable *t, const struct dtl_event *ev)
{
	if (ev->type != DTL_EV_SYSCALL || ev->ret != 0)
		return;
	enum dtl_fd_effect effect = dtl_syscall_fd_effect(ev->nr);
	if (effect == DTL_FDS_FCHDIR) {
		struct fd_entry *e = *slot(t, ev->pid, (int)ev->args[0]);
		if (e)
			remember(t, ev->pid, AT_FDCWD, e->path);
		else
			forget(t, ev->pid, AT_FDCWD);
		return;
	}
	char path[PATH_MAX], joined[2 * PATH_MAX + 2], resolved[PATH_MAX];
	if (effect != DTL_FDS_CHDIR ||
	    !blob_string(ev, 0, DTL_SUB_OBJECT, true, path, sizeof(path)))
		return;
	struct fd_entry *cwd = *slot(t, ev->pid, AT_FDCWD);
	if (path[0] == '/')
		snprintf(joined, sizeof(joined), "%s", path);
	else if (cwd)
		snprintf(joined, sizeof(joined), "%s/%s", cwd->path, path);
	else
		return;
	if (realpath(joined, resolved))
		remember(t, ev->pid, AT_FDCWD, resolved);
	else
		forget(t, ev->pid, AT_FDCWD);
}

void dtl_fdtable_after(struct dtl_fdtable *t, const struct dtl_event *ev)
{
	follow_chdir(t, ev);
	if (ev->type == DTL_EV_SYSCALL && dtl_syscall_fd_effect(ev->nr) == DTL_FDS_CLOSE &&
	    ev->ret == 0)
		forget(t, ev->pid, (int)ev->args[0]);
}

const char *dtl_fdtable_lookup(struct dtl_fdtable *t, int pid, int fd)
{
	if (fd == AT_FDCWD && *slot(t, pid, AT_FDCWD))
		return (*slot(t, pid, AT_FDCWD))->path;
	if (fd == AT_FDCWD) {
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/cwd", pid);
		ssize_t n = readlink(link, t->proc_cwd, sizeof(t->proc_cwd) - 1);
		if (n <= 0)
			return NULL;
		t->proc_cwd[n] = 0;
		return t->proc_cwd;
	}
	if (fd < 0)
		return NULL;
	struct fd_entry *e = *slot(t, pid, fd);
	if (e)
		return e->path;
	learn(t, pid, fd);
	e = *slot(t, pid, fd);
	return e ? e->path : NULL;
}
