// SPDX-License-Identifier: MIT
/* Seccomp inside Dune as outside (issue 11, item 14): strict mode allows
 * read, write, exit and rt_sigreturn and kills on anything else; a BPF
 * filter's ERRNO, TRAP (SIGSYS with the kernel's siginfo and the caller's
 * address), KILL_PROCESS and ALLOW act on the program's calls, are
 * inherited by fork and kept across execve; bad filters get the kernel's
 * errors. Each case runs in a child so the parent can report. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR(n, action) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1), BPF_STMT(BPF_RET | BPF_K, (action))

static void report(const char *what, pid_t pid)
{
	int st;
	fflush(stdout);
	waitpid(pid, &st, 0);
	if (WIFEXITED(st))
		printf("%s: exit %d\n", what, WEXITSTATUS(st));
	else
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	fflush(stdout);
}

static volatile int trap_code, trap_nr, trap_errno, trap_addr_is_rip, trap_rax_is_nr;
static volatile unsigned trap_arch;

static void on_sigsys(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	(void)sig;
	trap_code = si->si_code;
	trap_nr = si->si_syscall;
	trap_arch = si->si_arch;
	trap_errno = si->si_errno;
	trap_addr_is_rip = si->si_call_addr == (void *)uc->uc_mcontext.gregs[REG_RIP];
	/* the kernel rolls the call back: RAX holds its number again */
	trap_rax_is_nr = uc->uc_mcontext.gregs[REG_RAX] == si->si_syscall;
}

static int install(struct sock_filter *f, unsigned short len)
{
	struct sock_fprog prog = {.len = len, .filter = f};
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static void strict_child(void)
{
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0)
		_exit(1);
	static const char ok[] = "strict: write and read allowed\n";
	char c;
	syscall(SYS_write, 1, ok, sizeof(ok) - 1);
	syscall(SYS_read, 99, &c, 1); /* allowed, EBADF */
	syscall(SYS_getpid);          /* killed here */
	syscall(SYS_write, 1, "not reached\n", 12);
	syscall(SYS_exit, 0);
}

static void strict_exit_child(void)
{
	prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
	syscall(SYS_exit, 7);
}

static struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    NR(SYS_getppid, SECCOMP_RET_ERRNO | EPERM),
    NR(SYS_uname, SECCOMP_RET_TRAP | 42),
    NR(SYS_getpgid, SECCOMP_RET_KILL_PROCESS),
    NR(SYS_fork, SECCOMP_RET_ERRNO | EAGAIN),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 99, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EBADFD),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static void filter_child(const char *self)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	sigaction(SIGSYS, &sa, NULL);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (install(filter, sizeof(filter) / sizeof(filter[0])) != 0) {
		printf("filter: install failed: %s\n", strerror(errno));
		_exit(1);
	}
	printf("filter: PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP));
	errno = 0;
	long r = syscall(SYS_getppid);
	printf("filter: getppid %ld %s\n", r, strerror(errno));
	errno = 0;
	r = syscall(SYS_write, 99, "x", 1);
	printf("filter: write(99) %ld %s\n", r, strerror(errno));
	struct utsname u;
	r = syscall(SYS_uname, &u);
	printf("filter: uname %ld; SIGSYS code %d nr %d arch %#x errno %d addr=rip %d rax=nr "
	       "%d\n",
	       r, trap_code, trap_nr, trap_arch, trap_errno, trap_addr_is_rip, trap_rax_is_nr);
	errno = 0;
	r = syscall(SYS_fork);
	printf("filter: fork %ld %s\n", r, strerror(errno));
	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		execl(self, self, "after-exec", (char *)NULL);
		_exit(127);
	}
	report("filter: exec'd child", pid);
	syscall(SYS_getpgid, 0); /* KILL_PROCESS */
	printf("not reached\n");
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		errno = 0;
		long r = syscall(SYS_getppid);
		printf("after exec: getppid %ld %s\n", r, strerror(errno));
		return 3;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	errno = 0;
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL);
	printf("strict with flags: %ld %s\n", r, strerror(errno));
	struct sock_fprog empty = {.len = 0, .filter = filter};
	errno = 0;
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &empty);
	printf("empty filter: %ld %s\n", r, strerror(errno));
	errno = 0;
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (void *)8);
	printf("filter at a bad address: %ld %s\n", r, strerror(errno));
	struct sock_filter bad[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 1000)};
	errno = 0;
	r = install(bad, 1);
	printf("filter loading past seccomp_data: %ld %s\n", r, strerror(errno));
	printf("PR_GET_SECCOMP before: %d\n", prctl(PR_GET_SECCOMP));

	pid_t pid = fork();
	if (pid == 0)
		strict_child();
	report("strict child", pid);
	pid = fork();
	if (pid == 0)
		strict_exit_child();
	report("strict child calling exit", pid);
	pid = fork();
	if (pid == 0)
		filter_child(argv[0]);
	report("filter child", pid);
	printf("parent unfiltered: getppid %s\n", syscall(SYS_getppid) > 0 ? "ok" : "failed");
	return 0;
}
