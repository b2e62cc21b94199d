// SPDX-License-Identifier: MIT
/* prctl(PR_SET_TSC, PR_TSC_SIGSEGV) makes rdtsc and rdtscp from user mode
 * fault (SIGSEGV, SI_KERNEL) in the thread that asked and in its forked
 * children; PR_TSC_ENABLE lets them run again (issue 11, item 13). Inside
 * Dune on VT-x/AMD-V that is the guest's CR4.TSD, kept by the monitor.
 * With the argument "thread", also in a thread made afterwards (tsc_thread:
 * not in the VT-x rig, whose Bochs guest loses that thread natively). */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

static __thread sigjmp_buf back;
static __thread volatile int code;

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	code = si->si_code;
	siglongjmp(back, sig);
}

static const char *try_rdtsc(int p)
{
	static __thread char out[64];
	if (sigsetjmp(back, 1) == 0) {
		unsigned aux;
		volatile unsigned long long t = p ? __rdtscp(&aux) : __rdtsc();
		(void)t;
		return "runs";
	}
	snprintf(out, sizeof(out), "SIGSEGV si_code %d", code);
	return out;
}

static void *thread(void *arg)
{
	printf("%s: rdtsc %s\n", (const char *)arg, try_rdtsc(0));
	return NULL;
}

int main(int argc, char **argv __attribute__((unused)))
{
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER};
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("before: rdtsc %s\n", try_rdtsc(0));
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV) != 0)
		return 1;
	printf("after PR_TSC_SIGSEGV: rdtsc %s, rdtscp %s\n", try_rdtsc(0), try_rdtsc(1));
	if (argc > 1) {
		pthread_t t;
		pthread_create(&t, NULL, thread, "a new thread");
		pthread_join(t, NULL);
	}
	pid_t pid = fork();
	if (pid == 0) {
		printf("a forked child: rdtsc %s\n", try_rdtsc(0));
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	prctl(PR_SET_TSC, PR_TSC_ENABLE);
	printf("after PR_TSC_ENABLE: rdtsc %s\n", try_rdtsc(0));
	return 0;
}
