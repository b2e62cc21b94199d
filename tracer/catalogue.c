// SPDX-License-Identifier: MIT
/* The syscall catalogue's lookups and the per-kind facts (dtl/catalogue.h). */
#include <dtl/catalogue.h>

#include <stddef.h>
#include <string.h>

#include "catalogue_table.h"

const struct dtl_syscall_desc *dtl_syscall_by_nr(long nr)
{
	if (nr < 0 || nr >= dtl_syscall_table_len || !dtl_syscall_table[nr].name)
		return NULL;
	return &dtl_syscall_table[nr];
}

bool dtl_syscall_writes_memory(long nr)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	if (!d)
		return true;
	for (int i = 0; i < d->nargs && i < 6; i++)
		if (d->args[i].dir == DTL_DIR_OUT || d->args[i].dir == DTL_DIR_INOUT)
			return true;
	return false;
}

/* The bytes output argument @a (@k) may write, from the values the caller
 * passed; 0 for none, -1 when that cannot be known at entry. */
static int64_t output_bytes(const struct dtl_arg_desc *a, const struct dtl_arg_kind_info *k,
                            const uint64_t args[6])
{
	uint64_t count = 0;
	if (a->len_src == DTL_LEN_ARG || a->len_src == DTL_LEN_RET)
		count = a->len_arg < 6 ? args[a->len_arg] : 0;
	/* no call writes more than the address space holds */
	if (count > (1ULL << 47))
		count = 1ULL << 47;
	switch (k->mem) {
	case DTL_MEM_FIXED:
		return k->size;
	case DTL_MEM_BYTES:
		if (a->len_src == DTL_LEN_ARG || a->len_src == DTL_LEN_RET)
			return (int64_t)count;
		return k->size ? k->size : -1; /* a socklen_t's worth: the kind's maximum */
	case DTL_MEM_ARRAY:
		return (int64_t)(count * k->size);
	case DTL_MEM_BITMAP:
		return (int64_t)((count + 63) / 64 * 8);
	default:
		return -1;
	}
}

int dtl_syscall_output_ranges(long nr, const uint64_t args[6], struct dtl_mem_range *out, int max)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	if (!d || dtl_syscall_capture_hook(nr) == DTL_CAPTURE_IOCTL_ARG)
		return -1;
	int n = 0;
	for (int i = 0; i < d->nargs && i < 6; i++) {
		const struct dtl_arg_desc *a = &d->args[i];
		const struct dtl_arg_kind_info *k = dtl_arg_kind_info(a->kind);
		if ((a->dir != DTL_DIR_OUT && a->dir != DTL_DIR_INOUT) || !args[i] || !k)
			continue;
		int64_t bytes = output_bytes(a, k, args);
		if (bytes < 0 || (bytes && n == max))
			return -1;
		if (bytes)
			out[n++] = (struct dtl_mem_range){args[i], (uint64_t)bytes};
	}
	return n;
}

long dtl_syscall_by_name(const char *name)
{
	if (!name)
		return -1;
	for (long nr = 0; nr < dtl_syscall_table_len; nr++) {
		const char *n = dtl_syscall_table[nr].name;
		if (n && strcmp(n, name) == 0)
			return nr;
	}
	return -1;
}

int dtl_syscall_count(void)
{
	int count = 0;
	for (long nr = 0; nr < dtl_syscall_table_len; nr++)
		count += dtl_syscall_table[nr].name != NULL;
	return count;
}

long dtl_syscall_nr_limit(void)
{
	return dtl_syscall_table_len;
}

/* strace's class names; "bare" ones may also be written without the '%'. */
static const struct {
	const char *name; /* without the leading '%' */
	uint32_t bits;
	int bare;
} trace_classes[] = {
    {"file", DTL_TRACE_FILE, 1},           {"desc", DTL_TRACE_DESC, 1},
    {"memory", DTL_TRACE_MEMORY, 1},       {"process", DTL_TRACE_PROCESS, 1},
    {"network", DTL_TRACE_NETWORK, 1},     {"net", DTL_TRACE_NETWORK, 0},
    {"signal", DTL_TRACE_SIGNAL, 1},       {"ipc", DTL_TRACE_IPC, 1},
    {"creds", DTL_TRACE_CREDS, 0},         {"clock", DTL_TRACE_CLOCK, 0},
    {"stat", DTL_TRACE_STAT, 0},           {"lstat", DTL_TRACE_LSTAT, 0},
    {"fstat", DTL_TRACE_FSTAT, 0},         {"%stat", DTL_TRACE_STAT_LIKE, 0},
    {"statfs", DTL_TRACE_STATFS, 0},       {"fstatfs", DTL_TRACE_FSTATFS, 0},
    {"%statfs", DTL_TRACE_STATFS_LIKE, 0}, {"pure", DTL_TRACE_PURE, 0},
};

int dtl_trace_class_by_name(const char *name, uint32_t *bits)
{
	if (!name || !bits)
		return -1;
	int percent = name[0] == '%';
	const char *n = name + percent;
	for (size_t i = 0; i < sizeof(trace_classes) / sizeof(trace_classes[0]); i++) {
		if ((percent || trace_classes[i].bare) && strcmp(n, trace_classes[i].name) == 0) {
			*bits = trace_classes[i].bits;
			return 0;
		}
	}
	return -1;
}

/* Sizes are x86-64's (the unit test checks them against the C headers). */
#define KIND(k, m, sz) [DTL_ARG_##k] = {#k, DTL_MEM_##m, sz}

static const struct dtl_arg_kind_info kind_info[DTL_ARG_KIND_COUNT] = {
    KIND(NONE, NONE, 0),
    KIND(INT, NONE, 0),
    KIND(UINT, NONE, 0),
    KIND(LONG, NONE, 0),
    KIND(ULONG, NONE, 0),
    KIND(HEX, NONE, 0),
    KIND(PTR, NONE, 0),
    KIND(FD, NONE, 0),
    KIND(DIRFD, NONE, 0),
    KIND(PID, NONE, 0),
    KIND(UID, NONE, 0),
    KIND(GID, NONE, 0),
    KIND(SIGNUM, NONE, 0),
    KIND(CLOCKID, NONE, 0),
    KIND(OPEN_FLAGS, NONE, 0),
    KIND(MODE, NONE, 0),
    KIND(ACCESS_MODE, NONE, 0),
    KIND(AT_FLAGS, NONE, 0),
    KIND(SEEK_WHENCE, NONE, 0),
    KIND(FCNTL_CMD, NONE, 0),
    KIND(FCNTL_ARG, NONE, 0),
    KIND(IOCTL_REQ, NONE, 0),
    KIND(FLOCK_OP, NONE, 0),
    KIND(PROT, NONE, 0),
    KIND(MMAP_FLAGS, NONE, 0),
    KIND(MREMAP_FLAGS, NONE, 0),
    KIND(MSYNC_FLAGS, NONE, 0),
    KIND(MADVISE, NONE, 0),
    KIND(CLONE_FLAGS, NONE, 0),
    KIND(WAIT_OPTIONS, NONE, 0),
    KIND(IDTYPE, NONE, 0),
    KIND(SIGPROCMASK_HOW, NONE, 0),
    KIND(FUTEX_OP, NONE, 0),
    KIND(SOCK_DOMAIN, NONE, 0),
    KIND(SOCK_TYPE, NONE, 0),
    KIND(SOCK_FLAGS, NONE, 0),
    KIND(SOCK_LEVEL, NONE, 0),
    KIND(SOCKOPT_NAME, NONE, 0),
    KIND(MSG_FLAGS, NONE, 0),
    KIND(SHUTDOWN_HOW, NONE, 0),
    KIND(EPOLL_CTL_OP, NONE, 0),
    KIND(RLIMIT_RESOURCE, NONE, 0),
    KIND(RUSAGE_WHO, NONE, 0),
    KIND(ITIMER_WHICH, NONE, 0),
    KIND(PRCTL_OPTION, NONE, 0),
    KIND(ARCH_PRCTL_CODE, NONE, 0),
    KIND(PTRACE_REQUEST, NONE, 0),
    KIND(STATX_MASK, NONE, 0),
    KIND(RENAME_FLAGS, NONE, 0),
    KIND(GETRANDOM_FLAGS, NONE, 0),
    KIND(EPOLL_CREATE_FLAGS, NONE, 0),
    KIND(EVENTFD_FLAGS, NONE, 0),
    KIND(TIMER_FLAGS, NONE, 0),
    KIND(TFD_FLAGS, NONE, 0),
    KIND(TFD_SETTIME_FLAGS, NONE, 0),
    KIND(INOTIFY_FLAGS, NONE, 0),
    KIND(MFD_FLAGS, NONE, 0),
    KIND(MLOCK_FLAGS, NONE, 0),

    KIND(PATH, STRING, 0),
    KIND(STR, STRING, 0),
    KIND(ARGV, STRV, 0),
    KIND(ENVP, STRV, 0),

    KIND(BUF_IN, BYTES, 0),
    KIND(BUF_OUT, BYTES, 0),
    KIND(IOVEC_IN, IOVEC, 16),
    KIND(IOVEC_OUT, IOVEC, 16),
    KIND(DIRENT64_OUT, BYTES, 0),

    KIND(STAT_OUT, FIXED, 144),
    KIND(STATX_OUT, FIXED, 256),
    KIND(STATFS_OUT, FIXED, 120),
    KIND(TIMESPEC_IN, FIXED, 16),
    KIND(TIMESPEC_OUT, FIXED, 16),
    KIND(TIMESPEC_PAIR_IN, FIXED, 32),
    KIND(TIMEVAL_IN, FIXED, 16),
    KIND(TIMEVAL_OUT, FIXED, 16),
    KIND(ITIMERVAL_IN, FIXED, 32),
    KIND(ITIMERVAL_OUT, FIXED, 32),
    KIND(ITIMERSPEC_IN, FIXED, 32),
    KIND(ITIMERSPEC_OUT, FIXED, 32),
    KIND(SOCKADDR_IN, BYTES, 128),
    KIND(SOCKADDR_OUT, BYTES, 128),
    KIND(SOCKLEN_PTR, FIXED, 4),
    KIND(MSGHDR_IN, MSGHDR, 56),
    KIND(MSGHDR_OUT, MSGHDR, 56),
    KIND(MMSGHDR_IN, MMSGHDR, 64),
    KIND(MMSGHDR_OUT, MMSGHDR, 64),
    KIND(POLLFD_ARRAY, ARRAY, 8),
    KIND(EPOLL_EVENT_IN, FIXED, 12),
    KIND(EPOLL_EVENT_OUT, ARRAY, 12),
    KIND(FD_SET, BITMAP, 0),
    KIND(SIGSET, FIXED, 8),
    KIND(SIGACTION, FIXED, 32),
    KIND(SIGINFO, FIXED, 128),
    KIND(STACK_T, FIXED, 24),
    KIND(CLONE_ARGS, BYTES, 88),
    KIND(OPEN_HOW, BYTES, 24),
    KIND(WAIT_STATUS_OUT, FIXED, 4),
    KIND(RUSAGE_OUT, FIXED, 144),
    KIND(RLIMIT_IN, FIXED, 16),
    KIND(RLIMIT_OUT, FIXED, 16),
    KIND(FD_PAIR_OUT, FIXED, 8),
    KIND(INT_OUT, FIXED, 4),
    KIND(LOFF_INOUT, FIXED, 8),
    KIND(UTSNAME_OUT, FIXED, 390),
    KIND(SYSINFO_OUT, FIXED, 112),
    KIND(PSELECT6_SIGMASK, FIXED, 16),
};

/* --- the per-call behaviour columns ---------------------------------------- */

/* The entry for @nr, or an all-zero one (every column's default). */
static const struct dtl_syscall_desc *entry_or_default(long nr)
{
	static const struct dtl_syscall_desc none;
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	return d ? d : &none;
}

enum dtl_lifecycle dtl_syscall_lifecycle(long nr)
{
	return (enum dtl_lifecycle)entry_or_default(nr)->lifecycle;
}

enum dtl_fd_effect dtl_syscall_fd_effect(long nr)
{
	return (enum dtl_fd_effect)entry_or_default(nr)->fd_effect;
}

enum dtl_capture_hook dtl_syscall_capture_hook(long nr)
{
	return (enum dtl_capture_hook)entry_or_default(nr)->capture;
}

enum dtl_decoder dtl_syscall_decoder(long nr)
{
	return (enum dtl_decoder)entry_or_default(nr)->decoder;
}

enum dtl_restart dtl_syscall_restart(long nr)
{
	return (enum dtl_restart)entry_or_default(nr)->restart;
}

bool dtl_syscall_reports_at_entry(long nr)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	if (!d)
		return false;
	switch (d->lifecycle) {
	case DTL_LIFE_EXEC:
	case DTL_LIFE_EXIT_THREAD:
	case DTL_LIFE_EXIT_GROUP:
	case DTL_LIFE_SIGNALS:
		return true;
	default:
		return d->ret == DTL_RET_NONE;
	}
}

bool dtl_syscall_never_returns(long nr)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	return d && d->ret == DTL_RET_NONE;
}

bool dtl_syscall_creates_task(long nr)
{
	return dtl_syscall_lifecycle(nr) == DTL_LIFE_FORK;
}

bool dtl_syscall_execs(long nr)
{
	return dtl_syscall_lifecycle(nr) == DTL_LIFE_EXEC;
}

bool dtl_syscall_exits(long nr, bool *whole_process)
{
	enum dtl_lifecycle l = dtl_syscall_lifecycle(nr);
	if (whole_process)
		*whole_process = l == DTL_LIFE_EXIT_GROUP;
	return l == DTL_LIFE_EXIT_THREAD || l == DTL_LIFE_EXIT_GROUP;
}

int dtl_syscall_fd_creation(long nr, const uint64_t *args)
{
	const struct dtl_syscall_desc *d = entry_or_default(nr);
	switch (d->fd_effect) {
	case DTL_FDS_RESULT:
		return DTL_FD_IN_RESULT;
	case DTL_FDS_FCNTL_DUP: /* F_DUPFD (0), F_DUPFD_CLOEXEC (1030) */
		return args[1] == 0 || args[1] == 1030 ? DTL_FD_IN_RESULT : 0;
	case DTL_FDS_PAIR:
		for (int i = 0; i < d->nargs; i++)
			if (d->args[i].kind == DTL_ARG_FD_PAIR_OUT)
				return DTL_FD_PAIR_ARG(i);
		return 0;
	default:
		return 0;
	}
}

const struct dtl_arg_kind_info *dtl_arg_kind_info(enum dtl_arg_kind kind)
{
	if ((unsigned)kind >= DTL_ARG_KIND_COUNT)
		return NULL;
	return &kind_info[kind];
}
