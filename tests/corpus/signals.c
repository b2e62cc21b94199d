// SPDX-License-Identifier: MIT
/*
 * A signal workout whose output is the same natively and inside Dune (the
 * corpus runs it both ways and compares): SA_SIGINFO, SA_ONSTACK with
 * sigaltstack, SA_RESTART, SA_NODEFER, SA_RESETHAND, masks and sigsuspend,
 * the ucontext a handler sees and can change, SIGCHLD, an interval timer
 * interrupting a computation, kill from another process, and synchronous
 * faults (SIGSEGV, SIGFPE, SIGILL, SIGTRAP) with their si_code and si_addr.
 * It ends killed by SIGABRT, so the exit status is checked too.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t hits[65];
static volatile sig_atomic_t depth, max_depth;
static sigjmp_buf recover;
static char altstack[64 * 1024];
static volatile uintptr_t handler_sp;

static void count(int sig)
{
	hits[sig]++;
}

static void with_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	printf("  %s: si_signo=%d si_code=%d from_self=%d\n", strsignal(sig), si->si_signo,
	       si->si_code, si->si_pid == getpid());
}

static void on_altstack(int sig)
{
	int local;
	handler_sp = (uintptr_t)&local;
	hits[sig]++;
}

static void nested(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (depth < 3)
		raise(sig); /* SA_NODEFER: delivered right away, nested */
	depth--;
}

static void fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	printf("  %s: si_code=%d si_addr=%s trapno=%lld\n", strsignal(sig), si->si_code,
	       si->si_addr == (void *)16 ? "16"
	       : si->si_addr             ? "pc"
	                                 : "0",
	       (long long)uc->uc_mcontext.gregs[REG_TRAPNO]);
	siglongjmp(recover, sig);
}

static void skip_ud2(int sig, siginfo_t *si, void *ucv)
{
	(void)si;
	ucontext_t *uc = ucv;
	hits[sig]++;
	uc->uc_mcontext.gregs[REG_RIP] += 2; /* resume after ud2: the frame is honoured */
	uc->uc_mcontext.gregs[REG_RBX] = 0x1234;
}

static void set(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void set_info(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = flags | SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);

	printf("SA_SIGINFO\n");
	set_info(SIGUSR1, with_info, 0);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR1);

	printf("sigaltstack + SA_ONSTACK\n");
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	sigaltstack(&ss, NULL);
	set(SIGUSR2, on_altstack, SA_ONSTACK);
	raise(SIGUSR2);
	printf("  ran on the alternate stack: %d\n",
	       handler_sp > (uintptr_t)altstack &&
	           handler_sp < (uintptr_t)altstack + sizeof(altstack));

	printf("SA_NODEFER nesting\n");
	set(SIGWINCH, nested, SA_NODEFER);
	raise(SIGWINCH);
	printf("  max depth %d\n", max_depth);

	printf("SA_RESETHAND\n");
	set(SIGURG, count, SA_RESETHAND);
	raise(SIGURG);
	struct sigaction now;
	sigaction(SIGURG, NULL, &now);
	printf("  hits %d, then disposition is SIG_DFL: %d\n", hits[SIGURG],
	       now.sa_handler == SIG_DFL);

	printf("masks and sigsuspend\n");
	set(SIGHUP, count, 0);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	raise(SIGHUP);
	sigset_t pending;
	sigpending(&pending);
	printf("  blocked: hits %d, pending %d\n", hits[SIGHUP], sigismember(&pending, SIGHUP));
	sigsuspend(&old);
	printf("  after sigsuspend: hits %d\n", hits[SIGHUP]);
	sigprocmask(SIG_SETMASK, &old, NULL);

	printf("ucontext changes are honoured (SIGILL from ud2)\n");
	set_info(SIGILL, skip_ud2, 0);
	long rbx;
	__asm__ volatile("xor %%ebx, %%ebx\n ud2\n mov %%rbx, %0" : "=r"(rbx) : : "rbx");
	printf("  hits %d, rbx %#lx\n", hits[SIGILL], rbx);

	printf("SIGCHLD and SA_RESTART\n");
	set(SIGCHLD, count, SA_RESTART);
	int fds[2];
	if (pipe(fds))
		return 1;
	pid_t child = fork();
	if (child == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR1); /* from another process */
		usleep(50000);
		if (write(fds[1], "x", 1) != 1)
			_exit(2);
		_exit(7);
	}
	char c;
	ssize_t n = read(fds[0], &c, 1); /* interrupted by SIGUSR1 and restarted? no: */
	int status;
	waitpid(child, &status, 0);
	printf("  read %zd, child exit %d, SIGCHLD seen %d\n", n, WEXITSTATUS(status),
	       hits[SIGCHLD] >= 1);

	printf("interval timer interrupts a computation\n");
	set(SIGALRM, count, 0);
	struct itimerval it = {{0, 20000}, {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	volatile unsigned long spin = 0;
	while (hits[SIGALRM] < 3)
		spin++;
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
	printf("  3 alarms while computing\n");

	printf("synchronous faults\n");
	set_info(SIGSEGV, fault, SA_NODEFER);
	set_info(SIGFPE, fault, SA_NODEFER);
	set_info(SIGTRAP, fault, SA_NODEFER);
	int sig;
	volatile int *volatile bad_pointer = (volatile int *)16;
	if ((sig = sigsetjmp(recover, 1)) == 0)
		*bad_pointer = 1;
	if ((sig = sigsetjmp(recover, 1)) == 0) {
		long zero = 0, q;
		__asm__ volatile("cqo\n idivq %2" : "=a"(q) : "a"(1L), "r"(zero) : "rdx");
		printf("%ld\n", q);
	}
	if ((sig = sigsetjmp(recover, 1)) == 0)
		__asm__ volatile("int3");
	printf("recovered from each\n");

	printf("default action: abort\n");
	abort();
}
