// SPDX-License-Identifier: MIT
/*
 * The syscall catalogue (tracer/include/dtl/catalogue.h): complete against
 * the kernel headers, internally consistent, and right about the calls a
 * trace is mostly made of.
 *
 * dtl_syscall_list.h is generated at build time by tracer/gen-syscall-list.sh
 * (one DTL_NR(name) per __NR_name in <asm/unistd_64.h>).
 */
#define _GNU_SOURCE
#include <dtl/catalogue.h>

#include <asm/unistd_64.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmocka.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	long nr;
} header_syscalls[] = {
#define DTL_NR(n) {#n, __NR_##n},
#include "dtl_syscall_list.h"
#undef DTL_NR
};

static const struct dtl_syscall_desc *get(const char *name)
{
	long nr = dtl_syscall_by_name(name);
	if (nr < 0)
		fail_msg("%s: not in the catalogue", name);
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	assert_non_null(d);
	return d;
}

static const char *kind_name(unsigned kind)
{
	const struct dtl_arg_kind_info *info = dtl_arg_kind_info(kind);
	return info ? info->name : "?";
}

/* The argument kinds of @name, space separated: "FD BUF_OUT ULONG". */
static void kinds_of(const char *name, char *buf, size_t size)
{
	const struct dtl_syscall_desc *d = get(name);
	buf[0] = '\0';
	for (unsigned i = 0; i < d->nargs; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i ? " " : "", kind_name(d->args[i].kind));
	}
}

static void expect_kinds(const char *name, const char *kinds)
{
	char buf[256];
	kinds_of(name, buf, sizeof(buf));
	if (strcmp(buf, kinds) != 0)
		fail_msg("%s: kinds \"%s\", expected \"%s\"", name, buf, kinds);
}

static void expect_arg(const char *name, unsigned i, enum dtl_arg_dir dir, enum dtl_len_src src,
                       unsigned len_arg)
{
	const struct dtl_syscall_desc *d = get(name);
	const struct dtl_arg_desc *a = &d->args[i];
	if (a->dir != dir || a->len_src != src || (src != DTL_LEN_NONE && a->len_arg != len_arg))
		fail_msg("%s arg %u (%s): dir %u len_src %u len_arg %u, expected %u %u %u", name, i,
		         kind_name(a->kind), a->dir, a->len_src, a->len_arg, dir, src, len_arg);
}

/* ---- completeness -------------------------------------------------------- */

static void every_header_syscall_is_catalogued(void **state)
{
	(void)state;
	assert_true(ARRAY_SIZE(header_syscalls) > 300);
	for (size_t i = 0; i < ARRAY_SIZE(header_syscalls); i++) {
		const char *name = header_syscalls[i].name;
		long nr = header_syscalls[i].nr;
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d)
			fail_msg("__NR_%s (%ld): no catalogue entry", name, nr);
		if (strcmp(d->name, name) != 0)
			fail_msg("__NR_%s (%ld): catalogue says \"%s\"", name, nr, d->name);
		assert_int_equal(dtl_syscall_by_name(name), nr);
	}
	assert_true(dtl_syscall_count() >= (int)ARRAY_SIZE(header_syscalls));
}

static void names_are_unique_and_round_trip(void **state)
{
	(void)state;
	int count = 0;
	long limit = dtl_syscall_nr_limit();
	for (long nr = 0; nr < limit; nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d)
			continue;
		count++;
		assert_non_null(d->name);
		assert_true(d->name[0] != '\0');
		for (const char *c = d->name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			            *c == '_');
		for (long other = nr + 1; other < limit; other++) {
			const struct dtl_syscall_desc *o = dtl_syscall_by_nr(other);
			if (o && strcmp(o->name, d->name) == 0)
				fail_msg("\"%s\" is both %ld and %ld", d->name, nr, other);
		}
		assert_int_equal(dtl_syscall_by_name(d->name), nr);
	}
	assert_int_equal(count, dtl_syscall_count());
	assert_non_null(dtl_syscall_by_nr(limit - 1));
}

static void unknown_numbers_and_names(void **state)
{
	(void)state;
	assert_null(dtl_syscall_by_nr(-1));
	assert_null(dtl_syscall_by_nr(dtl_syscall_nr_limit()));
	assert_null(dtl_syscall_by_nr(100000));
	assert_null(dtl_syscall_by_nr(0x40000000L)); /* the x32 bit */
	assert_null(dtl_syscall_by_nr(335));         /* the gap before 424 */
	assert_null(dtl_syscall_by_nr(423));
	assert_string_equal(dtl_syscall_by_nr(334)->name, "rseq");
	assert_string_equal(dtl_syscall_by_nr(424)->name, "pidfd_send_signal");
	assert_int_equal(dtl_syscall_by_name("no_such_syscall"), -1);
	assert_int_equal(dtl_syscall_by_name(""), -1);
	assert_int_equal(dtl_syscall_by_name(NULL), -1);
	assert_int_equal(dtl_syscall_by_name("READ"), -1);
	assert_int_equal(dtl_syscall_by_name("sys_read"), -1);
}

/* Newer than the Debian 12 headers, present on the kernels the guest runs on. */
static void syscalls_newer_than_the_headers(void **state)
{
	(void)state;
	static const struct {
		long nr;
		const char *name;
	} newer[] = {
	    {451, "cachestat"},         {452, "fchmodat2"},        {453, "map_shadow_stack"},
	    {454, "futex_wake"},        {455, "futex_wait"},       {456, "futex_requeue"},
	    {457, "statmount"},         {458, "listmount"},        {459, "lsm_get_self_attr"},
	    {460, "lsm_set_self_attr"}, {461, "lsm_list_modules"}, {462, "mseal"},
	    {463, "setxattrat"},        {464, "getxattrat"},       {465, "listxattrat"},
	    {466, "removexattrat"},     {467, "open_tree_attr"},   {468, "file_getattr"},
	    {469, "file_setattr"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(newer); i++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(newer[i].nr);
		assert_non_null(d);
		assert_string_equal(d->name, newer[i].name);
	}
	assert_int_equal(get("fchmodat2")->classes, DTL_TRACE_FILE | DTL_TRACE_DESC);
	assert_int_equal(get("mseal")->classes, DTL_TRACE_MEMORY);
	assert_int_equal(get("map_shadow_stack")->ret, DTL_RET_HEX);
}

/* ---- internal consistency of every entry ------------------------------------ */

static int is_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static void check_arg(const struct dtl_syscall_desc *d, unsigned i)
{
	const struct dtl_arg_desc *a = &d->args[i];
	const struct dtl_arg_kind_info *info = dtl_arg_kind_info(a->kind);
	const char *kn = info ? info->name : "?";

	if (!info || a->kind == DTL_ARG_NONE)
		fail_msg("%s arg %u: kind %u", d->name, i, a->kind);
	if (a->dir > DTL_DIR_INOUT || a->len_src > DTL_LEN_RET)
		fail_msg("%s arg %u: dir %u len_src %u", d->name, i, a->dir, a->len_src);

	/* Memory is copied exactly when the kind points at some. */
	if ((info->mem == DTL_MEM_NONE) != (a->dir == DTL_DIR_NONE))
		fail_msg("%s arg %u (%s): dir %u for mem %u", d->name, i, kn, a->dir, info->mem);

	/* Kinds that say their direction agree with the argument's. */
	/* (an _IN kind may also be written back: select's timeout) */
	if (is_suffix(kn, "_IN") && a->dir != DTL_DIR_IN && a->dir != DTL_DIR_INOUT)
		fail_msg("%s arg %u (%s): not IN", d->name, i, kn);
	if (is_suffix(kn, "_OUT") && a->dir != DTL_DIR_OUT)
		fail_msg("%s arg %u (%s): not OUT", d->name, i, kn);
	if ((is_suffix(kn, "_INOUT") || a->kind == DTL_ARG_SOCKLEN_PTR ||
	     a->kind == DTL_ARG_POLLFD_ARRAY || a->kind == DTL_ARG_FD_SET) &&
	    a->dir != DTL_DIR_INOUT)
		fail_msg("%s arg %u (%s): not INOUT", d->name, i, kn);
	if ((info->mem == DTL_MEM_STRING || info->mem == DTL_MEM_STRV) && a->dir != DTL_DIR_IN)
		fail_msg("%s arg %u (%s): strings are read at entry", d->name, i, kn);

	/* A length from somewhere is given exactly where the size is variable. */
	int variable = info->mem == DTL_MEM_BYTES || info->mem == DTL_MEM_ARRAY ||
	               info->mem == DTL_MEM_BITMAP || info->mem == DTL_MEM_IOVEC ||
	               info->mem == DTL_MEM_MMSGHDR;
	int qualified = a->kind == DTL_ARG_FCNTL_ARG || a->kind == DTL_ARG_SOCKOPT_NAME;
	if ((variable || qualified) != (a->len_src != DTL_LEN_NONE))
		fail_msg("%s arg %u (%s): len_src %u", d->name, i, kn, a->len_src);
	if (qualified && a->len_src != DTL_LEN_ARG)
		fail_msg("%s arg %u (%s): qualified by another argument", d->name, i, kn);
	/* (a length from the return value is bounded at entry by the size
	 * the caller gave: its len_arg) */
	if (a->len_src == DTL_LEN_ARG || a->len_src == DTL_LEN_ARG_PTR ||
	    a->len_src == DTL_LEN_RET) {
		if (a->len_arg >= d->nargs || a->len_arg == i)
			fail_msg("%s arg %u (%s): len_arg %u", d->name, i, kn, a->len_arg);
		const struct dtl_arg_desc *l = &d->args[a->len_arg];
		if (a->len_src != DTL_LEN_ARG_PTR && l->dir != DTL_DIR_NONE)
			fail_msg("%s arg %u (%s): length arg %u is not a value", d->name, i, kn,
			         a->len_arg);
		if (a->len_src == DTL_LEN_ARG_PTR && l->kind != DTL_ARG_SOCKLEN_PTR)
			fail_msg("%s arg %u (%s): length arg %u is not a socklen_t *", d->name, i,
			         kn, a->len_arg);
	} else if (a->len_arg != 0) {
		fail_msg("%s arg %u (%s): stray len_arg", d->name, i, kn);
	}
	if (a->len_src == DTL_LEN_RET && a->dir != DTL_DIR_OUT)
		fail_msg("%s arg %u (%s): a length from the return value is known at exit only",
		         d->name, i, kn);
}

static void every_entry_is_consistent(void **state)
{
	(void)state;
	static const struct dtl_arg_desc none;
	for (long nr = 0; nr < dtl_syscall_nr_limit(); nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d)
			continue;
		assert_true(d->nargs <= 6);
		for (unsigned i = 0; i < d->nargs; i++)
			check_arg(d, i);
		for (unsigned i = d->nargs; i < 6; i++)
			assert_memory_equal(&d->args[i], &none, sizeof(none));

		if (d->classes & ~DTL_TRACE_ALL_CLASSES)
			fail_msg("%s: stray class bits %#x", d->name, d->classes);
		if ((d->classes & (DTL_TRACE_STAT | DTL_TRACE_LSTAT | DTL_TRACE_FSTAT)) &&
		    !(d->classes & DTL_TRACE_STAT_LIKE))
			fail_msg("%s: a stat variant outside %%%%stat", d->name);
		if ((d->classes & (DTL_TRACE_STATFS | DTL_TRACE_FSTATFS)) &&
		    !(d->classes & DTL_TRACE_STATFS_LIKE))
			fail_msg("%s: a statfs variant outside %%%%statfs", d->name);
		if ((d->classes & DTL_TRACE_PURE) && d->nargs != 0)
			fail_msg("%s: %%pure with arguments", d->name);

		int path = 0, fd = d->ret == DTL_RET_FD;
		for (unsigned i = 0; i < d->nargs; i++) {
			path |= d->args[i].kind == DTL_ARG_PATH;
			fd |= d->args[i].kind == DTL_ARG_FD || d->args[i].kind == DTL_ARG_DIRFD;
		}
		if (path && !(d->classes & DTL_TRACE_FILE))
			fail_msg("%s: takes a path but is not in %%file", d->name);
		/* strace puts the socket calls in %network only */
		if (fd && !(d->classes & (DTL_TRACE_DESC | DTL_TRACE_NETWORK)))
			fail_msg("%s: takes or returns an fd but is not in %%desc", d->name);

		assert_true(d->ret <= DTL_RET_OCTAL);
		if (d->ret == DTL_RET_NONE && strcmp(d->name, "exit") != 0 &&
		    strcmp(d->name, "exit_group") != 0)
			fail_msg("%s: returns", d->name);
	}
}

static void kind_facts(void **state)
{
	(void)state;
	for (unsigned k = 0; k < DTL_ARG_KIND_COUNT; k++) {
		const struct dtl_arg_kind_info *info = dtl_arg_kind_info(k);
		assert_non_null(info);
		if (!info->name)
			fail_msg("kind %u has no entry", k);
		assert_true(info->mem <= DTL_MEM_MMSGHDR);
		if ((info->mem == DTL_MEM_FIXED || info->mem == DTL_MEM_ARRAY ||
		     info->mem == DTL_MEM_IOVEC || info->mem == DTL_MEM_MSGHDR ||
		     info->mem == DTL_MEM_MMSGHDR) &&
		    info->size == 0)
			fail_msg("%s: no size", info->name);
		for (unsigned j = 0; j < k; j++)
			assert_string_not_equal(dtl_arg_kind_info(j)->name, info->name);
	}
	assert_null(dtl_arg_kind_info(DTL_ARG_KIND_COUNT));
	assert_null(dtl_arg_kind_info((enum dtl_arg_kind) - 1));

	/* The sizes agree with the C headers. */
#define SIZE(kind, expr) assert_int_equal(dtl_arg_kind_info(DTL_ARG_##kind)->size, (expr))
	SIZE(STAT_OUT, sizeof(struct stat));
	SIZE(STATX_OUT, sizeof(struct statx));
	SIZE(STATFS_OUT, sizeof(struct statfs));
	SIZE(TIMESPEC_IN, sizeof(struct timespec));
	SIZE(TIMESPEC_OUT, sizeof(struct timespec));
	SIZE(TIMESPEC_PAIR_IN, 2 * sizeof(struct timespec));
	SIZE(TIMEVAL_IN, sizeof(struct timeval));
	SIZE(TIMEVAL_OUT, sizeof(struct timeval));
	SIZE(ITIMERVAL_IN, sizeof(struct itimerval));
	SIZE(ITIMERVAL_OUT, sizeof(struct itimerval));
	SIZE(ITIMERSPEC_IN, sizeof(struct itimerspec));
	SIZE(ITIMERSPEC_OUT, sizeof(struct itimerspec));
	SIZE(SOCKADDR_IN, sizeof(struct sockaddr_storage));
	SIZE(SOCKADDR_OUT, sizeof(struct sockaddr_storage));
	SIZE(SOCKLEN_PTR, sizeof(socklen_t));
	SIZE(MSGHDR_IN, sizeof(struct msghdr));
	SIZE(MSGHDR_OUT, sizeof(struct msghdr));
	SIZE(MMSGHDR_IN, sizeof(struct mmsghdr));
	SIZE(MMSGHDR_OUT, sizeof(struct mmsghdr));
	SIZE(IOVEC_IN, sizeof(struct iovec));
	SIZE(IOVEC_OUT, sizeof(struct iovec));
	SIZE(POLLFD_ARRAY, sizeof(struct pollfd));
	SIZE(EPOLL_EVENT_IN, sizeof(struct epoll_event));
	SIZE(EPOLL_EVENT_OUT, sizeof(struct epoll_event));
	SIZE(SIGSET, (NSIG - 1) / 8);                         /* the kernel's sigset_t */
	SIZE(SIGACTION, 3 * sizeof(void *) + (NSIG - 1) / 8); /* handler, flags, restorer, mask */
	SIZE(SIGINFO, sizeof(siginfo_t));
	SIZE(STACK_T, sizeof(stack_t));
	SIZE(CLONE_ARGS, CLONE_ARGS_SIZE_VER2);
	SIZE(OPEN_HOW, sizeof(struct open_how));
	SIZE(WAIT_STATUS_OUT, sizeof(int));
	SIZE(RUSAGE_OUT, sizeof(struct rusage));
	SIZE(RLIMIT_IN, sizeof(struct rlimit));
	SIZE(RLIMIT_OUT, sizeof(struct rlimit));
	SIZE(FD_PAIR_OUT, 2 * sizeof(int));
	SIZE(INT_OUT, sizeof(int));
	SIZE(LOFF_INOUT, sizeof(long long));
	SIZE(UTSNAME_OUT, sizeof(struct utsname));
#undef SIZE
	assert_int_equal(dtl_arg_kind_info(DTL_ARG_PATH)->mem, DTL_MEM_STRING);
	assert_int_equal(dtl_arg_kind_info(DTL_ARG_ARGV)->mem, DTL_MEM_STRV);
	assert_int_equal(dtl_arg_kind_info(DTL_ARG_BUF_OUT)->mem, DTL_MEM_BYTES);
	assert_int_equal(dtl_arg_kind_info(DTL_ARG_FD)->mem, DTL_MEM_NONE);
	assert_int_equal(dtl_arg_kind_info(DTL_ARG_PTR)->mem, DTL_MEM_NONE);
}

/* ---- the common calls ------------------------------------------------------- */

static void argument_counts(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		unsigned nargs;
	} n[] = {
	    {"read", 3},
	    {"write", 3},
	    {"open", 3},
	    {"openat", 4},
	    {"openat2", 4},
	    {"close", 1},
	    {"stat", 2},
	    {"newfstatat", 4},
	    {"statx", 5},
	    {"lseek", 3},
	    {"mmap", 6},
	    {"mprotect", 3},
	    {"munmap", 2},
	    {"brk", 1},
	    {"rt_sigaction", 4},
	    {"rt_sigprocmask", 4},
	    {"rt_sigreturn", 0},
	    {"ioctl", 3},
	    {"pread64", 4},
	    {"readv", 3},
	    {"access", 2},
	    {"faccessat", 3},
	    {"faccessat2", 4},
	    {"pipe", 1},
	    {"pipe2", 2},
	    {"select", 5},
	    {"pselect6", 6},
	    {"poll", 3},
	    {"ppoll", 5},
	    {"sched_yield", 0},
	    {"mremap", 5},
	    {"dup2", 2},
	    {"dup3", 3},
	    {"nanosleep", 2},
	    {"getpid", 0},
	    {"socket", 3},
	    {"connect", 3},
	    {"accept", 3},
	    {"accept4", 4},
	    {"sendto", 6},
	    {"recvfrom", 6},
	    {"sendmsg", 3},
	    {"recvmsg", 3},
	    {"setsockopt", 5},
	    {"getsockopt", 5},
	    {"clone", 5},
	    {"clone3", 2},
	    {"fork", 0},
	    {"execve", 3},
	    {"execveat", 5},
	    {"exit", 1},
	    {"exit_group", 1},
	    {"wait4", 4},
	    {"waitid", 5},
	    {"kill", 2},
	    {"tgkill", 3},
	    {"uname", 1},
	    {"fcntl", 3},
	    {"getdents64", 3},
	    {"getcwd", 2},
	    {"readlink", 3},
	    {"readlinkat", 4},
	    {"umask", 1},
	    {"getrlimit", 2},
	    {"prlimit64", 4},
	    {"futex", 6},
	    {"set_tid_address", 1},
	    {"set_robust_list", 2},
	    {"rseq", 4},
	    {"arch_prctl", 2},
	    {"prctl", 5},
	    {"epoll_wait", 4},
	    {"epoll_pwait", 6},
	    {"epoll_ctl", 4},
	    {"getrandom", 3},
	    {"clock_gettime", 2},
	    {"clock_nanosleep", 4},
	    {"preadv", 5},
	    {"preadv2", 6},
	    {"splice", 6},
	    {"copy_file_range", 6},
	    {"mbind", 6},
	    {"io_uring_enter", 6},
	    {"close_range", 3},
	    {"afs_syscall", 6},
	};
	for (size_t i = 0; i < ARRAY_SIZE(n); i++) {
		const struct dtl_syscall_desc *d = get(n[i].name);
		if (d->nargs != n[i].nargs)
			fail_msg("%s: %u arguments, expected %u", n[i].name, d->nargs, n[i].nargs);
	}
}

static void file_calls(void **state)
{
	(void)state;
	expect_kinds("openat", "DIRFD PATH OPEN_FLAGS MODE");
	expect_arg("openat", 0, DTL_DIR_NONE, DTL_LEN_NONE, 0);
	expect_arg("openat", 1, DTL_DIR_IN, DTL_LEN_NONE, 0);
	assert_int_equal(get("openat")->ret, DTL_RET_FD);
	expect_kinds("open", "PATH OPEN_FLAGS MODE");
	expect_kinds("openat2", "DIRFD PATH OPEN_HOW ULONG");
	expect_arg("openat2", 2, DTL_DIR_IN, DTL_LEN_ARG, 3);
	expect_kinds("close", "FD");
	expect_kinds("stat", "PATH STAT_OUT");
	expect_arg("stat", 1, DTL_DIR_OUT, DTL_LEN_NONE, 0);
	expect_kinds("fstat", "FD STAT_OUT");
	expect_kinds("newfstatat", "DIRFD PATH STAT_OUT AT_FLAGS");
	expect_kinds("statx", "DIRFD PATH AT_FLAGS STATX_MASK STATX_OUT");
	expect_arg("statx", 4, DTL_DIR_OUT, DTL_LEN_NONE, 0);
	expect_kinds("statfs", "PATH STATFS_OUT");
	expect_kinds("lseek", "FD LONG SEEK_WHENCE");
	expect_kinds("access", "PATH ACCESS_MODE");
	expect_kinds("faccessat2", "DIRFD PATH ACCESS_MODE AT_FLAGS");
	expect_kinds("fcntl", "FD FCNTL_CMD FCNTL_ARG");
	expect_arg("fcntl", 2, DTL_DIR_NONE, DTL_LEN_ARG, 1);
	expect_kinds("ioctl", "FD IOCTL_REQ HEX");
	expect_kinds("getdents64", "FD DIRENT64_OUT UINT");
	expect_arg("getdents64", 1, DTL_DIR_OUT, DTL_LEN_RET, 2);
	expect_kinds("readlink", "PATH BUF_OUT ULONG");
	expect_arg("readlink", 1, DTL_DIR_OUT, DTL_LEN_RET, 2);
	expect_kinds("getcwd", "BUF_OUT ULONG");
	expect_kinds("unlinkat", "DIRFD PATH AT_FLAGS");
	expect_kinds("renameat2", "DIRFD PATH DIRFD PATH RENAME_FLAGS");
	expect_kinds("mkdir", "PATH MODE");
	expect_kinds("chown", "PATH UID GID");
	expect_kinds("umask", "MODE");
	assert_int_equal(get("umask")->ret, DTL_RET_OCTAL);
	expect_kinds("utimensat", "DIRFD PATH TIMESPEC_PAIR_IN AT_FLAGS");
	expect_kinds("dup3", "FD FD OPEN_FLAGS");
	expect_kinds("pipe2", "FD_PAIR_OUT OPEN_FLAGS");
	expect_arg("pipe2", 0, DTL_DIR_OUT, DTL_LEN_NONE, 0);
	expect_kinds("flock", "FD FLOCK_OP");
}

static void io_calls(void **state)
{
	(void)state;
	expect_kinds("read", "FD BUF_OUT ULONG");
	expect_arg("read", 1, DTL_DIR_OUT, DTL_LEN_RET, 2);
	expect_kinds("write", "FD BUF_IN ULONG");
	expect_arg("write", 1, DTL_DIR_IN, DTL_LEN_ARG, 2);
	expect_kinds("pread64", "FD BUF_OUT ULONG LONG");
	expect_arg("pread64", 1, DTL_DIR_OUT, DTL_LEN_RET, 2);
	expect_kinds("pwrite64", "FD BUF_IN ULONG LONG");
	expect_arg("pwrite64", 1, DTL_DIR_IN, DTL_LEN_ARG, 2);
	expect_kinds("readv", "FD IOVEC_OUT INT");
	expect_arg("readv", 1, DTL_DIR_OUT, DTL_LEN_ARG, 2);
	expect_kinds("writev", "FD IOVEC_IN INT");
	expect_arg("writev", 1, DTL_DIR_IN, DTL_LEN_ARG, 2);
	expect_kinds("sendfile", "FD FD LOFF_INOUT ULONG");
	expect_arg("sendfile", 2, DTL_DIR_INOUT, DTL_LEN_NONE, 0);
	expect_kinds("poll", "POLLFD_ARRAY UINT INT");
	expect_arg("poll", 0, DTL_DIR_INOUT, DTL_LEN_ARG, 1);
	expect_kinds("ppoll", "POLLFD_ARRAY UINT TIMESPEC_IN SIGSET ULONG");
	expect_kinds("select", "INT FD_SET FD_SET FD_SET TIMEVAL_IN");
	expect_arg("select", 1, DTL_DIR_INOUT, DTL_LEN_ARG, 0);
	expect_kinds("epoll_wait", "FD EPOLL_EVENT_OUT INT INT");
	expect_arg("epoll_wait", 1, DTL_DIR_OUT, DTL_LEN_RET, 2);
	expect_kinds("epoll_ctl", "FD EPOLL_CTL_OP FD EPOLL_EVENT_IN");
	expect_kinds("getrandom", "BUF_OUT ULONG GETRANDOM_FLAGS");
}

static void memory_calls(void **state)
{
	(void)state;
	expect_kinds("mmap", "PTR ULONG PROT MMAP_FLAGS FD HEX");
	assert_int_equal(get("mmap")->ret, DTL_RET_HEX);
	expect_kinds("mprotect", "PTR ULONG PROT");
	expect_kinds("munmap", "PTR ULONG");
	expect_kinds("brk", "PTR");
	assert_int_equal(get("brk")->ret, DTL_RET_HEX);
	expect_kinds("mremap", "PTR ULONG ULONG MREMAP_FLAGS PTR");
	assert_int_equal(get("mremap")->ret, DTL_RET_HEX);
	expect_kinds("madvise", "PTR ULONG MADVISE");
	expect_kinds("msync", "PTR ULONG MSYNC_FLAGS");
	assert_int_equal(get("shmat")->ret, DTL_RET_HEX);
	/* which calls may write the caller's memory (the watch engine's
	 * writes by the kernel) */
	assert_true(dtl_syscall_writes_memory(dtl_syscall_by_name("read")));
	assert_true(dtl_syscall_writes_memory(dtl_syscall_by_name("recvmsg")));
	assert_true(dtl_syscall_writes_memory(dtl_syscall_by_name("getdents64")));
	assert_true(dtl_syscall_writes_memory(dtl_syscall_by_name("clock_gettime")));
	assert_false(dtl_syscall_writes_memory(dtl_syscall_by_name("write")));
	assert_false(dtl_syscall_writes_memory(dtl_syscall_by_name("getpid")));
	assert_false(dtl_syscall_writes_memory(dtl_syscall_by_name("close")));
	assert_true(dtl_syscall_writes_memory(100000)); /* unknown: may */

	/* where, at most: read's buffer as large as its count, fstat's
	 * struct stat, accept4's address up to a sockaddr_storage and its
	 * length; nothing for write; anywhere for what cannot be bounded */
	struct dtl_mem_range r[6];
	const uint64_t rd[6] = {3, 0x1000, 300};
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("read"), rd, r, 6), 1);
	assert_int_equal(r[0].addr, 0x1000);
	assert_int_equal(r[0].len, 300);
	const uint64_t st[6] = {3, 0x2000};
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("fstat"), st, r, 6), 1);
	assert_int_equal(r[0].len, 144);
	const uint64_t ac[6] = {3, 0x3000, 0x4000, 0};
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("accept4"), ac, r, 6), 2);
	assert_int_equal(r[0].len, 128);
	assert_int_equal(r[1].addr, 0x4000);
	assert_int_equal(r[1].len, 4);
	const uint64_t nul[6] = {3, 0, 300};
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("read"), nul, r, 6), 0);
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("write"), rd, r, 6), 0);
	const uint64_t sa[6] = {0, 1, 0x5000};
	assert_int_equal(
	    dtl_syscall_output_ranges(dtl_syscall_by_name("sched_getaffinity"), sa, r, 6), 1);
	assert_int_equal(r[0].len, 1); /* as many bytes as argument 1 says */
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("readv"), rd, r, 6), -1);
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("recvmsg"), rd, r, 6), -1);
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("ioctl"), rd, r, 6), -1);
	assert_int_equal(dtl_syscall_output_ranges(100000, rd, r, 6), -1);
	assert_int_equal(dtl_syscall_output_ranges(dtl_syscall_by_name("fstat"), st, r, 0), -1);
}

static void process_calls(void **state)
{
	(void)state;
	expect_kinds("execve", "PATH ARGV ENVP");
	for (unsigned i = 0; i < 3; i++)
		expect_arg("execve", i, DTL_DIR_IN, DTL_LEN_NONE, 0);
	expect_kinds("execveat", "DIRFD PATH ARGV ENVP AT_FLAGS");
	expect_kinds("clone", "CLONE_FLAGS PTR PTR PTR HEX");
	assert_int_equal(get("clone")->ret, DTL_RET_PID);
	expect_kinds("clone3", "CLONE_ARGS ULONG");
	expect_arg("clone3", 0, DTL_DIR_IN, DTL_LEN_ARG, 1);
	assert_int_equal(get("fork")->ret, DTL_RET_PID);
	assert_int_equal(get("vfork")->ret, DTL_RET_PID);
	expect_kinds("wait4", "PID WAIT_STATUS_OUT WAIT_OPTIONS RUSAGE_OUT");
	assert_int_equal(get("wait4")->ret, DTL_RET_PID);
	expect_kinds("waitid", "IDTYPE PID SIGINFO WAIT_OPTIONS RUSAGE_OUT");
	expect_arg("waitid", 2, DTL_DIR_OUT, DTL_LEN_NONE, 0);
	expect_kinds("exit_group", "INT");
	assert_int_equal(get("exit_group")->ret, DTL_RET_NONE);
	assert_int_equal(get("exit")->ret, DTL_RET_NONE);
	expect_kinds("kill", "PID SIGNUM");
	expect_kinds("tgkill", "PID PID SIGNUM");
	expect_kinds("getrlimit", "RLIMIT_RESOURCE RLIMIT_OUT");
	expect_kinds("setrlimit", "RLIMIT_RESOURCE RLIMIT_IN");
	expect_kinds("prlimit64", "PID RLIMIT_RESOURCE RLIMIT_IN RLIMIT_OUT");
	expect_kinds("futex", "PTR FUTEX_OP UINT PTR PTR UINT");
	expect_kinds("set_tid_address", "PTR");
	assert_int_equal(get("set_tid_address")->ret, DTL_RET_PID);
	assert_int_equal(get("getpid")->ret, DTL_RET_PID);
	assert_int_equal(get("gettid")->ret, DTL_RET_PID);
	expect_kinds("arch_prctl", "ARCH_PRCTL_CODE HEX");
	expect_kinds("uname", "UTSNAME_OUT");
	expect_kinds("setresuid", "UID UID UID");
}

static void signal_calls(void **state)
{
	(void)state;
	expect_kinds("rt_sigaction", "SIGNUM SIGACTION SIGACTION ULONG");
	expect_arg("rt_sigaction", 1, DTL_DIR_IN, DTL_LEN_NONE, 0);
	expect_arg("rt_sigaction", 2, DTL_DIR_OUT, DTL_LEN_NONE, 0);
	expect_kinds("rt_sigprocmask", "SIGPROCMASK_HOW SIGSET SIGSET ULONG");
	expect_arg("rt_sigprocmask", 1, DTL_DIR_IN, DTL_LEN_NONE, 0);
	expect_arg("rt_sigprocmask", 2, DTL_DIR_OUT, DTL_LEN_NONE, 0);
	expect_kinds("rt_sigsuspend", "SIGSET ULONG");
	expect_kinds("sigaltstack", "STACK_T STACK_T");
	expect_kinds("rt_sigtimedwait", "SIGSET SIGINFO TIMESPEC_IN ULONG");
	expect_kinds("nanosleep", "TIMESPEC_IN TIMESPEC_OUT");
	expect_kinds("clock_gettime", "CLOCKID TIMESPEC_OUT");
	expect_kinds("gettimeofday", "TIMEVAL_OUT PTR");
}

static void network_calls(void **state)
{
	(void)state;
	expect_kinds("socket", "SOCK_DOMAIN SOCK_TYPE INT");
	assert_int_equal(get("socket")->ret, DTL_RET_FD);
	expect_kinds("connect", "FD SOCKADDR_IN UINT");
	expect_arg("connect", 1, DTL_DIR_IN, DTL_LEN_ARG, 2);
	expect_kinds("bind", "FD SOCKADDR_IN UINT");
	expect_kinds("accept", "FD SOCKADDR_OUT SOCKLEN_PTR");
	expect_arg("accept", 1, DTL_DIR_OUT, DTL_LEN_ARG_PTR, 2);
	expect_arg("accept", 2, DTL_DIR_INOUT, DTL_LEN_NONE, 0);
	assert_int_equal(get("accept")->ret, DTL_RET_FD);
	expect_kinds("accept4", "FD SOCKADDR_OUT SOCKLEN_PTR SOCK_FLAGS");
	expect_kinds("getsockname", "FD SOCKADDR_OUT SOCKLEN_PTR");
	expect_kinds("sendto", "FD BUF_IN ULONG MSG_FLAGS SOCKADDR_IN UINT");
	expect_arg("sendto", 1, DTL_DIR_IN, DTL_LEN_ARG, 2);
	expect_arg("sendto", 4, DTL_DIR_IN, DTL_LEN_ARG, 5);
	expect_kinds("recvfrom", "FD BUF_OUT ULONG MSG_FLAGS SOCKADDR_OUT SOCKLEN_PTR");
	expect_arg("recvfrom", 1, DTL_DIR_OUT, DTL_LEN_RET, 2);
	expect_arg("recvfrom", 4, DTL_DIR_OUT, DTL_LEN_ARG_PTR, 5);
	expect_kinds("sendmsg", "FD MSGHDR_IN MSG_FLAGS");
	expect_kinds("recvmsg", "FD MSGHDR_OUT MSG_FLAGS");
	expect_arg("recvmsg", 1, DTL_DIR_OUT, DTL_LEN_NONE, 0);
	expect_kinds("sendmmsg", "FD MMSGHDR_IN UINT MSG_FLAGS");
	expect_arg("recvmmsg", 1, DTL_DIR_OUT, DTL_LEN_RET, 2);
	expect_kinds("setsockopt", "FD SOCK_LEVEL SOCKOPT_NAME BUF_IN UINT");
	expect_arg("setsockopt", 2, DTL_DIR_NONE, DTL_LEN_ARG, 1);
	expect_arg("setsockopt", 3, DTL_DIR_IN, DTL_LEN_ARG, 4);
	expect_kinds("getsockopt", "FD SOCK_LEVEL SOCKOPT_NAME BUF_OUT SOCKLEN_PTR");
	expect_arg("getsockopt", 3, DTL_DIR_OUT, DTL_LEN_ARG_PTR, 4);
	expect_kinds("shutdown", "FD SHUTDOWN_HOW");
	expect_kinds("socketpair", "SOCK_DOMAIN SOCK_TYPE INT FD_PAIR_OUT");
}

/* ---- trace classes ---------------------------------------------------------- */

static void expect_classes(const char *name, uint32_t classes)
{
	const struct dtl_syscall_desc *d = get(name);
	if (d->classes != classes)
		fail_msg("%s: classes %#x, expected %#x", name, d->classes, classes);
}

static void trace_classes(void **state)
{
	(void)state;
	const uint32_t STAT_LIKE = DTL_TRACE_STAT_LIKE, STATFS_LIKE = DTL_TRACE_STATFS_LIKE;
	expect_classes("openat", DTL_TRACE_FILE | DTL_TRACE_DESC);
	expect_classes("open", DTL_TRACE_FILE | DTL_TRACE_DESC);
	expect_classes("read", DTL_TRACE_DESC);
	expect_classes("close", DTL_TRACE_DESC);
	expect_classes("access", DTL_TRACE_FILE);
	expect_classes("getcwd", DTL_TRACE_FILE);
	expect_classes("execve", DTL_TRACE_FILE | DTL_TRACE_PROCESS);
	expect_classes("execveat", DTL_TRACE_FILE | DTL_TRACE_DESC | DTL_TRACE_PROCESS);
	expect_classes("mmap", DTL_TRACE_MEMORY | DTL_TRACE_DESC);
	expect_classes("munmap", DTL_TRACE_MEMORY);
	expect_classes("brk", DTL_TRACE_MEMORY);
	expect_classes("shmat", DTL_TRACE_MEMORY | DTL_TRACE_IPC);
	expect_classes("semop", DTL_TRACE_IPC);
	expect_classes("socket", DTL_TRACE_NETWORK);
	expect_classes("connect", DTL_TRACE_NETWORK);
	expect_classes("sendfile", DTL_TRACE_NETWORK | DTL_TRACE_DESC);
	expect_classes("kill", DTL_TRACE_SIGNAL | DTL_TRACE_PROCESS);
	expect_classes("tgkill", DTL_TRACE_SIGNAL | DTL_TRACE_PROCESS);
	expect_classes("rt_sigaction", DTL_TRACE_SIGNAL);
	expect_classes("rt_sigreturn", DTL_TRACE_SIGNAL);
	expect_classes("signalfd4", DTL_TRACE_SIGNAL | DTL_TRACE_DESC);
	expect_classes("clone", DTL_TRACE_PROCESS);
	expect_classes("clone3", DTL_TRACE_PROCESS);
	expect_classes("fork", DTL_TRACE_PROCESS);
	expect_classes("wait4", DTL_TRACE_PROCESS);
	expect_classes("exit_group", DTL_TRACE_PROCESS);
	expect_classes("setuid", DTL_TRACE_CREDS);
	expect_classes("getuid", DTL_TRACE_CREDS | DTL_TRACE_PURE);
	expect_classes("capget", DTL_TRACE_CREDS);
	expect_classes("getpid", DTL_TRACE_PURE);
	expect_classes("gettid", DTL_TRACE_PURE);
	expect_classes("clock_gettime", DTL_TRACE_CLOCK);
	expect_classes("gettimeofday", DTL_TRACE_CLOCK);
	expect_classes("nanosleep", 0);
	expect_classes("futex", 0);
	expect_classes("stat", DTL_TRACE_FILE | DTL_TRACE_STAT | STAT_LIKE);
	expect_classes("lstat", DTL_TRACE_FILE | DTL_TRACE_LSTAT | STAT_LIKE);
	expect_classes("fstat", DTL_TRACE_DESC | DTL_TRACE_FSTAT | STAT_LIKE);
	expect_classes("newfstatat", DTL_TRACE_FILE | DTL_TRACE_DESC | DTL_TRACE_FSTAT | STAT_LIKE);
	expect_classes("statx", DTL_TRACE_FILE | DTL_TRACE_DESC | DTL_TRACE_FSTAT | STAT_LIKE);
	expect_classes("statfs", DTL_TRACE_FILE | DTL_TRACE_STATFS | STATFS_LIKE);
	expect_classes("fstatfs", DTL_TRACE_DESC | DTL_TRACE_FSTATFS | STATFS_LIKE);
	expect_classes("ustat", STATFS_LIKE);

	/* Every class has members. */
	for (uint32_t bit = 1; bit & DTL_TRACE_ALL_CLASSES; bit <<= 1) {
		int members = 0;
		for (long nr = 0; nr < dtl_syscall_nr_limit(); nr++) {
			const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
			members += d && (d->classes & bit);
		}
		if (!members)
			fail_msg("class %#x is empty", bit);
	}
}

static void class_names(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint32_t bits;
	} ok[] = {
	    {"%file", DTL_TRACE_FILE},       {"file", DTL_TRACE_FILE},
	    {"%desc", DTL_TRACE_DESC},       {"desc", DTL_TRACE_DESC},
	    {"%memory", DTL_TRACE_MEMORY},   {"memory", DTL_TRACE_MEMORY},
	    {"%process", DTL_TRACE_PROCESS}, {"process", DTL_TRACE_PROCESS},
	    {"%network", DTL_TRACE_NETWORK}, {"%net", DTL_TRACE_NETWORK},
	    {"network", DTL_TRACE_NETWORK},  {"%signal", DTL_TRACE_SIGNAL},
	    {"signal", DTL_TRACE_SIGNAL},    {"%ipc", DTL_TRACE_IPC},
	    {"ipc", DTL_TRACE_IPC},          {"%creds", DTL_TRACE_CREDS},
	    {"%clock", DTL_TRACE_CLOCK},     {"%stat", DTL_TRACE_STAT},
	    {"%lstat", DTL_TRACE_LSTAT},     {"%fstat", DTL_TRACE_FSTAT},
	    {"%%stat", DTL_TRACE_STAT_LIKE}, {"%statfs", DTL_TRACE_STATFS},
	    {"%fstatfs", DTL_TRACE_FSTATFS}, {"%%statfs", DTL_TRACE_STATFS_LIKE},
	    {"%pure", DTL_TRACE_PURE},
	};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		uint32_t bits = 0;
		if (dtl_trace_class_by_name(ok[i].name, &bits) != 0)
			fail_msg("\"%s\" not accepted", ok[i].name);
		assert_int_equal(bits, ok[i].bits);
	}

	/* Not classes: bare names of the newer classes are syscall names (stat),
	 * or nothing at all. */
	static const char *const bad[] = {
	    "stat", "lstat",  "fstat",   "statfs", "creds",  "clock",  "pure",
	    "net",  "%%file", "%%%stat", "%bogus", "bogus",  "%",      "%%",
	    "",     "%File",  "FILE",    "%file ", " %file", "%files", "%fil",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint32_t bits = 0xdeadbeef;
		if (dtl_trace_class_by_name(bad[i], &bits) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(bits, 0xdeadbeef);
	}
	uint32_t bits;
	assert_int_equal(dtl_trace_class_by_name(NULL, &bits), -1);
	assert_int_equal(dtl_trace_class_by_name("%file", NULL), -1);
}

/* Which calls create descriptors, and where they are (dtrace-lite -y). */
static void fd_creation(void **state)
{
	(void)state;
	uint64_t none[6] = {0}, dupfd[6] = {3, 1030 /* F_DUPFD_CLOEXEC */}, getfl[6] = {3, 3};
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("openat"), none),
	                 DTL_FD_IN_RESULT);
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("dup2"), none),
	                 DTL_FD_IN_RESULT);
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("fcntl"), dupfd),
	                 DTL_FD_IN_RESULT);
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("fcntl"), getfl), 0);
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("pipe2"), none),
	                 DTL_FD_PAIR_ARG(0));
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("socketpair"), none),
	                 DTL_FD_PAIR_ARG(3));
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("read"), none), 0);
	assert_int_equal(dtl_syscall_fd_creation(dtl_syscall_by_name("close"), none), 0);
}

/* Is @name one of the space-separated names in @names? */
static bool in_list(const char *names, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = names; (p = strstr(p, name)); p += n)
		if ((p == names || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* Every call whose column @get is @value is in @names, and every name in
 * @names is such a call; returns how many there are. */
static int column_is_exactly(int (*get)(long nr), int value, const char *names)
{
	int count = 0;
	for (long nr = 0; nr < dtl_syscall_nr_limit(); nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d)
			continue;
		bool has = get(nr) == value, listed = in_list(names, d->name);
		if (has != listed)
			fail_msg("%s: column value %d %s, expected %s", d->name, get(nr),
			         has ? "set" : "not set", listed ? "set" : "not set");
		count += has;
	}
	return count;
}

static int lifecycle(long nr)
{
	return (int)dtl_syscall_lifecycle(nr);
}

static int fd_effect(long nr)
{
	return (int)dtl_syscall_fd_effect(nr);
}

static int capture_hook(long nr)
{
	return (int)dtl_syscall_capture_hook(nr);
}

static int restart(long nr)
{
	return (int)dtl_syscall_restart(nr);
}

static int reports_at_entry(long nr)
{
	return dtl_syscall_reports_at_entry(nr);
}

/* Which calls fork, exec, exit or may not return: the lifecycle column. */
static void lifecycle_column(void **state)
{
	(void)state;
	assert_int_equal(column_is_exactly(lifecycle, DTL_LIFE_FORK, "fork vfork clone clone3"), 4);
	assert_int_equal(column_is_exactly(lifecycle, DTL_LIFE_EXEC, "execve execveat"), 2);
	assert_int_equal(column_is_exactly(lifecycle, DTL_LIFE_EXIT_THREAD, "exit"), 1);
	assert_int_equal(column_is_exactly(lifecycle, DTL_LIFE_EXIT_GROUP, "exit_group"), 1);
	assert_int_equal(column_is_exactly(lifecycle, DTL_LIFE_SIGNALS,
	                                   "kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo"),
	                 5);
	assert_int_equal(column_is_exactly(reports_at_entry, 1,
	                                   "exit exit_group execve execveat kill tkill tgkill "
	                                   "rt_sigqueueinfo rt_tgsigqueueinfo"),
	                 9);

	/* the classes agree: every one of them is %process, creators return
	 * a pid, exits do not return, execs take a path */
	for (long nr = 0; nr < dtl_syscall_nr_limit(); nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d || d->lifecycle == DTL_LIFE_ORDINARY)
			continue;
		if (!(d->classes & DTL_TRACE_PROCESS))
			fail_msg("%s: has a lifecycle but is not %%process", d->name);
		bool exits =
		    d->lifecycle == DTL_LIFE_EXIT_THREAD || d->lifecycle == DTL_LIFE_EXIT_GROUP;
		assert_int_equal(exits, d->ret == DTL_RET_NONE);
		if (d->lifecycle == DTL_LIFE_FORK)
			assert_int_equal(d->ret, DTL_RET_PID);
		if (d->lifecycle == DTL_LIFE_SIGNALS)
			assert_true(d->classes & DTL_TRACE_SIGNAL);
	}
	bool whole = true;
	assert_true(dtl_syscall_exits(dtl_syscall_by_name("exit"), &whole));
	assert_false(whole);
	assert_true(dtl_syscall_exits(dtl_syscall_by_name("exit_group"), &whole));
	assert_true(whole);
	assert_false(dtl_syscall_exits(dtl_syscall_by_name("kill"), NULL));
	assert_true(dtl_syscall_creates_task(dtl_syscall_by_name("clone3")));
	assert_false(dtl_syscall_creates_task(dtl_syscall_by_name("unshare")));
	assert_true(dtl_syscall_execs(dtl_syscall_by_name("execveat")));
	assert_false(dtl_syscall_execs(dtl_syscall_by_name("fexecve")));
	/* numbers the catalogue lacks: the defaults */
	assert_int_equal(dtl_syscall_lifecycle(-1), DTL_LIFE_ORDINARY);
	assert_int_equal(dtl_syscall_lifecycle(100000), DTL_LIFE_ORDINARY);
	assert_false(dtl_syscall_reports_at_entry(100000));
}

/* The descriptor column: creators, pairs, close and the working directory. */
static void fd_effect_column(void **state)
{
	(void)state;
	assert_int_equal(
	    column_is_exactly(fd_effect, DTL_FDS_RESULT,
	                      "open openat openat2 creat socket accept accept4 dup dup2 dup3 "
	                      "eventfd eventfd2 epoll_create epoll_create1 memfd_create "
	                      "timerfd_create signalfd signalfd4 inotify_init inotify_init1 "
	                      "pidfd_open open_by_handle_at"),
	    22);
	assert_int_equal(column_is_exactly(fd_effect, DTL_FDS_FCNTL_DUP, "fcntl"), 1);
	assert_int_equal(column_is_exactly(fd_effect, DTL_FDS_PAIR, "pipe pipe2 socketpair"), 3);
	assert_int_equal(column_is_exactly(fd_effect, DTL_FDS_CLOSE, "close"), 1);
	assert_int_equal(column_is_exactly(fd_effect, DTL_FDS_CHDIR, "chdir"), 1);
	assert_int_equal(column_is_exactly(fd_effect, DTL_FDS_FCHDIR, "fchdir"), 1);
	for (long nr = 0; nr < dtl_syscall_nr_limit(); nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d)
			continue;
		/* a pair lands in an int[2] argument */
		bool pair_arg = false;
		for (int i = 0; i < d->nargs; i++)
			pair_arg |= d->args[i].kind == DTL_ARG_FD_PAIR_OUT;
		assert_int_equal(pair_arg, d->fd_effect == DTL_FDS_PAIR);
		/* a new descriptor in the result is printed as one */
		if (d->fd_effect == DTL_FDS_RESULT)
			assert_int_equal(d->ret, DTL_RET_FD);
	}
}

/* What the capture copies besides the arguments. */
static void capture_hook_column(void **state)
{
	(void)state;
	assert_int_equal(column_is_exactly(capture_hook, DTL_CAPTURE_RECVMSG_HEADER, "recvmsg"), 1);
	assert_int_equal(column_is_exactly(capture_hook, DTL_CAPTURE_FUTEX_TIMEOUT, "futex"), 1);
	assert_int_equal(column_is_exactly(capture_hook, DTL_CAPTURE_IOCTL_ARG, "ioctl"), 1);
	assert_int_equal(
	    column_is_exactly(capture_hook, DTL_CAPTURE_SIGRETURN_MASK, "rt_sigreturn"), 1);
}

/* Every decoder is somebody's, and the special calls have theirs. */
static void decoder_column(void **state)
{
	(void)state;
	int users[DTL_DECODER_COUNT] = {0};
	for (long nr = 0; nr < dtl_syscall_nr_limit(); nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d)
			continue;
		assert_in_range(d->decoder, 0, DTL_DECODER_COUNT - 1);
		users[d->decoder]++;
	}
	for (int k = 1; k < DTL_DECODER_COUNT; k++)
		if (!users[k])
			fail_msg("decoder %d is nobody's", k);
	static const struct {
		const char *name;
		enum dtl_decoder decoder;
	} expect[] = {
	    {"open", DTL_DECODER_OPEN},       {"openat", DTL_DECODER_OPEN},
	    {"openat2", DTL_DECODER_KINDS},   {"fcntl", DTL_DECODER_FCNTL},
	    {"ioctl", DTL_DECODER_IOCTL},     {"mknodat", DTL_DECODER_MKNOD},
	    {"pipe2", DTL_DECODER_FD_FLAGS},  {"clone", DTL_DECODER_CLONE},
	    {"clone3", DTL_DECODER_KINDS},    {"futex", DTL_DECODER_FUTEX},
	    {"pwritev2", DTL_DECODER_PREADV}, {"pselect6", DTL_DECODER_PSELECT6},
	    {"read", DTL_DECODER_KINDS},      {"rt_sigreturn", DTL_DECODER_RT_SIGRETURN},
	};
	for (size_t i = 0; i < ARRAY_SIZE(expect); i++)
		if (dtl_syscall_decoder(dtl_syscall_by_name(expect[i].name)) != expect[i].decoder)
			fail_msg("%s: decoder %d, expected %d", expect[i].name,
			         dtl_syscall_decoder(dtl_syscall_by_name(expect[i].name)),
			         expect[i].decoder);
}

/* The error an interrupted call ends with, and the sigset sizes. */
static void restart_and_sigset_columns(void **state)
{
	(void)state;
	assert_int_equal(column_is_exactly(restart, DTL_RESTART_NOHAND,
	                                   "pause rt_sigsuspend poll ppoll select pselect6 "
	                                   "epoll_wait epoll_pwait epoll_pwait2"),
	                 9);
	assert_int_equal(
	    column_is_exactly(restart, DTL_RESTART_RESTARTBLOCK, "nanosleep clock_nanosleep"), 2);
	assert_int_equal(column_is_exactly(restart, DTL_RESTART_SYS,
	                                   "read readv write writev wait4 waitid accept accept4 "
	                                   "connect recvfrom recvmsg sendto sendmsg futex flock "
	                                   "openat open pread64 pwrite64"),
	                 19);
	/* the size argument follows a sigset argument and is a plain number */
	int with_size = 0;
	for (long nr = 0; nr < dtl_syscall_nr_limit(); nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		if (!d || !d->sigsetsize_arg)
			continue;
		with_size++;
		int n = d->sigsetsize_arg - 1;
		assert_in_range(n, 1, d->nargs - 1);
		assert_int_equal(d->args[n].kind, DTL_ARG_ULONG);
		bool set = false;
		for (int i = 0; i < n; i++)
			set |= d->args[i].kind == DTL_ARG_SIGSET;
		if (!set)
			fail_msg("%s: a sigset size without a sigset", d->name);
	}
	assert_int_equal(with_size, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_header_syscall_is_catalogued),
	    cmocka_unit_test(names_are_unique_and_round_trip),
	    cmocka_unit_test(unknown_numbers_and_names),
	    cmocka_unit_test(syscalls_newer_than_the_headers),
	    cmocka_unit_test(every_entry_is_consistent),
	    cmocka_unit_test(kind_facts),
	    cmocka_unit_test(argument_counts),
	    cmocka_unit_test(file_calls),
	    cmocka_unit_test(io_calls),
	    cmocka_unit_test(memory_calls),
	    cmocka_unit_test(process_calls),
	    cmocka_unit_test(signal_calls),
	    cmocka_unit_test(network_calls),
	    cmocka_unit_test(trace_classes),
	    cmocka_unit_test(class_names),
	    cmocka_unit_test(fd_creation),
	    cmocka_unit_test(lifecycle_column),
	    cmocka_unit_test(fd_effect_column),
	    cmocka_unit_test(capture_hook_column),
	    cmocka_unit_test(decoder_column),
	    cmocka_unit_test(restart_and_sigset_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
