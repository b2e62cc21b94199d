// SPDX-License-Identifier: MIT
/*
 * decode_memory.c (with decode_sockaddr.c and decode_signal.c) against
 * strace 6.1: events built by hand with their blobs laid out as
 * tracer/capture.c lays them out, formatted by dtl_format_call(), and
 * compared with whole lines strace 6.1 printed for the same calls (probe
 * programs under strace on x86-64; the addresses in the events are the ones
 * strace showed, column-40 padding included).
 *
 * The tests named *_scalar also depend on flags and enumerations that
 * dtl_print_scalar() (decode_scalar.c) prints inside the structs
 * (AF_INET, CLONE_VM, SIG_BLOCK, ...).
 */
#define _GNU_SOURCE
#include <dtl/catalogue.h>
#include <dtl/format.h>
#include <dtl/ring.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../../tracer/decode.h"

#define E_ENTRY DTL_BLOB_ENTRY
#define E_TRUNC DTL_BLOB_TRUNCATED
#define E_FAULT DTL_BLOB_FAULT

static struct dtl_event ev;

static void call(const char *name, long ret, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4, uint64_t a5)
{
	memset(&ev, 0, sizeof(ev));
	ev.type = DTL_EV_SYSCALL;
	ev.pid = ev.tid = 42;
	ev.nr = dtl_syscall_by_name(name);
	assert_true(ev.nr >= 0);
	uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
	memcpy(ev.args, a, sizeof(a));
	ev.ret = ret;
}

#define CALL(name, ret, ...) call_n(name, ret, (uint64_t[6]){__VA_ARGS__})
static void call_n(const char *name, long ret, const uint64_t a[6])
{
	call(name, ret, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* One blob, appended as capture.c appends them. */
static void blob(int arg, unsigned sub, unsigned flags, const void *data, size_t len)
{
	assert_true(ev.nblobs < DTL_EVENT_MAX_BLOBS);
	struct dtl_blob *b = &ev.blobs[ev.nblobs];
	uint16_t off = ev.nblobs ? ev.blobs[ev.nblobs - 1].offset + ev.blobs[ev.nblobs - 1].len : 0;
	assert_true(off + len <= DTL_EVENT_DATA);
	b->arg = (uint8_t)arg;
	b->sub = (uint16_t)sub;
	b->flags = (uint8_t)flags;
	b->offset = off;
	b->len = (uint16_t)(flags & E_FAULT ? 0 : len);
	if (!(flags & E_FAULT))
		memcpy(ev.data + off, data, len);
	ev.nblobs++;
}

static void str(int arg, unsigned sub, unsigned flags, const char *s)
{
	blob(arg, sub, flags, s, strlen(s));
}

static void u32(int arg, unsigned flags, uint32_t v)
{
	blob(arg, DTL_SUB_OBJECT, flags, &v, 4);
}

static void u64(int arg, unsigned flags, uint64_t v)
{
	blob(arg, DTL_SUB_OBJECT, flags, &v, 8);
}

static void check_s(unsigned strsize, const char *expected)
{
	struct dtl_format_opts o = {.strsize = strsize};
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	assert_non_null(m);
	dtl_format_call(m, &ev, &o);
	fclose(m);
	assert_string_equal(line, expected);
	free(line);
}

static void check(const char *expected)
{
	check_s(32, expected);
}

#define ENOENT_ " = -1 ENOENT (No such file or directory)"
#define EFAULT_ "= -1 EFAULT (Bad address)"

/* --- strings, buffers, vectors -------------------------------------------- */

static void test_strings(void **state)
{
	(void)state;
	CALL("stat", -2, 0x1000, 0x7ffd9afc1490);
	str(0, 0, E_ENTRY, "/nonexist");
	check("stat(\"/nonexist\", 0x7ffd9afc1490)      " ENOENT_);

	CALL("stat", -14, 0x1, 0x7ffd9afc1490);
	blob(0, 0, E_ENTRY | E_FAULT, NULL, 0);
	check("stat(0x1, 0x7ffd9afc1490)               " EFAULT_);

	CALL("execve", -2, 0x1000, 0x2000, 0x7ffd08af8190);
	str(0, 0, E_ENTRY, "/nonexist");
	uint64_t ptrs[3] = {0x3000, 0x3010, 0x3020};
	blob(1, 0, E_ENTRY, ptrs, sizeof(ptrs));
	str(1, DTL_SUB_ELEM(0), E_ENTRY, "/bin/true");
	str(1, DTL_SUB_ELEM(1), E_ENTRY, "-l");
	str(1, DTL_SUB_ELEM(2), E_ENTRY, "a\nb");
	u32(2, E_ENTRY, 2);
	check("execve(\"/nonexist\", [\"/bin/true\", \"-l\", \"a\\nb\"], 0x7ffd08af8190 /* 2 vars "
	      "*/)" ENOENT_);

	CALL("execve", -2, 0x1000, 0, 0);
	str(0, 0, E_ENTRY, "/nonexist");
	check("execve(\"/nonexist\", NULL, NULL)        " ENOENT_);

	/* -s 4: four strings of at most four bytes, then "..." */
	CALL("execve", -2, 0x1000, 0x2000, 0x7ffe648693b0);
	str(0, 0, E_ENTRY, "/nonexist");
	uint64_t p4[4] = {0x3000, 0x3010, 0x3020, 0x3030};
	blob(1, 0, E_ENTRY | E_TRUNC, p4, sizeof(p4));
	str(1, DTL_SUB_ELEM(0), E_ENTRY, "a");
	str(1, DTL_SUB_ELEM(1), E_ENTRY, "bb");
	str(1, DTL_SUB_ELEM(2), E_ENTRY | E_TRUNC, "cccc");
	str(1, DTL_SUB_ELEM(3), E_ENTRY, "d");
	u32(2, E_ENTRY, 6);
	check_s(4,
	        "execve(\"/nonexist\", [\"a\", \"bb\", \"cccc\"..., \"d\", ...], 0x7ffe648693b0 /* "
	        "6 vars */)" ENOENT_);
	/* exactly four */
	ev.blobs[1].flags = E_ENTRY;
	ev.blobs[4].flags = E_ENTRY;
	memcpy(ev.data + ev.blobs[4].offset, "cccc", 4);
	check_s(4,
	        "execve(\"/nonexist\", [\"a\", \"bb\", \"cccc\", \"d\"], 0x7ffe648693b0 /* 6 vars "
	        "*/)" ENOENT_);
}

static void test_buffers(void **state)
{
	(void)state;
	static const unsigned char elf[32] = {0x7f, 'E', 'L',  'F', 2, 1, 1, 3,   0, 0, 0,
	                                      0,    0,   0,    0,   0, 3, 0, '>', 0, 1, 0,
	                                      0,    0,   0x10, 't', 2, 0, 0, 0,   0, 0};
	CALL("read", 832, 3, 0x7ffc0000, 832);
	blob(1, 0, E_TRUNC, elf, sizeof(elf));
	check(
	    "read(3, "
	    "\"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0"
	    "\\0\\0\"..., 832) = 832");

	CALL("read", -9, 99, 0x7fff616f3250, 10);
	check("read(99, 0x7fff616f3250, 10)            = -1 EBADF (Bad file descriptor)");

	CALL("read", 0, 0, 0x7fff616f3250, 10);
	blob(1, 0, 0, "", 0);
	check("read(0, \"\", 10)                         = 0");

	CALL("write", 10, 1, 0x1000, 10);
	blob(1, 0, E_ENTRY | E_TRUNC, "0123", 4);
	check_s(4, "write(1, \"0123\"..., 10)                 = 10");

	CALL("getcwd", 8, 0x1000, 4096);
	blob(0, 0, 0, "/tmp/mp", 8);
	check("getcwd(\"/tmp/mp\", 4096)                 = 8");

	CALL("readlink", 10, 0x1000, 0x2000, 4096);
	str(0, 0, E_ENTRY, "/proc/self/exe");
	blob(1, 0, 0, "/tmp/mp/p8", 10);
	check("readlink(\"/proc/self/exe\", \"/tmp/mp/p8\", 4096) = 10");

	uint8_t cpus[32] = {3};
	CALL("sched_getaffinity", 32, 0, 128, 0x1000);
	blob(2, 0, 0, cpus, sizeof(cpus));
	check("sched_getaffinity(0, 128, [0 1])        = 32");

	CALL("getdents64", 288, 15, 0x7ffc43bc1970, 4096);
	u32(1, 0, 12);
	check("getdents64(15, 0x7ffc43bc1970 /* 12 entries */, 4096) = 288");
}

static void iov(int arg, unsigned sub, unsigned flags, const uint64_t *v, size_t n)
{
	blob(arg, sub, flags, v, 16 * n);
}

static void test_iovec(void **state)
{
	(void)state;
	uint64_t w[6] = {0x1000, 3, 0x2000, 5, 0, 0};
	CALL("writev", 8, 8, 0x5000, 3);
	iov(1, 0, E_ENTRY, w, 3);
	str(1, DTL_SUB_ELEM(0), E_ENTRY, "abc");
	str(1, DTL_SUB_ELEM(1), E_ENTRY, "defgh");
	check("writev(8, [{iov_base=\"abc\", iov_len=3}, {iov_base=\"defgh\", iov_len=5}, "
	      "{iov_base=NULL, iov_len=0}], 3) = 8");

	/* at exit, only what the kernel transferred */
	uint64_t r[4] = {0x1000, 2, 0x2000, 10};
	CALL("readv", 8, 9, 0x5000, 2);
	iov(1, 0, 0, r, 2);
	str(1, DTL_SUB_ELEM(0), 0, "ab");
	str(1, DTL_SUB_ELEM(1), 0, "cdefgh");
	check("readv(9, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cdefgh\", iov_len=10}], 2) = 8");

	/* -s 4: at most four iovecs */
	uint64_t six[8];
	for (int k = 0; k < 4; k++) {
		six[2 * k] = 0x1000;
		six[2 * k + 1] = 8;
	}
	CALL("writev", 48, 2, 0x5000, 6);
	iov(1, 0, E_ENTRY | E_TRUNC, six, 4);
	for (int k = 0; k < 4; k++)
		str(1, DTL_SUB_ELEM(k), E_ENTRY | E_TRUNC, "abcd");
	check_s(4,
	        "writev(2, [{iov_base=\"abcd\"..., iov_len=8}, {iov_base=\"abcd\"..., iov_len=8}, "
	        "{iov_base=\"abcd\"..., iov_len=8}, {iov_base=\"abcd\"..., iov_len=8}, ...], 6) = "
	        "48");
}

/* --- file status ------------------------------------------------------------ */

static void stat_blob(uint32_t mode, uint64_t rdev, int64_t size)
{
	uint8_t st[144] = {0};
	memcpy(st + 24, &mode, 4);
	memcpy(st + 40, &rdev, 8);
	memcpy(st + 48, &size, 8);
	blob(1, 0, 0, st, sizeof(st));
}

static void test_stat(void **state)
{
	(void)state;
	CALL("stat", 0, 0x1000, 0x2000);
	str(0, 0, E_ENTRY, "/dev/null");
	stat_blob(020666, (1 << 8) | 3, 0);
	check("stat(\"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0");

	CALL("stat", 0, 0x1000, 0x2000);
	str(0, 0, E_ENTRY, "/");
	stat_blob(040755, 0, 4096);
	check("stat(\"/\", {st_mode=S_IFDIR|0755, st_size=4096, ...}) = 0");

	CALL("lstat", 0, 0x1000, 0x2000);
	str(0, 0, E_ENTRY, "/tmp");
	stat_blob(041777, 0, 4096);
	check("lstat(\"/tmp\", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}) = 0");

	CALL("stat", 0, 0x1000, 0x2000);
	str(0, 0, E_ENTRY, "/dev/loop0");
	stat_blob(060600, 7 << 8, 0);
	check("stat(\"/dev/loop0\", {st_mode=S_IFBLK|0600, st_rdev=makedev(0x7, 0), ...}) = 0");

	CALL("stat", 0, 0x1000, 0x2000);
	str(0, 0, E_ENTRY, "/tmp/mp/fifo");
	stat_blob(010600, 0, 0);
	check("stat(\"/tmp/mp/fifo\", {st_mode=S_IFIFO|0600, st_size=0, ...}) = 0");

	/* failed: nothing copied at exit */
	CALL("stat", -14, 0x1000, 0x8);
	str(0, 0, E_ENTRY, "/etc/passwd");
	check("stat(\"/etc/passwd\", 0x8)                " EFAULT_);

	uint64_t sf[15] = {0xef53,   4096,     66053021, 61455299,
	                   20486575, 16777216, 16331845, 0xb2aebbe4034ac8b7ULL,
	                   255,      4096,     0x1020};
	CALL("statfs", 0, 0x1000, 0x2000);
	str(0, 0, E_ENTRY, "/");
	blob(1, 0, 0, sf, 120);
	check("statfs(\"/\", {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=66053021, "
	      "f_bfree=61455299, f_bavail=20486575, f_files=16777216, f_ffree=16331845, "
	      "f_fsid={val=[0x34ac8b7, 0xb2aebbe4]}, f_namelen=255, f_frsize=4096, "
	      "f_flags=ST_VALID|ST_RELATIME}) = 0");
	uint64_t pf[15] = {0x9fa0, 4096, 0, 0, 0, 0, 0, 0x15, 255, 4096, 0x1020};
	CALL("statfs", 0, 0x1000, 0x2000);
	str(0, 0, E_ENTRY, "/proc");
	blob(1, 0, 0, pf, 120);
	check("statfs(\"/proc\", {f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, "
	      "f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=255, "
	      "f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0");
}

static void test_statx_scalar(void **state)
{
	(void)state;
	uint8_t sx[256] = {0};
	uint32_t mask = 0x1fff;
	uint16_t mode = 0100644;
	uint64_t size = 1221;
	memcpy(sx, &mask, 4);
	memcpy(sx + 28, &mode, 2);
	memcpy(sx + 40, &size, 8);
	CALL("statx", 0, (uint64_t)-100, 0x1000, 0, 0xfff, 0x2000);
	str(1, 0, E_ENTRY, "/etc/passwd");
	blob(4, 0, 0, sx, sizeof(sx));
	check("statx(AT_FDCWD, \"/etc/passwd\", AT_STATX_SYNC_AS_STAT, STATX_ALL, "
	      "{stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, "
	      "stx_size=1221, ...}) = 0");

	uint8_t st[144] = {0};
	uint32_t m = 0100644;
	int64_t sz = 54527;
	memcpy(st + 24, &m, 4);
	memcpy(st + 48, &sz, 8);
	CALL("newfstatat", 0, 3, 0x1000, 0x2000, 0x1000);
	str(1, 0, E_ENTRY, "");
	blob(2, 0, 0, st, sizeof(st));
	check("newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=54527, ...}, AT_EMPTY_PATH) = 0");
}

/* --- time --------------------------------------------------------------------- */

static void ts(int arg, unsigned flags, int64_t a, int64_t b)
{
	int64_t v[2] = {a, b};
	blob(arg, 0, flags, v, 16);
}

static void test_time(void **state)
{
	(void)state;
	CALL("nanosleep", 0, 0x1000, 0x7ffd9afc12f0);
	ts(0, E_ENTRY, 1, 500000000);
	check("nanosleep({tv_sec=1, tv_nsec=500000000}, 0x7ffd9afc12f0) = 0");

	CALL("nanosleep", 0, 0x1000, 0);
	ts(0, E_ENTRY, 0, 1000);
	check("nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0");

	CALL("gettimeofday", 0, 0x1000, 0);
	ts(0, 0, 1795299365, 835821);
	check("gettimeofday({tv_sec=1795299365, tv_usec=835821}, NULL) = 0");

	int64_t it[4] = {1, 0, 2, 5};
	int64_t zero[4] = {0};
	CALL("timerfd_settime", 0, 7, 0, 0x1000, 0x2000);
	blob(2, 0, E_ENTRY, it, 32);
	blob(3, 0, 0, zero, 32);
	check("timerfd_settime(7, 0, {it_interval={tv_sec=1, tv_nsec=0}, it_value={tv_sec=2, "
	      "tv_nsec=5}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = "
	      "0");

	int64_t tsp[4] = {1, 2, 3, (1 << 30) - 1};
	CALL("utimensat", 0, (uint64_t)-100, 0x1000, 0x2000, 0);
	str(1, 0, E_ENTRY, "/tmp/mp/zz");
	blob(2, 0, E_ENTRY, tsp, 32);
	check("utimensat(AT_FDCWD, \"/tmp/mp/zz\", [{tv_sec=1, tv_nsec=2} /* "
	      "1970-01-01T00:00:01.000000002+0000 */, UTIME_NOW], 0) = 0");
	int64_t omit[4] = {1, (1 << 30) - 2, 3, (1 << 30) - 1};
	memcpy(ev.data + ev.blobs[1].offset, omit, 32);
	check("utimensat(AT_FDCWD, \"/tmp/mp/zz\", [UTIME_OMIT, UTIME_NOW], 0) = 0");
	int64_t dates[4] = {1700000000, 0, -1, 5};
	memcpy(ev.data + ev.blobs[1].offset, dates, 32);
	check("utimensat(AT_FDCWD, \"/tmp/mp/zz\", [{tv_sec=1700000000, tv_nsec=0} /* "
	      "2023-11-14T22:13:20+0000 */, {tv_sec=-1, tv_nsec=5} /* "
	      "1969-12-31T23:59:59.000000005+0000 */], 0) = 0");
}

static void test_time_scalar(void **state)
{
	(void)state;
	int64_t a[4] = {0, 100, 5, 0}, b[4] = {0};
	CALL("setitimer", 0, 0, 0x1000, 0x2000);
	blob(1, 0, E_ENTRY, a, 32);
	blob(2, 0, 0, b, 32);
	check("setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=100}, it_value={tv_sec=5, "
	      "tv_usec=0}}, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = "
	      "0");

	CALL("clock_gettime", 0, 1, 0x1000);
	ts(1, 0, 9831, 871128424);
	check("clock_gettime(CLOCK_MONOTONIC, {tv_sec=9831, tv_nsec=871128424}) = 0");

	uint64_t rl[2] = {8192 * 1024, UINT64_MAX};
	CALL("prlimit64", 0, 0, 3, 0, 0x1000);
	blob(3, 0, 0, rl, 16);
	check("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = "
	      "0");
	uint64_t rl2[2] = {1000, 4194305};
	CALL("prlimit64", 0, 0, 4, 0x1000, 0);
	blob(2, 0, E_ENTRY, rl2, 16);
	check("prlimit64(0, RLIMIT_CORE, {rlim_cur=1000, rlim_max=4194305}, NULL) = 0");
	uint64_t rl3[2] = {1024, 2048}; /* 1024 itself is not written 1*1024 */
	CALL("prlimit64", 0, 0, 7, 0x1000, 0);
	blob(2, 0, E_ENTRY, rl3, 16);
	check("prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=2*1024}, NULL) = 0");
}

/* --- process ------------------------------------------------------------------ */

static void test_process(void **state)
{
	(void)state;
	uint8_t u[390] = {0};
	strcpy((char *)u, "Linux");
	strcpy((char *)u + 65, "vm");
	strcpy((char *)u + 130, "6.1.0");
	CALL("uname", 0, 0x1000);
	blob(0, 0, 0, u, sizeof(u));
	check("uname({sysname=\"Linux\", nodename=\"vm\", ...}) = 0");

	CALL("getresuid", 0, 0x1000, 0x1004, 0x1008);
	u32(0, 0, 0);
	u32(1, 0, 0);
	u32(2, 0, 0);
	check("getresuid([0], [0], [0])                = 0");

	int fds[2] = {3, 4};
	CALL("pipe", 0, 0x1000);
	blob(0, 0, 0, fds, 8);
	check("pipe([3, 4])                            = 0");
	CALL("pipe", -14, 0x8);
	check("pipe(0x8)                               " EFAULT_);

	CALL("wait4", 6345, 6345, 0x1000, 0, 0);
	u32(1, 0, 3 << 8);
	check("wait4(6345, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 6345");

	int64_t ru[18] = {0, 40, 0, 0};
	CALL("wait4", 6346, 6346, 0x1000, 0, 0x2000);
	u32(1, 0, 9);
	blob(3, 0, 0, ru, 144);
	check("wait4(6346, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, {ru_utime={tv_sec=0, "
	      "tv_usec=40}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 6346");

	CALL("wait4", -10, (uint64_t)-1, 0x7ffd08af83cc, 0, 0);
	check("wait4(-1, 0x7ffd08af83cc, 0, NULL)      = -1 ECHILD (No child processes)");

	uint64_t ca[11] = {0, 0, 0x4000, 0, 0, 0x1000, 0x2000, 0x3000};
	CALL("clone3", 6352, 0x1000, 88);
	blob(0, 0, E_ENTRY, ca, 88);
	check("clone3({flags=0, exit_signal=0, stack=0x1000, stack_size=0x2000}, 88) = 6352");
	CALL("clone3", -14, 0x8, 88);
	blob(0, 0, E_ENTRY | E_FAULT, NULL, 0);
	check("clone3(0x8, 88)                         " EFAULT_);

	uint64_t how[3] = {02000000, 0, 0xc};
	CALL("openat2", -18, (uint64_t)-100, 0x1000, 0x2000, 24);
	str(1, 0, E_ENTRY, "/etc/passwd");
	blob(2, 0, E_ENTRY, how, 24);
	check("openat2(AT_FDCWD, \"/etc/passwd\", {flags=O_RDONLY|O_CLOEXEC, "
	      "resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24) = -1 EXDEV (Invalid cross-device "
	      "link)");
	uint64_t how2[3] = {0101, 0644, 0};
	CALL("openat2", 4, (uint64_t)-100, 0x1000, 0x2000, 24);
	str(1, 0, E_ENTRY, "/tmp/mp/zz2");
	blob(2, 0, E_ENTRY, how2, 24);
	check("openat2(AT_FDCWD, \"/tmp/mp/zz2\", {flags=O_WRONLY|O_CREAT, mode=0644, resolve=0}, "
	      "24) = 4");

	CALL("sendfile", 5, 14, 13, 0x1000, 5);
	u64(2, E_ENTRY, 0);
	u64(2, 0, 5);
	check("sendfile(14, 13, [0] => [5], 5)         = 5");
	CALL("copy_file_range", -22, 13, 0x1000, 14, 0, 10, 0);
	u64(1, E_ENTRY, 3);
	check("copy_file_range(13, [3], 14, NULL, 10, 0) = -1 EINVAL (Invalid argument)");
}

static void test_process_scalar(void **state)
{
	(void)state;
	CALL("wait4", 6348, (uint64_t)-1, 0x1000, 2, 0);
	u32(1, 0, 0x137f);
	check("wait4(-1, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = 6348");
	CALL("wait4", 6348, (uint64_t)-1, 0x1000, 8, 0);
	u32(1, 0, 0xffff);
	check("wait4(-1, [{WIFCONTINUED(s)}], WCONTINUED, NULL) = 6348");
	CALL("wait4", 0, 27219, 0x7fffc6847bec, 1, 0);
	u32(1, 0, 0);
	check("wait4(27219, 0x7fffc6847bec, WNOHANG, NULL) = 0");

	uint64_t ca[11] = {0x4000 | 0x100 | 0x100000000ULL, 0, 0, 0, 17};
	CALL("clone3", 6350, 0x1000, 88);
	blob(0, 0, E_ENTRY, ca, 88);
	check("clone3({flags=CLONE_VM|CLONE_VFORK|CLONE_CLEAR_SIGHAND, exit_signal=SIGCHLD, "
	      "stack=NULL, stack_size=0}, 88) = 6350");
}

/* --- poll, select, epoll --------------------------------------------------------- */

static void pollfds(unsigned flags, const int16_t (*v)[3], size_t n)
{
	uint8_t buf[64 * 8];
	for (size_t k = 0; k < n; k++) {
		int32_t fd = v[k][0];
		memcpy(buf + 8 * k, &fd, 4);
		memcpy(buf + 8 * k + 4, &v[k][1], 2);
		memcpy(buf + 8 * k + 6, &v[k][2], 2);
	}
	blob(0, 0, flags, buf, 8 * n);
}

static void test_poll(void **state)
{
	(void)state;
	const int16_t in[3][3] = {{3, 1, 0}, {4, 5, 0}, {-1, 0x2003, 0}};
	const int16_t outv[3][3] = {{3, 1, 1}, {4, 5, 4}, {-1, 0x2003, 0}};
	CALL("poll", 2, 0x1000, 3, 100);
	pollfds(E_ENTRY, in, 3);
	pollfds(0, outv, 3);
	check("poll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}, {fd=-1}], 3, 100) = 2 "
	      "([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])");

	const int16_t one[1][3] = {{4, 1, 0}};
	CALL("poll", 0, 0x1000, 1, 0);
	pollfds(E_ENTRY, one, 1);
	pollfds(0, one, 1);
	check("poll([{fd=4, events=POLLIN}], 1, 0)     = 0 (Timeout)");

	CALL("poll", 0, 0x1000, 0, 0);
	blob(0, 0, E_ENTRY, NULL, 0);
	blob(0, 0, 0, NULL, 0);
	check("poll([], 0, 0)                          = 0 (Timeout)");

	CALL("poll", 0, 0, 0, 0);
	check("poll(NULL, 0, 0)                        = 0 (Timeout)");

	CALL("poll", -14, 0x8, 1, 0);
	blob(0, 0, E_ENTRY | E_FAULT, NULL, 0);
	check("poll(0x8, 1, 0)                         " EFAULT_);

	/* -s 4: one more element than shown is copied */
	const int16_t five_in[5][3] = {{1, 4, 0}, {1, 4, 0}, {1, 4, 0}, {-1, 4, 0}, {-1, 4, 0}};
	const int16_t five_out[5][3] = {{1, 4, 4}, {1, 4, 4}, {1, 4, 4}, {-1, 4, 0}, {-1, 4, 0}};
	CALL("poll", 3, 0x1000, 6, 0);
	pollfds(E_ENTRY | E_TRUNC, five_in, 5);
	pollfds(E_TRUNC, five_out, 5);
	check_s(4, "poll([{fd=1, events=POLLOUT}, {fd=1, events=POLLOUT}, {fd=1, events=POLLOUT}, "
	           "{fd=-1}, ...], 6, 0) = 3 ([{fd=1, revents=POLLOUT}, {fd=1, revents=POLLOUT}, "
	           "{fd=1, revents=POLLOUT}])");
	CALL("poll", 3, 0x1000, 4, 0);
	pollfds(E_ENTRY, five_in, 4);
	pollfds(0, five_out, 4);
	check_s(4, "poll([{fd=1, events=POLLOUT}, {fd=1, events=POLLOUT}, {fd=1, events=POLLOUT}, "
	           "{fd=-1}], 4, 0) = 3 ([{fd=1, revents=POLLOUT}, {fd=1, revents=POLLOUT}, {fd=1, "
	           "revents=POLLOUT}])");

	uint64_t set = 1 << 1;
	CALL("ppoll", 0, 0x1000, 1, 0x2000, 0x3000, 8);
	pollfds(E_ENTRY, one, 1);
	ts(2, E_ENTRY, 0, 1000);
	blob(3, 0, E_ENTRY, &set, 8);
	pollfds(0, one, 1);
	check(
	    "ppoll([{fd=4, events=POLLIN}], 1, {tv_sec=0, tv_nsec=1000}, [INT], 8) = 0 (Timeout)");
}

static void test_select(void **state)
{
	(void)state;
	uint64_t r = 1 << 3;
	CALL("select", 1, 5, 0x1000, 0, 0, 0);
	u64(1, E_ENTRY, r);
	u64(1, 0, r);
	check("select(5, [3], NULL, NULL, NULL)        = 1 (in [3])");

	uint64_t r4 = 1 << 4;
	CALL("select", 0, 5, 0x1000, 0, 0, 0x2000);
	u64(1, E_ENTRY, r4);
	ts(4, E_ENTRY, 0, 100);
	u64(1, 0, 0);
	check("select(5, [4], NULL, NULL, {tv_sec=0, tv_usec=100}) = 0 (Timeout)");

	/* the in and out sets at exit; no "left" (the timeout is not copied at exit) */
	CALL("pselect6", 2, 5, 0x1000, 0x2000, 0, 0x3000, 0);
	u64(1, E_ENTRY, 1 << 3);
	u64(2, E_ENTRY, 1 << 4);
	ts(4, E_ENTRY, 2, 0);
	u64(1, 0, 1 << 3);
	u64(2, 0, 1 << 4);
	check("pselect6(5, [3], [4], NULL, {tv_sec=2, tv_nsec=0}, NULL) = 2 (in [3], out [4])");

	uint64_t all[2] = {0xfff, 0};
	CALL("select", -9, 12, 0, 0x1000, 0, 0x2000);
	blob(2, 0, E_ENTRY, all, 8);
	ts(4, E_ENTRY, 0, 0);
	check("select(12, NULL, [0 1 2 3 4 5 6 7 8 9 10 11], NULL, {tv_sec=0, tv_usec=0}) = -1 "
	      "EBADF (Bad file descriptor)");
}

static void epev(uint8_t *p, uint32_t events, uint64_t data)
{
	memcpy(p, &events, 4);
	memcpy(p + 4, &data, 8);
}

static void test_epoll(void **state)
{
	(void)state;
	uint8_t e[12];
	epev(e, 1, 3);
	CALL("epoll_wait", 1, 5, 0x1000, 4, 10);
	blob(1, 0, 0, e, 12);
	check("epoll_wait(5, [{events=EPOLLIN, data={u32=3, u64=3}}], 4, 10) = 1");

	CALL("epoll_wait", 0, 5, 0x1000, 4, 0);
	blob(1, 0, 0, NULL, 0);
	check("epoll_wait(5, [], 4, 0)                 = 0");

	CALL("epoll_pwait", 0, 5, 0x1000, 4, 0, 0x2000, 8);
	uint64_t set = 1 << 1;
	blob(4, 0, E_ENTRY, &set, 8);
	blob(1, 0, 0, NULL, 0);
	check("epoll_pwait(5, [], 4, 0, [INT], 8)      = 0");
}

static void test_epoll_scalar(void **state)
{
	(void)state;
	uint8_t e[12];
	epev(e, 0x80000001u, 3);
	CALL("epoll_ctl", 0, 5, 1, 3, 0x1000);
	blob(3, 0, E_ENTRY, e, 12);
	check("epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=3, u64=3}}) = 0");
	epev(e, 4, 0x100000005ULL);
	CALL("epoll_ctl", 0, 5, 1, 4, 0x1000);
	blob(3, 0, E_ENTRY, e, 12);
	check(
	    "epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLOUT, data={u32=5, u64=4294967301}}) = 0");
}

/* --- signals ------------------------------------------------------------------- */

static char *sigset_str(uint64_t set)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	dtl_print_sigset(m, &set, 8);
	fclose(m);
	return s;
}

static void expect_sigset(uint64_t set, const char *expected)
{
	char *s = sigset_str(set);
	assert_string_equal(s, expected);
	free(s);
}

#define SIGBIT(n) (1ULL << ((n)-1))

static void test_sigset(void **state)
{
	(void)state;
	expect_sigset(0, "[]");
	expect_sigset(SIGBIT(2), "[INT]");
	expect_sigset(~(SIGBIT(32) | SIGBIT(33)), "~[RTMIN RT_1]");
	expect_sigset(SIGBIT(15) | SIGBIT(34) | SIGBIT(35) | SIGBIT(64), "[TERM RT_2 RT_3 RT_32]");
	expect_sigset(~(SIGBIT(9) | SIGBIT(32) | SIGBIT(33)), "~[KILL RTMIN RT_1]");
	expect_sigset(~0ULL, "~[]");

	CALL("rt_sigpending", 0, 0x1000, 8);
	u64(0, 0, 0);
	check("rt_sigpending([], 8)                    = 0");

	CALL("rt_sigtimedwait", -11, 0x1000, 0x7fff73b65000, 0x2000, 8);
	u64(0, E_ENTRY, SIGBIT(10));
	ts(2, E_ENTRY, 0, 1000);
	check("rt_sigtimedwait([USR1], 0x7fff73b65000, {tv_sec=0, tv_nsec=1000}, 8) = -1 EAGAIN "
	      "(Resource temporarily unavailable)");
}

static void test_sigset_scalar(void **state)
{
	(void)state;
	CALL("rt_sigprocmask", 0, 2, 0x1000, 0x2000, 8);
	u64(1, E_ENTRY, ~(SIGBIT(32) | SIGBIT(33)));
	u64(2, 0, SIGBIT(2));
	check("rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], [INT], 8) = 0");
	CALL("rt_sigprocmask", -14, 0, 0x8, 0, 8);
	blob(1, 0, E_ENTRY | E_FAULT, NULL, 0);
	check("rt_sigprocmask(SIG_BLOCK, 0x8, NULL, 8) " EFAULT_);
}

static void ksa(int arg, unsigned flags, uint64_t h, uint64_t fl, uint64_t rest, uint64_t mask)
{
	uint64_t v[4] = {h, fl, rest, mask};
	blob(arg, 0, flags, v, 32);
}

static void test_sigaction(void **state)
{
	(void)state;
	CALL("rt_sigaction", 0, 10, 0x1000, 0x2000, 8);
	ksa(1, E_ENTRY, 0x558837760199, 0x14000004, 0x7f0000001000, 0);
	ksa(2, 0, 0, 0, 0, 0);
	check("rt_sigaction(SIGUSR1, {sa_handler=0x558837760199, sa_mask=[], "
	      "sa_flags=SA_RESTORER|SA_RESTART|SA_SIGINFO, sa_restorer=0x7f0000001000}, "
	      "{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0");

	CALL("rt_sigaction", 0, 17, 0, 0x2000, 8);
	ksa(2, 0, 0x558837760199, 0xcc000003, 0x7f0000001000, SIGBIT(2) | SIGBIT(15));
	check("rt_sigaction(SIGCHLD, NULL, {sa_handler=0x558837760199, sa_mask=[INT TERM], "
	      "sa_flags=SA_RESTORER|SA_ONSTACK|SA_NODEFER|SA_RESETHAND|SA_NOCLDSTOP|SA_NOCLDWAIT, "
	      "sa_restorer=0x7f0000001000}, 8) = 0");

	CALL("rt_sigaction", 0, 13, 0x1000, 0, 8);
	ksa(1, E_ENTRY, 1, 0, 0, 0);
	check("rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, NULL, 8) = 0");

	CALL("rt_sigaction", 0, 10, 0x1000, 0, 8);
	ksa(1, E_ENTRY, 0x1000, 0xffffffff, 0x2000, ~0ULL);
	check("rt_sigaction(SIGUSR1, {sa_handler=0x1000, sa_mask=~[], "
	      "sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_INTERRUPT|SA_NODEFER|SA_RESETHAND|SA_"
	      "SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT|0x3fffff8, sa_restorer=0x2000}, NULL, 8) = 0");

	CALL("rt_sigaction", 0, 10, 0x1000, 0, 8);
	ksa(1, E_ENTRY, UINT64_MAX, 0x100, 0x2000, ~0ULL);
	check("rt_sigaction(SIGUSR1, {sa_handler=SIG_ERR, sa_mask=~[], sa_flags=0x100 /* SA_??? "
	      "*/}, NULL, 8) = 0");

	CALL("rt_sigaction", -14, 13, 0x8, 0, 8);
	blob(1, 0, E_ENTRY | E_FAULT, NULL, 0);
	check("rt_sigaction(SIGPIPE, 0x8, NULL, 8)     " EFAULT_);

	uint64_t ss[3] = {0x55885a6712a0, 0, 65536}, old[3] = {0, 2, 0};
	CALL("sigaltstack", 0, 0x1000, 0x2000);
	blob(0, 0, E_ENTRY, ss, 24);
	blob(1, 0, 0, old, 24);
	check("sigaltstack({ss_sp=0x55885a6712a0, ss_flags=0, ss_size=65536}, {ss_sp=NULL, "
	      "ss_flags=SS_DISABLE, ss_size=0}) = 0");
}

/* A siginfo_t as the kernel lays it out on x86-64. */
struct si {
	int32_t signo, err, code, pad;
	union {
		struct {
			int32_t pid, uid;
			union {
				int32_t status;
				uint64_t val;
			};
			int64_t utime, stime;
		};
		struct {
			uint64_t addr;
			uint64_t lsb;
			uint64_t lower, upper;
		};
		struct {
			int64_t band;
			int32_t fd;
		};
		struct {
			uint64_t call_addr;
			int32_t syscall;
			uint32_t arch;
		};
	};
	uint8_t rest[128 - 16 - 32];
};

static void expect_siginfo(const struct si *s, const char *expected)
{
	struct dtl_event e;
	memset(&e, 0, sizeof(e));
	e.type = DTL_EV_SIGNAL;
	e.args[0] = (uint64_t)s->signo;
	e.nblobs = 1;
	e.blobs[0] = (struct dtl_blob){.arg = 0, .flags = E_ENTRY, .sub = 0, .len = 128};
	memcpy(e.data, s, 128);
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	dtl_format_signal(m, &e);
	fclose(m);
	assert_string_equal(line, expected);
	free(line);
}

static void test_siginfo(void **state)
{
	(void)state;
	_Static_assert(sizeof(struct si) == 128, "siginfo_t");
	struct si s = {.signo = 17, .code = 1, .pid = 42, .uid = 0, .status = 0};
	expect_siginfo(&s,
	               "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, "
	               "si_status=0, si_utime=0, si_stime=0} ---");
	s = (struct si){.signo = 17, .code = 2, .pid = 6346, .status = 9};
	expect_siginfo(&s, "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=6346, "
	                   "si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0} ---");
	s = (struct si){.signo = 17, .code = 3, .pid = 5, .status = 2, .utime = 3, .stime = 4};
	expect_siginfo(&s,
	               "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_DUMPED, si_pid=5, si_uid=0, "
	               "si_status=SIGINT, si_utime=3 /* 0.03 s */, si_stime=4 /* 0.04 s */} ---");
	s = (struct si){.signo = 17, .code = 0, .pid = 5, .status = 2, .utime = 3};
	expect_siginfo(&s,
	               "--- SIGCHLD {si_signo=SIGCHLD, si_code=SI_USER, si_pid=5, si_uid=0} ---");
	s = (struct si){.signo = 11, .code = 1};
	expect_siginfo(&s, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---");
	s = (struct si){.signo = 11, .code = 2, .addr = 0x7f5b5426c000};
	expect_siginfo(&s, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, "
	                   "si_addr=0x7f5b5426c000} ---");
	s = (struct si){.signo = 11, .code = 3, .addr = 0x1000};
	expect_siginfo(&s, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_BNDERR, si_addr=0x1000, "
	                   "si_lower=NULL, si_upper=NULL} ---");
	s = (struct si){.signo = 11, .code = 4, .addr = 0x1000};
	expect_siginfo(&s, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_PKUERR, si_addr=0x1000, "
	                   "si_pkey=0} ---");
	s = (struct si){.signo = 11, .code = -6, .pid = 6347};
	expect_siginfo(&s,
	               "--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_TKILL, si_pid=6347, si_uid=0} "
	               "---");
	s = (struct si){.signo = 10, .code = 0, .pid = 42};
	expect_siginfo(&s,
	               "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=42, si_uid=0} ---");
	s = (struct si){.signo = 10, .code = -1, .pid = 6485, .val = 42};
	expect_siginfo(&s,
	               "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=6485, si_uid=0, "
	               "si_int=42, si_ptr=0x2a} ---");
	s = (struct si){.signo = 10, .code = -1};
	expect_siginfo(&s,
	               "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=0, si_uid=0} ---");
	s = (struct si){.signo = 10, .code = -3, .err = 1, .pid = 3};
	expect_siginfo(&s, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_MESGQ, si_errno=EPERM, "
	                   "si_pid=3, si_uid=0} ---");
	s = (struct si){.signo = 10, .code = -20, .pid = 5, .uid = 6};
	expect_siginfo(&s, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=0xffffffec, si_pid=5, si_uid=6} "
	                   "---");
	s = (struct si){.signo = 10, .code = 0x80};
	expect_siginfo(&s, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---");
	s = (struct si){.signo = 14, .code = 0x80};
	expect_siginfo(&s, "--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---");
	s = (struct si){.signo = 12, .code = -2, .pid = 0, .uid = 0, .val = 7};
	expect_siginfo(&s, "--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_TIMER, si_timerid=0, "
	                   "si_overrun=0, si_int=7, si_ptr=0x7} ---");
	s = (struct si){.signo = 10, .code = -2, .pid = 5, .uid = 2};
	expect_siginfo(&s, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TIMER, si_timerid=0x5, "
	                   "si_overrun=2, si_int=0, si_ptr=NULL} ---");
	s = (struct si){.signo = 12, .code = 3, .addr = 0x1000};
	expect_siginfo(&s,
	               "--- SIGUSR2 {si_signo=SIGUSR2, si_code=0x3, si_pid=4096, si_uid=0} ---");
	s = (struct si){.signo = 12, .code = 1, .pid = 5, .status = 2};
	expect_siginfo(&s, "--- SIGUSR2 {si_signo=SIGUSR2, si_code=0x1, si_pid=5, si_uid=0, "
	                   "si_int=2, si_ptr=0x2} ---");
	s = (struct si){.signo = 13, .code = 0, .pid = 6485};
	expect_siginfo(&s, "--- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=6485, si_uid=0} "
	                   "---");
	s = (struct si){.signo = 4, .code = 2, .addr = 0x56517fb9c5d0};
	expect_siginfo(&s,
	               "--- SIGILL {si_signo=SIGILL, si_code=ILL_ILLOPN, si_addr=0x56517fb9c5d0} "
	               "---");
	s = (struct si){.signo = 8, .code = 1, .addr = 0x1000};
	expect_siginfo(&s, "--- SIGFPE {si_signo=SIGFPE, si_code=FPE_INTDIV, si_addr=0x1000} ---");
	s = (struct si){.signo = 8, .code = 15, .addr = 0x1000};
	expect_siginfo(&s,
	               "--- SIGFPE {si_signo=SIGFPE, si_code=FPE_CONDTRAP, si_addr=0x1000} ---");
	s = (struct si){.signo = 7, .code = 2, .addr = 0x7f5b5426b000};
	expect_siginfo(&s,
	               "--- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7f5b5426b000} "
	               "---");
	s = (struct si){.signo = 7, .code = 4, .addr = 0x1000};
	expect_siginfo(&s, "--- SIGBUS {si_signo=SIGBUS, si_code=BUS_MCEERR_AR, si_addr=0x1000, "
	                   "si_addr_lsb=0} ---");
	s = (struct si){.signo = 5, .code = 0x80};
	expect_siginfo(&s, "--- SIGTRAP {si_signo=SIGTRAP, si_code=SI_KERNEL, si_addr=NULL} ---");
	s = (struct si){.signo = 5, .code = 1, .addr = 0x1000};
	expect_siginfo(&s,
	               "--- SIGTRAP {si_signo=SIGTRAP, si_code=TRAP_BRKPT, si_addr=0x1000} ---");
	s = (struct si){.signo = 10, .code = -5, .err = 1, .band = 3};
	expect_siginfo(&s, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_SIGIO, si_errno=EPERM, "
	                   "si_band=3, si_fd=0} ---");
	s = (struct si){
	    .signo = 31, .code = 1, .call_addr = 0x1234, .syscall = 39, .arch = 0xc000003e};
	expect_siginfo(&s, "--- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x1234, "
	                   "si_syscall=__NR_getpid, si_arch=AUDIT_ARCH_X86_64} ---");
}

static void test_siginfo_scalar(void **state)
{
	(void)state;
	/* format.c names the signal of the header line (sigabbrev_np: SIGPOLL) */
	struct si s = {.signo = 29, .code = 1, .band = 65, .fd = 3};
	expect_siginfo(&s, "--- SIGIO {si_signo=SIGIO, si_code=POLL_IN, si_band=65, si_fd=3} ---");
	s = (struct si){.signo = 29, .code = 6, .err = 1, .band = 3};
	expect_siginfo(&s,
	               "--- SIGIO {si_signo=SIGIO, si_code=POLL_HUP, si_errno=EPERM, si_band=3, "
	               "si_fd=0} ---");

	/* real-time signals by strace's names (si_signo by dtl_print_scalar, the
	 * header by format.c) */
	s = (struct si){.signo = 34, .code = -1, .pid = 6485, .val = 0x1234};
	expect_siginfo(&s,
	               "--- SIGRT_2 {si_signo=SIGRT_2, si_code=SI_QUEUE, si_pid=6485, si_uid=0, "
	               "si_int=4660, si_ptr=0x1234} ---");
	s = (struct si){.signo = 32, .code = 0x80};
	expect_siginfo(&s, "--- SIGRTMIN {si_signo=SIGRTMIN, si_code=SI_KERNEL} ---");
}

/* --- sockets ---------------------------------------------------------------------- */

static void test_socket(void **state)
{
	(void)state;
	CALL("getsockname", -9, 99, 0x7ffc43bc2ba0, 0x1000);
	u32(2, E_ENTRY, 128);
	check("getsockname(99, 0x7ffc43bc2ba0, [128])  = -1 EBADF (Bad file descriptor)");

	/* an address of length 0 is shown as the pointer */
	CALL("recvfrom", 2, 9, 0x1000, 64, 0, 0x7ffc43bc2980, 0x2000);
	u32(5, E_ENTRY, 110);
	blob(1, 0, 0, "hi", 2);
	blob(4, 0, 0, NULL, 0);
	u32(5, 0, 0);
	check("recvfrom(9, \"hi\", 64, 0, 0x7ffc43bc2980, [110 => 0]) = 2");

	CALL("connect", -14, 3, 0x8, 16);
	blob(1, 0, E_ENTRY | E_FAULT, NULL, 0);
	check("connect(3, 0x8, 16)                     " EFAULT_);

	uint64_t w[4] = {0x1000, 3, 0x2000, 5};
	uint64_t mh[7] = {0, 0, 0x3000, 2, 0, 0, 0};
	CALL("sendmsg", 8, 8, 0x4000, 0);
	blob(1, 0, E_ENTRY, mh, 56);
	iov(1, DTL_SUB_MSG_IOV, E_ENTRY, w, 2);
	str(1, DTL_SUB_ELEM(0), E_ENTRY, "abc");
	str(1, DTL_SUB_ELEM(1), E_ENTRY, "defgh");
	check(
	    "sendmsg(8, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abc\", iov_len=3}, "
	    "{iov_base=\"defgh\", iov_len=5}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = "
	    "8");

	/* recvmsg: the kernel set msg_controllen to 0 */
	uint64_t r[4] = {0x1000, 2, 0x2000, 10};
	uint64_t rm[7] = {0, 0, 0x3000, 2, 0x5000, 0, 0};
	CALL("recvmsg", 8, 9, 0x4000, 0);
	blob(1, 0, 0, rm, 56);
	iov(1, DTL_SUB_MSG_IOV, 0, r, 2);
	str(1, DTL_SUB_ELEM(0), 0, "ab");
	str(1, DTL_SUB_ELEM(1), 0, "cdefgh");
	check(
	    "recvmsg(9, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"ab\", iov_len=2}, "
	    "{iov_base=\"cdefgh\", iov_len=10}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) "
	    "= 8");
}

static void sa_in(int arg, unsigned flags, uint16_t port, const uint8_t ip[4])
{
	uint8_t sa[16] = {2, 0, (uint8_t)(port >> 8), (uint8_t)port, ip[0], ip[1], ip[2], ip[3]};
	blob(arg, 0, flags, sa, 16);
}

static void test_socket_scalar(void **state)
{
	(void)state;
	static const uint8_t lo[4] = {127, 0, 0, 1};
	CALL("connect", -111, 3, 0x1000, 16);
	sa_in(1, E_ENTRY, 80, lo);
	check("connect(3, {sa_family=AF_INET, sin_port=htons(80), "
	      "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED (Connection refused)");

	uint8_t shortsa[8] = {2, 0, 0, 80, 127, 0, 0, 1};
	CALL("connect", -22, 3, 0x1000, 8);
	blob(1, 0, E_ENTRY, shortsa, 8);
	check("connect(3, {sa_family=AF_INET, sa_data=\"\\0P\\177\\0\\0\\1\"}, 8) = -1 EINVAL "
	      "(Invalid argument)");

	CALL("getsockname", 0, 3, 0x1000, 0x2000);
	u32(2, E_ENTRY, 128);
	sa_in(1, 0, 80, lo);
	u32(2, 0, 16);
	check("getsockname(3, {sa_family=AF_INET, sin_port=htons(80), "
	      "sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0");

	uint8_t s6[28] = {10, 0, 0x01, 0xbb, 0, 0, 0, 7};
	s6[8 + 15] = 1;
	CALL("connect", 0, 4, 0x1000, 28);
	blob(1, 0, E_ENTRY, s6, 28);
	check("connect(4, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(7), "
	      "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0");

	uint8_t un[110] = {1, 0};
	strcpy((char *)un + 2, "/tmp/mp/sock");
	CALL("bind", 0, 5, 0x1000, 110);
	blob(1, 0, E_ENTRY, un, 110);
	check("bind(5, {sa_family=AF_UNIX, sun_path=\"/tmp/mp/sock\"}, 110) = 0");

	uint8_t ab[11] = {1, 0, 0, 'a', 'b', 's', 't', 'r', 'a', 'c', 't'};
	CALL("getsockname", 0, 6, 0x1000, 0x2000);
	u32(2, E_ENTRY, 128);
	blob(1, 0, 0, ab, 11);
	u32(2, 0, 11);
	check("getsockname(6, {sa_family=AF_UNIX, sun_path=@\"abstract\"}, [128 => 11]) = 0");

	/* the buffer was shorter than the address: only what fit */
	CALL("getsockname", 0, 5, 0x1000, 0x2000);
	u32(2, E_ENTRY, 4);
	blob(1, 0, 0, un, 15);
	u32(2, 0, 15);
	check("getsockname(5, {sa_family=AF_UNIX, sun_path=\"/t\"}, [4 => 15]) = 0");

	CALL("connect", -22, 6, 0x1000, 2);
	blob(1, 0, E_ENTRY, un, 2);
	check("connect(6, {sa_family=AF_UNIX}, 2)      = -1 EINVAL (Invalid argument)");

	uint8_t nl[12] = {16, 0, 0, 0, 0xee, 0x15};
	CALL("getsockname", 0, 7, 0x1000, 0x2000);
	u32(2, E_ENTRY, 128);
	blob(1, 0, 0, nl, 12);
	u32(2, 0, 12);
	check(
	    "getsockname(7, {sa_family=AF_NETLINK, nl_pid=5614, nl_groups=00000000}, [128 => 12]) "
	    "= 0");

	uint8_t unk[16] = {200, 0, 'a', 'b'};
	CALL("connect", -106, 3, 0x1000, 16);
	blob(1, 0, E_ENTRY, unk, 16);
	check("connect(3, {sa_family=0xc8 /* AF_??? */, "
	      "sa_data=\"ab\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}, 16) = -1 EISCONN (Transport "
	      "endpoint is already connected)");

	int one = 1;
	CALL("setsockopt", 0, 3, 1, 2, 0x1000, 4);
	blob(3, 0, E_ENTRY, &one, 4);
	check("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");

	/* SCM_RIGHTS */
	uint64_t w[4] = {0x1000, 3, 0x2000, 5};
	uint64_t mh[7] = {0x7ffc43bc2c20, 0, 0x3000, 2, 0x5000, 24, 0};
	uint8_t cm[24] = {24, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
	CALL("sendmsg", 8, 8, 0x4000, 0x40);
	blob(1, 0, E_ENTRY, mh, 56);
	blob(1, DTL_SUB_MSG_CONTROL, E_ENTRY, cm, 24);
	iov(1, DTL_SUB_MSG_IOV, E_ENTRY, w, 2);
	str(1, DTL_SUB_ELEM(0), E_ENTRY, "abc");
	str(1, DTL_SUB_ELEM(1), E_ENTRY, "defgh");
	check("sendmsg(8, {msg_name=0x7ffc43bc2c20, msg_namelen=0, msg_iov=[{iov_base=\"abc\", "
	      "iov_len=3}, {iov_base=\"defgh\", iov_len=5}], msg_iovlen=2, "
	      "msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
	      "cmsg_data=[0, 1]}], msg_controllen=24, msg_flags=0}, MSG_DONTWAIT) = 8");
}

int main(void)
{
	/* utimensat's dates are local time, as strace prints them */
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strings),        cmocka_unit_test(test_buffers),
	    cmocka_unit_test(test_iovec),          cmocka_unit_test(test_stat),
	    cmocka_unit_test(test_statx_scalar),   cmocka_unit_test(test_time),
	    cmocka_unit_test(test_time_scalar),    cmocka_unit_test(test_process),
	    cmocka_unit_test(test_process_scalar), cmocka_unit_test(test_poll),
	    cmocka_unit_test(test_select),         cmocka_unit_test(test_epoll),
	    cmocka_unit_test(test_epoll_scalar),   cmocka_unit_test(test_sigset),
	    cmocka_unit_test(test_sigset_scalar),  cmocka_unit_test(test_sigaction),
	    cmocka_unit_test(test_siginfo),        cmocka_unit_test(test_siginfo_scalar),
	    cmocka_unit_test(test_socket),         cmocka_unit_test(test_socket_scalar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
