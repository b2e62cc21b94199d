// SPDX-License-Identifier: MIT
/*
 * The syscall catalogue's data: one entry per x86-64 system call, indexed by
 * its __NR_ number. Signatures follow the kernel's SYSCALL_DEFINEn() (the
 * raw syscall, not the libc wrapper: faccessat takes 3 arguments, preadv
 * splits its offset in two, clone's argument order is x86-64's). Trace
 * classes follow strace's -e trace=%class sets (checked against strace 6.1's
 * behaviour); syscalls newer than strace 6.1 are classified by the same
 * rules: %file if a path is taken, %desc if an fd is taken or returned, and
 * so on.
 */
#include <asm/unistd_64.h>

#include "catalogue_table.h"

/*
 * Syscalls newer than the build host's kernel headers (Debian 12 ships 6.1
 * headers, which end at 450); the guest may run on a newer kernel. The
 * numbers are x86-64's, which are fixed once assigned.
 */
#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_map_shadow_stack
#define __NR_map_shadow_stack 453
#endif
#ifndef __NR_futex_wake
#define __NR_futex_wake 454
#endif
#ifndef __NR_futex_wait
#define __NR_futex_wait 455
#endif
#ifndef __NR_futex_requeue
#define __NR_futex_requeue 456
#endif
#ifndef __NR_statmount
#define __NR_statmount 457
#endif
#ifndef __NR_listmount
#define __NR_listmount 458
#endif
#ifndef __NR_lsm_get_self_attr
#define __NR_lsm_get_self_attr 459
#endif
#ifndef __NR_lsm_set_self_attr
#define __NR_lsm_set_self_attr 460
#endif
#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif
#ifndef __NR_mseal
#define __NR_mseal 462
#endif
#ifndef __NR_setxattrat
#define __NR_setxattrat 463
#endif
#ifndef __NR_getxattrat
#define __NR_getxattrat 464
#endif
#ifndef __NR_listxattrat
#define __NR_listxattrat 465
#endif
#ifndef __NR_removexattrat
#define __NR_removexattrat 466
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif
#ifndef __NR_file_getattr
#define __NR_file_getattr 468
#endif
#ifndef __NR_file_setattr
#define __NR_file_setattr 469
#endif

/* Class shorthands, local to this table. */
#define FILE_    DTL_TRACE_FILE
#define DESC     DTL_TRACE_DESC
#define MEMORY   DTL_TRACE_MEMORY
#define PROCESS  DTL_TRACE_PROCESS
#define NETWORK  DTL_TRACE_NETWORK
#define SIGNAL   DTL_TRACE_SIGNAL
#define IPC      DTL_TRACE_IPC
#define CREDS    DTL_TRACE_CREDS
#define CLOCK    DTL_TRACE_CLOCK
#define PURE     DTL_TRACE_PURE
#define STAT_    (DTL_TRACE_STAT | DTL_TRACE_STAT_LIKE)
#define LSTAT_   (DTL_TRACE_LSTAT | DTL_TRACE_STAT_LIKE)
#define FSTAT_   (DTL_TRACE_FSTAT | DTL_TRACE_STAT_LIKE)
#define STATFS_  (DTL_TRACE_STATFS | DTL_TRACE_STATFS_LIKE)
#define FSTATFS_ (DTL_TRACE_FSTATFS | DTL_TRACE_STATFS_LIKE)

/* Arguments. V: a scalar; the others point at memory copied at entry (IN),
 * at exit (OUT) or both (INOUT), whose length is fixed or NUL-terminated,
 * or taken from argument n (_N), from the return value (_RET), or from the
 * socklen_t argument n points at (_PLEN). */
/* clang-format off */
#define V(k)           {DTL_ARG_##k, DTL_DIR_NONE, DTL_LEN_NONE, 0}
#define VQ(k, n)       {DTL_ARG_##k, DTL_DIR_NONE, DTL_LEN_ARG, n}
#define IN(k)          {DTL_ARG_##k, DTL_DIR_IN, DTL_LEN_NONE, 0}
#define OUT(k)         {DTL_ARG_##k, DTL_DIR_OUT, DTL_LEN_NONE, 0}
#define INOUT(k)       {DTL_ARG_##k, DTL_DIR_INOUT, DTL_LEN_NONE, 0}
#define IN_N(k, n)     {DTL_ARG_##k, DTL_DIR_IN, DTL_LEN_ARG, n}
#define OUT_N(k, n)    {DTL_ARG_##k, DTL_DIR_OUT, DTL_LEN_ARG, n}
#define INOUT_N(k, n)  {DTL_ARG_##k, DTL_DIR_INOUT, DTL_LEN_ARG, n}
#define OUT_RET(k)     {DTL_ARG_##k, DTL_DIR_OUT, DTL_LEN_RET, 0}
#define OUT_PLEN(k, n) {DTL_ARG_##k, DTL_DIR_OUT, DTL_LEN_ARG_PTR, n}

#define NARGS(...) (sizeof((const struct dtl_arg_desc[]){__VA_ARGS__}) / sizeof(struct dtl_arg_desc))

/* SYS(name, classes, return kind, arguments...) */
#define SYS(nm, cls, rk, ...)                                                                      \
	[__NR_##nm] = {                                                                            \
		.name = #nm,                                                                       \
		.nargs = NARGS(__VA_ARGS__),                                                       \
		.classes = (cls),                                                                  \
		.args = {__VA_ARGS__},                                                             \
		.ret = DTL_RET_##rk,                                                               \
	}
/*
 * CALL(name, (behaviour...), classes, return kind, arguments...): a call with
 * per-call behaviour beyond its arguments, the columns of dtl/catalogue.h:
 * LIFE() what it does to the caller, FDS() the descriptors or directory it
 * changes, CAPTURE() what the capture copies besides the arguments,
 * DECODER() the decoder that prints it, RESTART() the error an interrupted
 * call ends with, SIGSETSIZE(n) the argument giving its sigset's size.
 */
#define LIFE(x)       .lifecycle = DTL_LIFE_##x
#define FDS(x)        .fd_effect = DTL_FDS_##x
#define CAPTURE(x)    .capture = DTL_CAPTURE_##x
#define DECODER(x)    .decoder = DTL_DECODER_##x
#define RESTART(x)    .restart = DTL_RESTART_##x
#define SIGSETSIZE(n) .sigsetsize_arg = (n) + 1
#define BEHAVIOUR(...) __VA_ARGS__
#define CALL(nm, beh, cls, rk, ...)                                                                \
	[__NR_##nm] = {                                                                            \
		.name = #nm,                                                                       \
		.nargs = NARGS(__VA_ARGS__),                                                       \
		.classes = (cls),                                                                  \
		.args = {__VA_ARGS__},                                                             \
		.ret = DTL_RET_##rk,                                                               \
		BEHAVIOUR beh,                                                                     \
	}
/* clang-format on */

/* A number the kernel reserves but does not implement (-ENOSYS): all six
 * registers in hex. */
#define NI(nm, cls) SYS(nm, cls, INT, V(HEX), V(HEX), V(HEX), V(HEX), V(HEX), V(HEX))

const struct dtl_syscall_desc dtl_syscall_table[] = {
    CALL(read, (RESTART(SYS)), DESC, INT, V(FD), OUT_RET(BUF_OUT), V(ULONG)),
    CALL(write, (RESTART(SYS)), DESC, INT, V(FD), IN_N(BUF_IN, 2), V(ULONG)),
    CALL(open, (FDS(RESULT), DECODER(OPEN), RESTART(SYS)), FILE_ | DESC, FD, IN(PATH),
         V(OPEN_FLAGS), V(MODE)),
    CALL(close, (FDS(CLOSE)), DESC, INT, V(FD)),
    SYS(stat, FILE_ | STAT_, INT, IN(PATH), OUT(STAT_OUT)),
    SYS(fstat, DESC | FSTAT_, INT, V(FD), OUT(STAT_OUT)),
    SYS(lstat, FILE_ | LSTAT_, INT, IN(PATH), OUT(STAT_OUT)),
    CALL(poll, (DECODER(POLL), RESTART(NOHAND)), DESC, INT, INOUT_N(POLLFD_ARRAY, 1), V(UINT),
         V(INT)),
    SYS(lseek, DESC, INT, V(FD), V(LONG), V(SEEK_WHENCE)),
    CALL(mmap, (DECODER(MMAP)), DESC | MEMORY, HEX, V(PTR), V(ULONG), V(PROT), V(MMAP_FLAGS), V(FD),
         V(HEX)),
    SYS(mprotect, MEMORY, INT, V(PTR), V(ULONG), V(PROT)),
    SYS(munmap, MEMORY, INT, V(PTR), V(ULONG)),
    SYS(brk, MEMORY, HEX, V(PTR)),
    SYS(rt_sigaction, SIGNAL, INT, V(SIGNUM), IN(SIGACTION), OUT(SIGACTION), V(ULONG)),
    CALL(rt_sigprocmask, (SIGSETSIZE(3)), SIGNAL, INT, V(SIGPROCMASK_HOW), IN(SIGSET), OUT(SIGSET),
         V(ULONG)),
    CALL(rt_sigreturn, (CAPTURE(SIGRETURN_MASK), DECODER(RT_SIGRETURN)), SIGNAL, INT),
    CALL(ioctl, (CAPTURE(IOCTL_ARG), DECODER(IOCTL)), DESC, INT, V(FD), V(IOCTL_REQ), V(HEX)),
    CALL(pread64, (RESTART(SYS)), DESC, INT, V(FD), OUT_RET(BUF_OUT), V(ULONG), V(LONG)),
    CALL(pwrite64, (RESTART(SYS)), DESC, INT, V(FD), IN_N(BUF_IN, 2), V(ULONG), V(LONG)),
    CALL(readv, (RESTART(SYS)), DESC, INT, V(FD), OUT_N(IOVEC_OUT, 2), V(INT)),
    CALL(writev, (RESTART(SYS)), DESC, INT, V(FD), IN_N(IOVEC_IN, 2), V(INT)),
    SYS(access, FILE_, INT, IN(PATH), V(ACCESS_MODE)),
    CALL(pipe, (FDS(PAIR)), DESC, INT, OUT(FD_PAIR_OUT)),
    CALL(select, (DECODER(SELECT), RESTART(NOHAND)), DESC, INT, V(INT), INOUT_N(FD_SET, 0),
         INOUT_N(FD_SET, 0), INOUT_N(FD_SET, 0), INOUT(TIMEVAL_IN)),
    SYS(sched_yield, 0, INT),
    CALL(mremap, (DECODER(MREMAP)), MEMORY, HEX, V(PTR), V(ULONG), V(ULONG), V(MREMAP_FLAGS),
         V(PTR)),
    SYS(msync, MEMORY, INT, V(PTR), V(ULONG), V(MSYNC_FLAGS)),
    SYS(mincore, MEMORY, INT, V(PTR), V(ULONG), V(PTR)),
    SYS(madvise, MEMORY, INT, V(PTR), V(ULONG), V(MADVISE)),
    SYS(shmget, IPC, INT, V(HEX), V(ULONG), V(HEX)),
    SYS(shmat, IPC | MEMORY, HEX, V(INT), V(PTR), V(HEX)),
    SYS(shmctl, IPC, INT, V(INT), V(INT), V(PTR)),
    CALL(dup, (FDS(RESULT)), DESC, FD, V(FD)),
    CALL(dup2, (FDS(RESULT)), DESC, FD, V(FD), V(FD)),
    CALL(pause, (RESTART(NOHAND)), SIGNAL, INT),
    CALL(nanosleep, (DECODER(SLEEP), RESTART(RESTARTBLOCK)), 0, INT, IN(TIMESPEC_IN),
         OUT(TIMESPEC_OUT)),
    SYS(getitimer, 0, INT, V(ITIMER_WHICH), OUT(ITIMERVAL_OUT)),
    SYS(alarm, 0, INT, V(UINT)),
    SYS(setitimer, 0, INT, V(ITIMER_WHICH), IN(ITIMERVAL_IN), OUT(ITIMERVAL_OUT)),
    SYS(getpid, PURE, PID),
    SYS(sendfile, DESC | NETWORK, INT, V(FD), V(FD), INOUT(LOFF_INOUT), V(ULONG)),
    CALL(socket, (FDS(RESULT), DECODER(SOCKET)), NETWORK, FD, V(SOCK_DOMAIN), V(SOCK_TYPE), V(INT)),
    CALL(connect, (RESTART(SYS)), NETWORK, INT, V(FD), IN_N(SOCKADDR_IN, 2), V(UINT)),
    CALL(accept, (FDS(RESULT), RESTART(SYS)), NETWORK, FD, V(FD), OUT_PLEN(SOCKADDR_OUT, 2),
         INOUT(SOCKLEN_PTR)),
    CALL(sendto, (RESTART(SYS)), NETWORK, INT, V(FD), IN_N(BUF_IN, 2), V(ULONG), V(MSG_FLAGS),
         IN_N(SOCKADDR_IN, 5), V(UINT)),
    CALL(recvfrom, (RESTART(SYS)), NETWORK, INT, V(FD), OUT_RET(BUF_OUT), V(ULONG), V(MSG_FLAGS),
         OUT_PLEN(SOCKADDR_OUT, 5), INOUT(SOCKLEN_PTR)),
    CALL(sendmsg, (RESTART(SYS)), NETWORK, INT, V(FD), IN(MSGHDR_IN), V(MSG_FLAGS)),
    CALL(recvmsg, (CAPTURE(RECVMSG_HEADER), RESTART(SYS)), NETWORK, INT, V(FD), OUT(MSGHDR_OUT),
         V(MSG_FLAGS)),
    SYS(shutdown, NETWORK, INT, V(FD), V(SHUTDOWN_HOW)),
    SYS(bind, NETWORK, INT, V(FD), IN_N(SOCKADDR_IN, 2), V(UINT)),
    SYS(listen, NETWORK, INT, V(FD), V(INT)),
    SYS(getsockname, NETWORK, INT, V(FD), OUT_PLEN(SOCKADDR_OUT, 2), INOUT(SOCKLEN_PTR)),
    SYS(getpeername, NETWORK, INT, V(FD), OUT_PLEN(SOCKADDR_OUT, 2), INOUT(SOCKLEN_PTR)),
    CALL(socketpair, (FDS(PAIR)), NETWORK, INT, V(SOCK_DOMAIN), V(SOCK_TYPE), V(INT),
         OUT(FD_PAIR_OUT)),
    CALL(setsockopt, (DECODER(SOCKOPT)), NETWORK, INT, V(FD), V(SOCK_LEVEL), VQ(SOCKOPT_NAME, 1),
         IN_N(BUF_IN, 4), V(UINT)),
    CALL(getsockopt, (DECODER(SOCKOPT)), NETWORK, INT, V(FD), V(SOCK_LEVEL), VQ(SOCKOPT_NAME, 1),
         OUT_PLEN(BUF_OUT, 4), INOUT(SOCKLEN_PTR)),
    CALL(clone, (LIFE(FORK), DECODER(CLONE)), PROCESS, PID, V(CLONE_FLAGS), V(PTR), V(PTR), V(PTR),
         V(HEX)),
    CALL(fork, (LIFE(FORK)), PROCESS, PID),
    CALL(vfork, (LIFE(FORK)), PROCESS, PID),
    CALL(execve, (LIFE(EXEC)), FILE_ | PROCESS, INT, IN(PATH), IN(ARGV), IN(ENVP)),
    CALL(exit, (LIFE(EXIT_THREAD)), PROCESS, NONE, V(INT)),
    CALL(wait4, (RESTART(SYS)), PROCESS, PID, V(PID), OUT(WAIT_STATUS_OUT), V(WAIT_OPTIONS),
         OUT(RUSAGE_OUT)),
    CALL(kill, (LIFE(SIGNALS)), PROCESS | SIGNAL, INT, V(PID), V(SIGNUM)),
    SYS(uname, 0, INT, OUT(UTSNAME_OUT)),
    SYS(semget, IPC, INT, V(HEX), V(INT), V(HEX)),
    SYS(semop, IPC, INT, V(INT), V(PTR), V(ULONG)),
    SYS(semctl, IPC, INT, V(INT), V(INT), V(INT), V(HEX)),
    SYS(shmdt, IPC | MEMORY, INT, V(PTR)),
    SYS(msgget, IPC, INT, V(HEX), V(HEX)),
    SYS(msgsnd, IPC, INT, V(INT), V(PTR), V(ULONG), V(HEX)),
    SYS(msgrcv, IPC, INT, V(INT), V(PTR), V(ULONG), V(LONG), V(HEX)),
    SYS(msgctl, IPC, INT, V(INT), V(INT), V(PTR)),
    CALL(fcntl, (FDS(FCNTL_DUP), DECODER(FCNTL)), DESC, INT, V(FD), V(FCNTL_CMD), VQ(FCNTL_ARG, 1)),
    CALL(flock, (RESTART(SYS)), DESC, INT, V(FD), V(FLOCK_OP)),
    SYS(fsync, DESC, INT, V(FD)),
    SYS(fdatasync, DESC, INT, V(FD)),
    SYS(truncate, FILE_, INT, IN(PATH), V(LONG)),
    SYS(ftruncate, DESC, INT, V(FD), V(ULONG)),
    SYS(getdents, DESC, INT, V(FD), OUT_RET(BUF_OUT), V(UINT)),
    CALL(getcwd, (DECODER(GETCWD)), FILE_, INT, OUT_RET(BUF_OUT), V(ULONG)),
    CALL(chdir, (FDS(CHDIR)), FILE_, INT, IN(PATH)),
    CALL(fchdir, (FDS(FCHDIR)), DESC, INT, V(FD)),
    SYS(rename, FILE_, INT, IN(PATH), IN(PATH)),
    SYS(mkdir, FILE_, INT, IN(PATH), V(MODE)),
    SYS(rmdir, FILE_, INT, IN(PATH)),
    CALL(creat, (FDS(RESULT)), FILE_ | DESC, FD, IN(PATH), V(MODE)),
    SYS(link, FILE_, INT, IN(PATH), IN(PATH)),
    SYS(unlink, FILE_, INT, IN(PATH)),
    SYS(symlink, FILE_, INT, IN(PATH), IN(PATH)),
    SYS(readlink, FILE_, INT, IN(PATH), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(chmod, FILE_, INT, IN(PATH), V(MODE)),
    SYS(fchmod, DESC, INT, V(FD), V(MODE)),
    SYS(chown, FILE_, INT, IN(PATH), V(UID), V(GID)),
    SYS(fchown, DESC, INT, V(FD), V(UID), V(GID)),
    SYS(lchown, FILE_, INT, IN(PATH), V(UID), V(GID)),
    SYS(umask, 0, OCTAL, V(MODE)),
    SYS(gettimeofday, CLOCK, INT, OUT(TIMEVAL_OUT), V(PTR)),
    SYS(getrlimit, 0, INT, V(RLIMIT_RESOURCE), OUT(RLIMIT_OUT)),
    SYS(getrusage, 0, INT, V(RUSAGE_WHO), OUT(RUSAGE_OUT)),
    SYS(sysinfo, 0, INT, OUT(SYSINFO_OUT)),
    SYS(times, 0, INT, V(PTR)),
    CALL(ptrace, (DECODER(PTRACE)), 0, INT, V(PTRACE_REQUEST), V(PID), V(PTR), V(PTR)),
    SYS(getuid, CREDS | PURE, INT),
    SYS(syslog, 0, INT, V(INT), V(PTR), V(INT)),
    SYS(getgid, CREDS | PURE, INT),
    SYS(setuid, CREDS, INT, V(UID)),
    SYS(setgid, CREDS, INT, V(GID)),
    SYS(geteuid, CREDS | PURE, INT),
    SYS(getegid, CREDS | PURE, INT),
    SYS(setpgid, 0, INT, V(PID), V(PID)),
    SYS(getppid, PURE, PID),
    SYS(getpgrp, PURE, PID),
    SYS(setsid, 0, PID),
    SYS(setreuid, CREDS, INT, V(UID), V(UID)),
    SYS(setregid, CREDS, INT, V(GID), V(GID)),
    SYS(getgroups, CREDS, INT, V(INT), V(PTR)),
    SYS(setgroups, CREDS, INT, V(INT), V(PTR)),
    SYS(setresuid, CREDS, INT, V(UID), V(UID), V(UID)),
    SYS(getresuid, CREDS, INT, OUT(INT_OUT), OUT(INT_OUT), OUT(INT_OUT)),
    SYS(setresgid, CREDS, INT, V(GID), V(GID), V(GID)),
    SYS(getresgid, CREDS, INT, OUT(INT_OUT), OUT(INT_OUT), OUT(INT_OUT)),
    SYS(getpgid, 0, PID, V(PID)),
    SYS(setfsuid, CREDS, INT, V(UID)),
    SYS(setfsgid, CREDS, INT, V(GID)),
    SYS(getsid, 0, PID, V(PID)),
    SYS(capget, CREDS, INT, V(PTR), V(PTR)),
    SYS(capset, CREDS, INT, V(PTR), V(PTR)),
    CALL(rt_sigpending, (SIGSETSIZE(1)), SIGNAL, INT, OUT(SIGSET), V(ULONG)),
    CALL(rt_sigtimedwait, (SIGSETSIZE(3)), SIGNAL, INT, IN(SIGSET), OUT(SIGINFO), IN(TIMESPEC_IN),
         V(ULONG)),
    CALL(rt_sigqueueinfo, (LIFE(SIGNALS)), PROCESS | SIGNAL, INT, V(PID), V(SIGNUM), IN(SIGINFO)),
    CALL(rt_sigsuspend, (RESTART(NOHAND), SIGSETSIZE(1)), SIGNAL, INT, IN(SIGSET), V(ULONG)),
    SYS(sigaltstack, SIGNAL, INT, IN(STACK_T), OUT(STACK_T)),
    SYS(utime, FILE_, INT, IN(PATH), V(PTR)),
    CALL(mknod, (DECODER(MKNOD)), FILE_, INT, IN(PATH), V(MODE), V(HEX)),
    SYS(uselib, FILE_, INT, IN(PATH)),
    SYS(personality, 0, HEX, V(HEX)),
    SYS(ustat, DTL_TRACE_STATFS_LIKE, INT, V(HEX), V(PTR)),
    SYS(statfs, FILE_ | STATFS_, INT, IN(PATH), OUT(STATFS_OUT)),
    SYS(fstatfs, DESC | FSTATFS_, INT, V(FD), OUT(STATFS_OUT)),
    SYS(sysfs, 0, INT, V(INT), V(HEX), V(HEX)),
    SYS(getpriority, 0, INT, V(INT), V(INT)),
    SYS(setpriority, 0, INT, V(INT), V(INT), V(INT)),
    SYS(sched_setparam, 0, INT, V(PID), V(PTR)),
    SYS(sched_getparam, 0, INT, V(PID), V(PTR)),
    SYS(sched_setscheduler, 0, INT, V(PID), V(INT), V(PTR)),
    SYS(sched_getscheduler, 0, INT, V(PID)),
    SYS(sched_get_priority_max, 0, INT, V(INT)),
    SYS(sched_get_priority_min, 0, INT, V(INT)),
    SYS(sched_rr_get_interval, 0, INT, V(PID), OUT(TIMESPEC_OUT)),
    SYS(mlock, MEMORY, INT, V(PTR), V(ULONG)),
    SYS(munlock, MEMORY, INT, V(PTR), V(ULONG)),
    SYS(mlockall, MEMORY, INT, V(HEX)),
    SYS(munlockall, MEMORY, INT),
    SYS(vhangup, 0, INT),
    SYS(modify_ldt, 0, INT, V(INT), V(PTR), V(ULONG)),
    SYS(pivot_root, FILE_, INT, IN(PATH), IN(PATH)),
    SYS(_sysctl, 0, INT, V(PTR)),
    CALL(prctl, (DECODER(PRCTL)), CREDS, INT, V(PRCTL_OPTION), V(HEX), V(HEX), V(HEX), V(HEX)),
    CALL(arch_prctl, (DECODER(ARCH_PRCTL)), 0, INT, V(ARCH_PRCTL_CODE), V(HEX)),
    SYS(adjtimex, CLOCK, INT, V(PTR)),
    SYS(setrlimit, 0, INT, V(RLIMIT_RESOURCE), IN(RLIMIT_IN)),
    SYS(chroot, FILE_, INT, IN(PATH)),
    SYS(sync, 0, INT),
    SYS(acct, FILE_, INT, IN(PATH)),
    SYS(settimeofday, CLOCK, INT, IN(TIMEVAL_IN), V(PTR)),
    SYS(mount, FILE_, INT, IN(STR), IN(PATH), IN(STR), V(HEX), V(PTR)),
    SYS(umount2, FILE_, INT, IN(PATH), V(HEX)),
    SYS(swapon, FILE_, INT, IN(PATH), V(HEX)),
    SYS(swapoff, FILE_, INT, IN(PATH)),
    SYS(reboot, 0, INT, V(HEX), V(HEX), V(HEX), V(PTR)),
    SYS(sethostname, 0, INT, IN_N(BUF_IN, 1), V(ULONG)),
    SYS(setdomainname, 0, INT, IN_N(BUF_IN, 1), V(ULONG)),
    SYS(iopl, 0, INT, V(UINT)),
    SYS(ioperm, 0, INT, V(ULONG), V(ULONG), V(INT)),
    NI(create_module, 0),
    SYS(init_module, 0, INT, V(PTR), V(ULONG), IN(STR)),
    SYS(delete_module, 0, INT, IN(STR), V(HEX)),
    NI(get_kernel_syms, 0),
    NI(query_module, 0),
    SYS(quotactl, FILE_, INT, V(HEX), IN(PATH), V(INT), V(PTR)),
    NI(nfsservctl, 0),
    NI(getpmsg, NETWORK),
    NI(putpmsg, NETWORK),
    NI(afs_syscall, 0),
    NI(tuxcall, 0),
    NI(security, 0),
    SYS(gettid, PURE, PID),
    SYS(readahead, DESC, INT, V(FD), V(LONG), V(ULONG)),
    SYS(setxattr, FILE_, INT, IN(PATH), IN(STR), IN_N(BUF_IN, 3), V(ULONG), V(HEX)),
    SYS(lsetxattr, FILE_, INT, IN(PATH), IN(STR), IN_N(BUF_IN, 3), V(ULONG), V(HEX)),
    SYS(fsetxattr, DESC, INT, V(FD), IN(STR), IN_N(BUF_IN, 3), V(ULONG), V(HEX)),
    SYS(getxattr, FILE_, INT, IN(PATH), IN(STR), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(lgetxattr, FILE_, INT, IN(PATH), IN(STR), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(fgetxattr, DESC, INT, V(FD), IN(STR), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(listxattr, FILE_, INT, IN(PATH), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(llistxattr, FILE_, INT, IN(PATH), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(flistxattr, DESC, INT, V(FD), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(removexattr, FILE_, INT, IN(PATH), IN(STR)),
    SYS(lremovexattr, FILE_, INT, IN(PATH), IN(STR)),
    SYS(fremovexattr, DESC, INT, V(FD), IN(STR)),
    CALL(tkill, (LIFE(SIGNALS)), PROCESS | SIGNAL, INT, V(PID), V(SIGNUM)),
    SYS(time, CLOCK, INT, V(PTR)),
    /* The fourth argument is a timeout or a count depending on the op. */
    CALL(futex, (CAPTURE(FUTEX_TIMEOUT), DECODER(FUTEX), RESTART(SYS)), 0, INT, V(PTR), V(FUTEX_OP),
         V(UINT), V(PTR), V(PTR), V(UINT)),
    CALL(sched_setaffinity, (DECODER(CPU_SET)), 0, INT, V(PID), V(UINT), IN_N(BUF_IN, 1)),
    CALL(sched_getaffinity, (DECODER(CPU_SET)), 0, INT, V(PID), V(UINT), OUT_RET(BUF_OUT)),
    SYS(set_thread_area, 0, INT, V(PTR)),
    SYS(io_setup, MEMORY, INT, V(UINT), V(PTR)),
    SYS(io_destroy, MEMORY, INT, V(HEX)),
    SYS(io_getevents, 0, INT, V(HEX), V(LONG), V(LONG), V(PTR), IN(TIMESPEC_IN)),
    SYS(io_submit, 0, INT, V(HEX), V(LONG), V(PTR)),
    SYS(io_cancel, 0, INT, V(HEX), V(PTR), V(PTR)),
    SYS(get_thread_area, 0, INT, V(PTR)),
    SYS(lookup_dcookie, 0, INT, V(HEX), V(PTR), V(ULONG)),
    CALL(epoll_create, (FDS(RESULT)), DESC, FD, V(INT)),
    NI(epoll_ctl_old, 0),
    NI(epoll_wait_old, 0),
    SYS(remap_file_pages, MEMORY, INT, V(PTR), V(ULONG), V(PROT), V(ULONG), V(MMAP_FLAGS)),
    SYS(getdents64, DESC, INT, V(FD), OUT_RET(DIRENT64_OUT), V(UINT)),
    SYS(set_tid_address, 0, PID, V(PTR)),
    SYS(restart_syscall, 0, INT),
    SYS(semtimedop, IPC, INT, V(INT), V(PTR), V(ULONG), IN(TIMESPEC_IN)),
    SYS(fadvise64, DESC, INT, V(FD), V(LONG), V(ULONG), V(INT)),
    SYS(timer_create, 0, INT, V(CLOCKID), V(PTR), OUT(INT_OUT)),
    SYS(timer_settime, 0, INT, V(INT), V(HEX), IN(ITIMERSPEC_IN), OUT(ITIMERSPEC_OUT)),
    SYS(timer_gettime, 0, INT, V(INT), OUT(ITIMERSPEC_OUT)),
    SYS(timer_getoverrun, 0, INT, V(INT)),
    SYS(timer_delete, 0, INT, V(INT)),
    SYS(clock_settime, CLOCK, INT, V(CLOCKID), IN(TIMESPEC_IN)),
    SYS(clock_gettime, CLOCK, INT, V(CLOCKID), OUT(TIMESPEC_OUT)),
    SYS(clock_getres, CLOCK, INT, V(CLOCKID), OUT(TIMESPEC_OUT)),
    CALL(clock_nanosleep, (DECODER(SLEEP), RESTART(RESTARTBLOCK)), 0, INT, V(CLOCKID),
         V(TIMER_FLAGS), IN(TIMESPEC_IN), OUT(TIMESPEC_OUT)),
    CALL(exit_group, (LIFE(EXIT_GROUP)), PROCESS, NONE, V(INT)),
    CALL(epoll_wait, (RESTART(NOHAND)), DESC, INT, V(FD), OUT_RET(EPOLL_EVENT_OUT), V(INT), V(INT)),
    SYS(epoll_ctl, DESC, INT, V(FD), V(EPOLL_CTL_OP), V(FD), IN(EPOLL_EVENT_IN)),
    CALL(tgkill, (LIFE(SIGNALS)), PROCESS | SIGNAL, INT, V(PID), V(PID), V(SIGNUM)),
    SYS(utimes, FILE_, INT, IN(PATH), V(PTR)),
    NI(vserver, 0),
    SYS(mbind, MEMORY, INT, V(PTR), V(ULONG), V(INT), V(PTR), V(ULONG), V(HEX)),
    SYS(set_mempolicy, MEMORY, INT, V(INT), V(PTR), V(ULONG)),
    SYS(get_mempolicy, MEMORY, INT, V(PTR), V(PTR), V(ULONG), V(PTR), V(HEX)),
    SYS(mq_open, DESC, FD, IN(STR), V(OPEN_FLAGS), V(MODE), V(PTR)),
    SYS(mq_unlink, 0, INT, IN(STR)),
    SYS(mq_timedsend, DESC, INT, V(FD), IN_N(BUF_IN, 2), V(ULONG), V(UINT), IN(TIMESPEC_IN)),
    SYS(mq_timedreceive, DESC, INT, V(FD), OUT_RET(BUF_OUT), V(ULONG), V(PTR), IN(TIMESPEC_IN)),
    SYS(mq_notify, DESC, INT, V(FD), V(PTR)),
    SYS(mq_getsetattr, DESC, INT, V(FD), V(PTR), V(PTR)),
    SYS(kexec_load, 0, INT, V(HEX), V(ULONG), V(PTR), V(HEX)),
    CALL(waitid, (RESTART(SYS)), PROCESS, INT, V(IDTYPE), V(PID), OUT(SIGINFO), V(WAIT_OPTIONS),
         OUT(RUSAGE_OUT)),
    SYS(add_key, 0, INT, IN(STR), IN(STR), IN_N(BUF_IN, 3), V(ULONG), V(INT)),
    SYS(request_key, 0, INT, IN(STR), IN(STR), IN(STR), V(INT)),
    SYS(keyctl, 0, INT, V(INT), V(HEX), V(HEX), V(HEX), V(HEX)),
    SYS(ioprio_set, 0, INT, V(INT), V(INT), V(INT)),
    SYS(ioprio_get, 0, INT, V(INT), V(INT)),
    CALL(inotify_init, (FDS(RESULT)), DESC, FD),
    SYS(inotify_add_watch, FILE_ | DESC, INT, V(FD), IN(PATH), V(HEX)),
    SYS(inotify_rm_watch, DESC, INT, V(FD), V(INT)),
    SYS(migrate_pages, MEMORY, INT, V(PID), V(ULONG), V(PTR), V(PTR)),
    CALL(openat, (FDS(RESULT), DECODER(OPEN), RESTART(SYS)), FILE_ | DESC, FD, V(DIRFD), IN(PATH),
         V(OPEN_FLAGS), V(MODE)),
    SYS(mkdirat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(MODE)),
    CALL(mknodat, (DECODER(MKNOD)), FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(MODE), V(HEX)),
    SYS(fchownat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(UID), V(GID), V(AT_FLAGS)),
    SYS(futimesat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(PTR)),
    SYS(newfstatat, FILE_ | DESC | FSTAT_, INT, V(DIRFD), IN(PATH), OUT(STAT_OUT), V(AT_FLAGS)),
    SYS(unlinkat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(AT_FLAGS)),
    SYS(renameat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(DIRFD), IN(PATH)),
    SYS(linkat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(DIRFD), IN(PATH), V(AT_FLAGS)),
    SYS(symlinkat, FILE_ | DESC, INT, IN(PATH), V(DIRFD), IN(PATH)),
    SYS(readlinkat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), OUT_RET(BUF_OUT), V(ULONG)),
    SYS(fchmodat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(MODE)),
    SYS(faccessat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(ACCESS_MODE)),
    /* The sixth argument points at { const sigset_t *ss; size_t ss_len; }. */
    CALL(pselect6, (DECODER(PSELECT6), RESTART(NOHAND)), DESC, INT, V(INT), INOUT_N(FD_SET, 0),
         INOUT_N(FD_SET, 0), INOUT_N(FD_SET, 0), INOUT(TIMESPEC_IN), IN(PSELECT6_SIGMASK)),
    CALL(ppoll, (DECODER(PPOLL), RESTART(NOHAND), SIGSETSIZE(4)), DESC, INT,
         INOUT_N(POLLFD_ARRAY, 1), V(UINT), INOUT(TIMESPEC_IN), IN(SIGSET), V(ULONG)),
    CALL(unshare, (DECODER(UNSHARE)), 0, INT, V(CLONE_FLAGS)),
    SYS(set_robust_list, 0, INT, V(PTR), V(ULONG)),
    SYS(get_robust_list, 0, INT, V(PID), V(PTR), V(PTR)),
    SYS(splice, DESC, INT, V(FD), INOUT(LOFF_INOUT), V(FD), INOUT(LOFF_INOUT), V(ULONG), V(HEX)),
    SYS(tee, DESC, INT, V(FD), V(FD), V(ULONG), V(HEX)),
    SYS(sync_file_range, DESC, INT, V(FD), V(LONG), V(LONG), V(HEX)),
    SYS(vmsplice, DESC, INT, V(FD), IN_N(IOVEC_IN, 2), V(ULONG), V(HEX)),
    SYS(move_pages, MEMORY, INT, V(PID), V(ULONG), V(PTR), V(PTR), V(PTR), V(HEX)),
    SYS(utimensat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), IN(TIMESPEC_PAIR_IN), V(AT_FLAGS)),
    CALL(epoll_pwait, (RESTART(NOHAND), SIGSETSIZE(5)), DESC, INT, V(FD), OUT_RET(EPOLL_EVENT_OUT),
         V(INT), V(INT), IN(SIGSET), V(ULONG)),
    CALL(signalfd, (FDS(RESULT)), DESC | SIGNAL, FD, V(FD), IN(SIGSET), V(ULONG)),
    CALL(timerfd_create, (FDS(RESULT)), DESC, FD, V(CLOCKID), V(TFD_FLAGS)),
    CALL(eventfd, (FDS(RESULT)), DESC, FD, V(UINT)),
    SYS(fallocate, DESC, INT, V(FD), V(HEX), V(LONG), V(LONG)),
    SYS(timerfd_settime, DESC, INT, V(FD), V(TFD_SETTIME_FLAGS), IN(ITIMERSPEC_IN),
        OUT(ITIMERSPEC_OUT)),
    SYS(timerfd_gettime, DESC, INT, V(FD), OUT(ITIMERSPEC_OUT)),
    CALL(accept4, (FDS(RESULT), RESTART(SYS)), NETWORK, FD, V(FD), OUT_PLEN(SOCKADDR_OUT, 2),
         INOUT(SOCKLEN_PTR), V(SOCK_FLAGS)),
    CALL(signalfd4, (FDS(RESULT), SIGSETSIZE(2)), DESC | SIGNAL, FD, V(FD), IN(SIGSET), V(ULONG),
         V(HEX)),
    CALL(eventfd2, (FDS(RESULT)), DESC, FD, V(UINT), V(EVENTFD_FLAGS)),
    CALL(epoll_create1, (FDS(RESULT)), DESC, FD, V(EPOLL_CREATE_FLAGS)),
    CALL(dup3, (FDS(RESULT), DECODER(FD_FLAGS)), DESC, FD, V(FD), V(FD), V(OPEN_FLAGS)),
    CALL(pipe2, (FDS(PAIR), DECODER(FD_FLAGS)), DESC, INT, OUT(FD_PAIR_OUT), V(OPEN_FLAGS)),
    CALL(inotify_init1, (FDS(RESULT)), DESC, FD, V(INOTIFY_FLAGS)),
    CALL(preadv, (DECODER(PREADV)), DESC, INT, V(FD), OUT_N(IOVEC_OUT, 2), V(ULONG), V(LONG),
         V(LONG)),
    CALL(pwritev, (DECODER(PREADV)), DESC, INT, V(FD), IN_N(IOVEC_IN, 2), V(ULONG), V(LONG),
         V(LONG)),
    CALL(rt_tgsigqueueinfo, (LIFE(SIGNALS)), PROCESS | SIGNAL, INT, V(PID), V(PID), V(SIGNUM),
         IN(SIGINFO)),
    SYS(perf_event_open, DESC, FD, V(PTR), V(PID), V(INT), V(FD), V(HEX)),
    SYS(recvmmsg, NETWORK, INT, V(FD), OUT_RET(MMSGHDR_OUT), V(UINT), V(MSG_FLAGS),
        IN(TIMESPEC_IN)),
    SYS(fanotify_init, DESC, FD, V(HEX), V(HEX)),
    SYS(fanotify_mark, FILE_ | DESC, INT, V(FD), V(HEX), V(HEX), V(DIRFD), IN(PATH)),
    SYS(prlimit64, 0, INT, V(PID), V(RLIMIT_RESOURCE), IN(RLIMIT_IN), OUT(RLIMIT_OUT)),
    SYS(name_to_handle_at, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(PTR), V(PTR), V(AT_FLAGS)),
    CALL(open_by_handle_at, (FDS(RESULT)), DESC, FD, V(FD), V(PTR), V(OPEN_FLAGS)),
    SYS(clock_adjtime, CLOCK, INT, V(CLOCKID), V(PTR)),
    SYS(syncfs, DESC, INT, V(FD)),
    SYS(sendmmsg, NETWORK, INT, V(FD), IN_N(MMSGHDR_IN, 2), V(UINT), V(MSG_FLAGS)),
    CALL(setns, (DECODER(SETNS)), DESC, INT, V(FD), V(CLONE_FLAGS)),
    SYS(getcpu, 0, INT, OUT(INT_OUT), OUT(INT_OUT), V(PTR)),
    /* The local iovecs are ours; the remote ones describe the other process. */
    SYS(process_vm_readv, 0, INT, V(PID), OUT_N(IOVEC_OUT, 2), V(ULONG), V(PTR), V(ULONG), V(HEX)),
    SYS(process_vm_writev, 0, INT, V(PID), IN_N(IOVEC_IN, 2), V(ULONG), V(PTR), V(ULONG), V(HEX)),
    SYS(kcmp, 0, INT, V(PID), V(PID), V(INT), V(HEX), V(HEX)),
    SYS(finit_module, DESC, INT, V(FD), IN(STR), V(HEX)),
    SYS(sched_setattr, 0, INT, V(PID), V(PTR), V(HEX)),
    SYS(sched_getattr, 0, INT, V(PID), V(PTR), V(UINT), V(HEX)),
    SYS(renameat2, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(DIRFD), IN(PATH), V(RENAME_FLAGS)),
    SYS(seccomp, 0, INT, V(UINT), V(HEX), V(PTR)),
    CALL(getrandom, (DECODER(GETRANDOM)), 0, INT, OUT_RET(BUF_OUT), V(ULONG), V(GETRANDOM_FLAGS)),
    CALL(memfd_create, (FDS(RESULT)), DESC, FD, IN(STR), V(MFD_FLAGS)),
    SYS(kexec_file_load, DESC, INT, V(FD), V(FD), V(ULONG), IN(STR), V(HEX)),
    SYS(bpf, DESC, INT, V(INT), V(PTR), V(UINT)),
    CALL(execveat, (LIFE(EXEC)), FILE_ | DESC | PROCESS, INT, V(DIRFD), IN(PATH), IN(ARGV),
         IN(ENVP), V(AT_FLAGS)),
    SYS(userfaultfd, DESC, FD, V(HEX)),
    SYS(membarrier, 0, INT, V(INT), V(HEX), V(INT)),
    SYS(mlock2, MEMORY, INT, V(PTR), V(ULONG), V(MLOCK_FLAGS)),
    SYS(copy_file_range, DESC, INT, V(FD), INOUT(LOFF_INOUT), V(FD), INOUT(LOFF_INOUT), V(ULONG),
        V(HEX)),
    CALL(preadv2, (DECODER(PREADV)), DESC, INT, V(FD), OUT_N(IOVEC_OUT, 2), V(ULONG), V(LONG),
         V(LONG), V(HEX)),
    CALL(pwritev2, (DECODER(PREADV)), DESC, INT, V(FD), IN_N(IOVEC_IN, 2), V(ULONG), V(LONG),
         V(LONG), V(HEX)),
    SYS(pkey_mprotect, MEMORY, INT, V(PTR), V(ULONG), V(PROT), V(INT)),
    SYS(pkey_alloc, 0, INT, V(HEX), V(HEX)),
    SYS(pkey_free, 0, INT, V(INT)),
    CALL(statx, (DECODER(STATX)), FILE_ | DESC | FSTAT_, INT, V(DIRFD), IN(PATH), V(AT_FLAGS),
         V(STATX_MASK), OUT(STATX_OUT)),
    SYS(io_pgetevents, 0, INT, V(HEX), V(LONG), V(LONG), V(PTR), IN(TIMESPEC_IN), V(PTR)),
    SYS(rseq, 0, INT, V(PTR), V(HEX), V(HEX), V(HEX)),
    SYS(pidfd_send_signal, DESC | PROCESS | SIGNAL, INT, V(FD), V(SIGNUM), IN(SIGINFO), V(HEX)),
    SYS(io_uring_setup, DESC, FD, V(UINT), V(PTR)),
    SYS(io_uring_enter, DESC | SIGNAL, INT, V(FD), V(UINT), V(UINT), V(HEX), V(PTR), V(ULONG)),
    SYS(io_uring_register, DESC | MEMORY, INT, V(FD), V(UINT), V(PTR), V(UINT)),
    SYS(open_tree, FILE_ | DESC, FD, V(DIRFD), IN(PATH), V(HEX)),
    SYS(move_mount, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(DIRFD), IN(PATH), V(HEX)),
    SYS(fsopen, DESC, FD, IN(STR), V(HEX)),
    /* The value's type depends on the command. */
    SYS(fsconfig, FILE_ | DESC, INT, V(FD), V(UINT), IN(STR), V(PTR), V(INT)),
    SYS(fsmount, DESC, FD, V(FD), V(HEX), V(HEX)),
    SYS(fspick, FILE_ | DESC, FD, V(DIRFD), IN(PATH), V(HEX)),
    CALL(pidfd_open, (FDS(RESULT)), DESC, FD, V(PID), V(HEX)),
    CALL(clone3, (LIFE(FORK)), PROCESS, PID, IN_N(CLONE_ARGS, 1), V(ULONG)),
    SYS(close_range, 0, INT, V(UINT), V(UINT), V(HEX)),
    CALL(openat2, (FDS(RESULT)), FILE_ | DESC, FD, V(DIRFD), IN(PATH), IN_N(OPEN_HOW, 3), V(ULONG)),
    SYS(pidfd_getfd, DESC, FD, V(FD), V(INT), V(HEX)),
    CALL(faccessat2, (DECODER(FACCESSAT2)), FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(ACCESS_MODE),
         V(AT_FLAGS)),
    SYS(process_madvise, DESC, INT, V(FD), V(PTR), V(ULONG), V(MADVISE), V(HEX)),
    CALL(epoll_pwait2, (RESTART(NOHAND)), DESC, INT, V(FD), OUT_RET(EPOLL_EVENT_OUT), V(INT),
         IN(TIMESPEC_IN), IN(SIGSET), V(ULONG)),
    SYS(mount_setattr, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(AT_FLAGS), V(PTR), V(ULONG)),
    SYS(quotactl_fd, DESC, INT, V(FD), V(HEX), V(INT), V(PTR)),
    SYS(landlock_create_ruleset, DESC, FD, V(PTR), V(ULONG), V(HEX)),
    SYS(landlock_add_rule, DESC, INT, V(FD), V(INT), V(PTR), V(HEX)),
    SYS(landlock_restrict_self, DESC, INT, V(FD), V(HEX)),
    SYS(memfd_secret, DESC, FD, V(HEX)),
    SYS(process_mrelease, DESC, INT, V(FD), V(HEX)),
    SYS(futex_waitv, 0, INT, V(PTR), V(UINT), V(HEX), IN(TIMESPEC_IN), V(CLOCKID)),
    SYS(set_mempolicy_home_node, MEMORY, INT, V(PTR), V(ULONG), V(ULONG), V(HEX)),

    /* Newer than strace 6.1: classified here by the same rules. */
    SYS(cachestat, DESC, INT, V(FD), V(PTR), V(PTR), V(HEX)),
    SYS(fchmodat2, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(MODE), V(AT_FLAGS)),
    SYS(map_shadow_stack, MEMORY, HEX, V(PTR), V(ULONG), V(HEX)),
    SYS(futex_wake, 0, INT, V(PTR), V(HEX), V(INT), V(HEX)),
    SYS(futex_wait, 0, INT, V(PTR), V(ULONG), V(HEX), V(HEX), IN(TIMESPEC_IN), V(CLOCKID)),
    SYS(futex_requeue, 0, INT, V(PTR), V(HEX), V(INT), V(INT)),
    SYS(statmount, 0, INT, V(PTR), V(PTR), V(ULONG), V(HEX)),
    SYS(listmount, 0, INT, V(PTR), V(PTR), V(ULONG), V(HEX)),
    SYS(lsm_get_self_attr, 0, INT, V(UINT), V(PTR), V(PTR), V(HEX)),
    SYS(lsm_set_self_attr, 0, INT, V(UINT), V(PTR), V(UINT), V(HEX)),
    SYS(lsm_list_modules, 0, INT, V(PTR), V(PTR), V(HEX)),
    SYS(mseal, MEMORY, INT, V(PTR), V(ULONG), V(HEX)),
    SYS(setxattrat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(AT_FLAGS), IN(STR), V(PTR), V(ULONG)),
    SYS(getxattrat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(AT_FLAGS), IN(STR), V(PTR), V(ULONG)),
    SYS(listxattrat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(AT_FLAGS), OUT_RET(BUF_OUT),
        V(ULONG)),
    SYS(removexattrat, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(AT_FLAGS), IN(STR)),
    SYS(open_tree_attr, FILE_ | DESC, FD, V(DIRFD), IN(PATH), V(HEX), V(PTR), V(ULONG)),
    SYS(file_getattr, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(PTR), V(ULONG), V(AT_FLAGS)),
    SYS(file_setattr, FILE_ | DESC, INT, V(DIRFD), IN(PATH), V(PTR), V(ULONG), V(AT_FLAGS)),
};

const long dtl_syscall_table_len = sizeof(dtl_syscall_table) / sizeof(dtl_syscall_table[0]);
