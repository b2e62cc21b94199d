// SPDX-License-Identifier: MIT
/* Signals for the dtrace-lite vs strace comparison (test trace-signals):
 * each delivery has a fixed place in the program's calls, so strace's
 * "--- SIGxxx {...} ---" lines and the rt_sigreturn after each handler come
 * in the same order every run.
 *   SIGUSR1 sent to itself with kill (si_code=SI_USER), a plain handler;
 *   SIGUSR2 with a value (rt_sigqueueinfo, SI_QUEUE), an SA_SIGINFO handler
 *     on the alternate stack;
 *   SIGUSR1 with tgkill (SI_TKILL) while blocked, delivered by the
 *     rt_sigprocmask that unblocks it;
 *   SIGALRM from alarm(1) during pause() (si_code=SI_KERNEL, the pause
 *     interrupted: ERESTARTNOHAND);
 *   SIGCHLD from a child that exits 3, blocked until rt_sigsuspend waits
 *     for it (CLD_EXITED), then reaped with wait4;
 *   SIGSEGV from a write to a read-only page with a handler that makes the
 *     page writable (SEGV_ACCERR, si_addr = the page);
 *   a handler that raises another signal (nested deliveries). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t count[NSIG];
static volatile int last_value;
static char *volatile page;

static void on_signal(int sig)
{
	count[sig]++;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	count[sig]++;
	last_value = si->si_value.sival_int;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	count[sig]++;
	/* make the faulting page writable: the write is retried */
	mprotect((void *)((uintptr_t)si->si_addr & ~(uintptr_t)4095), 4096, PROT_READ | PROT_WRITE);
}

static void on_term(int sig)
{
	count[sig]++;
	/* a signal raised inside a handler: delivered before this one returns */
	kill(getpid(), SIGHUP);
}

static int handle(int sig, void (*fn)(int), void (*info)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	if (info) {
		sa.sa_sigaction = info;
		flags |= SA_SIGINFO;
	} else {
		sa.sa_handler = fn;
	}
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = flags;
	return sigaction(sig, &sa, NULL);
}

int main(void)
{
	if (write(1, "BEGIN\n", 6) != 6)
		return 1;
	int bad = 0;
	bad |= handle(SIGUSR1, on_signal, NULL, 0);
	bad |= handle(SIGUSR2, NULL, on_info, SA_ONSTACK);
	bad |= handle(SIGALRM, on_signal, NULL, 0);
	bad |= handle(SIGCHLD, on_signal, NULL, SA_NOCLDSTOP);
	bad |= handle(SIGSEGV, NULL, on_segv, 0);
	bad |= handle(SIGTERM, on_term, NULL, 0);
	bad |= handle(SIGHUP, on_signal, NULL, SA_RESTART);

	/* kill: SI_USER */
	kill(getpid(), SIGUSR1);

	/* a value with the signal, on the alternate stack */
	static char altstack[65536];
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0};
	bad |= sigaltstack(&ss, NULL);
	union sigval v = {.sival_int = 42};
	sigqueue(getpid(), SIGUSR2, v);

	/* blocked, then delivered when unblocked */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	sigpending(&set);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* SIGALRM during pause() */
	alarm(1);
	pause();

	/* SIGCHLD, waited for with sigsuspend */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	sigset_t none;
	sigemptyset(&none);
	sigsuspend(&none);
	int status = 0;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 3)
		bad = 1;
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* a fault with a handler that repairs it */
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	page[8] = 1;
	munmap(page, 4096);

	/* a signal raised inside a handler */
	kill(getpid(), SIGTERM);

	if (count[SIGUSR1] != 2 || count[SIGUSR2] != 1 || last_value != 42 || count[SIGALRM] != 1 ||
	    count[SIGCHLD] != 1 || count[SIGSEGV] != 1 || count[SIGTERM] != 1 || count[SIGHUP] != 1)
		bad = 1;
	if (write(1, bad ? "FAILED\n" : "caught\n", 7) != 7)
		return 1;
	return bad ? 1 : 9;
}
