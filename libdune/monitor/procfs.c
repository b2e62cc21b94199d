// SPDX-License-Identifier: MIT
/*
 * Files of the program's own /proc as it would see them natively: the
 * monitor hands a program that opens one a filtered copy.
 *  - maps, smaps: without libdune's mappings (the runtime region, monitor
 *    stacks, the backend's own mappings such as the vCPUs' run areas, and
 *    libdune-inject.so itself);
 *  - status: "Threads:" without the tasks KVM put in the thread group
 *    (kvm-nx-lpage-recovery);
 *  - limits: "Max address space" as the program set it (rlimit_as.c);
 *  - environ: without the variables of the injection (LD_PRELOAD where only
 *    the injection set it, the runtime's own), which getenv no longer sees.
 * The copy is a sealed memfd, reopened read-only, so that writes, splices
 * into it and fchmod fail as on the real file. What still tells it apart:
 * fstat's size (the real file says 0) and readlink of its descriptor
 * (/memfd:maps).
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* A mapping's first line ("begin-end perms ..."), not one of smaps'
 * "Name: value" lines after it: the kernel prints addresses in lower case. */
static bool is_mapping_line(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len &&
	       ((line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f')))
		i++;
	return i > 0 && i < len && line[i] == '-';
}

/* Parses "begin-end" at the start of a mapping line. */
static bool is_own_line(const char *line, size_t len)
{
	uintptr_t range[2] = {0, 0};
	size_t i = 0;
	for (int k = 0; k < 2; k++, i++)
		for (; i < len && line[i] != '-' && line[i] != ' '; i++) {
			char c = line[i];
			range[k] = (range[k] << 4) |
			           (uintptr_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		}
	return dune_runtime_owns(range[0], range[1]);
}

/* numa_maps: a mapping's line starts with its first address alone. */
static bool is_own_numa_line(const char *line, size_t len)
{
	uintptr_t begin = 0;
	size_t i = 0;
	for (;
	     i < len && ((line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f'));
	     i++)
		begin =
		    (begin << 4) | (uintptr_t)(line[i] <= '9' ? line[i] - '0' : line[i] - 'a' + 10);
	return i > 0 && i < len && line[i] == ' ' && dune_runtime_owns(begin, begin + 1);
}

/* The files of its own /proc the program gets a view of. */
enum view {
	VIEW_NONE,
	VIEW_MAPS,
	VIEW_NUMA_MAPS,
	VIEW_ROLLUP,
	VIEW_STATUS,
	VIEW_LIMITS,
	VIEW_ENVIRON
};

static const struct {
	const char *suffix;
	enum view view;
	char sep; /* between the records filtered one by one */
} views[] = {
    {"/maps", VIEW_MAPS, '\n'},           {"/smaps", VIEW_MAPS, '\n'},
    {"/status", VIEW_STATUS, '\n'},       {"/limits", VIEW_LIMITS, '\n'},
    {"/environ", VIEW_ENVIRON, '\0'},     {"/smaps_rollup", VIEW_ROLLUP, '\n'},
    {"/numa_maps", VIEW_NUMA_MAPS, '\n'},
};

/* /proc/self/F, /proc/thread-self/F, /proc/<own pid>[/task/<tid>]/F for a
 * file F of the table, or VIEW_NONE (@*index: its entry).
 * @user_path is the program's pointer, unchecked: it is copied with
 * process_vm_readv, which reports a bad address instead of faulting here. */
static enum view own_view(const char *user_path, int *index)
{
	char mine[64], path[96];
	long len = dune_read_user_string(path, user_path, sizeof(path));
	if (len < 0 || strncmp(path, "/proc/", 6) != 0)
		return VIEW_NONE; /* longer than any of these names, or unreadable */
	size_t n = (size_t)len;
	const char *rest = path + 6;
	if (strncmp(rest, "self/", 5) && strncmp(rest, "thread-self/", 12)) {
		long pid = dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
		int m = dune_snprintf(mine, sizeof(mine), "%ld/", pid);
		if (strncmp(rest, mine, (size_t)m))
			return VIEW_NONE;
	}
	for (int i = 0; i < (int)(sizeof(views) / sizeof(views[0])); i++) {
		size_t k = strlen(views[i].suffix);
		if (n > k && !strcmp(path + n - k, views[i].suffix) &&
		    !strchr(path + n - k + 1, '/')) {
			*index = i;
			return views[i].view;
		}
	}
	return VIEW_NONE;
}

/* What smaps counts for the runtime's mappings, field by field ("Rss:",
 * "Pss_Dirty:", ...), in kB: smaps_rollup is their sum with the program's. */
struct own_usage {
	int n;
	char name[40][24];
	unsigned long kb[40];
};

static void add_named(struct own_usage *u, const char *line, size_t nl, unsigned long v)
{
	for (int i = 0; i < u->n; i++)
		if (!strncmp(u->name[i], line, nl) && !u->name[i][nl]) {
			u->kb[i] += v;
			return;
		}
	if (u->n < 40) {
		memcpy(u->name[u->n], line, nl);
		u->name[u->n][nl] = 0;
		u->kb[u->n++] = v;
	}
}

/* One own mapping's field: summed, and its value returned. */
static unsigned long add_field(struct own_usage *u, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	if (!colon || colon - line >= (long)sizeof(u->name[0]) - 1)
		return 0;
	unsigned long v = 0;
	for (const char *p = colon + 1; p < line + len && *p != 'k'; p++)
		if (*p >= '0' && *p <= '9')
			v = v * 10 + (unsigned long)(*p - '0');
	add_named(u, line, (size_t)(colon - line) + 1, v);
	return v;
}

/* The rollup splits Pss into Pss_Anon, Pss_File and Pss_Shmem, which smaps
 * does not give per mapping: a mapping's Pss goes to Pss_Anon in the share
 * of its Anonymous in its Rss, the rest to Pss_File if it maps a file. */
struct mapping_pss {
	unsigned long pss, rss, anon;
	bool file;
};

static void split_pss(struct own_usage *u, struct mapping_pss *m)
{
	unsigned long anon = m->rss ? m->pss * m->anon / m->rss : 0;
	add_named(u, "Pss_Anon:", 9, anon);
	if (m->file)
		add_named(u, "Pss_File:", 9, m->pss - anon);
	*m = (struct mapping_pss){0};
}

static void own_usage(struct own_usage *u)
{
	u->n = 0;
	int fd = (int)dune_raw_syscall6(SYS_open, (long)"/proc/self/smaps", O_RDONLY | O_CLOEXEC, 0,
	                                0, 0, 0);
	if (fd < 0)
		return;
	char buf[16384];
	size_t have = 0;
	bool ours = false;
	struct mapping_pss m = {0};
	long n;
	while ((n = dune_raw_syscall6(SYS_read, fd, (long)(buf + have), (long)(sizeof(buf) - have),
	                              0, 0, 0)) > 0) {
		have += (size_t)n;
		size_t start = 0;
		char *nl;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			size_t len = (size_t)(nl - (buf + start)) + 1;
			const char *line = buf + start;
			if (is_mapping_line(line, len)) {
				if (ours)
					split_pss(u, &m);
				ours = is_own_line(line, len);
				m.file = memchr(line, '/', len) != NULL;
			} else if (ours && len > 3 && !memcmp(nl - 2, "kB", 2)) {
				unsigned long v = add_field(u, line, len);
				if (!strncmp(line, "Pss:", 4))
					m.pss = v;
				else if (!strncmp(line, "Rss:", 4))
					m.rss = v;
				else if (!strncmp(line, "Anonymous:", 10))
					m.anon = v;
			}
			start += len;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == sizeof(buf))
			have = 0;
	}
	if (ours)
		split_pss(u, &m);
	dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* "Name:    value kB" less the runtime's part, in the same width */
static size_t rollup_line(const struct own_usage *u, const char *rec, size_t len, char *out,
                          size_t out_len)
{
	const char *colon = memchr(rec, ':', len);
	if (!colon || len < 4 || memcmp(rec + len - 4, " kB\n", 4))
		return 0;
	size_t nl = (size_t)(colon - rec) + 1;
	for (int i = 0; i < u->n; i++) {
		if (strncmp(u->name[i], rec, nl) || u->name[i][nl])
			continue;
		unsigned long v = 0;
		for (size_t k = nl; k < len - 4; k++)
			if (rec[k] >= '0' && rec[k] <= '9')
				v = v * 10 + (unsigned long)(rec[k] - '0');
		v = v > u->kb[i] ? v - u->kb[i] : 0;
		/* the number right-aligned where the old one was (dune_snprintf
		 * has no field widths) */
		char digits[24];
		int nd = dune_snprintf(digits, sizeof(digits), "%lu", v);
		size_t width = len - 4 - nl;
		if (len + 1 > out_len || (size_t)nd > width)
			return 0;
		memcpy(out, rec, nl);
		memset(out + nl, ' ', width - (size_t)nd);
		memcpy(out + nl + width - (size_t)nd, digits, (size_t)nd);
		memcpy(out + len - 4, " kB\n", 4);
		return len;
	}
	return 0;
}

/* Tasks of this process that KVM made (vhost tasks such as
 * kvm-nx-lpage-recovery), which sit in its thread group. */
static int kvm_tasks(void)
{
	int dir = (int)dune_raw_syscall6(SYS_open, (long)"/proc/self/task",
	                                 O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0, 0);
	if (dir < 0)
		return 0;
	char buf[4096], path[64], comm[32];
	int count = 0;
	long n;
	while ((n = dune_raw_syscall6(SYS_getdents64, dir, (long)buf, sizeof(buf), 0, 0, 0)) > 0)
		for (long off = 0; off < n;) {
			struct dune_dirent64 *d = (void *)(buf + off);
			off += d->reclen;
			if (d->name[0] == '.')
				continue;
			dune_snprintf(path, sizeof(path), "/proc/self/task/%s/comm", d->name);
			int f = (int)dune_raw_syscall6(SYS_open, (long)path, O_RDONLY | O_CLOEXEC,
			                               0, 0, 0, 0);
			if (f < 0)
				continue;
			long got =
			    dune_raw_syscall6(SYS_read, f, (long)comm, sizeof(comm), 0, 0, 0);
			dune_raw_syscall6(SYS_close, f, 0, 0, 0, 0, 0);
			count += got >= 4 && !memcmp(comm, "kvm-", 4);
		}
	dune_raw_syscall6(SYS_close, dir, 0, 0, 0, 0, 0);
	return count;
}

/* An "LD_PRELOAD=..." that only the injection put there, or a variable of
 * the runtime's, in /proc/self/environ: the program's getenv no longer
 * sees them either. */
static bool is_own_variable(const char *rec, size_t len)
{
	static const char *const ours[] = {DUNE_DEVICE_FD_ENV "=", DUNE_PROGRAM_CALLS_ENV "=",
	                                   DUNE_AS_LIMIT_ENV "=", "DUNE_INJECT_FD="};
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (len >= strlen(ours[i]) && !memcmp(rec, ours[i], strlen(ours[i])))
			return true;
	/* a tool's (dune_inject_keep_env): NAME= up to its '=' */
	for (int k = 0; k < dune_state.nkeep_env; k++) {
		const char *eq = strchr(dune_state.keep_env[k], '=');
		size_t n = eq ? (size_t)(eq - dune_state.keep_env[k]) + 1 : 0;
		if (n && len >= n && !memcmp(rec, dune_state.keep_env[k], n))
			return true;
	}
	size_t pl = strlen(dune_state.preload_env);
	return pl && len == pl && !memcmp(rec, dune_state.preload_env, pl);
}

/* The record @rec (@len bytes with its separator) as the program sees it,
 * in @out; its new length, or 0 to leave it out. */
static size_t filter(enum view view, const char *rec, size_t len, bool *hiding, char *out,
                     size_t out_len, int kvm, const struct own_usage *usage)
{
	switch (view) {
	case VIEW_ROLLUP: {
		size_t n = rollup_line(usage, rec, len, out, out_len);
		if (n)
			return n;
		break;
	}
	case VIEW_MAPS:
		if (is_mapping_line(rec, len))
			*hiding = is_own_line(rec, len);
		break;
	case VIEW_NUMA_MAPS: /* "begin policy ...": one line per mapping */
		if (is_own_numa_line(rec, len))
			return 0;
		break;
	case VIEW_STATUS:
		if (len > 8 && !memcmp(rec, "Threads:", 8) && kvm) {
			long threads = 0;
			for (size_t i = 8; i < len; i++)
				if (rec[i] >= '0' && rec[i] <= '9')
					threads = threads * 10 + rec[i] - '0';
			return (size_t)dune_snprintf(out, out_len, "Threads:\t%ld\n",
			                             threads - kvm);
		}
		break;
	case VIEW_LIMITS: {
		struct rlimit as;
		if (len > 17 && !memcmp(rec, "Max address space", 17) && dune_rlimit_as_view(&as)) {
			char soft[24], hard[24];
			if (as.rlim_cur == RLIM_INFINITY)
				strcpy(soft, "unlimited");
			else
				dune_snprintf(soft, sizeof(soft), "%lu",
				              (unsigned long)as.rlim_cur);
			if (as.rlim_max == RLIM_INFINITY)
				strcpy(hard, "unlimited");
			else
				dune_snprintf(hard, sizeof(hard), "%lu",
				              (unsigned long)as.rlim_max);
			return (size_t)dune_snprintf(out, out_len, "%-25s %-20s %-20s %-10s\n",
			                             "Max address space", soft, hard, "bytes");
		}
		break;
	}
	case VIEW_ENVIRON:
		if (is_own_variable(rec, len - 1))
			return 0;
		break;
	case VIEW_NONE:
		break;
	}
	if (*hiding)
		return 0;
	memcpy(out, rec, len);
	return len;
}

long dune_procfs_open(long nr, const uint64_t *args, bool *handled)
{
	const char *path = (const char *)(nr == SYS_open ? args[0] : args[1]);
	int flags = (int)(nr == SYS_open ? args[1] : args[2]);
	int index = 0;
	enum view view;

	*handled = false;
	if (!path || (flags & O_ACCMODE) != O_RDONLY ||
	    (view = own_view(path, &index)) == VIEW_NONE)
		return 0;
	char sep = views[index].sep;
	int kvm = view == VIEW_STATUS ? kvm_tasks() : 0;
	struct own_usage usage = {0};
	if (view == VIEW_ROLLUP)
		own_usage(&usage);
	int in = (int)dune_raw_syscall6(SYS_open, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0, 0);
	if (in < 0)
		return 0; /* let the real open report it */
	int out = (int)dune_raw_syscall6(SYS_memfd_create, (long)(views[index].suffix + 1),
	                                 MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0, 0, 0);
	if (out < 0) {
		dune_raw_syscall6(SYS_close, in, 0, 0, 0, 0, 0);
		return 0;
	}
	char buf[16384], rec[8192];
	size_t have = 0;
	bool hiding = false; /* the smaps lines of a mapping of ours */
	for (;;) {
		long n = dune_raw_syscall6(SYS_read, in, (long)(buf + have),
		                           (long)(sizeof(buf) - have), 0, 0, 0);
		if (n <= 0)
			break;
		have += (size_t)n;
		size_t start = 0;
		char *end;
		while ((end = memchr(buf + start, sep, have - start)) != NULL) {
			size_t len = (size_t)(end - (buf + start)) + 1;
			size_t keep = len <= sizeof(rec) ? filter(view, buf + start, len, &hiding,
			                                          rec, sizeof(rec), kvm, &usage)
			                                 : 0;
			const char *from = len <= sizeof(rec) ? rec : buf + start;
			if (len > sizeof(rec)) /* longer than any we change: as it is */
				keep = len;
			if (keep)
				dune_raw_syscall6(SYS_write, out, (long)from, (long)keep, 0, 0, 0);
			start += len;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == sizeof(buf)) { /* one record fills the buffer: as it is */
			dune_raw_syscall6(SYS_write, out, (long)buf, (long)have, 0, 0, 0);
			have = 0;
		}
	}
	if (have) /* a last record without its separator */
		dune_raw_syscall6(SYS_write, out, (long)buf, (long)have, 0, 0, 0);
	dune_raw_syscall6(SYS_close, in, 0, 0, 0, 0, 0);
	/* what the program gets: the copy, sealed, opened read-only as the
	 * real file is (a file of mode 0444) */
	dune_raw_syscall6(SYS_fchmod, out, 0444, 0, 0, 0, 0);
	dune_raw_syscall6(SYS_fcntl, out, F_ADD_SEALS,
	                  F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL, 0, 0, 0);
	char self[40];
	dune_snprintf(self, sizeof(self), "/proc/self/fd/%d", out);
	int ro = (int)dune_raw_syscall6(SYS_open, (long)self, O_RDONLY | (flags & O_CLOEXEC), 0, 0,
	                                0, 0);
	dune_raw_syscall6(SYS_close, out, 0, 0, 0, 0, 0);
	if (ro < 0)
		return 0; /* let the real open answer */
	*handled = true;
	return ro;
}
