// SPDX-License-Identifier: MIT
/*
 * What the system-call exit chain guarantees a tool that keeps state from
 * a call's entry to its exit (dune/hook.h), the program in ring 3:
 *   - a signal that arrives during an entry hook's own system call is not
 *     delivered onto the program's frame there (the program's call would
 *     run with the handler's registers): the call runs as the program made
 *     it, the signal is delivered as it returns, and the signal hooks run
 *     before its exit hooks;
 *   - dune_syscall_exit_result: the call's own result when a signal frame
 *     replaced tf->rax, a hook's result when it handled the call, and a
 *     hook's own calls do not change dune_last_syscall_result;
 *   - the signal hooks run in priority order, the one-slot observer of
 *     dune.h among them;
 *   - in a fork child the exit hooks run, with result 0, on a vCPU of the
 *     same index (per-vCPU state kept at entry is there).
 */
#define _GNU_SOURCE
#include "dtl_test.h"

#include <dune/hook.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_SIGNAL_AMID 0x7101 /* getppid, with a signal sent amid its entry hook */
#define SYS_ANSWERED    0x7102 /* handled by the entry hook: 55 */

#define R3CHECK(cond)                                                                   \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			exit(1);                                                        \
		}                                                                       \
	} while (0)

static volatile char trail[16]; /* 'S' signal hook, 'L' observer, 'X' exit hook */
static volatile int ntrail;
static volatile long exit_rax, exit_result, last_result;
static volatile int fork_exit_index = -1, fork_entry_index = -1;
static volatile long fork_exit_result = -1;
static volatile sig_atomic_t handled;

static void mark(char c)
{
	if (ntrail < (int)sizeof(trail) - 1)
		trail[ntrail++] = c;
}

static enum dune_hook_result on_entry(struct dune_tf *tf, void *arg)
{
	(void)arg;
	switch (tf->rax) {
	case SYS_SIGNAL_AMID:
		tf->rax = SYS_getppid;
		/* the hook's own call: SIGUSR1 is pending from here on */
		CHECK_EQ(
		    dune_syscall6(SYS_tgkill, dune_vcpu_pid(), dune_vcpu_tid(), SIGUSR1, 0, 0, 0),
		    0);
		ntrail = 0;
		return DUNE_HOOK_PASS;
	case SYS_ANSWERED:
		tf->rax = 55;
		return DUNE_HOOK_HANDLED;
	case SYS_fork:
	case SYS_clone:
		fork_entry_index = dune_vcpu_index();
		return DUNE_HOOK_PASS;
	default:
		return DUNE_HOOK_PASS;
	}
}

static void on_exit_hook(struct dune_tf *tf, long nr, void *arg)
{
	(void)arg;
	if ((nr == SYS_fork || nr == SYS_clone) && dune_syscall_exit_result(tf) == 0) {
		fork_exit_index = dune_vcpu_index();
		fork_exit_result = dune_syscall_exit_result(tf);
		return;
	}
	if (nr != SYS_SIGNAL_AMID && nr != SYS_ANSWERED) /* @nr: the program's number */
		return;
	mark('X');
	exit_rax = (long)tf->rax;
	exit_result = dune_syscall_exit_result(tf);
	/* a hook's own call does not change the program's call's result */
	dune_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	last_result = dune_last_syscall_result();
}

static void on_signal_hook(int sig, const void *siginfo, bool fatal, void *arg)
{
	(void)siginfo;
	(void)fatal;
	(void)arg;
	if (sig == SIGUSR1)
		mark('S');
}

static void legacy_observer(int sig, const void *siginfo, bool fatal)
{
	(void)siginfo;
	(void)fatal;
	if (sig == SIGUSR1)
		mark('L');
}

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

int main(void)
{
	dtl_init_or_skip();
	CHECK(dune_hook_syscall_entry(DUNE_HOOK_PRIO_DEFAULT, on_entry, NULL) >= 0);
	CHECK(dune_hook_syscall_exit(DUNE_HOOK_PRIO_DEFAULT, on_exit_hook, NULL) >= 0);
	/* after the one-slot observer's priority */
	CHECK(dune_hook_signal(DUNE_HOOK_PRIO_DEFAULT, on_signal_hook, NULL) >= 0);
	dune_set_signal_observer(legacy_observer);
	if (dune_enter_user()) {
		printf("FAIL: dune_enter_user: %s\n", dune_last_error());
		return 1;
	}

	struct sigaction sa = {.sa_handler = on_usr1};
	R3CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	long ppid = getppid();

	/* the signal sent amid the entry hook comes as the call returns */
	long r = syscall(SYS_SIGNAL_AMID);
	R3CHECK(r == ppid);
	R3CHECK(handled == 1);
	R3CHECK(ntrail == 3 && trail[0] == 'L' && trail[1] == 'S' && trail[2] == 'X');
	R3CHECK(exit_rax == 0); /* the handler's RAX */
	R3CHECK(exit_result == ppid && last_result == ppid);

	/* a result a hook made, after a call with a signal frame */
	ntrail = 0;
	R3CHECK(syscall(SYS_ANSWERED) == 55);
	R3CHECK(exit_rax == 55 && exit_result == 55);

	/* the exit hooks run in a fork child, on the same vCPU index */
	pid_t child = fork();
	R3CHECK(child >= 0);
	if (child == 0)
		_exit(fork_exit_result == 0 && fork_exit_index == fork_entry_index ? 0 : 3);
	int status;
	R3CHECK(waitpid(child, &status, 0) == child);
	R3CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	R3CHECK(fork_exit_index == -1); /* not in the parent */
	printf("hook_exit: signal amid an entry hook delivered as the call returned; exit "
	       "results; fork child's exit hooks\n");
	return 0;
}
