// SPDX-License-Identifier: MIT
/* A signal whose frame cannot be written (its alternate stack read-only, or
 * not mapped) is replaced by SIGSEGV with SI_KERNEL, as the kernel's
 * force_sigsegv does: the program's SIGSEGV handler runs, or, without one,
 * the process dies of SIGSEGV (issue 11, item 20). Inside Dune the signal
 * had been dropped silently. */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int segv_code = -1;

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	(void)sig;
	(void)uctx;
	segv_code = si->si_code;
}

static void on_usr1(int sig)
{
	(void)sig;
	write(1, "SIGUSR1 handler ran\n", 20);
}

static void run(const char *what, int prot, int segv_handler)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		void *st = mmap(NULL, 65536, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (prot == PROT_NONE)
			munmap(st, 65536);
		stack_t ss = {.ss_sp = st, .ss_size = 65536};
		sigaltstack(&ss, NULL);
		struct sigaction usr1 = {.sa_handler = on_usr1, .sa_flags = SA_ONSTACK};
		sigaction(SIGUSR1, &usr1, NULL);
		if (segv_handler) {
			struct sigaction segv = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
			sigaction(SIGSEGV, &segv, NULL);
		}
		raise(SIGUSR1);
		printf("%s: after raise, the SIGSEGV handler saw si_code %d\n", what, segv_code);
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("%s: %s %d\n", what, WIFSIGNALED(st) ? "killed by signal" : "exit",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

int main(void)
{
	run("read-only alternate stack, no SIGSEGV handler", PROT_READ, 0);
	run("read-only alternate stack, a SIGSEGV handler", PROT_READ, 1);
	run("unmapped alternate stack, a SIGSEGV handler", PROT_NONE, 1);
	run("writable alternate stack", PROT_READ | PROT_WRITE, 1);
	return 0;
}
