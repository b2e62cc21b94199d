// SPDX-License-Identifier: MIT
/* Calls each commonly decoded system call with good and bad arguments (bad
 * fd, NULL, an unmapped pointer, an invalid flag), for the dtrace-lite vs
 * strace comparison (tests/integration/trace_compare.sh, test trace-decode).
 *
 * Deterministic: it works in the current directory (the driver gives each
 * run a fresh one), uses relative paths, prints nothing that varies, and
 * avoids stdio (its buffers would add calls). What varies anyway (addresses,
 * times, inode numbers, ephemeral ports, random bytes) the driver masks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

/* results are not checked one by one: the trace is the test. A few calls
 * whose failure would derail the rest are checked with need(). */
#define IGNORE(x) ((void)!(x))
/* NULL and an unmapped pointer that the compiler cannot see (it would
 * object to them in arguments declared nonnull or with an access size) */
static void *volatile null_ptr;
static void *volatile bad_ptr = (void *)1;
#define BAD_PTR ((void *)bad_ptr)

static int failures;
static void need(int ok, const char *what)
{
	if (!ok) {
		IGNORE(write(2, what, strlen(what)));
		IGNORE(write(2, "\n", 1));
		failures++;
	}
}

static volatile sig_atomic_t usr1_seen, chld_seen;
static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}
static void on_chld(int sig)
{
	(void)sig;
	chld_seen++;
}

static void files(void)
{
	char buf[64];
	struct stat st;
	struct statx stx;

	need(mkdir("d", 0755) == 0, "mkdir d");
	IGNORE(mkdir("d", 0755));      /* EEXIST */
	IGNORE(mkdir(null_ptr, 0755)); /* EFAULT */
	int fd = openat(AT_FDCWD, "d/a", O_WRONLY | O_CREAT | O_EXCL, 0600);
	need(fd >= 0, "open d/a");
	IGNORE(write(fd, "hello", 5));
	close(fd);
	IGNORE(openat(AT_FDCWD, "d/a", O_WRONLY | O_CREAT | O_EXCL, 0600)); /* EEXIST */
	fd = openat(AT_FDCWD, "d/b", O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
	close(fd);
	int dirfd = openat(AT_FDCWD, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	need(dirfd >= 0, "open d");
	fd = openat(dirfd, "a", O_RDONLY | O_NOFOLLOW);
	close(fd);
	fd = openat(AT_FDCWD, "d", O_PATH);
	close(fd);
	IGNORE(openat(AT_FDCWD, "d/a", O_RDONLY | O_DIRECTORY)); /* ENOTDIR */
	IGNORE(openat(-1, "a", O_RDONLY));                       /* EBADF */
	IGNORE(openat(AT_FDCWD, null_ptr, O_RDONLY));            /* EFAULT */
	IGNORE(openat(AT_FDCWD, BAD_PTR, O_RDONLY));             /* EFAULT */
	fd = syscall(SYS_open, "d/a", O_RDONLY | O_NONBLOCK | O_NOCTTY);
	close(fd);
	fd = syscall(SYS_creat, "d/c", 0644);
	close(fd);

	/* the stat family: glibc's stat() is newfstatat; the raw calls too */
	IGNORE(stat("d/a", &st));
	IGNORE(stat("d/missing", &st)); /* ENOENT */
	IGNORE(syscall(SYS_stat, "d/a", &st));
	IGNORE(syscall(SYS_stat, "d/a", BAD_PTR)); /* EFAULT */
	IGNORE(syscall(SYS_lstat, "d/a", &st));
	IGNORE(syscall(SYS_fstat, dirfd, &st)); /* a directory: st_size masked */
	IGNORE(syscall(SYS_fstat, 999, &st));   /* EBADF */
	IGNORE(fstatat(dirfd, "a", &st, AT_SYMLINK_NOFOLLOW));
	IGNORE(fstatat(AT_FDCWD, "d/a", &st, 0x4000000)); /* EINVAL */
	IGNORE(statx(AT_FDCWD, "d/a", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx));
	IGNORE(statx(AT_FDCWD, "d/a", AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_SIZE, &stx));
	IGNORE(statx(AT_FDCWD, "d/missing", 0, STATX_ALL, &stx)); /* ENOENT */
	IGNORE(statx(AT_FDCWD, "d/a", 0, STATX_ALL, null_ptr));   /* EFAULT */

	IGNORE(access("d/a", R_OK | W_OK));
	IGNORE(access("d/a", X_OK));       /* EACCES unless root */
	IGNORE(access("d/missing", F_OK)); /* ENOENT */
	IGNORE(syscall(SYS_faccessat, dirfd, "a", R_OK));
	IGNORE(syscall(SYS_faccessat2, dirfd, "a", R_OK, AT_EACCESS));
	IGNORE(syscall(SYS_faccessat2, dirfd, "a", R_OK, 0x1)); /* EINVAL */

	need(symlink("a", "d/link") == 0, "symlink");
	ssize_t n = readlink("d/link", buf, sizeof(buf));
	need(n == 1, "readlink");
	IGNORE(readlink("d/a", buf, sizeof(buf)));        /* EINVAL: not a link */
	IGNORE(readlink("d/link", BAD_PTR, sizeof(buf))); /* EFAULT */
	IGNORE(readlinkat(dirfd, "link", buf, 1));

	/* getdents64 of a small directory: ".", "..", a, b, c, link */
	char dents[4096];
	IGNORE(syscall(SYS_getdents64, dirfd, dents, sizeof(dents)));
	IGNORE(syscall(SYS_getdents64, dirfd, dents, sizeof(dents))); /* 0: at the end */
	IGNORE(syscall(SYS_getdents64, 999, dents, sizeof(dents)));   /* EBADF */
	IGNORE(lseek(dirfd, 0, SEEK_SET));
	IGNORE(syscall(SYS_getdents64, dirfd, dents, 8)); /* EINVAL: too small */

	IGNORE(rename("d/b", "d/b2"));
	IGNORE(rename("d/missing", "d/x"));                                     /* ENOENT */
	IGNORE(renameat2(AT_FDCWD, "d/b2", AT_FDCWD, "d/a", RENAME_NOREPLACE)); /* EEXIST */
	IGNORE(chmod("d/a", 0640));
	IGNORE(chmod("d/missing", 04755)); /* ENOENT */
	IGNORE(fchmodat(dirfd, "a", 0600, 0));
	IGNORE(unlink("d/link"));
	IGNORE(unlink("d/missing")); /* ENOENT */
	IGNORE(unlinkat(dirfd, "c", 0));
	IGNORE(unlinkat(AT_FDCWD, "d", 0)); /* EISDIR */
	IGNORE(rmdir("d"));                 /* ENOTEMPTY */
	need(mkdir("e", 0700) == 0, "mkdir e");
	IGNORE(rmdir("e"));

	/* fcntl */
	fd = openat(AT_FDCWD, "d/a", O_RDWR);
	need(fd >= 0, "open d/a");
	IGNORE(fcntl(fd, F_GETFD));
	IGNORE(fcntl(fd, F_SETFD, FD_CLOEXEC));
	IGNORE(fcntl(fd, F_GETFD));
	IGNORE(fcntl(fd, F_GETFL));
	IGNORE(fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND));
	IGNORE(fcntl(fd, F_GETFL));
	int fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	IGNORE(fcntl(fd, F_DUPFD, 20));
	IGNORE(fcntl(999, F_GETFD)); /* EBADF */
	IGNORE(fcntl(fd, 9999));     /* EINVAL */
	close(fd2);
	close(20);

	/* dup family */
	fd2 = dup(fd);
	close(fd2);
	IGNORE(dup(999)); /* EBADF */
	IGNORE(dup2(fd, 30));
	IGNORE(dup2(fd, -1)); /* EBADF */
	IGNORE(dup3(fd, 31, O_CLOEXEC));
	IGNORE(dup3(fd, 32, 0x1)); /* EINVAL */
	IGNORE(dup3(fd, fd, 0));   /* EINVAL: same fd */
	close(30);
	close(31);

	/* lseek, pread/pwrite, readv/writev, ftruncate */
	IGNORE(lseek(fd, 0, SEEK_SET));
	IGNORE(lseek(fd, 0, SEEK_END));
	IGNORE(lseek(fd, -100, SEEK_SET)); /* EINVAL */
	IGNORE(lseek(fd, 0, 42));          /* EINVAL: whence */
	IGNORE(lseek(999, 0, SEEK_CUR));   /* EBADF */
	IGNORE(pwrite(fd, "HE", 2, 0));
	IGNORE(pread(fd, buf, 4, 1));
	IGNORE(pread(fd, buf, 4, 100));   /* 0: past the end */
	IGNORE(pread(fd, BAD_PTR, 4, 0)); /* EFAULT */
	IGNORE(pwrite(fd, "x", 1, -1));   /* EINVAL */
	struct iovec wiov[] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
	IGNORE(writev(fd, wiov, 3));
	IGNORE(writev(fd, wiov, 0));
	IGNORE(writev(fd, BAD_PTR, 2)); /* EFAULT */
	IGNORE(lseek(fd, 0, SEEK_SET));
	char r1[3], r2[20];
	struct iovec riov[] = {{r1, sizeof(r1)}, {r2, sizeof(r2)}};
	IGNORE(readv(fd, riov, 2));
	IGNORE(readv(fd, riov, 2)); /* 0: at the end */
	IGNORE(preadv(fd, riov, 2, 2));
	IGNORE(pwritev(fd, wiov, 1, 3));
	IGNORE(ftruncate(fd, 3));
	IGNORE(ftruncate(fd, -1)); /* EINVAL */
	IGNORE(ftruncate(999, 0)); /* EBADF */
	IGNORE(truncate("d/a", 2));
	close(fd);
	IGNORE(close(dirfd));
}

static void memory(void)
{
	/* brk: the values are addresses (masked) */
	void *cur = (void *)syscall(SYS_brk, 0);
	IGNORE(syscall(SYS_brk, (char *)cur + 4096));
	IGNORE(syscall(SYS_brk, cur));

	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	need(p != MAP_FAILED, "mmap");
	p[0] = 1;
	IGNORE(mprotect(p, 4096, PROT_READ));
	IGNORE(mprotect(p + 4096, 4096, PROT_NONE));
	IGNORE(mprotect(p, 4096, PROT_READ | PROT_EXEC));
	IGNORE(mprotect(BAD_PTR, 4096, PROT_READ)); /* EINVAL: unaligned */
	IGNORE(mprotect(p, 4096, 0x100));           /* EINVAL: bad prot */
	IGNORE(madvise(p, 4096, MADV_DONTNEED));
	IGNORE(madvise(p, 4096, MADV_WILLNEED));
	IGNORE(madvise(p, 4096, 12345)); /* EINVAL */
	IGNORE(munmap(p, 3 * 4096));
	p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q = mremap(p, 2 * 4096, 5 * 4096, MREMAP_MAYMOVE);
	need(q != MAP_FAILED, "mremap");
	IGNORE(mremap(q, 5 * 4096, 4096, 0));   /* shrinks in place */
	IGNORE(mremap(BAD_PTR, 4096, 8192, 0)); /* EINVAL */
	IGNORE(munmap(q, 4096));
	IGNORE(munmap(BAD_PTR, 4096));                 /* EINVAL */
	IGNORE(mmap(NULL, 4096, PROT_READ, 0, -1, 0)); /* EINVAL: no MAP_PRIVATE/SHARED */
	IGNORE(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 999, 0)); /* EBADF */
	int fd = open("d/a", O_RDONLY);
	void *f = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	IGNORE(munmap(f, 4096));
	void *fixed = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE, -1, 0);
	IGNORE(munmap(fixed, 4096));
}

static void timing(void)
{
	struct timespec ts = {0, 0}, rem;
	struct timeval tv;
	/* the vDSO does not reach the kernel: raw calls */
	IGNORE(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
	IGNORE(syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts));
	IGNORE(syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &ts));
	IGNORE(syscall(SYS_clock_gettime, 100, &ts));              /* EINVAL */
	IGNORE(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL)); /* EFAULT */
	IGNORE(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts));
	IGNORE(syscall(SYS_gettimeofday, &tv, NULL));
	IGNORE(syscall(SYS_time, NULL));
	struct timespec short_sleep = {0, 1000000};
	IGNORE(syscall(SYS_nanosleep, &short_sleep, &rem));
	IGNORE(syscall(SYS_nanosleep, &short_sleep, NULL));
	struct timespec bad = {0, 1000000000};
	IGNORE(syscall(SYS_nanosleep, &bad, NULL)); /* EINVAL */
	IGNORE(syscall(SYS_nanosleep, NULL, NULL)); /* EFAULT */
	IGNORE(clock_nanosleep(CLOCK_MONOTONIC, 0, &short_sleep, NULL));
	IGNORE(clock_nanosleep(100, 0, &short_sleep, NULL)); /* EINVAL */
	/* an absolute time in the past returns at once */
	struct timespec past = {1, 0};
	IGNORE(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
}

static void signals(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_RESTART;
	IGNORE(sigaction(SIGUSR1, &sa, &old));
	IGNORE(sigaction(SIGUSR1, NULL, &old));
	IGNORE(sigaction(SIGKILL, &sa, NULL));                        /* EINVAL */
	IGNORE(syscall(SYS_rt_sigaction, 100, NULL, &old, 8));        /* EINVAL */
	IGNORE(syscall(SYS_rt_sigaction, SIGUSR1, BAD_PTR, NULL, 8)); /* EFAULT */
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	IGNORE(sigaction(SIGCHLD, &sa, NULL));
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	IGNORE(sigaction(SIGPIPE, &sa, NULL));

	sigset_t set, oldset;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	IGNORE(sigprocmask(SIG_BLOCK, &set, &oldset));
	IGNORE(sigprocmask(SIG_SETMASK, NULL, &oldset));
	IGNORE(sigprocmask(SIG_UNBLOCK, &set, NULL));
	IGNORE(syscall(SYS_rt_sigprocmask, 42, &set, NULL, 8));        /* EINVAL: how */
	IGNORE(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4)); /* EINVAL: size */

	static char altstack[16384];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0}, oss;
	IGNORE(sigaltstack(&ss, &oss));
	IGNORE(sigaltstack(NULL, &oss));
	stack_t tiny = {.ss_sp = altstack, .ss_size = 16, .ss_flags = 0};
	IGNORE(sigaltstack(&tiny, NULL)); /* ENOMEM */

	/* a handled signal sent to itself: delivered on return from kill */
	IGNORE(kill(getpid(), SIGUSR1));
	IGNORE(kill(getpid(), 0));
	IGNORE(kill(getpid(), 12345)); /* EINVAL */
	need(usr1_seen == 1, "SIGUSR1 handled");
}

static void resources(void)
{
	struct rlimit rl;
	struct rusage ru;
	struct utsname un;
	IGNORE(getrlimit(RLIMIT_NOFILE, &rl));
	IGNORE(syscall(SYS_getrlimit, RLIMIT_STACK, &rl));
	IGNORE(syscall(SYS_getrlimit, RLIMIT_CORE, &rl));
	IGNORE(syscall(SYS_getrlimit, 999, &rl)); /* EINVAL */
	IGNORE(prlimit(0, RLIMIT_NOFILE, NULL, &rl));
	IGNORE(prlimit(0, RLIMIT_NOFILE, &rl, NULL));                    /* sets it to what it is */
	IGNORE(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BAD_PTR)); /* EFAULT */
	IGNORE(getrusage(RUSAGE_SELF, &ru));
	IGNORE(getrusage(42, &ru)); /* EINVAL */
	struct sysinfo si;          /* every value in it varies: the driver masks them */
	IGNORE(sysinfo(&si));
	IGNORE(sysinfo(null_ptr)); /* EFAULT */
	IGNORE(uname(&un));
	IGNORE(uname(NULL)); /* EFAULT */
	IGNORE(umask(022));
	IGNORE(getuid());
	IGNORE(geteuid());
	IGNORE(getgid());
	IGNORE(getpid());
	IGNORE(syscall(SYS_gettid));
}

static void polling(void)
{
	int p[2];
	need(pipe2(p, O_CLOEXEC) == 0, "pipe2");
	IGNORE(pipe2(p + 0, 0x1)); /* EINVAL */
	IGNORE(pipe2(NULL, 0));    /* EFAULT */
	int q[2];
	IGNORE(syscall(SYS_pipe, q));
	close(q[0]);
	close(q[1]);

	struct pollfd pfd[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	IGNORE(poll(pfd, 1, 0)); /* nothing to read: timeout */
	IGNORE(write(p[1], "data!", 5));
	IGNORE(poll(pfd, 2, 0));
	IGNORE(poll(pfd, 2, 1000));
	IGNORE(poll(BAD_PTR, 1, 0)); /* EFAULT */
	struct timespec zero = {0, 0}, sec = {1, 0};
	IGNORE(ppoll(pfd, 2, &zero, NULL));
	IGNORE(ppoll(pfd, 1, &sec, NULL)); /* "left" masked */
	sigset_t empty;
	sigemptyset(&empty);
	IGNORE(ppoll(pfd, 1, NULL, &empty));

	fd_set rd, wr;
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	struct timeval tv0 = {0, 0};
	IGNORE(select(p[1] + 1, &rd, &wr, NULL, &tv0));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timeval tv1 = {1, 0};
	IGNORE(select(p[0] + 1, &rd, NULL, NULL, &tv1));
	IGNORE(select(-1, NULL, NULL, NULL, &tv0)); /* EINVAL */
	/* glibc's select() is pselect6: select(2) itself, raw */
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv0.tv_sec = tv0.tv_usec = 0;
	IGNORE(syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv0));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	IGNORE(pselect(p[0] + 1, &rd, NULL, NULL, &zero, &empty));

	int ep = epoll_create1(EPOLL_CLOEXEC);
	IGNORE(epoll_create1(0x1)); /* EINVAL */
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0x1234};
	IGNORE(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	IGNORE(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev)); /* EEXIST */
	ev.events = EPOLLIN;
	IGNORE(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	IGNORE(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev)); /* EBADF */
	struct epoll_event out[4];
	IGNORE(epoll_wait(ep, out, 4, 0));
	IGNORE(epoll_pwait(ep, out, 4, 0, &empty));
	IGNORE(epoll_wait(ep, out, 0, 0)); /* EINVAL */
	IGNORE(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	IGNORE(epoll_wait(ep, out, 4, 0)); /* 0 */

	char buf[16];
	int avail = -1;
	IGNORE(ioctl(p[0], FIONREAD, &avail));
	struct termios tio;
	IGNORE(ioctl(p[0], TCGETS, &tio));    /* ENOTTY */
	IGNORE(ioctl(999, FIONREAD, &avail)); /* EBADF */
	IGNORE(read(p[0], buf, sizeof(buf)));
	IGNORE(fcntl(p[0], F_SETFL, O_NONBLOCK));
	IGNORE(read(p[0], buf, sizeof(buf))); /* EAGAIN */
	IGNORE(read(p[0], BAD_PTR, 1));       /* EAGAIN (checked before the copy) */
	IGNORE(read(999, buf, 1));            /* EBADF */
	close(p[1]);
	IGNORE(read(p[0], buf, sizeof(buf))); /* 0: EOF */
	close(p[0]);
	close(ep);

	int efd = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);
	uint64_t v = 2;
	IGNORE(write(efd, &v, sizeof(v)));
	IGNORE(read(efd, &v, sizeof(v)));
	IGNORE(read(efd, &v, sizeof(v))); /* EAGAIN */
	IGNORE(eventfd(0, 0x2));          /* EINVAL */
	close(efd);
}

/* The kernel picks the ports of sockets bound to port 0: the program
 * writes each one to /dev/null as "port NNNNN\n", and the driver masks in
 * htons() only the numbers announced that way (so a port printed in the
 * wrong byte order still shows). */
static void announce_port(int devnull, in_port_t netport)
{
	unsigned port = ntohs(netport);
	char msg[] = "port 00000\n";
	for (int i = 9; i >= 5; i--, port /= 10)
		msg[i] = (char)('0' + port % 10);
	IGNORE(write(devnull, msg, sizeof(msg) - 1));
}

static void sockets(void)
{
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int sv[2];
	need(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
	int bad_sv[2];
	IGNORE(socketpair(AF_INET, SOCK_STREAM, 0, bad_sv)); /* EOPNOTSUPP */
	IGNORE(socket(AF_INET, 12345, 0));                   /* EINVAL */
	IGNORE(socket(12345, SOCK_STREAM, 0));               /* EAFNOSUPPORT */

	char buf[32];
	struct iovec iov = {"hello", 5};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	IGNORE(sendmsg(sv[0], &mh, 0));
	struct iovec riov = {buf, sizeof(buf)};
	struct msghdr rmh = {.msg_iov = &riov, .msg_iovlen = 1};
	IGNORE(recvmsg(sv[1], &rmh, 0));
	IGNORE(recvmsg(sv[1], &rmh, MSG_DONTWAIT)); /* EAGAIN */
	IGNORE(send(sv[1], "abc", 3, MSG_NOSIGNAL));
	IGNORE(recv(sv[0], buf, sizeof(buf), 0));
	IGNORE(sendmsg(sv[0], BAD_PTR, 0)); /* EFAULT */
	IGNORE(shutdown(sv[0], SHUT_WR));
	IGNORE(recv(sv[1], buf, sizeof(buf), 0)); /* 0 */
	IGNORE(shutdown(sv[0], 42));              /* EINVAL */
	IGNORE(shutdown(999, SHUT_RD));           /* EBADF */
	close(sv[0]);
	close(sv[1]);

	/* AF_UNIX on a path in the current directory */
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	strcpy(sun.sun_path, "sock");
	socklen_t sunlen = offsetof(struct sockaddr_un, sun_path) + 5;
	IGNORE(bind(srv, (struct sockaddr *)&sun, sunlen));
	IGNORE(bind(srv, (struct sockaddr *)&sun, sunlen)); /* EINVAL: bound */
	IGNORE(bind(srv, NULL, sunlen));                    /* EFAULT */
	IGNORE(listen(srv, 4));
	int cli = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_un missing = {.sun_family = AF_UNIX, .sun_path = "nosock"};
	IGNORE(connect(cli, (struct sockaddr *)&missing, sizeof(missing))); /* ENOENT */
	IGNORE(connect(cli, (struct sockaddr *)&sun, sunlen));
	struct sockaddr_un peer;
	socklen_t plen = sizeof(peer);
	int acc = accept4(srv, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
	plen = sizeof(peer);
	IGNORE(getsockname(srv, (struct sockaddr *)&peer, &plen));
	plen = sizeof(peer);
	IGNORE(getpeername(cli, (struct sockaddr *)&peer, &plen));
	plen = sizeof(peer);
	IGNORE(getpeername(srv, (struct sockaddr *)&peer, &plen)); /* ENOTCONN */
	IGNORE(accept4(srv, NULL, NULL, SOCK_NONBLOCK | 0x1));     /* EINVAL */
	close(acc);
	close(cli);
	close(srv);
	IGNORE(unlink("sock"));

	/* AF_INET on the loopback: the port is the kernel's choice (masked) */
	srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	int one = 1, val = -1;
	IGNORE(setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	IGNORE(setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, BAD_PTR, sizeof(one))); /* EFAULT */
	IGNORE(setsockopt(srv, SOL_SOCKET, 9999, &one, sizeof(one)));            /* ENOPROTOOPT */
	socklen_t vlen = sizeof(val);
	IGNORE(getsockopt(srv, SOL_SOCKET, SO_TYPE, &val, &vlen));
	vlen = sizeof(val);
	IGNORE(getsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &val, &vlen));
	vlen = sizeof(val);
	IGNORE(getsockopt(srv, IPPROTO_TCP, 9999, &val, &vlen)); /* ENOPROTOOPT */
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = 0};
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	IGNORE(bind(srv, (struct sockaddr *)&sin, sizeof(sin)));
	IGNORE(listen(srv, 1));
	socklen_t slen = sizeof(sin);
	IGNORE(getsockname(srv, (struct sockaddr *)&sin, &slen));
	announce_port(devnull, sin.sin_port);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	IGNORE(connect(cli, (struct sockaddr *)&sin, sizeof(sin)));
	struct sockaddr_in from;
	slen = sizeof(from);
	acc = accept4(srv, (struct sockaddr *)&from, &slen, 0);
	announce_port(devnull, from.sin_port);
	IGNORE(sendto(cli, "ping", 4, 0, NULL, 0));
	slen = sizeof(from);
	IGNORE(recvfrom(acc, buf, sizeof(buf), 0, (struct sockaddr *)&from, &slen));
	close(acc);
	close(cli);
	close(srv);

	/* UDP: sendto with an address, recvfrom fills in the sender */
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	sin.sin_port = 0;
	IGNORE(bind(u1, (struct sockaddr *)&sin, sizeof(sin)));
	slen = sizeof(sin);
	IGNORE(getsockname(u1, (struct sockaddr *)&sin, &slen));
	announce_port(devnull, sin.sin_port);
	IGNORE(sendto(u2, "dgram", 5, 0, (struct sockaddr *)&sin, sizeof(sin)));
	slen = sizeof(from);
	IGNORE(recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &slen));
	announce_port(devnull, from.sin_port);
	IGNORE(recvfrom(u1, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL)); /* EAGAIN */
	struct sockaddr_in fixed = {.sin_family = AF_INET, .sin_port = htons(9)};
	IGNORE(sendto(u2, "x", 1, 0, (struct sockaddr *)&fixed, 3)); /* EINVAL: addrlen */
	close(u1);
	close(u2);
	close(devnull);
}

static void misc(void)
{
	static uint32_t word = 5;
	IGNORE(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	IGNORE(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0)); /* EAGAIN */
	struct timespec tmo = {0, 1000};
	IGNORE(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &tmo, NULL, 0)); /* ETIMEDOUT */
	IGNORE(syscall(SYS_futex, NULL, FUTEX_WAIT, 0, NULL, NULL, 0));          /* EFAULT */
	IGNORE(syscall(SYS_futex, &word, 99, 1, NULL, NULL, 0));                 /* ENOSYS */

	char rnd[16];
	IGNORE(getrandom(rnd, sizeof(rnd), GRND_NONBLOCK));
	IGNORE(getrandom(rnd, sizeof(rnd), 0x40));  /* EINVAL */
	IGNORE(getrandom(BAD_PTR, sizeof(rnd), 0)); /* EFAULT */

	IGNORE(sched_yield());
	int fd = open("d/a", O_RDONLY);
	struct termios tio;
	IGNORE(ioctl(fd, TCGETS, &tio)); /* ENOTTY on a regular file */
	close(fd);

	/* a child that exits 7: SIGCHLD is blocked until wait4 has reaped it,
	 * so its delivery (to a handler) has a fixed place in the trace */
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	IGNORE(sigprocmask(SIG_BLOCK, &chld, &old));
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	int status = 0;
	need(wait4(pid, &status, 0, NULL) == pid, "wait4");
	need(WIFEXITED(status) && WEXITSTATUS(status) == 7, "child status 7");
	IGNORE(wait4(-1, &status, WNOHANG, NULL)); /* ECHILD */
	IGNORE(sigprocmask(SIG_SETMASK, &old, NULL));
	need(chld_seen == 1, "SIGCHLD handled");
}

int main(void)
{
	if (write(1, "BEGIN\n", 6) != 6)
		return 1;
	umask(022);
	files();
	memory();
	timing();
	signals();
	resources();
	polling();
	sockets();
	misc();
	if (failures) {
		IGNORE(write(1, "FAILED\n", 7));
		return 1;
	}
	IGNORE(write(1, "done\n", 5));
	return 0;
}
