// SPDX-License-Identifier: MIT
/*
 * The syscall catalogue: one description, as data, of every x86-64 Linux
 * system call. Both halves of the tracer read it:
 *
 *  - the capture code (ring 0 of the guest) asks, for each argument, whether
 *    it points at memory, when that memory is to be copied (at entry, at exit
 *    or both) and how many bytes it spans (a fixed size, or a size/count taken
 *    from another argument, from a length the kernel writes back, or from the
 *    return value);
 *  - the formatter asks how to print each argument and the return value, and
 *    which strace "-e trace=%class" classes the call belongs to.
 *
 * The catalogue is plain constant data and pure functions over it: nothing
 * allocates, nothing takes locks, and dtl_syscall_by_nr() and
 * dtl_arg_kind_info() call no library function at all, so the capture code
 * can use them in any context.
 */
#ifndef DTL_CATALOGUE_H
#define DTL_CATALOGUE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * How to decode one argument.
 *
 * Scalar kinds are printed from the register value alone. The C width
 * matters: a 32-bit argument (int, unsigned int, and every kind derived from
 * them: FD, SIGNUM, flags words...) is decoded from the low 32 bits only,
 * because the upper half of the register is not guaranteed to be clean.
 *
 * Memory kinds name a pointer whose target is copied by the capture code;
 * dtl_arg_kind_info() says how much and dtl_arg_desc.dir says when. A NULL
 * pointer is printed as NULL and copies nothing; a pointer that faults is
 * printed as its address.
 */
enum dtl_arg_kind {
	DTL_ARG_NONE = 0, /* no such argument */

	/* -- plain numbers ------------------------------------------------ */
	DTL_ARG_INT,   /* int: signed decimal (32 bits) */
	DTL_ARG_UINT,  /* unsigned int: unsigned decimal (32 bits) */
	DTL_ARG_LONG,  /* long, off_t, loff_t: signed decimal (64 bits) */
	DTL_ARG_ULONG, /* unsigned long, size_t: unsigned decimal (64 bits) */
	DTL_ARG_HEX,   /* unsigned hex (64 bits): flags words without a decoder, keys */
	DTL_ARG_PTR,   /* opaque pointer: hex, 0 printed as NULL; nothing copied */

	/* -- identifiers ---------------------------------------------------- */
	DTL_ARG_FD,      /* file descriptor (int) */
	DTL_ARG_DIRFD,   /* directory fd of the *at() calls: AT_FDCWD shown symbolically */
	DTL_ARG_PID,     /* pid_t; also process groups (negative) */
	DTL_ARG_UID,     /* uid_t: -1 printed as -1 */
	DTL_ARG_GID,     /* gid_t: -1 printed as -1 */
	DTL_ARG_SIGNUM,  /* signal number: SIGTERM */
	DTL_ARG_CLOCKID, /* clockid_t: CLOCK_MONOTONIC */

	/* -- symbolic flags and enumerations (scalars) ---------------------- */
	DTL_ARG_OPEN_FLAGS,      /* O_RDONLY|O_CLOEXEC... (also pipe2, dup3) */
	DTL_ARG_MODE,            /* mode_t: octal, with S_IF* type bits for mknod */
	DTL_ARG_ACCESS_MODE,     /* F_OK or R_OK|W_OK|X_OK */
	DTL_ARG_AT_FLAGS,        /* AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|AT_REMOVEDIR... */
	DTL_ARG_SEEK_WHENCE,     /* SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE */
	DTL_ARG_FCNTL_CMD,       /* F_GETFD, F_SETFL, F_DUPFD_CLOEXEC... */
	DTL_ARG_FCNTL_ARG,       /* fcntl's third argument: decoded per the cmd in .len_arg */
	DTL_ARG_IOCTL_REQ,       /* ioctl request: TCGETS, FIONBIO, or _IOC(dir, type, nr, size) */
	DTL_ARG_FLOCK_OP,        /* LOCK_SH|LOCK_EX|LOCK_UN|LOCK_NB */
	DTL_ARG_PROT,            /* PROT_READ|PROT_WRITE|PROT_EXEC, PROT_NONE */
	DTL_ARG_MMAP_FLAGS,      /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED... */
	DTL_ARG_MREMAP_FLAGS,    /* MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP */
	DTL_ARG_MSYNC_FLAGS,     /* MS_ASYNC|MS_SYNC|MS_INVALIDATE */
	DTL_ARG_MADVISE,         /* MADV_DONTNEED... */
	DTL_ARG_CLONE_FLAGS,     /* CLONE_VM|CLONE_FS|...|SIGCHLD (low byte: exit signal) */
	DTL_ARG_WAIT_OPTIONS,    /* WNOHANG|WUNTRACED|__WALL... */
	DTL_ARG_IDTYPE,          /* waitid: P_PID, P_PGID, P_ALL, P_PIDFD */
	DTL_ARG_SIGPROCMASK_HOW, /* SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK */
	DTL_ARG_FUTEX_OP,        /* FUTEX_WAIT_PRIVATE, FUTEX_WAKE|FUTEX_CLOCK_REALTIME... */
	DTL_ARG_SOCK_DOMAIN,     /* AF_INET, AF_UNIX... */
	DTL_ARG_SOCK_TYPE,       /* SOCK_STREAM|SOCK_CLOEXEC... */
	DTL_ARG_SOCK_FLAGS,      /* accept4: SOCK_CLOEXEC|SOCK_NONBLOCK */
	DTL_ARG_SOCK_LEVEL,      /* SOL_SOCKET, IPPROTO_TCP... */
	DTL_ARG_SOCKOPT_NAME,    /* SO_REUSEADDR...: decoded per the level in .len_arg */
	DTL_ARG_MSG_FLAGS,       /* MSG_DONTWAIT|MSG_NOSIGNAL... */
	DTL_ARG_SHUTDOWN_HOW,    /* SHUT_RD, SHUT_WR, SHUT_RDWR */
	DTL_ARG_EPOLL_CTL_OP,    /* EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD */
	DTL_ARG_RLIMIT_RESOURCE, /* RLIMIT_NOFILE... */
	DTL_ARG_RUSAGE_WHO,      /* RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD */
	DTL_ARG_ITIMER_WHICH,    /* ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF */
	DTL_ARG_PRCTL_OPTION,    /* PR_SET_NAME... */
	DTL_ARG_ARCH_PRCTL_CODE, /* ARCH_SET_FS... */
	DTL_ARG_PTRACE_REQUEST,  /* PTRACE_TRACEME... */
	DTL_ARG_STATX_MASK,      /* STATX_TYPE|STATX_MODE...|STATX_BASIC_STATS */
	DTL_ARG_RENAME_FLAGS,    /* RENAME_NOREPLACE|RENAME_EXCHANGE|RENAME_WHITEOUT */
	DTL_ARG_GETRANDOM_FLAGS, /* GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE */
	DTL_ARG_EPOLL_CREATE_FLAGS, /* EPOLL_CLOEXEC */
	DTL_ARG_EVENTFD_FLAGS,      /* EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK */
	DTL_ARG_TIMER_FLAGS,        /* clock_nanosleep: TIMER_ABSTIME */
	DTL_ARG_TFD_FLAGS,          /* timerfd_create: TFD_CLOEXEC|TFD_NONBLOCK */
	DTL_ARG_TFD_SETTIME_FLAGS,  /* TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET */
	DTL_ARG_INOTIFY_FLAGS,      /* IN_NONBLOCK|IN_CLOEXEC */
	DTL_ARG_MFD_FLAGS,   /* MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|21<<MFD_HUGE_SHIFT */
	DTL_ARG_MLOCK_FLAGS, /* MLOCK_ONFAULT */

	/* -- strings ---------------------------------------------------------- */
	DTL_ARG_PATH, /* file name: NUL-terminated, copied at entry */
	DTL_ARG_STR,  /* any other NUL-terminated string, copied at entry */
	DTL_ARG_ARGV, /* NULL-terminated array of string pointers (execve argv) */
	DTL_ARG_ENVP, /* the same, printed as an environment (execve envp) */

	/* -- byte buffers --------------------------------------------------- */
	DTL_ARG_BUF_IN,       /* data the caller hands over (write): length from .len_* */
	DTL_ARG_BUF_OUT,      /* data the kernel fills in (read): length from .len_* */
	DTL_ARG_IOVEC_IN,     /* struct iovec[count] and their data, copied at entry */
	DTL_ARG_IOVEC_OUT,    /* struct iovec[count] and their data, copied at exit (ret bytes) */
	DTL_ARG_DIRENT64_OUT, /* getdents64 records, length = return value */

	/* -- structures ------------------------------------------------------- */
	DTL_ARG_STAT_OUT,         /* struct stat, filled by the kernel */
	DTL_ARG_STATX_OUT,        /* struct statx, filled by the kernel */
	DTL_ARG_STATFS_OUT,       /* struct statfs, filled by the kernel */
	DTL_ARG_TIMESPEC_IN,      /* struct timespec read by the kernel */
	DTL_ARG_TIMESPEC_OUT,     /* struct timespec written by the kernel */
	DTL_ARG_TIMESPEC_PAIR_IN, /* struct timespec[2] (utimensat) */
	DTL_ARG_TIMEVAL_IN,       /* struct timeval read by the kernel */
	DTL_ARG_TIMEVAL_OUT,      /* struct timeval written by the kernel */
	DTL_ARG_ITIMERVAL_IN,     /* struct itimerval read by the kernel */
	DTL_ARG_ITIMERVAL_OUT,    /* struct itimerval written by the kernel */
	DTL_ARG_ITIMERSPEC_IN,    /* struct itimerspec read by the kernel */
	DTL_ARG_ITIMERSPEC_OUT,   /* struct itimerspec written by the kernel */
	DTL_ARG_SOCKADDR_IN,      /* struct sockaddr, length from an argument */
	DTL_ARG_SOCKADDR_OUT,     /* struct sockaddr, length from the socklen_t the kernel wrote */
	DTL_ARG_SOCKLEN_PTR,      /* socklen_t *: value-result, copied at entry and exit */
	DTL_ARG_MSGHDR_IN,        /* struct msghdr (sendmsg): header, name, iovecs, control */
	DTL_ARG_MSGHDR_OUT,       /* struct msghdr (recvmsg), copied at exit */
	DTL_ARG_MMSGHDR_IN,       /* struct mmsghdr[count] (sendmmsg) */
	DTL_ARG_MMSGHDR_OUT,      /* struct mmsghdr[count] (recvmmsg), count = return value */
	DTL_ARG_POLLFD_ARRAY,     /* struct pollfd[nfds]: events at entry, revents at exit */
	DTL_ARG_EPOLL_EVENT_IN,   /* one struct epoll_event (epoll_ctl) */
	DTL_ARG_EPOLL_EVENT_OUT,  /* struct epoll_event[ret] (epoll_wait) */
	DTL_ARG_FD_SET,           /* fd_set of nfds bits (select): entry and exit */
	DTL_ARG_SIGSET,           /* kernel sigset_t (8 bytes); direction per argument */
	DTL_ARG_SIGACTION,        /* kernel struct sigaction; direction per argument */
	DTL_ARG_SIGINFO,          /* siginfo_t; direction per argument */
	DTL_ARG_STACK_T,          /* stack_t (sigaltstack); direction per argument */
	DTL_ARG_CLONE_ARGS,       /* struct clone_args, size from an argument */
	DTL_ARG_OPEN_HOW,         /* struct open_how, size from an argument */
	DTL_ARG_WAIT_STATUS_OUT,  /* int status written by wait4: WIFEXITED... */
	DTL_ARG_RUSAGE_OUT,       /* struct rusage written by the kernel */
	DTL_ARG_RLIMIT_IN,        /* struct rlimit read by the kernel */
	DTL_ARG_RLIMIT_OUT,       /* struct rlimit written by the kernel */
	DTL_ARG_FD_PAIR_OUT,      /* int[2] of new descriptors (pipe, socketpair) */
	DTL_ARG_INT_OUT,          /* one int written by the kernel (getresuid...) */
	DTL_ARG_LOFF_INOUT,       /* loff_t * read and updated by the kernel (sendfile) */
	DTL_ARG_UTSNAME_OUT,      /* struct utsname written by the kernel */
	DTL_ARG_SYSINFO_OUT,      /* struct sysinfo written by the kernel */
	DTL_ARG_PSELECT6_SIGMASK, /* pselect6's {const sigset_t *ss; size_t ss_len}, and the set */

	DTL_ARG_KIND_COUNT
};

/* When the capture code copies the memory an argument points at. */
enum dtl_arg_dir {
	DTL_DIR_NONE = 0, /* scalar (or opaque pointer): the register value only */
	DTL_DIR_IN,       /* read at syscall entry (the kernel reads it) */
	DTL_DIR_OUT,      /* read at syscall exit (the kernel writes it) */
	DTL_DIR_INOUT,    /* read at entry and again at exit (value-result) */
};

/*
 * Where a memory argument's length or element count comes from (in the unit
 * of dtl_arg_kind_info().size: bytes, or elements for arrays, or bits for
 * DTL_ARG_FD_SET).
 */
enum dtl_len_src {
	DTL_LEN_NONE = 0, /* fixed size or NUL-terminated: see dtl_arg_kind_info() */
	DTL_LEN_ARG,      /* the value of argument .len_arg (write's count) */
	DTL_LEN_ARG_PTR,  /* the socklen_t that argument .len_arg points at, read at exit */
	DTL_LEN_RET,      /* the return value, when it is not an error (read) */
};

/*
 * One argument. All fields are small enums stored in bytes:
 *  kind     enum dtl_arg_kind
 *  dir      enum dtl_arg_dir
 *  len_src  enum dtl_len_src
 *  len_arg  argument index (0-based) for DTL_LEN_ARG and DTL_LEN_ARG_PTR.
 *           For the two qualified scalars (DTL_ARG_FCNTL_ARG,
 *           DTL_ARG_SOCKOPT_NAME) len_src is DTL_LEN_ARG and len_arg names
 *           the argument that selects the decoding (the cmd, the level).
 */
struct dtl_arg_desc {
	uint8_t kind;
	uint8_t dir;
	uint8_t len_src;
	uint8_t len_arg;
};

/* How to print the return value. Every kind but NONE decodes -4095..-1 as -errno. */
enum dtl_ret_kind {
	DTL_RET_INT = 0, /* signed decimal (long) */
	DTL_RET_NONE,    /* does not return (exit, exit_group): "= ?" */
	DTL_RET_HEX,     /* an address (mmap, brk, shmat, mremap) or flags word */
	DTL_RET_FD,      /* a new file descriptor */
	DTL_RET_PID,     /* a process or thread id */
	DTL_RET_OCTAL,   /* a mode (umask) */
};

/*
 * Trace classes, as strace's "-e trace=%name" defines them (strace(1)).
 * A syscall can be in several.
 */
#define DTL_TRACE_FILE        (1u << 0)  /* %file: takes a file name */
#define DTL_TRACE_DESC        (1u << 1)  /* %desc: file-descriptor related */
#define DTL_TRACE_MEMORY      (1u << 2)  /* %memory: memory mapping */
#define DTL_TRACE_PROCESS     (1u << 3)  /* %process: creation, exec, termination, kill */
#define DTL_TRACE_NETWORK     (1u << 4)  /* %network, %net */
#define DTL_TRACE_SIGNAL      (1u << 5)  /* %signal */
#define DTL_TRACE_IPC         (1u << 6)  /* %ipc: SysV IPC */
#define DTL_TRACE_CREDS       (1u << 7)  /* %creds: user/group ids, capabilities */
#define DTL_TRACE_CLOCK       (1u << 8)  /* %clock: read or set system clocks */
#define DTL_TRACE_STAT        (1u << 9)  /* %stat: stat variants */
#define DTL_TRACE_LSTAT       (1u << 10) /* %lstat: lstat variants */
#define DTL_TRACE_FSTAT       (1u << 11) /* %fstat: fstat, fstatat, statx */
#define DTL_TRACE_STAT_LIKE   (1u << 12) /* %%stat: any file status request */
#define DTL_TRACE_STATFS      (1u << 13) /* %statfs: statfs variants */
#define DTL_TRACE_FSTATFS     (1u << 14) /* %fstatfs: fstatfs variants */
#define DTL_TRACE_STATFS_LIKE (1u << 15) /* %%statfs: statfs-like, fstatfs-like, ustat */
#define DTL_TRACE_PURE        (1u << 16) /* %pure: no arguments, always succeeds */
#define DTL_TRACE_ALL_CLASSES ((1u << 17) - 1)

/*
 * What a call does to the task that makes it. The capture, the front-end's
 * task model and the formatter all decide from this column, not from lists
 * of syscall numbers of their own.
 */
enum dtl_lifecycle {
	DTL_LIFE_ORDINARY = 0, /* returns to its caller */
	DTL_LIFE_FORK,         /* creates a task (fork, vfork, clone, clone3): returns
	                        * the new id in the caller, 0 in the new task */
	DTL_LIFE_EXEC,         /* replaces the program (execve, execveat): returns
	                        * only when it fails */
	DTL_LIFE_EXIT_THREAD,  /* ends the calling thread (exit): never returns */
	DTL_LIFE_EXIT_GROUP,   /* ends every thread of the process (exit_group) */
	DTL_LIFE_SIGNALS,      /* sends a signal, possibly to the caller itself, which
	                        * may end it before the call returns (the kill family) */
};

/* The descriptors (or working directory) a call changes, for -y. */
enum dtl_fd_effect {
	DTL_FDS_NONE = 0,
	DTL_FDS_RESULT,    /* the result is a new descriptor (open, socket, dup2...) */
	DTL_FDS_FCNTL_DUP, /* fcntl: the result is new for F_DUPFD, F_DUPFD_CLOEXEC */
	DTL_FDS_PAIR,      /* two new descriptors in the DTL_ARG_FD_PAIR_OUT argument */
	DTL_FDS_CLOSE,     /* closes the descriptor in argument 0 */
	DTL_FDS_CHDIR,     /* the working directory becomes the path in argument 0 */
	DTL_FDS_FCHDIR,    /* the working directory becomes descriptor argument 0's */
};

/*
 * What the ring-0 capture copies for a call besides what its argument kinds
 * say (memory whose shape depends on another argument, or that is not an
 * argument at all).
 */
enum dtl_capture_hook {
	DTL_CAPTURE_ARGS = 0,       /* the arguments' memory only */
	DTL_CAPTURE_RECVMSG_HEADER, /* recvmsg: the msghdr as the caller set it, at
	                             * entry, so that a failed call can show it */
	DTL_CAPTURE_FUTEX_TIMEOUT,  /* futex: argument 3's struct timespec for the
	                             * operations that take a timeout (dtl/futex.h) */
	DTL_CAPTURE_IOCTL_ARG,      /* ioctl: what argument 2 points at, per request
	                             * (dtl/ioctl.h) */
	DTL_CAPTURE_SIGRETURN_MASK, /* rt_sigreturn: the signal mask the frame at the
	                             * stack pointer restores */
};

/*
 * The decoder that prints a call whose arguments or result cannot be printed
 * from their kinds alone (an argument's meaning depends on another, strace
 * omits or reorders arguments, the result has an annotation). The formatter
 * maps each to its functions; DTL_DECODER_KINDS prints by kind only.
 */
enum dtl_decoder {
	DTL_DECODER_KINDS = 0,
	DTL_DECODER_OPEN,         /* open, openat: the mode only with O_CREAT/O_TMPFILE */
	DTL_DECODER_FCNTL,        /* the argument per command; explained results */
	DTL_DECODER_IOCTL,        /* the argument per request (dtl/ioctl.h) */
	DTL_DECODER_MKNOD,        /* mknod, mknodat: the file type; the device only for
	                           * character and block devices */
	DTL_DECODER_FD_FLAGS,     /* dup3, pipe2: O_ flags without an access mode */
	DTL_DECODER_STATX,        /* statx's AT_STATX_SYNC_* flags */
	DTL_DECODER_FACCESSAT2,   /* faccessat2's AT_EACCESS */
	DTL_DECODER_PREADV,       /* the p{read,write}v family: the split offset once */
	DTL_DECODER_MMAP,         /* the offset in hex */
	DTL_DECODER_MREMAP,       /* the new address only with MREMAP_FIXED */
	DTL_DECODER_CLONE,        /* named arguments in strace's order */
	DTL_DECODER_UNSHARE,      /* the CLONE_ flags unshare accepts */
	DTL_DECODER_SETNS,        /* the namespace type */
	DTL_DECODER_FUTEX,        /* the arguments per operation (dtl/futex.h) */
	DTL_DECODER_PRCTL,        /* the arguments per option */
	DTL_DECODER_ARCH_PRCTL,   /* the argument per code */
	DTL_DECODER_PTRACE,       /* the arguments per request */
	DTL_DECODER_SOCKET,       /* the protocol per family */
	DTL_DECODER_SOCKOPT,      /* setsockopt, getsockopt: an int value as [N] */
	DTL_DECODER_GETRANDOM,    /* the bytes in hex */
	DTL_DECODER_GETCWD,       /* the buffer up to its NUL */
	DTL_DECODER_CPU_SET,      /* sched_{get,set}affinity: the CPUs by number */
	DTL_DECODER_SLEEP,        /* nanosleep, clock_nanosleep: the remainder only
	                           * when a signal interrupted the sleep */
	DTL_DECODER_POLL,         /* the revents in the result */
	DTL_DECODER_PPOLL,        /* the revents and the time left in the result */
	DTL_DECODER_SELECT,       /* the ready sets and the time left (timeval) */
	DTL_DECODER_PSELECT6,     /* the ready sets and the time left (timespec) */
	DTL_DECODER_RT_SIGRETURN, /* the mask the signal frame restores */
	DTL_DECODER_COUNT
};

/*
 * The error a call ends with, as ptrace sees it, when a handled signal
 * interrupts it (kernel/signal.c handle_signal and the callers' -ERESTART*
 * returns); the program itself sees EINTR after its handler ran.
 */
enum dtl_restart {
	DTL_RESTART_EINTR = 0,    /* EINTR itself */
	DTL_RESTART_SYS,          /* ERESTARTSYS (restarted with SA_RESTART) */
	DTL_RESTART_NOHAND,       /* ERESTARTNOHAND (restarted without a handler) */
	DTL_RESTART_RESTARTBLOCK, /* ERESTART_RESTARTBLOCK (sleeps resume) */
};

/* One system call. */
struct dtl_syscall_desc {
	const char *name; /* the kernel's name: __NR_<name> */
	uint8_t nargs;    /* arguments the kernel takes (0..6) */
	uint32_t classes; /* DTL_TRACE_* bits */
	struct dtl_arg_desc args[6];
	enum dtl_ret_kind ret;
	uint8_t lifecycle;      /* enum dtl_lifecycle */
	uint8_t fd_effect;      /* enum dtl_fd_effect */
	uint8_t capture;        /* enum dtl_capture_hook */
	uint8_t decoder;        /* enum dtl_decoder */
	uint8_t restart;        /* enum dtl_restart */
	uint8_t sigsetsize_arg; /* 1 + the argument that gives the size of the
	                         * kernel sigset the call takes; 0 for none */
};

/*
 * The description of syscall number @nr (x86-64 numbering, without the x32
 * bit), or NULL if the catalogue has no such number (a gap in the numbering,
 * a negative number, one beyond the newest known syscall).
 */
const struct dtl_syscall_desc *dtl_syscall_by_nr(long nr);

/* May call @nr write the caller's memory (an argument the kernel writes or
 * updates)? True for a number the catalogue does not know. No library
 * calls: ring 0 asks it at every call. */
bool dtl_syscall_writes_memory(long nr);

/* A span of the caller's memory. */
struct dtl_mem_range {
	uint64_t addr, len;
};

/*
 * Where call @nr with @args may write the caller's memory, at most: the
 * ranges of its output arguments, as large as the sizes the caller gave
 * (read's count) or the kind's fixed size, into @out (room for @max). How
 * many, or -1 where the catalogue cannot bound them (a number it does not
 * know, iovecs, message headers, ioctl, a length behind a pointer without
 * a maximum): then anywhere. No library calls (ring 0).
 */
int dtl_syscall_output_ranges(long nr, const uint64_t args[6], struct dtl_mem_range *out, int max);

/* The number of the syscall called @name (the kernel's spelling), or -1.
 * A linear scan: meant for parsing options, not for hot paths. */
long dtl_syscall_by_name(const char *name);

/* How many syscalls the catalogue describes (the numbers for which
 * dtl_syscall_by_nr() is not NULL). */
int dtl_syscall_count(void);

/* One past the highest number in the catalogue: iterate nr over
 * [0, dtl_syscall_nr_limit()) and skip the NULLs. */
long dtl_syscall_nr_limit(void);

/*
 * Parse one strace trace-class name into DTL_TRACE_* bits, stored in *bits
 * (overwritten, not ORed). Accepts the spellings strace(1) documents:
 * "%file", "%desc", "%memory", "%process", "%network", "%net", "%signal",
 * "%ipc", "%creds", "%clock", "%stat", "%lstat", "%fstat", "%%stat",
 * "%statfs", "%fstatfs", "%%statfs", "%pure", and the deprecated forms
 * without the percent sign for the seven classes that had them ("file",
 * "desc", "memory", "process", "network", "signal", "ipc"). Any other
 * string - "stat" included, which names the stat syscall - is not a class.
 * Returns 0, or -1 (and leaves *bits alone) if @name is not a class.
 */
int dtl_trace_class_by_name(const char *name, uint32_t *bits);

/*
 * Does call @nr (with @args) create file descriptors, and where are they?
 * (For -y, which names each one when it appears.)
 *   0                 no
 *   DTL_FD_IN_RESULT  the result is the new descriptor (open, socket, dup2,
 *                     fcntl F_DUPFD...)
 *   DTL_FD_PAIR_ARG(i) two new descriptors in the int[2] argument i points
 *                     at (pipe, pipe2, socketpair)
 * Pure: callable in ring 0.
 */
#define DTL_FD_IN_RESULT   1
#define DTL_FD_PAIR_ARG(i) (2 + (i))
int dtl_syscall_fd_creation(long nr, const uint64_t *args);

/*
 * The columns by number; every one is 0 (ORDINARY, NONE, ARGS, KINDS,
 * EINTR) for a number the catalogue does not know. Pure: callable in ring 0.
 */
enum dtl_lifecycle dtl_syscall_lifecycle(long nr);
enum dtl_fd_effect dtl_syscall_fd_effect(long nr);
enum dtl_capture_hook dtl_syscall_capture_hook(long nr);
enum dtl_decoder dtl_syscall_decoder(long nr);
enum dtl_restart dtl_syscall_restart(long nr);

/*
 * Is a call reported at its entry, because its caller may be gone (or be
 * another program) by the time it would return: exit, exit_group, execve,
 * execveat and the kill family (strace's "= ?" when it does not return).
 */
bool dtl_syscall_reports_at_entry(long nr);

/* Does call @nr never return to its caller when it succeeds (exit,
 * exit_group: strace's "= ?")? */
bool dtl_syscall_never_returns(long nr);

/* Does call @nr create a task (fork, vfork, clone, clone3)? */
bool dtl_syscall_creates_task(long nr);

/* Does call @nr replace the program (execve, execveat)? */
bool dtl_syscall_execs(long nr);

/* Does call @nr end its thread (exit) or its whole process (exit_group)?
 * *@whole_process (if not NULL) says which. */
bool dtl_syscall_exits(long nr, bool *whole_process);

/* How a memory argument's size is determined (dtl_arg_kind_info().mem). */
enum dtl_mem_kind {
	DTL_MEM_NONE = 0, /* scalar: nothing to copy */
	DTL_MEM_FIXED,    /* .size bytes */
	DTL_MEM_BYTES,    /* len bytes (from the argument's len_src); at most .size if non-zero */
	DTL_MEM_ARRAY,    /* len elements of .size bytes */
	DTL_MEM_BITMAP,   /* len bits, rounded up to whole unsigned longs (fd_set) */
	DTL_MEM_STRING,   /* up to the NUL */
	DTL_MEM_STRV,     /* NULL-terminated array of pointers to strings */
	DTL_MEM_IOVEC,    /* len struct iovec (.size bytes each), then the data they point at */
	DTL_MEM_MSGHDR,   /* one struct msghdr (.size), then its name, iovecs and control */
	DTL_MEM_MMSGHDR,  /* len struct mmsghdr (.size each), each followed as a msghdr */
};

/* What the capture code and the formatter need to know about a kind. */
struct dtl_arg_kind_info {
	const char *name; /* "PATH", "BUF_OUT"...: for diagnostics and tests */
	uint8_t mem;      /* enum dtl_mem_kind */
	uint16_t size;    /* bytes: see enum dtl_mem_kind (x86-64 sizes) */
};

/* The facts about @kind, or NULL if @kind is out of range. */
const struct dtl_arg_kind_info *dtl_arg_kind_info(enum dtl_arg_kind kind);

#endif /* DTL_CATALOGUE_H */
