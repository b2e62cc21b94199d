// SPDX-License-Identifier: MIT
/* errno is the program's: a signal that stops its computation inside Dune
 * (the vCPU leaves KVM_RUN for the host's handler) must not change it. A
 * timer sends SIGALRM every millisecond to a handler that leaves errno
 * alone while the program, over and over, sets errno to 0, computes and
 * checks it (as gdb does around ptrace: a SIGCHLD there made its
 * successful call report EINTR). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 1000}, {0, 1000}};
	setitimer(ITIMER_REAL, &it, NULL);
	long changed = 0;
	/* read and written each time, never kept in a register */
	volatile int *err = &errno;
	double end = now() + 0.4;
	while (now() < end || ticks < 20) {
		*err = 0;
		for (volatile int k = 0; k < 20000; k++)
			;
		if (*err != 0)
			changed++;
	}
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
	printf("signals came while it computed: %s; errno changed under the program: %s\n",
	       ticks >= 20 ? "yes" : "no", changed ? "yes" : "no");
	return 0;
}
