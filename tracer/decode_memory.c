// SPDX-License-Identifier: MIT
/*
 * What pointer arguments point at, decoded from the memory the capture
 * copied (the blobs of an event; see dtl/ring.h for which piece is where),
 * spelled as strace 6.1 spells it. Socket structures are in
 * decode_sockaddr.c, signal structures in decode_signal.c.
 */
#define _GNU_SOURCE
#include "decode_memory.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

void dtl_print_addr(FILE *out, uint64_t v)
{
	if (v)
		fprintf(out, "%#lx", (unsigned long)v);
	else
		fputs("NULL", out);
}

/* How many elements an array shows: strace stops after -s of them. */
static size_t shown(const struct dtl_decoder_ctx *c, size_t n)
{
	return c->o->strsize && n > c->o->strsize ? c->o->strsize : n;
}

/* Is the call's name @name? */
static bool is(const struct dtl_decoder_ctx *c, const char *name)
{
	return !strcmp(c->d->name, name);
}

/* --- strings, buffers, vectors ---------------------------------------------- */

static void print_hex_quoted(FILE *out, const uint8_t *p, size_t len, bool truncated)
{
	fputc('"', out);
	for (size_t k = 0; k < len; k++)
		fprintf(out, "\\x%02x", p[k]);
	fputc('"', out);
	if (truncated)
		fputs("...", out);
}

/* A CPU set: the numbers of the bits set, "[0 1]". */
static void print_bitlist(FILE *out, const uint8_t *p, size_t bits)
{
	bool first = true;
	fputc('[', out);
	for (size_t k = 0; k < bits; k++)
		if (p[k / 8] & (1u << (k % 8))) {
			fprintf(out, first ? "%zu" : " %zu", k);
			first = false;
		}
	fputc(']', out);
}

static void print_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	FILE *out = c->out;
	const uint8_t *p = dtl_blob_data(c->ev, b);
	bool trunc = b->flags & DTL_BLOB_TRUNCATED;
	if (is(c, "getrandom")) {
		print_hex_quoted(out, p, b->len, trunc);
	} else if (is(c, "getcwd")) {
		dtl_format_quoted(out, (const char *)p, strnlen((const char *)p, b->len), trunc);
	} else if ((is(c, "setsockopt") || is(c, "getsockopt")) && i == 3 && b->len == 4 &&
	           !trunc) {
		fprintf(out, "[%d]", (int)u32_at(p, 0));
	} else if ((is(c, "sched_getaffinity") || is(c, "sched_setaffinity")) && i == 2) {
		print_bitlist(out, p, (size_t)b->len * 8);
	} else {
		dtl_format_quoted(out, (const char *)p, b->len, trunc);
	}
}

static void print_argv(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	size_t n = b->len / 8, m = shown(c, n);
	fputc('[', out);
	for (size_t k = 0; k < m; k++) {
		if (k)
			fputs(", ", out);
		const struct dtl_blob *s = dtl_blob_find(ev, i, DTL_SUB_ELEM(k), true);
		if (dtl_blob_ok(s))
			dtl_format_quoted(out, dtl_blob_data(ev, s), s->len,
			                  s->flags & DTL_BLOB_TRUNCATED);
		else
			dtl_print_addr(out, u64_at(dtl_blob_data(ev, b), 8 * k));
	}
	if (m < n || (b->flags & DTL_BLOB_TRUNCATED))
		fputs(m ? ", ..." : "...", out);
	fputc(']', out);
}

void dtl_print_iovec_array(const struct dtl_decoder_ctx *c, int arg, unsigned array_sub,
                           unsigned elem_base, bool entry, uint64_t addr, uint64_t count)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	const struct dtl_blob *b = dtl_blob_find(ev, arg, array_sub, entry);
	if (!dtl_blob_ok(b)) {
		dtl_print_addr(out, addr);
		return;
	}
	const uint8_t *p = dtl_blob_data(ev, b);
	size_t n = shown(c, b->len / 16);
	fputc('[', out);
	for (size_t k = 0; k < n; k++) {
		uint64_t base = u64_at(p, 16 * k), len = u64_at(p, 16 * k + 8);
		fputs(k ? ", {iov_base=" : "{iov_base=", out);
		const struct dtl_blob *d = dtl_blob_find(ev, arg, elem_base + k, entry);
		if (!base)
			fputs("NULL", out);
		else if (!d)
			fputs("\"\"", out); /* nothing transferred into it */
		else if (d->flags & DTL_BLOB_FAULT)
			dtl_print_addr(out, base);
		else
			dtl_format_quoted(out, dtl_blob_data(ev, d), d->len,
			                  d->flags & DTL_BLOB_TRUNCATED);
		fprintf(out, ", iov_len=%lu}", (unsigned long)len);
	}
	if (count > n)
		fputs(n ? ", ..." : "...", out);
	fputc(']', out);
}

/* --- file status ------------------------------------------------------------- */

static void print_mode(FILE *out, uint32_t mode)
{
	static const struct {
		uint32_t type;
		const char *name;
	} types[] = {
	    {S_IFREG, "S_IFREG"}, {S_IFSOCK, "S_IFSOCK"}, {S_IFIFO, "S_IFIFO"},
	    {S_IFLNK, "S_IFLNK"}, {S_IFDIR, "S_IFDIR"},   {S_IFBLK, "S_IFBLK"},
	    {S_IFCHR, "S_IFCHR"},
	};
	const char *t = NULL;
	for (size_t k = 0; k < DTL_N(types); k++)
		if ((mode & S_IFMT) == types[k].type)
			t = types[k].name;
	if (t)
		fprintf(out, "%s|", t);
	else if (mode & S_IFMT)
		fprintf(out, "%#o|", mode & S_IFMT);
	if (mode & S_ISUID)
		fputs("S_ISUID|", out);
	if (mode & S_ISGID)
		fputs("S_ISGID|", out);
	if (mode & S_ISVTX)
		fputs("S_ISVTX|", out);
	fprintf(out, "%#03o", mode & 0777);
}

static void print_stat(FILE *out, const uint8_t *p)
{
	uint32_t mode = u32_at(p, 24);
	fputs("{st_mode=", out);
	print_mode(out, mode);
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		uint64_t rdev = u64_at(p, 40);
		fprintf(out, ", st_rdev=makedev(%#x, %#x), ...}", major(rdev), minor(rdev));
	} else {
		fprintf(out, ", st_size=%ld, ...}", (long)u64_at(p, 48));
	}
}

static void print_statx(FILE *out, const uint8_t *p)
{
	static const struct dtl_flag_name attrs[] = {
	    {0x4, "STATX_ATTR_COMPRESSED"},    {0x10, "STATX_ATTR_IMMUTABLE"},
	    {0x20, "STATX_ATTR_APPEND"},       {0x40, "STATX_ATTR_NODUMP"},
	    {0x800, "STATX_ATTR_ENCRYPTED"},   {0x1000, "STATX_ATTR_AUTOMOUNT"},
	    {0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"},
	    {0x200000, "STATX_ATTR_DAX"},
	};
	uint16_t mode;
	memcpy(&mode, p + 28, 2);
	fputs("{stx_mask=", out);
	dtl_print_scalar(out, DTL_ARG_STATX_MASK, u32_at(p, 0));
	fputs(", stx_attributes=", out);
	dtl_print_flags(out, u64_at(p, 8), attrs, DTL_N(attrs), "0");
	fputs(", stx_mode=", out);
	print_mode(out, mode);
	fprintf(out, ", stx_size=%lu, ...}", (unsigned long)u64_at(p, 40));
}

static void print_statfs(FILE *out, const uint8_t *p)
{
	static const struct {
		uint64_t magic;
		const char *name;
	} fs[] = {
	    {0xef53, "EXT2_SUPER_MAGIC"},
	    {0x01021994, "TMPFS_MAGIC"},
	    {0x9fa0, "PROC_SUPER_MAGIC"},
	    {0x62656572, "SYSFS_MAGIC"},
	    {0x794c7630, "OVERLAYFS_SUPER_MAGIC"},
	    {0x9123683e, "BTRFS_SUPER_MAGIC"},
	    {0x58465342, "XFS_SUPER_MAGIC"},
	    {0x6969, "NFS_SUPER_MAGIC"},
	    {0x1cd1, "DEVPTS_SUPER_MAGIC"},
	    {0x63677270, "CGROUP2_SUPER_MAGIC"},
	    {0x27e0eb, "CGROUP_SUPER_MAGIC"},
	    {0x858458f6, "RAMFS_MAGIC"},
	    {0x4d44, "MSDOS_SUPER_MAGIC"},
	    {0x65735546, "FUSE_SUPER_MAGIC"},
	    {0x73636673, "SECURITYFS_MAGIC"},
	    {0x64626720, "DEBUGFS_MAGIC"},
	    {0x958458f6, "HUGETLBFS_MAGIC"},
	    {0x19800202, "MQUEUE_MAGIC"},
	    {0x6e736673, "NSFS_MAGIC"},
	    {0xcafe4a11, "BPF_FS_MAGIC"},
	    {0x74726163, "TRACEFS_MAGIC"},
	    {0x01021997, "V9FS_MAGIC"},
	    {0x9660, "ISOFS_SUPER_MAGIC"},
	    {0x73717368, "SQUASHFS_MAGIC"},
	    {0xf15f, "ECRYPTFS_SUPER_MAGIC"},
	    {0x2fc12fc1, "ZFS_SUPER_MAGIC"},
	    {0xff534d42, "CIFS_SUPER_MAGIC"},
	    {0x42494e4d, "BINFMTFS_MAGIC"},
	    {0x50495045, "PIPEFS_MAGIC"},
	    {0x534f434b, "SOCKFS_MAGIC"},
	};
	static const struct dtl_flag_name flags[] = {
	    {0x1, "ST_RDONLY"},      {0x2, "ST_NOSUID"},         {0x4, "ST_NODEV"},
	    {0x8, "ST_NOEXEC"},      {0x10, "ST_SYNCHRONOUS"},   {0x20, "ST_VALID"},
	    {0x40, "ST_MANDLOCK"},   {0x400, "ST_NOATIME"},      {0x800, "ST_NODIRATIME"},
	    {0x1000, "ST_RELATIME"}, {0x2000, "ST_NOSYMFOLLOW"},
	};
	uint64_t type = u64_at(p, 0);
	const char *name = NULL;
	for (size_t k = 0; k < DTL_N(fs); k++)
		if (fs[k].magic == type)
			name = fs[k].name;
	fputs("{f_type=", out);
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%#lx", (unsigned long)type);
	fprintf(out,
	        ", f_bsize=%ld, f_blocks=%lu, f_bfree=%lu, f_bavail=%lu, f_files=%lu, f_ffree=%lu",
	        (long)u64_at(p, 8), (unsigned long)u64_at(p, 16), (unsigned long)u64_at(p, 24),
	        (unsigned long)u64_at(p, 32), (unsigned long)u64_at(p, 40),
	        (unsigned long)u64_at(p, 48));
	fprintf(out,
	        ", f_fsid={val=[%#x, %#x]}, f_namelen=%ld, f_frsize=%ld, f_flags=", u32_at(p, 56),
	        u32_at(p, 60), (long)u64_at(p, 64), (long)u64_at(p, 72));
	dtl_print_flags(out, u64_at(p, 80), flags, DTL_N(flags), "0");
	fputc('}', out);
}

/* --- time ---------------------------------------------------------------------- */

static void print_timespec(FILE *out, const uint8_t *p)
{
	fprintf(out, "{tv_sec=%ld, tv_nsec=%ld}", (long)u64_at(p, 0), (long)u64_at(p, 8));
}

static void print_timeval(FILE *out, const uint8_t *p)
{
	fprintf(out, "{tv_sec=%ld, tv_usec=%ld}", (long)u64_at(p, 0), (long)u64_at(p, 8));
}

/* utimensat's times: UTIME_NOW/UTIME_OMIT, or the time with its date. */
static void print_utime(FILE *out, const uint8_t *p)
{
	long sec = (long)u64_at(p, 0), nsec = (long)u64_at(p, 8);
	if (nsec == UTIME_NOW) {
		fputs("UTIME_NOW", out);
		return;
	}
	if (nsec == UTIME_OMIT) {
		fputs("UTIME_OMIT", out);
		return;
	}
	print_timespec(out, p);
	time_t t = (time_t)sec;
	struct tm tm;
	char date[64], zone[16];
	if (!localtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm))
		return;
	if (nsec > 0 && nsec < 1000000000)
		fprintf(out, " /* %s.%09ld%s */", date, nsec, zone);
	else
		fprintf(out, " /* %s%s */", date, zone);
}

static void print_rlim(FILE *out, uint64_t v)
{
	if (v == UINT64_MAX)
		fputs("RLIM64_INFINITY", out);
	else if (v > 1024 && v % 1024 == 0) /* 1024 itself stays 1024 */
		fprintf(out, "%lu*1024", (unsigned long)(v / 1024));
	else
		fprintf(out, "%lu", (unsigned long)v);
}

/* --- process ------------------------------------------------------------------- */

static void print_wait_status(FILE *out, int s)
{
	fputs("[{", out);
	if ((s & 0x7f) == 0) {
		fprintf(out, "WIFEXITED(s) && WEXITSTATUS(s) == %d", (s >> 8) & 0xff);
	} else if ((s & 0xff) == 0x7f) {
		fputs("WIFSTOPPED(s) && WSTOPSIG(s) == ", out);
		dtl_print_scalar(out, DTL_ARG_SIGNUM, (s >> 8) & 0xff);
		static const char *const events[] = {NULL,
		                                     "PTRACE_EVENT_FORK",
		                                     "PTRACE_EVENT_VFORK",
		                                     "PTRACE_EVENT_CLONE",
		                                     "PTRACE_EVENT_EXEC",
		                                     "PTRACE_EVENT_VFORK_DONE",
		                                     "PTRACE_EVENT_EXIT",
		                                     "PTRACE_EVENT_SECCOMP"};
		unsigned ev = (unsigned)s >> 16;
		if (ev && ev < DTL_N(events))
			fprintf(out, " && s >> 16 == %s", events[ev]);
		else if (ev == 128)
			fputs(" && s >> 16 == PTRACE_EVENT_STOP", out);
		else if (ev)
			fprintf(out, " && s >> 16 == %#x", ev);
	} else if (s == 0xffff) {
		fputs("WIFCONTINUED(s)", out);
	} else {
		fputs("WIFSIGNALED(s) && WTERMSIG(s) == ", out);
		dtl_print_scalar(out, DTL_ARG_SIGNUM, s & 0x7f);
		if (s & 0x80)
			fputs(" && WCOREDUMP(s)", out);
	}
	fputs("}]", out);
}

static void print_clone_args(FILE *out, const uint8_t *p, size_t len)
{
	/* flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
	 * tls, set_tid, set_tid_size, cgroup */
	uint64_t f[11] = {0};
	memcpy(f, p, len < sizeof(f) ? len : sizeof(f));
	uint64_t flags = f[0];
	fputs("{flags=", out);
	dtl_print_scalar(out, DTL_ARG_CLONE_FLAGS, flags);
	if (flags & 0x00001000 /* CLONE_PIDFD */)
		fprintf(out, ", pidfd=%#lx", (unsigned long)f[1]);
	if (flags & (0x01000000 | 0x00200000) /* CLONE_CHILD_SETTID, _CLEARTID */)
		fprintf(out, ", child_tid=%#lx", (unsigned long)f[2]);
	if (flags & 0x00100000 /* CLONE_PARENT_SETTID */)
		fprintf(out, ", parent_tid=%#lx", (unsigned long)f[3]);
	fputs(", exit_signal=", out);
	dtl_print_scalar(out, DTL_ARG_SIGNUM, f[4]);
	fputs(", stack=", out);
	dtl_print_addr(out, f[5]);
	fprintf(out, ", stack_size=%#lx", (unsigned long)f[6]);
	if (flags & 0x00080000 /* CLONE_SETTLS */)
		fprintf(out, ", tls=%#lx", (unsigned long)f[7]);
	if (len >= 80 && (f[8] || f[9])) {
		/* the pid array itself was not copied */
		fputs(", set_tid=", out);
		dtl_print_addr(out, f[8]);
		fprintf(out, ", set_tid_size=%lu", (unsigned long)f[9]);
	}
	if (len >= 88 && (flags & 0x200000000ULL /* CLONE_INTO_CGROUP */))
		fprintf(out, ", cgroup=%lu", (unsigned long)f[10]);
	fputc('}', out);
}

static void print_open_how(FILE *out, const uint8_t *p, size_t len)
{
	static const struct dtl_flag_name resolve[] = {
	    {0x01, "RESOLVE_NO_XDEV"},     {0x02, "RESOLVE_NO_MAGICLINKS"},
	    {0x04, "RESOLVE_NO_SYMLINKS"}, {0x08, "RESOLVE_BENEATH"},
	    {0x10, "RESOLVE_IN_ROOT"},     {0x20, "RESOLVE_CACHED"},
	};
	uint64_t f[3] = {0};
	memcpy(f, p, len < sizeof(f) ? len : sizeof(f));
	fputs("{flags=", out);
	dtl_print_scalar(out, DTL_ARG_OPEN_FLAGS, f[0]);
	if (f[1] || (f[0] & (O_CREAT | __O_TMPFILE))) {
		fputs(", mode=", out);
		dtl_print_scalar(out, DTL_ARG_MODE, f[1]);
	}
	fputs(", resolve=", out);
	dtl_print_xflags(out, f[2], resolve, DTL_N(resolve), "0", "RESOLVE_???");
	fputc('}', out);
}

/* --- poll, epoll, select ------------------------------------------------------- */

static const struct dtl_flag_name poll_events[] = {
    {0x1, "POLLIN"},       {0x2, "POLLPRI"},      {0x4, "POLLOUT"},     {0x8, "POLLERR"},
    {0x10, "POLLHUP"},     {0x20, "POLLNVAL"},    {0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"},
    {0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"},   {0x1000, "POLLREMOVE"},
    {0x2000, "POLLRDHUP"},
};

static void print_pollfds(const struct dtl_decoder_ctx *c, const struct dtl_blob *b, uint64_t nfds)
{
	FILE *out = c->out;
	const uint8_t *p = dtl_blob_data(c->ev, b);
	size_t n = shown(c, b->len / 8);
	fputc('[', out);
	for (size_t k = 0; k < n; k++) {
		int fd = (int)u32_at(p, 8 * k);
		uint16_t events;
		memcpy(&events, p + 8 * k + 4, 2);
		fprintf(out, "%s{fd=%d", k ? ", " : "", fd);
		if (fd >= 0) {
			fputs(", events=", out);
			dtl_print_xflags(out, events, poll_events, DTL_N(poll_events), "0",
			                 "POLL???");
		}
		fputc('}', out);
	}
	if (nfds > n)
		fputs(n ? ", ..." : "...", out);
	fputc(']', out);
}

static const struct dtl_flag_name epoll_events[] = {
    {0x1, "EPOLLIN"},
    {0x2, "EPOLLPRI"},
    {0x4, "EPOLLOUT"},
    {0x8, "EPOLLERR"},
    {0x10, "EPOLLHUP"},
    {0x20, "EPOLLNVAL"},
    {0x40, "EPOLLRDNORM"},
    {0x80, "EPOLLRDBAND"},
    {0x100, "EPOLLWRNORM"},
    {0x200, "EPOLLWRBAND"},
    {0x400, "EPOLLMSG"},
    {0x2000, "EPOLLRDHUP"},
    {1u << 28, "EPOLLEXCLUSIVE"},
    {1u << 29, "EPOLLWAKEUP"},
    {1u << 30, "EPOLLONESHOT"},
    {1u << 31, "EPOLLET"},
};

static void print_epoll_event(FILE *out, const uint8_t *p)
{
	uint64_t data = u64_at(p, 4);
	fputs("{events=", out);
	dtl_print_xflags(out, u32_at(p, 0), epoll_events, DTL_N(epoll_events), "0", "EPOLL???");
	fprintf(out, ", data={u32=%u, u64=%lu}}", (uint32_t)data, (unsigned long)data);
}

static void print_fdset(FILE *out, const uint8_t *p, size_t bytes, uint64_t nfds)
{
	bool first = true;
	fputc('[', out);
	for (uint64_t fd = 0; fd < nfds && fd < bytes * 8; fd++)
		if (p[fd / 8] & (1u << (fd % 8))) {
			fprintf(out, first ? "%lu" : " %lu", (unsigned long)fd);
			first = false;
		}
	fputc(']', out);
}

/* --- the argument ---------------------------------------------------------------- */

static void print_loff(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_event *ev = c->ev;
	const struct dtl_blob *in = dtl_blob_find(ev, i, DTL_SUB_OBJECT, true);
	const struct dtl_blob *outb = dtl_blob_find(ev, i, DTL_SUB_OBJECT, false);
	if (!dtl_blob_ok(in) || in->len < 8) {
		dtl_print_addr(c->out, ev->args[i]);
		return;
	}
	fprintf(c->out, "[%ld]", (long)u64_at(dtl_blob_data(ev, in), 0));
	if (c->completed && dtl_blob_ok(outb) && outb->len >= 8)
		fprintf(c->out, " => [%ld]", (long)u64_at(dtl_blob_data(ev, outb), 0));
}

/* The copied piece is smaller than the kind's struct. */
static bool too_short(const struct dtl_blob *b, const struct dtl_arg_kind_info *k)
{
	return k->mem == DTL_MEM_FIXED && b->len < k->size;
}

/* The argument that gives the size of a call's kernel sigset, or -1. */
static int sigsetsize_arg(const struct dtl_decoder_ctx *c)
{
	static const struct {
		const char *name;
		int arg;
	} calls[] = {{"rt_sigprocmask", 3},  {"rt_sigsuspend", 1}, {"rt_sigpending", 1},
	             {"rt_sigtimedwait", 3}, {"ppoll", 4},         {"epoll_pwait", 5},
	             {"signalfd4", 2}};
	for (size_t k = 0; k < DTL_N(calls); k++)
		if (is(c, calls[k].name))
			return calls[k].arg;
	return -1;
}

void dtl_decode_memory_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	const struct dtl_arg_desc *a = &c->d->args[i];
	const struct dtl_arg_kind_info *k = dtl_arg_kind_info(a->kind);
	uint64_t v = ev->args[i];

	if (!v) {
		fputs("NULL", out);
		return;
	}
	switch (a->kind) {
	case DTL_ARG_SOCKLEN_PTR:
		dtl_decode_socklen_arg(c, i);
		return;
	case DTL_ARG_LOFF_INOUT:
		print_loff(c, i);
		return;
	case DTL_ARG_SOCKADDR_IN:
	case DTL_ARG_SOCKADDR_OUT:
		dtl_decode_sockaddr_arg(c, i);
		return;
	case DTL_ARG_TIMESPEC_OUT:
		/* nanosleep's remainder is only written when a signal
		 * interrupted it (EINTR, the one failure the capture copies
		 * output for) */
		if ((is(c, "nanosleep") || is(c, "clock_nanosleep")) &&
		    (ev->ret >= 0 || !dtl_blob_find(ev, i, DTL_SUB_OBJECT, false))) {
			dtl_print_addr(out, v);
			return;
		}
		break;
	case DTL_ARG_MSGHDR_OUT: {
		/* a failed recvmsg: strace shows the name length the caller set */
		const struct dtl_blob *h = dtl_blob_find(ev, i, DTL_SUB_OBJECT, true);
		if (c->completed && ev->ret < 0 && dtl_blob_ok(h) && h->len >= 16) {
			fprintf(out, "{msg_namelen=%u}", u32_at(dtl_blob_data(ev, h), 8));
			return;
		}
		break;
	}
	case DTL_ARG_SIGSET:
		/* the kernel takes only its own sigset size; strace shows the
		 * address for another */
		if (sigsetsize_arg(c) >= 0 && ev->args[sigsetsize_arg(c)] != 8) {
			dtl_print_addr(out, v);
			return;
		}
		break;
	default:
		break;
	}

	bool entry = a->dir == DTL_DIR_IN || a->dir == DTL_DIR_INOUT;
	const struct dtl_blob *b = dtl_blob_find(ev, i, DTL_SUB_OBJECT, entry);
	if (!dtl_blob_ok(b) || !k || too_short(b, k)) {
		dtl_print_addr(out, v);
		return;
	}
	const uint8_t *p = dtl_blob_data(ev, b);
	bool trunc = b->flags & DTL_BLOB_TRUNCATED;

	switch (a->kind) {
	case DTL_ARG_PATH:
	case DTL_ARG_STR:
		dtl_format_quoted(out, (const char *)p, b->len, trunc);
		break;
	case DTL_ARG_ARGV:
		print_argv(c, i, b);
		break;
	case DTL_ARG_ENVP:
		fprintf(out, "%#lx /* %u var%s */", (unsigned long)v,
		        b->len >= 4 ? u32_at(p, 0) : 0,
		        b->len >= 4 && u32_at(p, 0) == 1 ? "" : "s");
		break;
	case DTL_ARG_BUF_IN:
	case DTL_ARG_BUF_OUT:
		print_buffer(c, i, b);
		break;
	case DTL_ARG_IOVEC_IN:
	case DTL_ARG_IOVEC_OUT:
		dtl_print_iovec_array(c, i, DTL_SUB_OBJECT, DTL_SUB_ELEM(0), entry, v,
		                      a->len_src == DTL_LEN_ARG ? ev->args[a->len_arg]
		                                                : b->len / 16);
		break;
	case DTL_ARG_DIRENT64_OUT:
		fprintf(out, "%#lx /* %u entries */", (unsigned long)v,
		        b->len >= 4 ? u32_at(p, 0) : 0);
		break;
	case DTL_ARG_STAT_OUT:
		print_stat(out, p);
		break;
	case DTL_ARG_STATX_OUT:
		print_statx(out, p);
		break;
	case DTL_ARG_STATFS_OUT:
		print_statfs(out, p);
		break;
	case DTL_ARG_TIMESPEC_IN:
	case DTL_ARG_TIMESPEC_OUT:
		print_timespec(out, p);
		break;
	case DTL_ARG_TIMESPEC_PAIR_IN:
		fputc('[', out);
		print_utime(out, p);
		fputs(", ", out);
		print_utime(out, p + 16);
		fputc(']', out);
		break;
	case DTL_ARG_TIMEVAL_IN:
	case DTL_ARG_TIMEVAL_OUT:
		print_timeval(out, p);
		break;
	case DTL_ARG_ITIMERVAL_IN:
	case DTL_ARG_ITIMERVAL_OUT:
		fputs("{it_interval=", out);
		print_timeval(out, p);
		fputs(", it_value=", out);
		print_timeval(out, p + 16);
		fputc('}', out);
		break;
	case DTL_ARG_ITIMERSPEC_IN:
	case DTL_ARG_ITIMERSPEC_OUT:
		fputs("{it_interval=", out);
		print_timespec(out, p);
		fputs(", it_value=", out);
		print_timespec(out, p + 16);
		fputc('}', out);
		break;
	case DTL_ARG_MSGHDR_IN:
	case DTL_ARG_MSGHDR_OUT:
		dtl_decode_msghdr_arg(c, i, b);
		break;
	case DTL_ARG_MMSGHDR_IN:
	case DTL_ARG_MMSGHDR_OUT:
		dtl_decode_mmsghdr_arg(c, i, b);
		break;
	case DTL_ARG_POLLFD_ARRAY:
		print_pollfds(c, b, a->len_src == DTL_LEN_ARG ? ev->args[a->len_arg] : b->len / 8);
		break;
	case DTL_ARG_EPOLL_EVENT_IN:
		print_epoll_event(out, p);
		break;
	case DTL_ARG_EPOLL_EVENT_OUT: {
		size_t n = b->len / 12, m = shown(c, n);
		fputc('[', out);
		for (size_t e = 0; e < m; e++) {
			if (e)
				fputs(", ", out);
			print_epoll_event(out, p + 12 * e);
		}
		if (n > m || trunc)
			fputs(m ? ", ..." : "...", out);
		fputc(']', out);
		break;
	}
	case DTL_ARG_FD_SET:
		print_fdset(out, p, b->len, ev->args[a->len_arg]);
		break;
	case DTL_ARG_SIGSET:
		dtl_print_sigset(out, p, b->len);
		break;
	case DTL_ARG_SIGACTION:
		dtl_print_sigaction(out, p);
		break;
	case DTL_ARG_SIGINFO:
		dtl_print_siginfo(out, p);
		break;
	case DTL_ARG_STACK_T:
		dtl_print_stack_t(out, p);
		break;
	case DTL_ARG_CLONE_ARGS:
		print_clone_args(out, p, b->len);
		dtl_decode_written_back(c, i);
		break;
	case DTL_ARG_OPEN_HOW:
		print_open_how(out, p, b->len);
		break;
	case DTL_ARG_WAIT_STATUS_OUT:
		/* WNOHANG with no child ready: nothing was written */
		if (c->completed && ev->ret == 0)
			dtl_print_addr(out, v);
		else
			print_wait_status(out, (int)u32_at(p, 0));
		break;
	case DTL_ARG_RUSAGE_OUT:
		fputs("{ru_utime=", out);
		print_timeval(out, p);
		fputs(", ru_stime=", out);
		print_timeval(out, p + 16);
		fputs(", ...}", out);
		break;
	case DTL_ARG_RLIMIT_IN:
	case DTL_ARG_RLIMIT_OUT:
		fputs("{rlim_cur=", out);
		print_rlim(out, u64_at(p, 0));
		fputs(", rlim_max=", out);
		print_rlim(out, u64_at(p, 8));
		fputc('}', out);
		break;
	case DTL_ARG_FD_PAIR_OUT:
		fprintf(out, "[%d, %d]", (int)u32_at(p, 0), (int)u32_at(p, 4));
		break;
	case DTL_ARG_INT_OUT:
		fprintf(out, "[%d]", (int)u32_at(p, 0));
		break;
	case DTL_ARG_SYSINFO_OUT:
		fprintf(
		    out,
		    "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu, freeram=%lu, sharedram=%lu, "
		    "bufferram=%lu, totalswap=%lu, freeswap=%lu, procs=%u, totalhigh=%lu, "
		    "freehigh=%lu, mem_unit=%u}",
		    (long)u64_at(p, 0), (unsigned long)u64_at(p, 8), (unsigned long)u64_at(p, 16),
		    (unsigned long)u64_at(p, 24), (unsigned long)u64_at(p, 32),
		    (unsigned long)u64_at(p, 40), (unsigned long)u64_at(p, 48),
		    (unsigned long)u64_at(p, 56), (unsigned long)u64_at(p, 64),
		    (unsigned long)u64_at(p, 72), (unsigned)(u32_at(p, 80) & 0xffff),
		    (unsigned long)u64_at(p, 88), (unsigned long)u64_at(p, 96), u32_at(p, 104));
		break;
	case DTL_ARG_PSELECT6_SIGMASK: {
		const struct dtl_blob *set = dtl_blob_find(ev, i, DTL_SUB_ELEM(0), true);
		fputs("{sigmask=", out);
		if (!u64_at(p, 0))
			fputs("NULL", out);
		else if (dtl_blob_ok(set) && set->len == 8)
			dtl_print_sigset(out, dtl_blob_data(ev, set), 8);
		else
			dtl_print_addr(out, u64_at(p, 0));
		fprintf(out, ", sigsetsize=%lu}", (unsigned long)u64_at(p, 8));
		break;
	}
	case DTL_ARG_UTSNAME_OUT:
		fputs("{sysname=", out);
		dtl_format_quoted(out, (const char *)p, strnlen((const char *)p, 65), false);
		fputs(", nodename=", out);
		dtl_format_quoted(out, (const char *)p + 65, strnlen((const char *)p + 65, 65),
		                  false);
		fputs(", ...}", out);
		break;
	default:
		dtl_print_addr(out, v);
	}
}

/* --- return annotations ---------------------------------------------------------- */

/* " ([{fd=3, revents=POLLIN}]" for poll/ppoll, without the closing paren. */
static void print_revents(const struct dtl_decoder_ctx *c, const struct dtl_blob *b)
{
	FILE *out = c->out;
	const uint8_t *p = dtl_blob_data(c->ev, b);
	bool first = true;
	fputs(" ([", out);
	for (size_t k = 0; k < b->len / 8; k++) {
		uint16_t rev;
		memcpy(&rev, p + 8 * k + 6, 2);
		if (!rev)
			continue;
		fprintf(out, "%s{fd=%d, revents=", first ? "" : ", ", (int)u32_at(p, 8 * k));
		dtl_print_xflags(out, rev, poll_events, DTL_N(poll_events), "0", "POLL???");
		fputc('}', out);
		first = false;
	}
	fputc(']', out);
}

/* The timeout the kernel updated, when the catalogue has it copied at exit. */
static void print_left(const struct dtl_decoder_ctx *c, int i, bool usec)
{
	const struct dtl_blob *b = dtl_blob_find(c->ev, i, DTL_SUB_OBJECT, false);
	if (!c->ev->args[i] || !dtl_blob_ok(b) || b->len < 16)
		return;
	fputs(", left ", c->out);
	if (usec)
		print_timeval(c->out, dtl_blob_data(c->ev, b));
	else
		print_timespec(c->out, dtl_blob_data(c->ev, b));
}

void dtl_decode_written_back(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_event *ev = c->ev;
	if (!c->completed || c->d->args[i].kind != DTL_ARG_CLONE_ARGS || ev->ret <= 0)
		return;
	const struct dtl_blob *b = dtl_blob_find(ev, i, DTL_SUB_OBJECT, true);
	if (!b || b->len < 8 || (b->flags & DTL_BLOB_FAULT))
		return;
	/* clone3 wrote the new thread's id (the result) to parent_tid */
	uint64_t flags = u64_at(dtl_blob_data(ev, b), 0);
	if ((flags & 0x100000 /* CLONE_PARENT_SETTID */) && !(flags & 0x1000 /* CLONE_PIDFD */))
		fprintf(c->out, " => {parent_tid=[%ld]}", (long)ev->ret);
}

void dtl_decode_ret_memory(const struct dtl_decoder_ctx *c)
{
	const struct dtl_event *ev = c->ev;
	FILE *out = c->out;
	if (!c->completed || ev->ret < 0)
		return;
	bool ppoll = is(c, "ppoll"), select = is(c, "select");
	if (is(c, "poll") || ppoll) {
		if (ev->ret == 0) {
			fputs(" (Timeout)", out);
			return;
		}
		const struct dtl_blob *b = dtl_blob_find(ev, 0, DTL_SUB_OBJECT, false);
		if (!ev->args[0] || !dtl_blob_ok(b))
			return;
		print_revents(c, b);
		if (ppoll)
			print_left(c, 2, false);
		fputc(')', out);
	} else if (select || is(c, "pselect6")) {
		if (ev->ret == 0) {
			fputs(" (Timeout)", out);
			return;
		}
		static const char *const names[] = {"in", "out", "except"};
		bool first = true;
		for (int s = 0; s < 3; s++) {
			const struct dtl_blob *b = dtl_blob_find(ev, 1 + s, DTL_SUB_OBJECT, false);
			if (!ev->args[1 + s] || !dtl_blob_ok(b))
				continue;
			const uint8_t *p = dtl_blob_data(ev, b);
			bool any = false;
			for (size_t k = 0; k < b->len; k++)
				any |= p[k] != 0;
			if (!any)
				continue;
			fprintf(out, "%s%s ", first ? " (" : ", ", names[s]);
			print_fdset(out, p, b->len, ev->args[0]);
			first = false;
		}
		if (first)
			return;
		print_left(c, 4, select);
		fputc(')', out);
	}
}
