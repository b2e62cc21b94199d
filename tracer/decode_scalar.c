// SPDX-License-Identifier: MIT
/*
 * Scalars as strace 6.1 prints them: numbers, descriptors, flag words and
 * enumerations; which arguments strace shows for a call; return values.
 *
 * strace's conventions, followed throughout: a flag word prints its known
 * bits in strace's table order, then the unknown rest in hex ("A|B|0x40");
 * a word with no known bit at all prints as hex with a comment naming the
 * vocabulary ("0x40 /\* MAP_??? *\/"); an enumeration value without a name
 * prints the same way. 32-bit arguments are decoded from their low half.
 * The socket and ioctl vocabularies live in decode_net.c.
 */
#define _GNU_SOURCE
#include "decode_tables.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* --- generic printers ------------------------------------------------------ */

const char *dtl_xlookup(uint64_t v, const struct dtl_flag_name *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].bit == v)
			return t[i].name;
	return NULL;
}

/* An enumeration: the name, or "0x9" with a comment naming the vocabulary */
void dtl_print_xval(FILE *out, uint64_t v, const struct dtl_flag_name *t, size_t n,
                    const char *unknown)
{
	const char *s = dtl_xlookup(v, t, n);
	if (s)
		fputs(s, out);
	else
		fprintf(out, "%#lx /* %s */", (unsigned long)v, unknown);
}

/* A flag word: "A|B|0x40"; @zero (or "0") for no bits; "0x40" with a
 * comment naming the vocabulary when no bit is known. */

static void print_ptr(FILE *out, uint64_t v)
{
	if (v)
		fprintf(out, "%#lx", (unsigned long)v);
	else
		fputs("NULL", out);
}

static void print_hex(FILE *out, uint64_t v)
{
	fprintf(out, "%#lx", (unsigned long)v);
}

/* --- vocabularies ------------------------------------------------------------ */

static const struct dtl_flag_name open_flags[] = {
    X(O_CREAT),
    X(O_EXCL),
    X(O_NOCTTY),
    X(O_TRUNC),
    X(O_APPEND),
    X(O_NONBLOCK),
    X(O_SYNC),
    X(O_DSYNC),
    X(O_DIRECT),
    XN(0100000, "O_LARGEFILE"),
    X(O_NOFOLLOW),
    X(O_NOATIME),
    X(O_CLOEXEC),
    X(O_PATH),
    X(O_TMPFILE),
    X(O_DIRECTORY),
    XN(O_ASYNC, "FASYNC"),
};

static void print_open_flags(FILE *out, uint32_t v)
{
	static const char *acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	fputs(acc[v & O_ACCMODE], out);
	v &= ~(uint32_t)O_ACCMODE;
	if (v) {
		fputc('|', out);
		dtl_print_flags(out, v, open_flags, DTL_N(open_flags), NULL);
	}
}

static void print_mode(FILE *out, uint32_t v)
{
	fprintf(out, "%#03o", v & 0177777);
}

/* mknod's mode: the file type by name */
static void print_mknod_mode(FILE *out, uint32_t v)
{
	static const struct dtl_flag_name types[] = {
	    XN(0140000, "S_IFSOCK"), XN(0120000, "S_IFLNK"), XN(0100000, "S_IFREG"),
	    XN(0060000, "S_IFBLK"),  XN(0040000, "S_IFDIR"), XN(0020000, "S_IFCHR"),
	    XN(0010000, "S_IFIFO"),
	};
	const char *t = dtl_xlookup(v & 0170000, types, DTL_N(types));
	if (t)
		fprintf(out, "%s|%#03o", t, v & 07777);
	else
		print_mode(out, v);
}

static const struct dtl_flag_name at_flags[] = {
    X(AT_SYMLINK_NOFOLLOW), X(AT_REMOVEDIR),  X(AT_SYMLINK_FOLLOW),
    X(AT_NO_AUTOMOUNT),     X(AT_EMPTY_PATH), XN(0x8000, "AT_RECURSIVE"),
};
/* faccessat2: 0x200 is AT_EACCESS there */
static const struct dtl_flag_name at_flags_access[] = {
    X(AT_SYMLINK_NOFOLLOW), X(AT_EACCESS),    X(AT_SYMLINK_FOLLOW),
    X(AT_NO_AUTOMOUNT),     X(AT_EMPTY_PATH), XN(0x8000, "AT_RECURSIVE"),
};

static void print_statx_at_flags(FILE *out, uint32_t v)
{
	static const char *sync[] = {"AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC",
	                             "AT_STATX_DONT_SYNC",
	                             "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC"};
	fputs(sync[(v >> 13) & 3], out);
	v &= ~0x6000u;
	if (v) {
		fputc('|', out);
		dtl_print_flags(out, v, at_flags, DTL_N(at_flags), NULL);
	}
}

static const struct dtl_flag_name fcntl_cmds[] = {
    X(F_DUPFD),         X(F_GETFD),      X(F_SETFD),
    X(F_GETFL),         X(F_SETFL),      X(F_GETLK),
    X(F_SETLK),         X(F_SETLKW),     X(F_SETOWN),
    X(F_GETOWN),        X(F_SETSIG),     X(F_GETSIG),
    X(F_SETOWN_EX),     X(F_GETOWN_EX),  X(F_OFD_GETLK),
    X(F_OFD_SETLK),     X(F_OFD_SETLKW), X(F_SETLEASE),
    X(F_GETLEASE),      X(F_NOTIFY),     XN(1029, "F_CANCELLK"),
    X(F_DUPFD_CLOEXEC), X(F_SETPIPE_SZ), X(F_GETPIPE_SZ),
    X(F_ADD_SEALS),     X(F_GET_SEALS),
};
static const struct dtl_flag_name fd_flags[] = {X(FD_CLOEXEC)};
static const struct dtl_flag_name lease_types[] = {X(F_RDLCK), X(F_WRLCK), X(F_UNLCK)};
static const struct dtl_flag_name dn_flags[] = {
    X(DN_ACCESS), X(DN_MODIFY), X(DN_CREATE),    X(DN_DELETE),
    X(DN_RENAME), X(DN_ATTRIB), X(DN_MULTISHOT),
};
static const struct dtl_flag_name seals[] = {
    X(F_SEAL_SEAL),
    X(F_SEAL_SHRINK),
    X(F_SEAL_GROW),
    X(F_SEAL_WRITE),
    XN(0x10, "F_SEAL_FUTURE_WRITE"),
};

static const struct dtl_flag_name flock_ops[] = {
    X(LOCK_SH),          X(LOCK_EX),         X(LOCK_NB),          X(LOCK_UN),
    XN(32, "LOCK_MAND"), XN(192, "LOCK_RW"), XN(64, "LOCK_READ"), XN(128, "LOCK_WRITE"),
};

static const struct dtl_flag_name prot_flags[] = {
    X(PROT_READ),        X(PROT_WRITE),     X(PROT_EXEC),
    XN(0x8, "PROT_SEM"), X(PROT_GROWSDOWN), X(PROT_GROWSUP),
};

static const struct dtl_flag_name mmap_flags[] = {
    X(MAP_FIXED),
    X(MAP_ANONYMOUS),
    X(MAP_32BIT),
    X(MAP_NORESERVE),
    X(MAP_POPULATE),
    X(MAP_NONBLOCK),
    X(MAP_GROWSDOWN),
    X(MAP_DENYWRITE),
    X(MAP_EXECUTABLE),
    X(MAP_LOCKED),
    X(MAP_STACK),
    X(MAP_HUGETLB),
    XN(0x80000, "MAP_SYNC"),
    XN(0x100000, "MAP_FIXED_NOREPLACE"),
};

static void print_mmap_flags(FILE *out, uint32_t v)
{
	static const char *types[] = {"MAP_FILE", "MAP_SHARED", "MAP_PRIVATE",
	                              "MAP_SHARED_VALIDATE"};
	if ((v & 0xf) > 3) {
		fprintf(out, "%#x /* MAP_??? */", v);
		return;
	}
	fputs(types[v & 0xf], out);
	unsigned huge = v >> 26;
	v &= ~0xfu & ((1u << 26) - 1);
	if (v) {
		fputc('|', out);
		dtl_print_flags(out, v, mmap_flags, DTL_N(mmap_flags), NULL);
	}
	if (huge)
		fprintf(out, "|%u<<MAP_HUGE_SHIFT", huge);
}

static const struct dtl_flag_name mremap_flags[] = {X(MREMAP_MAYMOVE), X(MREMAP_FIXED),
                                                    XN(4, "MREMAP_DONTUNMAP")};
static const struct dtl_flag_name msync_flags[] = {X(MS_ASYNC), X(MS_SYNC), X(MS_INVALIDATE)};
static const struct dtl_flag_name madvise_advice[] = {
    XN(0, "MADV_NORMAL"),           XN(1, "MADV_RANDOM"),         XN(2, "MADV_SEQUENTIAL"),
    XN(3, "MADV_WILLNEED"),         XN(4, "MADV_DONTNEED"),       XN(8, "MADV_FREE"),
    XN(9, "MADV_REMOVE"),           XN(10, "MADV_DONTFORK"),      XN(11, "MADV_DOFORK"),
    XN(12, "MADV_MERGEABLE"),       XN(13, "MADV_UNMERGEABLE"),   XN(14, "MADV_HUGEPAGE"),
    XN(15, "MADV_NOHUGEPAGE"),      XN(16, "MADV_DONTDUMP"),      XN(17, "MADV_DODUMP"),
    XN(18, "MADV_WIPEONFORK"),      XN(19, "MADV_KEEPONFORK"),    XN(20, "MADV_COLD"),
    XN(21, "MADV_PAGEOUT"),         XN(22, "MADV_POPULATE_READ"), XN(23, "MADV_POPULATE_WRITE"),
    XN(24, "MADV_DONTNEED_LOCKED"), XN(25, "MADV_COLLAPSE"),      XN(100, "MADV_HWPOISON"),
    XN(101, "MADV_SOFT_OFFLINE"),
};

/* clone's flags, in bit order, without the exit signal byte */
static const struct dtl_flag_name clone_flags[] = {
    XN(0x100, "CLONE_VM"),
    XN(0x200, "CLONE_FS"),
    XN(0x400, "CLONE_FILES"),
    XN(0x800, "CLONE_SIGHAND"),
    XN(0x1000, "CLONE_PIDFD"),
    XN(0x2000, "CLONE_PTRACE"),
    XN(0x4000, "CLONE_VFORK"),
    XN(0x8000, "CLONE_PARENT"),
    XN(0x10000, "CLONE_THREAD"),
    XN(0x20000, "CLONE_NEWNS"),
    XN(0x40000, "CLONE_SYSVSEM"),
    XN(0x80000, "CLONE_SETTLS"),
    XN(0x100000, "CLONE_PARENT_SETTID"),
    XN(0x200000, "CLONE_CHILD_CLEARTID"),
    XN(0x400000, "CLONE_DETACHED"),
    XN(0x800000, "CLONE_UNTRACED"),
    XN(0x1000000, "CLONE_CHILD_SETTID"),
    XN(0x2000000, "CLONE_NEWCGROUP"),
    XN(0x4000000, "CLONE_NEWUTS"),
    XN(0x8000000, "CLONE_NEWIPC"),
    XN(0x10000000, "CLONE_NEWUSER"),
    XN(0x20000000, "CLONE_NEWPID"),
    XN(0x40000000, "CLONE_NEWNET"),
    XN(0x80000000, "CLONE_IO"),
    XN(0x100000000ULL, "CLONE_CLEAR_SIGHAND"),
    XN(0x200000000ULL, "CLONE_INTO_CGROUP"),
};
/* unshare's: the namespaces and what can be unshared */
static const struct dtl_flag_name unshare_flags[] = {
    XN(0x80, "CLONE_NEWTIME"),
    XN(0x100, "CLONE_VM"),
    XN(0x200, "CLONE_FS"),
    XN(0x400, "CLONE_FILES"),
    XN(0x800, "CLONE_SIGHAND"),
    XN(0x10000, "CLONE_THREAD"),
    XN(0x20000, "CLONE_NEWNS"),
    XN(0x40000, "CLONE_SYSVSEM"),
    XN(0x2000000, "CLONE_NEWCGROUP"),
    XN(0x4000000, "CLONE_NEWUTS"),
    XN(0x8000000, "CLONE_NEWIPC"),
    XN(0x10000000, "CLONE_NEWUSER"),
    XN(0x20000000, "CLONE_NEWPID"),
    XN(0x40000000, "CLONE_NEWNET"),
    XN(0x80000000, "CLONE_IO"),
};
static const struct dtl_flag_name setns_types[] = {
    XN(0x80, "CLONE_NEWTIME"),        XN(0x20000, "CLONE_NEWNS"),
    XN(0x2000000, "CLONE_NEWCGROUP"), XN(0x4000000, "CLONE_NEWUTS"),
    XN(0x8000000, "CLONE_NEWIPC"),    XN(0x10000000, "CLONE_NEWUSER"),
    XN(0x20000000, "CLONE_NEWPID"),   XN(0x40000000, "CLONE_NEWNET"),
};

static const struct dtl_flag_name wait_options[] = {
    XN(1, "WNOHANG"),         XN(4, "WEXITED"),
    XN(2, "WSTOPPED"),        XN(8, "WCONTINUED"),
    XN(0x1000000, "WNOWAIT"), XN(0x80000000, "__WCLONE"),
    XN(0x40000000, "__WALL"), XN(0x20000000, "__WNOTHREAD"),
};

static const struct dtl_flag_name statx_mask[] = {
    XN(0xfff, "STATX_ALL"),       XN(0x7ff, "STATX_BASIC_STATS"), XN(0x1, "STATX_TYPE"),
    XN(0x2, "STATX_MODE"),        XN(0x4, "STATX_NLINK"),         XN(0x8, "STATX_UID"),
    XN(0x10, "STATX_GID"),        XN(0x20, "STATX_ATIME"),        XN(0x40, "STATX_MTIME"),
    XN(0x80, "STATX_CTIME"),      XN(0x100, "STATX_INO"),         XN(0x200, "STATX_SIZE"),
    XN(0x400, "STATX_BLOCKS"),    XN(0x800, "STATX_BTIME"),       XN(0x1000, "STATX_MNT_ID"),
    XN(0x2000, "STATX_DIOALIGN"),
};

static const struct dtl_flag_name signals[] = {
    XN(1, "SIGHUP"),   XN(2, "SIGINT"),     XN(3, "SIGQUIT"),  XN(4, "SIGILL"),
    XN(5, "SIGTRAP"),  XN(6, "SIGABRT"),    XN(7, "SIGBUS"),   XN(8, "SIGFPE"),
    XN(9, "SIGKILL"),  XN(10, "SIGUSR1"),   XN(11, "SIGSEGV"), XN(12, "SIGUSR2"),
    XN(13, "SIGPIPE"), XN(14, "SIGALRM"),   XN(15, "SIGTERM"), XN(16, "SIGSTKFLT"),
    XN(17, "SIGCHLD"), XN(18, "SIGCONT"),   XN(19, "SIGSTOP"), XN(20, "SIGTSTP"),
    XN(21, "SIGTTIN"), XN(22, "SIGTTOU"),   XN(23, "SIGURG"),  XN(24, "SIGXCPU"),
    XN(25, "SIGXFSZ"), XN(26, "SIGVTALRM"), XN(27, "SIGPROF"), XN(28, "SIGWINCH"),
    XN(29, "SIGIO"),   XN(30, "SIGPWR"),    XN(31, "SIGSYS"),
};

static void print_signal(FILE *out, int s)
{
	const char *n = dtl_xlookup((uint64_t)s, signals, DTL_N(signals));
	if (n)
		fputs(n, out);
	else if (s == 32)
		fputs("SIGRTMIN", out);
	else if (s > 32 && s <= 64)
		fprintf(out, "SIGRT_%d", s - 32);
	else
		fprintf(out, "%d", s);
}

/* clone's flags word: flags, then the exit signal ("...|SIGCHLD") */
static void print_clone_flags(FILE *out, uint64_t v)
{
	uint64_t flags = v & ~0xffull;
	int sig = (int)(v & 0xff);
	if (flags) {
		dtl_print_xflags(out, flags, clone_flags, DTL_N(clone_flags), NULL, "CLONE_???");
		if (sig) {
			fputc('|', out);
			print_signal(out, sig);
		}
	} else if (sig) {
		print_signal(out, sig);
	} else {
		fputc('0', out);
	}
}

static const struct dtl_flag_name clocks[] = {
    X(CLOCK_REALTIME),          X(CLOCK_MONOTONIC),        X(CLOCK_PROCESS_CPUTIME_ID),
    X(CLOCK_THREAD_CPUTIME_ID), X(CLOCK_MONOTONIC_RAW),    X(CLOCK_REALTIME_COARSE),
    X(CLOCK_MONOTONIC_COARSE),  X(CLOCK_BOOTTIME),         X(CLOCK_REALTIME_ALARM),
    X(CLOCK_BOOTTIME_ALARM),    XN(10, "CLOCK_SGI_CYCLE"), X(CLOCK_TAI),
};

static const char *futex_cmds[] = {
    "FUTEX_WAIT",           "FUTEX_WAKE",        "FUTEX_FD",          "FUTEX_REQUEUE",
    "FUTEX_CMP_REQUEUE",    "FUTEX_WAKE_OP",     "FUTEX_LOCK_PI",     "FUTEX_UNLOCK_PI",
    "FUTEX_TRYLOCK_PI",     "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
    "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
};
#define FUTEX_PRIVATE  128
#define FUTEX_CLOCK_RT 256

static void print_futex_op(FILE *out, uint32_t v)
{
	unsigned cmd = v & ~(unsigned)(FUTEX_PRIVATE | FUTEX_CLOCK_RT);
	/* FUTEX_CLOCK_REALTIME is named only with the commands taking it */
	bool clock_ok = cmd == 0 || cmd == 9 || cmd == 11;
	if (cmd >= DTL_N(futex_cmds) || ((v & FUTEX_CLOCK_RT) && !clock_ok)) {
		fprintf(out, "%#x /* FUTEX_??? */", v);
		return;
	}
	fprintf(out, "%s%s%s", futex_cmds[cmd], v & FUTEX_PRIVATE ? "_PRIVATE" : "",
	        v & FUTEX_CLOCK_RT ? "|FUTEX_CLOCK_REALTIME" : "");
}

/* FUTEX_WAKE_OP's encoded operation */
static void print_futex_wake_op(FILE *out, uint32_t v)
{
	static const struct dtl_flag_name ops[] = {XN(0, "FUTEX_OP_SET"), XN(1, "FUTEX_OP_ADD"),
	                                           XN(2, "FUTEX_OP_OR"), XN(3, "FUTEX_OP_ANDN"),
	                                           XN(4, "FUTEX_OP_XOR")};
	static const struct dtl_flag_name cmps[] = {
	    XN(0, "FUTEX_OP_CMP_EQ"), XN(1, "FUTEX_OP_CMP_NE"), XN(2, "FUTEX_OP_CMP_LT"),
	    XN(3, "FUTEX_OP_CMP_LE"), XN(4, "FUTEX_OP_CMP_GT"), XN(5, "FUTEX_OP_CMP_GE")};
	unsigned op = (v >> 28) & 0xf;
	if (op & 8) {
		fputs("FUTEX_OP_OPARG_SHIFT|", out);
		op &= 7;
	}
	const char *s = dtl_xlookup(op, ops, DTL_N(ops));
	if (s)
		fputs(s, out);
	else
		fprintf(out, "%#x", op);
	fprintf(out, "<<28|%#x<<12|", (v >> 12) & 0xfff);
	s = dtl_xlookup((v >> 24) & 0xf, cmps, DTL_N(cmps));
	if (s)
		fputs(s, out);
	else
		fprintf(out, "%#x", (v >> 24) & 0xf);
	fprintf(out, "<<24|%#x", v & 0xfff);
}

static const struct dtl_flag_name prctl_options[] = {
    X(PR_SET_PDEATHSIG),
    X(PR_GET_PDEATHSIG),
    X(PR_GET_DUMPABLE),
    X(PR_SET_DUMPABLE),
    X(PR_GET_UNALIGN),
    X(PR_SET_UNALIGN),
    X(PR_GET_KEEPCAPS),
    X(PR_SET_KEEPCAPS),
    X(PR_GET_FPEMU),
    X(PR_SET_FPEMU),
    X(PR_GET_FPEXC),
    X(PR_SET_FPEXC),
    X(PR_GET_TIMING),
    X(PR_SET_TIMING),
    X(PR_SET_NAME),
    X(PR_GET_NAME),
    X(PR_GET_ENDIAN),
    X(PR_SET_ENDIAN),
    X(PR_GET_SECCOMP),
    X(PR_SET_SECCOMP),
    X(PR_CAPBSET_READ),
    X(PR_CAPBSET_DROP),
    X(PR_GET_TSC),
    X(PR_SET_TSC),
    X(PR_GET_SECUREBITS),
    X(PR_SET_SECUREBITS),
    X(PR_SET_TIMERSLACK),
    X(PR_GET_TIMERSLACK),
    X(PR_TASK_PERF_EVENTS_DISABLE),
    X(PR_TASK_PERF_EVENTS_ENABLE),
    X(PR_MCE_KILL),
    X(PR_MCE_KILL_GET),
    X(PR_SET_MM),
    X(PR_SET_CHILD_SUBREAPER),
    X(PR_GET_CHILD_SUBREAPER),
    X(PR_SET_NO_NEW_PRIVS),
    X(PR_GET_NO_NEW_PRIVS),
    X(PR_GET_TID_ADDRESS),
    X(PR_SET_THP_DISABLE),
    X(PR_GET_THP_DISABLE),
    XN(43, "PR_MPX_ENABLE_MANAGEMENT"),
    XN(44, "PR_MPX_DISABLE_MANAGEMENT"),
    X(PR_SET_FP_MODE),
    X(PR_GET_FP_MODE),
    X(PR_CAP_AMBIENT),
    XN(50, "PR_SVE_SET_VL"),
    XN(51, "PR_SVE_GET_VL"),
    X(PR_GET_SPECULATION_CTRL),
    X(PR_SET_SPECULATION_CTRL),
    XN(54, "PR_PAC_RESET_KEYS"),
    XN(55, "PR_SET_TAGGED_ADDR_CTRL"),
    XN(56, "PR_GET_TAGGED_ADDR_CTRL"),
    XN(57, "PR_SET_IO_FLUSHER"),
    XN(58, "PR_GET_IO_FLUSHER"),
    XN(59, "PR_SET_SYSCALL_USER_DISPATCH"),
    XN(60, "PR_PAC_SET_ENABLED_KEYS"),
    XN(61, "PR_PAC_GET_ENABLED_KEYS"),
    XN(62, "PR_SCHED_CORE"),
    XN(63, "PR_SME_SET_VL"),
    XN(64, "PR_SME_GET_VL"),
    XN(0x53564d41, "PR_SET_VMA"),
    XN(0x59616d61, "PR_SET_PTRACER"),
};

static const struct dtl_flag_name arch_prctl_codes[] = {
    XN(0x1001, "ARCH_SET_GS"),
    XN(0x1002, "ARCH_SET_FS"),
    XN(0x1003, "ARCH_GET_FS"),
    XN(0x1004, "ARCH_GET_GS"),
    XN(0x1011, "ARCH_GET_CPUID"),
    XN(0x1012, "ARCH_SET_CPUID"),
    XN(0x1021, "ARCH_GET_XCOMP_SUPP"),
    XN(0x1022, "ARCH_GET_XCOMP_PERM"),
    XN(0x1023, "ARCH_REQ_XCOMP_PERM"),
    XN(0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
    XN(0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
    XN(0x2001, "ARCH_MAP_VDSO_X32"),
    XN(0x2002, "ARCH_MAP_VDSO_32"),
    XN(0x2003, "ARCH_MAP_VDSO_64"),
};

static const struct dtl_flag_name ptrace_requests[] = {
    XN(0, "PTRACE_TRACEME"),
    XN(1, "PTRACE_PEEKTEXT"),
    XN(2, "PTRACE_PEEKDATA"),
    XN(3, "PTRACE_PEEKUSER"),
    XN(4, "PTRACE_POKETEXT"),
    XN(5, "PTRACE_POKEDATA"),
    XN(6, "PTRACE_POKEUSER"),
    XN(7, "PTRACE_CONT"),
    XN(8, "PTRACE_KILL"),
    XN(9, "PTRACE_SINGLESTEP"),
    XN(12, "PTRACE_GETREGS"),
    XN(13, "PTRACE_SETREGS"),
    XN(14, "PTRACE_GETFPREGS"),
    XN(15, "PTRACE_SETFPREGS"),
    XN(16, "PTRACE_ATTACH"),
    XN(17, "PTRACE_DETACH"),
    XN(18, "PTRACE_GETFPXREGS"),
    XN(19, "PTRACE_SETFPXREGS"),
    XN(24, "PTRACE_SYSCALL"),
    XN(25, "PTRACE_GET_THREAD_AREA"),
    XN(26, "PTRACE_SET_THREAD_AREA"),
    XN(30, "PTRACE_ARCH_PRCTL"),
    XN(31, "PTRACE_SYSEMU"),
    XN(32, "PTRACE_SYSEMU_SINGLESTEP"),
    XN(33, "PTRACE_SINGLEBLOCK"),
    XN(0x4200, "PTRACE_SETOPTIONS"),
    XN(0x4201, "PTRACE_GETEVENTMSG"),
    XN(0x4202, "PTRACE_GETSIGINFO"),
    XN(0x4203, "PTRACE_SETSIGINFO"),
    XN(0x4204, "PTRACE_GETREGSET"),
    XN(0x4205, "PTRACE_SETREGSET"),
    XN(0x4206, "PTRACE_SEIZE"),
    XN(0x4207, "PTRACE_INTERRUPT"),
    XN(0x4208, "PTRACE_LISTEN"),
    XN(0x4209, "PTRACE_PEEKSIGINFO"),
    XN(0x420a, "PTRACE_GETSIGMASK"),
    XN(0x420b, "PTRACE_SETSIGMASK"),
    XN(0x420c, "PTRACE_SECCOMP_GET_FILTER"),
    XN(0x420d, "PTRACE_SECCOMP_GET_METADATA"),
    XN(0x420e, "PTRACE_GET_SYSCALL_INFO"),
    XN(0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
};
static const struct dtl_flag_name ptrace_options[] = {
    XN(0x1, "PTRACE_O_TRACESYSGOOD"),  XN(0x2, "PTRACE_O_TRACEFORK"),
    XN(0x4, "PTRACE_O_TRACEVFORK"),    XN(0x8, "PTRACE_O_TRACECLONE"),
    XN(0x10, "PTRACE_O_TRACEEXEC"),    XN(0x20, "PTRACE_O_TRACEVFORKDONE"),
    XN(0x40, "PTRACE_O_TRACEEXIT"),    XN(0x80, "PTRACE_O_TRACESECCOMP"),
    XN(0x100000, "PTRACE_O_EXITKILL"), XN(0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
};

/* --- dtl_print_scalar -------------------------------------------------------- */

static bool print_more_flags(FILE *out, enum dtl_arg_kind kind, uint64_t v);

void dtl_print_scalar(FILE *out, enum dtl_arg_kind kind, uint64_t v)
{
	uint32_t u = (uint32_t)v;
	int s = (int)u;
	if (print_more_flags(out, kind, v))
		return;
	switch (kind) {
	case DTL_ARG_INT:
	case DTL_ARG_FD:
	case DTL_ARG_PID:
		fprintf(out, "%d", s);
		break;
	case DTL_ARG_UINT:
		fprintf(out, "%u", u);
		break;
	case DTL_ARG_LONG:
		fprintf(out, "%ld", (long)v);
		break;
	case DTL_ARG_ULONG:
		fprintf(out, "%lu", (unsigned long)v);
		break;
	case DTL_ARG_PTR:
		print_ptr(out, v);
		break;
	case DTL_ARG_DIRFD:
		if (s == AT_FDCWD)
			fputs("AT_FDCWD", out);
		else
			fprintf(out, "%d", s);
		break;
	case DTL_ARG_UID:
	case DTL_ARG_GID:
		if (u == 0xffffffffu)
			fputs("-1", out);
		else
			fprintf(out, "%u", u);
		break;
	case DTL_ARG_SIGNUM:
		print_signal(out, s);
		break;
	case DTL_ARG_CLOCKID:
		dtl_print_xval(out, u, clocks, DTL_N(clocks), "CLOCK_???");
		break;
	case DTL_ARG_OPEN_FLAGS:
		print_open_flags(out, u);
		break;
	case DTL_ARG_MODE:
		print_mode(out, u);
		break;
	case DTL_ARG_ACCESS_MODE: {
		static const struct dtl_flag_name f[] = {X(R_OK), X(W_OK), X(X_OK)};
		dtl_print_xflags(out, u, f, DTL_N(f), "F_OK", "?_OK");
		break;
	}
	case DTL_ARG_AT_FLAGS:
		dtl_print_xflags(out, u, at_flags, DTL_N(at_flags), "0", "AT_???");
		break;
	case DTL_ARG_SEEK_WHENCE: {
		static const struct dtl_flag_name w[] = {X(SEEK_SET), X(SEEK_CUR), X(SEEK_END),
		                                         X(SEEK_DATA), X(SEEK_HOLE)};
		dtl_print_xval(out, u, w, DTL_N(w), "SEEK_???");
		break;
	}
	case DTL_ARG_FCNTL_CMD:
		dtl_print_xval(out, u, fcntl_cmds, DTL_N(fcntl_cmds), "F_???");
		break;
	case DTL_ARG_IOCTL_REQ:
		dtl_net_print_ioctl(out, u);
		break;
	case DTL_ARG_FLOCK_OP:
		dtl_print_xflags(out, u, flock_ops, DTL_N(flock_ops), "0", "LOCK_???");
		break;
	case DTL_ARG_PROT:
		dtl_print_xflags(out, u, prot_flags, DTL_N(prot_flags), "PROT_NONE", "PROT_???");
		break;
	case DTL_ARG_MMAP_FLAGS:
		print_mmap_flags(out, u);
		break;
	case DTL_ARG_MREMAP_FLAGS:
		dtl_print_xflags(out, u, mremap_flags, DTL_N(mremap_flags), "0", "MREMAP_???");
		break;
	case DTL_ARG_MSYNC_FLAGS:
		dtl_print_xflags(out, u, msync_flags, DTL_N(msync_flags), "0", "MS_???");
		break;
	case DTL_ARG_MADVISE:
		dtl_print_xval(out, u, madvise_advice, DTL_N(madvise_advice), "MADV_???");
		break;
	case DTL_ARG_CLONE_FLAGS:
		print_clone_flags(out, v);
		break;
	case DTL_ARG_WAIT_OPTIONS:
		dtl_print_xflags(out, u, wait_options, DTL_N(wait_options), "0", "W???");
		break;
	case DTL_ARG_IDTYPE: {
		static const struct dtl_flag_name t[] = {XN(0, "P_ALL"), XN(1, "P_PID"),
		                                         XN(2, "P_PGID"), XN(3, "P_PIDFD")};
		dtl_print_xval(out, u, t, DTL_N(t), "P_???");
		break;
	}
	case DTL_ARG_SIGPROCMASK_HOW: {
		static const struct dtl_flag_name h[] = {X(SIG_BLOCK), X(SIG_UNBLOCK),
		                                         X(SIG_SETMASK)};
		dtl_print_xval(out, u, h, DTL_N(h), "SIG_???");
		break;
	}
	case DTL_ARG_FUTEX_OP:
		print_futex_op(out, u);
		break;
	case DTL_ARG_SOCK_DOMAIN:
		dtl_net_print_domain(out, u);
		break;
	case DTL_ARG_SOCK_TYPE:
		dtl_net_print_socktype(out, u);
		break;
	case DTL_ARG_SOCK_FLAGS:
		dtl_net_print_sockflags(out, u);
		break;
	case DTL_ARG_SOCK_LEVEL:
		dtl_net_print_level(out, u);
		break;
	case DTL_ARG_SOCKOPT_NAME:
		/* without its level: SOL_SOCKET's names */
		dtl_net_print_sockopt(out, 1, u);
		break;
	case DTL_ARG_MSG_FLAGS:
		dtl_net_print_msgflags(out, u);
		break;
	case DTL_ARG_SHUTDOWN_HOW: {
		static const struct dtl_flag_name h[] = {X(SHUT_RD), X(SHUT_WR), X(SHUT_RDWR)};
		dtl_print_xval(out, u, h, DTL_N(h), "SHUT_???");
		break;
	}
	case DTL_ARG_EPOLL_CTL_OP: {
		static const struct dtl_flag_name o[] = {
		    XN(1, "EPOLL_CTL_ADD"), XN(2, "EPOLL_CTL_DEL"), XN(3, "EPOLL_CTL_MOD")};
		dtl_print_xval(out, u, o, DTL_N(o), "EPOLL_CTL_???");
		break;
	}
	case DTL_ARG_RLIMIT_RESOURCE: {
		static const struct dtl_flag_name r[] = {
		    XN(0, "RLIMIT_CPU"),       XN(1, "RLIMIT_FSIZE"),  XN(2, "RLIMIT_DATA"),
		    XN(3, "RLIMIT_STACK"),     XN(4, "RLIMIT_CORE"),   XN(5, "RLIMIT_RSS"),
		    XN(6, "RLIMIT_NPROC"),     XN(7, "RLIMIT_NOFILE"), XN(8, "RLIMIT_MEMLOCK"),
		    XN(9, "RLIMIT_AS"),        XN(10, "RLIMIT_LOCKS"), XN(11, "RLIMIT_SIGPENDING"),
		    XN(12, "RLIMIT_MSGQUEUE"), XN(13, "RLIMIT_NICE"),  XN(14, "RLIMIT_RTPRIO"),
		    XN(15, "RLIMIT_RTTIME")};
		dtl_print_xval(out, u, r, DTL_N(r), "RLIMIT_???");
		break;
	}
	case DTL_ARG_RUSAGE_WHO: {
		static const struct dtl_flag_name w[] = {XN(0, "RUSAGE_SELF"),
		                                         XN(0xffffffff, "RUSAGE_CHILDREN"),
		                                         XN(1, "RUSAGE_THREAD")};
		dtl_print_xval(out, u, w, DTL_N(w), "RUSAGE_???");
		break;
	}
	case DTL_ARG_ITIMER_WHICH: {
		static const struct dtl_flag_name w[] = {
		    XN(0, "ITIMER_REAL"), XN(1, "ITIMER_VIRTUAL"), XN(2, "ITIMER_PROF")};
		dtl_print_xval(out, u, w, DTL_N(w), "ITIMER_???");
		break;
	}
	case DTL_ARG_PRCTL_OPTION:
		dtl_print_xval(out, u, prctl_options, DTL_N(prctl_options), "PR_???");
		break;
	case DTL_ARG_ARCH_PRCTL_CODE:
		dtl_print_xval(out, u, arch_prctl_codes, DTL_N(arch_prctl_codes), "ARCH_???");
		break;
	case DTL_ARG_PTRACE_REQUEST:
		dtl_print_xval(out, v, ptrace_requests, DTL_N(ptrace_requests), "PTRACE_???");
		break;
	case DTL_ARG_STATX_MASK:
		dtl_print_xflags(out, u, statx_mask, DTL_N(statx_mask), "0", "STATX_???");
		break;
	case DTL_ARG_RENAME_FLAGS: {
		static const struct dtl_flag_name f[] = {
		    XN(1, "RENAME_NOREPLACE"), XN(2, "RENAME_EXCHANGE"), XN(4, "RENAME_WHITEOUT")};
		dtl_print_xflags(out, u, f, DTL_N(f), "0", "RENAME_???");
		break;
	}
	case DTL_ARG_GETRANDOM_FLAGS: {
		static const struct dtl_flag_name f[] = {
		    XN(1, "GRND_NONBLOCK"), XN(2, "GRND_RANDOM"), XN(4, "GRND_INSECURE")};
		dtl_print_xflags(out, u, f, DTL_N(f), "0", "GRND_???");
		break;
	}
	case DTL_ARG_FCNTL_ARG:
	case DTL_ARG_HEX:
	default:
		print_hex(out, v);
	}
}

/* --- per-call arguments --------------------------------------------------------- */

static bool is(const struct dtl_decoder_ctx *c, const char *name)
{
	return !strcmp(c->d->name, name);
}

/* A descriptor, with its path under -y: 3</etc/passwd> */
static void print_fd(const struct dtl_decoder_ctx *c, int fd)
{
	fprintf(c->out, "%d", fd);
	if (fd >= 0 && c->o && c->o->fd_path) {
		const char *p = c->o->fd_path(c->ev, fd, c->o->fd_path_arg);
		if (p)
			fprintf(c->out, "<%s>", p);
	}
}

/* fcntl's third argument, per command */
static void print_fcntl_arg(const struct dtl_decoder_ctx *c, unsigned cmd, uint64_t v)
{
	FILE *out = c->out;
	uint32_t u = (uint32_t)v;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETOWN:
	case F_SETPIPE_SZ:
		fprintf(out, "%d", (int)u);
		break;
	case F_SETFD:
		dtl_print_xflags(out, u, fd_flags, DTL_N(fd_flags), "0", "FD_???");
		break;
	case F_SETFL:
		print_open_flags(out, u);
		break;
	case F_SETSIG:
		print_signal(out, (int)u);
		break;
	case F_SETLEASE:
		dtl_print_xval(out, u, lease_types, DTL_N(lease_types), "F_???");
		break;
	case F_NOTIFY:
		dtl_print_xflags(out, u, dn_flags, DTL_N(dn_flags), "0", "DN_???");
		break;
	case F_ADD_SEALS:
		dtl_print_xflags(out, u, seals, DTL_N(seals), "0", "F_SEAL_???");
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
	case F_GETOWN_EX:
	case F_SETOWN_EX:
		print_ptr(out, v);
		break;
	default:
		print_hex(out, v);
	}
}

static bool fcntl_has_arg(unsigned cmd)
{
	switch (cmd) {
	case F_GETFD:
	case F_GETFL:
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
	case F_GETPIPE_SZ:
	case F_GET_SEALS:
		return false;
	}
	return true;
}

static const char *const capabilities[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

static void print_capability(FILE *out, uint64_t v)
{
	if (v < DTL_N(capabilities))
		fputs(capabilities[v], out);
	else
		fprintf(out, "%#lx /* CAP_??? */", (unsigned long)v);
}

/* prctl: how many arguments strace shows for an option, and how */
enum { PA_HEX, PA_PTR, PA_SIG, PA_DEC, PA_UDEC, PA_CAP };
struct prctl_shape {
	int n;        /* arguments after the option */
	uint8_t kind; /* of the first one */
};

static struct prctl_shape prctl_shape(unsigned opt)
{
	switch (opt) {
	case PR_GET_DUMPABLE:
	case PR_GET_KEEPCAPS:
	case PR_GET_TIMING:
	case PR_GET_SECCOMP:
	case PR_GET_SECUREBITS:
	case PR_GET_TIMERSLACK:
	case PR_TASK_PERF_EVENTS_DISABLE:
	case PR_TASK_PERF_EVENTS_ENABLE:
	case PR_MCE_KILL_GET:
	case PR_GET_FP_MODE:
		return (struct prctl_shape){0, PA_HEX};
	case PR_SET_NAME:
	case PR_GET_NAME:
	case PR_GET_PDEATHSIG:
	case PR_GET_CHILD_SUBREAPER:
	case PR_GET_TID_ADDRESS:
	case PR_GET_TSC:
	case PR_GET_UNALIGN:
	case PR_GET_FPEMU:
	case PR_GET_FPEXC:
	case PR_GET_ENDIAN:
		return (struct prctl_shape){1, PA_PTR};
	case PR_SET_PDEATHSIG:
		return (struct prctl_shape){1, PA_SIG};
	case PR_SET_KEEPCAPS:
	case PR_SET_TIMING:
	case PR_SET_CHILD_SUBREAPER:
		return (struct prctl_shape){1, PA_UDEC};
	case PR_SET_TIMERSLACK:
		return (struct prctl_shape){1, PA_DEC};
	case PR_CAPBSET_READ:
	case PR_CAPBSET_DROP:
		return (struct prctl_shape){1, PA_CAP};
	}
	return (struct prctl_shape){4, PA_HEX};
}

static void print_prctl_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	unsigned opt = (unsigned)c->ev->args[0];
	uint64_t v = c->ev->args[i];
	if (i == 1) {
		switch (opt) {
		case PR_SET_DUMPABLE: {
			static const struct dtl_flag_name d[] = {XN(0, "SUID_DUMP_DISABLE"),
			                                         XN(1, "SUID_DUMP_USER"),
			                                         XN(2, "SUID_DUMP_ROOT")};
			dtl_print_xval(out, (uint32_t)v, d, DTL_N(d), "SUID_DUMP_???");
			return;
		}
		case PR_SET_SECCOMP: {
			static const struct dtl_flag_name m[] = {XN(0, "SECCOMP_MODE_DISABLED"),
			                                         XN(1, "SECCOMP_MODE_STRICT"),
			                                         XN(2, "SECCOMP_MODE_FILTER")};
			dtl_print_xval(out, (uint32_t)v, m, DTL_N(m), "SECCOMP_MODE_???");
			return;
		}
		case PR_SET_PTRACER:
			if ((long)v == -1)
				fputs("PR_SET_PTRACER_ANY", out);
			else
				fprintf(out, "%d", (int)v);
			return;
		case PR_SET_MM:
			fprintf(out, "%#x /* PR_SET_MM_??? */", (unsigned)v);
			return;
		case PR_SET_VMA:
			if (v == 0)
				fputs("PR_SET_VMA_ANON_NAME", out);
			else
				fprintf(out, "%#lx /* PR_SET_VMA_??? */", (unsigned long)v);
			return;
		}
		switch (prctl_shape(opt).kind) {
		case PA_PTR:
			print_ptr(out, v);
			return;
		case PA_SIG:
			print_signal(out, (int)v);
			return;
		case PA_DEC:
			fprintf(out, "%ld", (long)v);
			return;
		case PA_UDEC:
			fprintf(out, "%lu", (unsigned long)v);
			return;
		case PA_CAP:
			print_capability(out, v);
			return;
		}
	}
	if (opt == PR_CAP_AMBIENT) {
		static const struct dtl_flag_name ops[] = {
		    XN(1, "PR_CAP_AMBIENT_IS_SET"), XN(2, "PR_CAP_AMBIENT_RAISE"),
		    XN(3, "PR_CAP_AMBIENT_LOWER"), XN(4, "PR_CAP_AMBIENT_CLEAR_ALL")};
		uint64_t op = c->ev->args[1];
		if (i == 1)
			dtl_print_xval(out, v, ops, DTL_N(ops), "PR_CAP_AMBIENT_???");
		else if (i == 2 && op >= 1 && op <= 3)
			print_capability(out, v);
		else
			print_hex(out, v);
		return;
	}
	if (opt == PR_SET_VMA && (i == 2 || i == 4)) {
		print_ptr(out, v);
		return;
	}
	if ((opt == PR_SET_MM || opt == PR_SET_NO_NEW_PRIVS || opt == PR_GET_NO_NEW_PRIVS ||
	     opt == PR_GET_THP_DISABLE || opt == PR_SET_SECCOMP || opt == PR_SET_VMA) &&
	    !(opt == PR_SET_SECCOMP && i == 2)) {
		fprintf(out, "%lu", (unsigned long)v);
		return;
	}
	if (opt == PR_SET_SECCOMP && i == 2) {
		if ((uint32_t)c->ev->args[1] == 2)
			print_ptr(out, v);
		else
			fprintf(out, "%lu", (unsigned long)v);
		return;
	}
	print_hex(out, v);
}

static int prctl_order(const struct dtl_decoder_ctx *c, int order[6])
{
	unsigned opt = (unsigned)c->ev->args[0];
	int n = 1 + prctl_shape(opt).n;
	switch (opt) {
	case PR_SET_DUMPABLE:
	case PR_SET_PTRACER:
		n = 2;
		break;
	case PR_SET_SECCOMP:
		n = (uint32_t)c->ev->args[1] == 2 ? 3 : 5;
		break;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

/* ptrace: arguments per request */
static int ptrace_order(const struct dtl_decoder_ctx *c, int order[6])
{
	switch (c->ev->args[0]) {
	case PTRACE_TRACEME:
		order[0] = 0;
		return 1;
	case PTRACE_ATTACH:
	case PTRACE_KILL:
	case PTRACE_INTERRUPT:
		order[0] = 0, order[1] = 1;
		return 2;
	case PTRACE_GETREGS:
	case PTRACE_SETREGS:
	case PTRACE_GETFPREGS:
	case PTRACE_SETFPREGS:
	case PTRACE_GETFPXREGS:
	case PTRACE_SETFPXREGS:
		order[0] = 0, order[1] = 1, order[2] = 3;
		return 3;
	}
	for (int i = 0; i < 4; i++)
		order[i] = i;
	return 4;
}

static void print_ptrace_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	uint64_t req = c->ev->args[0];
	uint64_t v = c->ev->args[i];
	if (i == 3) {
		switch (req) {
		case PTRACE_CONT:
		case PTRACE_SYSCALL:
		case PTRACE_DETACH:
		case PTRACE_SINGLESTEP:
		case PTRACE_SYSEMU:
		case PTRACE_SYSEMU_SINGLESTEP:
		case PTRACE_SINGLEBLOCK:
		case PTRACE_LISTEN:
			print_signal(out, (int)v);
			return;
		case PTRACE_SETOPTIONS:
		case PTRACE_SEIZE:
			dtl_print_xflags(out, v, ptrace_options, DTL_N(ptrace_options), "0",
			                 "PTRACE_O_???");
			return;
		}
		if (dtl_xlookup(req, ptrace_requests, DTL_N(ptrace_requests)))
			print_ptr(out, v);
		else
			print_hex(out, v);
		return;
	}
	/* the address */
	if (dtl_xlookup(req, ptrace_requests, DTL_N(ptrace_requests)))
		print_ptr(out, v);
	else
		print_hex(out, v);
}

/* futex: the arguments each operation uses */
static int futex_order(const struct dtl_decoder_ctx *c, int order[6])
{
	static const int8_t n_by_cmd[][7] = {
	    /* count, then the indexes */
	    [0] = {4, 0, 1, 2, 3},        /* WAIT: timeout */
	    [1] = {3, 0, 1, 2},           /* WAKE */
	    [2] = {3, 0, 1, 2},           /* FD */
	    [3] = {5, 0, 1, 2, 3, 4},     /* REQUEUE: val2, uaddr2 */
	    [4] = {6, 0, 1, 2, 3, 4, 5},  /* CMP_REQUEUE */
	    [5] = {6, 0, 1, 2, 3, 4, 5},  /* WAKE_OP */
	    [6] = {3, 0, 1, 3},           /* LOCK_PI: timeout */
	    [7] = {2, 0, 1},              /* UNLOCK_PI */
	    [8] = {2, 0, 1},              /* TRYLOCK_PI */
	    [9] = {5, 0, 1, 2, 3, 5},     /* WAIT_BITSET */
	    [10] = {4, 0, 1, 2, 5},       /* WAKE_BITSET */
	    [11] = {5, 0, 1, 2, 3, 4},    /* WAIT_REQUEUE_PI */
	    [12] = {6, 0, 1, 2, 3, 4, 5}, /* CMP_REQUEUE_PI */
	    [13] = {3, 0, 1, 3},          /* LOCK_PI2 */
	};
	uint32_t op = (uint32_t)c->ev->args[1];
	unsigned cmd = op & ~(unsigned)(FUTEX_PRIVATE | FUTEX_CLOCK_RT);
	if (cmd >= DTL_N(n_by_cmd)) {
		for (int i = 0; i < 6; i++)
			order[i] = i;
		return 6;
	}
	int n = n_by_cmd[cmd][0];
	for (int i = 0; i < n; i++)
		order[i] = n_by_cmd[cmd][i + 1];
	return n;
}

static void print_timespec_at(FILE *out, const char *p);

static void print_futex_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	uint32_t op = (uint32_t)c->ev->args[1];
	unsigned cmd = op & ~(unsigned)(FUTEX_PRIVATE | FUTEX_CLOCK_RT);
	uint64_t v = c->ev->args[i];
	bool known = cmd <= 13;
	switch (i) {
	case 3: { /* timeout, or val2 for the requeues and WAKE_OP */
		const struct dtl_blob *t = dtl_blob_find(c->ev, 3, DTL_SUB_OBJECT, true);
		if (cmd == 3 || cmd == 4 || cmd == 5 || cmd == 12)
			fprintf(out, "%u", (uint32_t)v);
		else if (v && t && !(t->flags & DTL_BLOB_FAULT) && t->len == 16)
			print_timespec_at(out, c->ev->data + t->offset);
		else
			print_ptr(out, v);
		return;
	}
	case 4:
		print_ptr(out, v);
		return;
	case 5:
		if (cmd == 5 && known)
			print_futex_wake_op(out, (uint32_t)v);
		else if ((cmd == 9 || cmd == 10) && (uint32_t)v == 0xffffffffu)
			fputs("FUTEX_BITSET_MATCH_ANY", out);
		else if (cmd == 9 || cmd == 10 || !known)
			fprintf(out, "%#x", (uint32_t)v);
		else
			fprintf(out, "%u", (uint32_t)v);
		return;
	}
	dtl_print_scalar(out, c->d->args[i].kind, v);
}

/* clone: named arguments, in strace's order */
static int clone_order(const struct dtl_decoder_ctx *c, int order[6])
{
	uint64_t f = c->ev->args[0];
	int n = 0;
	order[n++] = 1;              /* child_stack */
	order[n++] = 0;              /* flags */
	if (f & (0x100000 | 0x1000)) /* CLONE_PARENT_SETTID, CLONE_PIDFD */
		order[n++] = 2;
	if (f & 0x80000) /* CLONE_SETTLS */
		order[n++] = 4;
	if (f & (0x1000000 | 0x200000)) /* CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID */
		order[n++] = 3;
	return n;
}

static void print_clone_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	uint64_t v = c->ev->args[i];
	switch (i) {
	case 0:
		fputs("flags=", out);
		print_clone_flags(out, v);
		return;
	case 1:
		fputs("child_stack=", out);
		print_ptr(out, v);
		return;
	case 2:
		fputs("parent_tid=", out);
		/* the kernel stores the new tid there before returning it */
		if (v && (c->ev->args[0] & 0x100000) && c->completed && c->ev->ret > 0)
			fprintf(out, "[%ld]", (long)c->ev->ret);
		else
			print_ptr(out, v);
		return;
	case 3:
		fputs("child_tidptr=", out);
		print_ptr(out, v);
		return;
	case 4:
		fputs("tls=", out);
		print_ptr(out, v);
		return;
	}
}

/* {tv_sec=1, tv_nsec=0} from 16 copied bytes */
static void print_timespec_at(FILE *out, const char *p)
{
	int64_t t[2];
	memcpy(t, p, sizeof(t));
	fprintf(out, "{tv_sec=%ld, tv_nsec=%ld}", (long)t[0], (long)t[1]);
}

/* What ioctl's argument points at, when the capture copied it (an int or
 * a struct winsize for the common requests). */
static bool print_ioctl_memory(const struct dtl_decoder_ctx *c)
{
	const struct dtl_blob *b = dtl_blob_find(c->ev, 2, DTL_SUB_OBJECT, false);
	if (!b)
		b = dtl_blob_find(c->ev, 2, DTL_SUB_OBJECT, true);
	if (!b || (b->flags & DTL_BLOB_FAULT))
		return false;
	const char *p = c->ev->data + b->offset;
	if (b->len == 4) {
		int v;
		memcpy(&v, p, sizeof(v));
		fprintf(c->out, "[%d]", v);
		return true;
	}
	if (b->len == 8) {
		uint16_t w[4];
		memcpy(w, p, sizeof(w));
		fprintf(c->out, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", w[0], w[1],
		        w[2], w[3]);
		return true;
	}
	return false;
}

static void print_ioctl_arg(const struct dtl_decoder_ctx *c, uint64_t v)
{
	if (print_ioctl_memory(c))
		return;
	static const struct dtl_flag_name xonc[] = {X(TCOOFF), X(TCOON), X(TCIOFF), X(TCION)};
	static const struct dtl_flag_name flsh[] = {X(TCIFLUSH), X(TCOFLUSH), X(TCIOFLUSH)};
	switch (dtl_net_ioctl_arg((uint32_t)c->ev->args[1])) {
	case 2:
		print_ptr(c->out, v);
		return;
	case 3:
		fprintf(c->out, "%d", (int)v);
		return;
	case 4:
		dtl_print_xval(c->out, v, xonc, DTL_N(xonc), "TC???");
		return;
	case 5:
		dtl_print_xval(c->out, v, flsh, DTL_N(flsh), "TC???");
		return;
	}
	print_hex(c->out, v);
}

static void print_arch_prctl_arg(const struct dtl_decoder_ctx *c, uint64_t v)
{
	switch ((uint32_t)c->ev->args[0]) {
	case 0x1003: /* ARCH_GET_FS */
	case 0x1004: /* ARCH_GET_GS */
	case 0x1021: /* ARCH_GET_XCOMP_SUPP */
	case 0x1022: /* ARCH_GET_XCOMP_PERM */
	case 0x1024: /* ARCH_GET_XCOMP_GUEST_PERM */
		print_ptr(c->out, v);
		return;
	case 0x1023: /* ARCH_REQ_XCOMP_PERM */
	case 0x1025: {
		static const struct dtl_flag_name xf[] = {
		    XN(0, "XFEATURE_FP"),         XN(1, "XFEATURE_SSE"),
		    XN(2, "XFEATURE_YMM"),        XN(3, "XFEATURE_BNDREGS"),
		    XN(4, "XFEATURE_BNDCSR"),     XN(5, "XFEATURE_OPMASK"),
		    XN(6, "XFEATURE_ZMM_Hi256"),  XN(7, "XFEATURE_Hi16_ZMM"),
		    XN(8, "XFEATURE_PT"),         XN(9, "XFEATURE_PKRU"),
		    XN(10, "XFEATURE_PASID"),     XN(17, "XFEATURE_XTILE_CFG"),
		    XN(18, "XFEATURE_XTILE_DATA")};
		const char *s = dtl_xlookup(v, xf, DTL_N(xf));
		print_hex(c->out, v);
		fprintf(c->out, " /* %s */", s ? s : "XFEATURE_???");
		return;
	}
	case 0x2001:
	case 0x2002:
	case 0x2003:
		fprintf(c->out, "%#lx", (unsigned long)v);
		return;
	}
	print_hex(c->out, v);
}

void dtl_decode_scalar_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	const struct dtl_arg_desc *a = &c->d->args[i];
	uint64_t v = c->ev->args[i];

	if (is(c, "clone")) {
		print_clone_arg(c, i);
		return;
	}
	if (is(c, "futex")) {
		print_futex_arg(c, i);
		return;
	}
	if (is(c, "prctl") && i > 0) {
		print_prctl_arg(c, i);
		return;
	}
	if (is(c, "ptrace") && (i == 2 || i == 3)) {
		print_ptrace_arg(c, i);
		return;
	}
	if (is(c, "arch_prctl") && i == 1) {
		print_arch_prctl_arg(c, v);
		return;
	}
	if (is(c, "ioctl") && i == 2) {
		print_ioctl_arg(c, v);
		return;
	}
	if (is(c, "mmap") && i == 5) {
		print_hex(out, v); /* the offset */
		return;
	}
	if ((is(c, "mremap") && i == 4)) {
		print_ptr(out, v);
		return;
	}
	if (is(c, "socket") && i == 2) {
		dtl_net_print_protocol(out, (uint32_t)c->ev->args[0], (uint32_t)v);
		return;
	}
	if ((is(c, "mknod") && i == 1) || (is(c, "mknodat") && i == 2)) {
		print_mknod_mode(out, (uint32_t)v);
		return;
	}
	if ((is(c, "mknod") && i == 2) || (is(c, "mknodat") && i == 3)) {
		fprintf(out, "makedev(%#x, %#x)",
		        (unsigned)(((v >> 32) & ~0xfffu) | ((v >> 8) & 0xfff)),
		        (unsigned)(((v >> 12) & ~0xffu) | (v & 0xff)));
		return;
	}
	if (a->kind == DTL_ARG_OPEN_FLAGS && (is(c, "dup3") || is(c, "pipe2"))) {
		/* flags only, without an access mode */
		dtl_print_xflags(out, (uint32_t)v, open_flags, DTL_N(open_flags), "0", "O_???");
		return;
	}
	if (a->kind == DTL_ARG_CLONE_FLAGS && is(c, "unshare")) {
		dtl_print_xflags(out, (uint32_t)v, unshare_flags, DTL_N(unshare_flags), "0",
		                 "CLONE_???");
		return;
	}
	if (a->kind == DTL_ARG_CLONE_FLAGS && is(c, "setns")) {
		dtl_print_xflags(out, (uint32_t)v, setns_types, DTL_N(setns_types), "0",
		                 "CLONE_NEW???");
		return;
	}

	switch (a->kind) {
	case DTL_ARG_FD:
		print_fd(c, (int)(uint32_t)v);
		return;
	case DTL_ARG_DIRFD:
		if ((int)(uint32_t)v == AT_FDCWD) {
			/* -y: the working directory, as strace shows it */
			const char *p = c->o && c->o->fd_path
			                    ? c->o->fd_path(c->ev, AT_FDCWD, c->o->fd_path_arg)
			                    : NULL;
			fputs("AT_FDCWD", out);
			if (p)
				fprintf(out, "<%s>", p);
		} else {
			print_fd(c, (int)(uint32_t)v);
		}
		return;
	case DTL_ARG_FCNTL_ARG:
		print_fcntl_arg(c, (uint32_t)c->ev->args[a->len_arg], v);
		return;
	case DTL_ARG_SOCKOPT_NAME:
		dtl_net_print_sockopt(out, (uint32_t)c->ev->args[a->len_arg], (uint32_t)v);
		return;
	case DTL_ARG_AT_FLAGS:
		if (is(c, "statx")) {
			print_statx_at_flags(out, (uint32_t)v);
			return;
		}
		if (is(c, "faccessat2")) {
			dtl_print_xflags(out, (uint32_t)v, at_flags_access, DTL_N(at_flags_access),
			                 "0", "AT_???");
			return;
		}
		break;
	default:
		break;
	}
	dtl_print_scalar(out, a->kind, v);
}

/* --- which arguments ---------------------------------------------------------- */

/* the flags of the descriptor-creating calls and a few more */
static const struct dtl_flag_name epoll_create_flags[] = {XN(0x80000, "EPOLL_CLOEXEC")};
static const struct dtl_flag_name eventfd_flags[] = {
    XN(1, "EFD_SEMAPHORE"), XN(0x80000, "EFD_CLOEXEC"), XN(0x800, "EFD_NONBLOCK")};
static const struct dtl_flag_name timer_flags[] = {XN(1, "TIMER_ABSTIME")};
static const struct dtl_flag_name tfd_flags[] = {XN(0x80000, "TFD_CLOEXEC"),
                                                 XN(0x800, "TFD_NONBLOCK")};
static const struct dtl_flag_name tfd_settime_flags[] = {XN(1, "TFD_TIMER_ABSTIME"),
                                                         XN(2, "TFD_TIMER_CANCEL_ON_SET")};
static const struct dtl_flag_name inotify_flags[] = {XN(0x800, "IN_NONBLOCK"),
                                                     XN(0x80000, "IN_CLOEXEC")};
static const struct dtl_flag_name mfd_flags[] = {XN(1, "MFD_CLOEXEC"), XN(2, "MFD_ALLOW_SEALING"),
                                                 XN(4, "MFD_HUGETLB"), XN(8, "MFD_NOEXEC_SEAL"),
                                                 XN(0x10, "MFD_EXEC")};
static const struct dtl_flag_name mlock_flags[] = {XN(1, "MLOCK_ONFAULT")};

/* memfd_create: the flags, then the huge page size as strace writes it */
static void print_mfd_flags(FILE *out, uint32_t v)
{
	uint32_t huge = v >> 26;
	v &= (1u << 26) - 1;
	if (!huge) {
		dtl_print_xflags(out, v, mfd_flags, DTL_N(mfd_flags), "0", "MFD_???");
		return;
	}
	if (v) {
		dtl_print_xflags(out, v, mfd_flags, DTL_N(mfd_flags), "0", "MFD_???");
		fputc('|', out);
	}
	fprintf(out, "%u<<MFD_HUGE_SHIFT", huge);
}

/* The kinds added with the flag tables above; false for any other kind. */
static bool print_more_flags(FILE *out, enum dtl_arg_kind kind, uint64_t v)
{
	uint32_t w = (uint32_t)v;
	switch (kind) {
	case DTL_ARG_EPOLL_CREATE_FLAGS:
		dtl_print_xflags(out, w, epoll_create_flags, DTL_N(epoll_create_flags), "0",
		                 "EPOLL_???");
		return true;
	case DTL_ARG_EVENTFD_FLAGS:
		dtl_print_xflags(out, w, eventfd_flags, DTL_N(eventfd_flags), "0", "EFD_???");
		return true;
	case DTL_ARG_TIMER_FLAGS:
		dtl_print_xflags(out, w, timer_flags, DTL_N(timer_flags), "0", "TIMER_???");
		return true;
	case DTL_ARG_TFD_FLAGS:
		dtl_print_xflags(out, w, tfd_flags, DTL_N(tfd_flags), "0", "TFD_???");
		return true;
	case DTL_ARG_TFD_SETTIME_FLAGS:
		dtl_print_xflags(out, w, tfd_settime_flags, DTL_N(tfd_settime_flags), "0",
		                 "TFD_TIMER_???");
		return true;
	case DTL_ARG_INOTIFY_FLAGS:
		dtl_print_xflags(out, w, inotify_flags, DTL_N(inotify_flags), "0", "IN_???");
		return true;
	case DTL_ARG_MFD_FLAGS:
		print_mfd_flags(out, w);
		return true;
	case DTL_ARG_MLOCK_FLAGS:
		dtl_print_xflags(out, w, mlock_flags, DTL_N(mlock_flags), "0", "MLOCK_???");
		return true;
	default:
		return false;
	}
}

int dtl_decode_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	const struct dtl_syscall_desc *d = c->d;
	const uint64_t *a = c->ev->args;
	int n = d->nargs;

	if (is(c, "clone"))
		return clone_order(c, order);
	if (is(c, "futex"))
		return futex_order(c, order);
	if (is(c, "prctl"))
		return prctl_order(c, order);
	if (is(c, "ptrace"))
		return ptrace_order(c, order);

	/* open/openat take a mode only with O_CREAT or O_TMPFILE */
	if ((is(c, "openat") || is(c, "open")) && !(a[n - 2] & (O_CREAT | 020000000)))
		n--;
	else if (is(c, "fcntl") && !fcntl_has_arg((uint32_t)a[1]))
		n--;
	else if (is(c, "mremap") && !(a[3] & MREMAP_FIXED))
		n--;
	else if (is(c, "ioctl") && dtl_net_ioctl_arg((uint32_t)a[1]) == 1)
		n--;
	else if (is(c, "mknod") || is(c, "mknodat")) {
		uint32_t type = (uint32_t)a[n - 2] & 0170000;
		if (type != 0020000 && type != 0060000) /* the device only for S_IFCHR, S_IFBLK */
			n--;
	} else if (is(c, "arch_prctl")) {
		uint32_t code = (uint32_t)a[0];
		if (code == 0x1011) /* ARCH_GET_CPUID */
			n--;
	}
	/* the p{read,write}v family: strace shows the offset once (pos_l; pos_h
	 * is 0 on 64-bit) */
	bool split_offset =
	    is(c, "preadv") || is(c, "pwritev") || is(c, "preadv2") || is(c, "pwritev2");
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!(split_offset && i == 4))
			order[k++] = i;
	return k;
}

/* --- the return value ------------------------------------------------------------- */

static const struct dtl_flag_name kernel_errnos[] = {
    XN(512, "ERESTARTSYS"),
    XN(513, "ERESTARTNOINTR"),
    XN(514, "ERESTARTNOHAND"),
    XN(515, "ENOIOCTLCMD"),
    XN(516, "ERESTART_RESTARTBLOCK"),
    XN(517, "EPROBE_DEFER"),
    XN(518, "EOPENSTALE"),
    XN(521, "EBADHANDLE"),
    XN(522, "ENOTSYNC"),
    XN(523, "EBADCOOKIE"),
    XN(524, "ENOTSUPP"),
    XN(525, "ETOOSMALL"),
    XN(526, "ESERVERFAULT"),
    XN(527, "EBADTYPE"),
    XN(528, "EJUKEBOX"),
    XN(529, "EIOCBQUEUED"),
};

static void print_error(FILE *out, int e)
{
	switch (e) {
	case 512:
		fputs("? ERESTARTSYS (To be restarted if SA_RESTART is set)", out);
		return;
	case 513:
		fputs("? ERESTARTNOINTR (To be restarted)", out);
		return;
	case 514:
		fputs("? ERESTARTNOHAND (To be restarted if no handler)", out);
		return;
	case 516:
		fputs("? ERESTART_RESTARTBLOCK (Interrupted by signal)", out);
		return;
	}
	const char *name = e < 512 ? strerrorname_np(e) : NULL;
	if (!name)
		name = dtl_xlookup((uint64_t)e, kernel_errnos, DTL_N(kernel_errnos));
	if (name)
		fprintf(out, "-1 %s (%s)", name, strerror(e));
	else
		fprintf(out, "-1 ERRNO_%d (%s)", e, strerror(e));
}

/* fcntl's results that strace explains */
static bool print_fcntl_ret(const struct dtl_decoder_ctx *c, long r)
{
	FILE *out = c->out;
	switch ((uint32_t)c->ev->args[1]) {
	case F_GETFD:
		fprintf(out, "%#lx", (unsigned long)r);
		if (r) {
			fputs(" (flags ", out);
			dtl_print_flags(out, (uint64_t)r, fd_flags, DTL_N(fd_flags), NULL);
			fputc(')', out);
		}
		return true;
	case F_GETFL:
		fprintf(out, "%#lx (flags ", (unsigned long)r);
		print_open_flags(out, (uint32_t)r);
		fputc(')', out);
		return true;
	case F_GETSIG:
		fprintf(out, "%ld", r);
		if (r) {
			fputs(" (", out);
			print_signal(out, (int)r);
			fputc(')', out);
		}
		return true;
	case F_GETLEASE: {
		const char *s = dtl_xlookup((uint64_t)r, lease_types, DTL_N(lease_types));
		fprintf(out, "%#lx", (unsigned long)r);
		if (s)
			fprintf(out, " (%s)", s);
		return true;
	}
	case F_GET_SEALS:
		fprintf(out, "%#lx", (unsigned long)r);
		if (r) {
			fputs(" (seals ", out);
			dtl_print_flags(out, (uint64_t)r, seals, DTL_N(seals), NULL);
			fputc(')', out);
		}
		return true;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		print_fd(c, (int)r);
		return true;
	}
	return false;
}

/*
 * The error the kernel had when a handled signal interrupted the call.
 * A program sees EINTR only after its handler ran; ptrace sees the call end
 * before that, with the kernel's restart code, which is what strace prints.
 * The capture sees what the program sees, so the code is inferred: it
 * depends only on the call (kernel/signal.c handle_signal, the callers'
 * -ERESTART* returns). With SA_RESTART the kernel restarts the call instead,
 * and this tracer shows one call where strace shows two.
 */
static int restart_code(const struct dtl_decoder_ctx *c)
{
	static const char *const nohand[] = {"pause",      "rt_sigsuspend", "poll",
	                                     "ppoll",      "select",        "pselect6",
	                                     "epoll_wait", "epoll_pwait",   "epoll_pwait2"};
	static const char *const restartblock[] = {"nanosleep", "clock_nanosleep"};
	static const char *const sys[] = {"read",    "readv",  "write",   "writev",  "wait4",
	                                  "waitid",  "accept", "accept4", "connect", "recvfrom",
	                                  "recvmsg", "sendto", "sendmsg", "futex",   "flock",
	                                  "openat",  "open",   "pread64", "pwrite64"};
	for (size_t i = 0; i < DTL_N(nohand); i++)
		if (is(c, nohand[i]))
			return 514; /* ERESTARTNOHAND */
	for (size_t i = 0; i < DTL_N(restartblock); i++)
		if (is(c, restartblock[i]))
			return 516; /* ERESTART_RESTARTBLOCK */
	for (size_t i = 0; i < DTL_N(sys); i++)
		if (is(c, sys[i]))
			return 512; /* ERESTARTSYS */
	return EINTR;
}

void dtl_decode_ret(const struct dtl_decoder_ctx *c)
{
	FILE *out = c->out;
	const struct dtl_syscall_desc *d = c->d;
	long r = c->ev->ret;

	if (d->ret == DTL_RET_NONE) {
		fputc('?', out);
		return;
	}
	if (r == -EINTR) {
		print_error(out, restart_code(c));
		return;
	}
	if (r < 0 && r >= -4095) {
		print_error(out, (int)-r);
		return;
	}
	if (is(c, "fcntl") && print_fcntl_ret(c, r)) {
		dtl_decode_ret_memory(c);
		return;
	}
	if (is(c, "prctl") && (uint32_t)c->ev->args[0] == PR_GET_DUMPABLE) {
		static const struct dtl_flag_name dd[] = {
		    XN(0, "SUID_DUMP_DISABLE"), XN(1, "SUID_DUMP_USER"), XN(2, "SUID_DUMP_ROOT")};
		const char *s = dtl_xlookup((uint64_t)r, dd, DTL_N(dd));
		fprintf(out, "%ld", r);
		if (s)
			fprintf(out, " (%s)", s);
		dtl_decode_ret_memory(c);
		return;
	}
	switch (d->ret) {
	case DTL_RET_HEX:
		fprintf(out, "%#lx", (unsigned long)r);
		break;
	case DTL_RET_OCTAL:
		fprintf(out, "%#03lo", (unsigned long)r);
		break;
	case DTL_RET_FD:
		print_fd(c, (int)r);
		break;
	default:
		fprintf(out, "%ld", r);
	}
	dtl_decode_ret_memory(c);
}
