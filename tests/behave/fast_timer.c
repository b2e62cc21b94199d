// SPDX-License-Identifier: MIT
/* A fast periodic POSIX timer on a program that computes (issue 11, item
 * 22): its handler runs, over and over, and the program goes on.
 * DTL_TIMER_US sets the period; the default, 500 us, is above what a
 * delivery inside Dune costs on the machines measured (two or three exits
 * of 25-45 us on PVM): below that a handler run back to back starves the
 * program, as it would natively at a shorter period. The livelock reported
 * at 1 us (the handler never ran) did not show in the emulated rigs, down
 * to 2 us. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_timer(int sig)
{
	(void)sig;
	fired++;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	const char *env = getenv("DTL_TIMER_US");
	long us = env ? atol(env) : 500;
	struct sigaction sa = {.sa_handler = on_timer, .sa_flags = SA_RESTART};
	sigaction(SIGRTMIN, &sa, NULL);
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN};
	timer_t timer;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) != 0)
		return 1;
	/* stuck for good: SIGALRM's default action ends it, as a failure */
	alarm(60);
	struct itimerspec its = {{0, us * 1000}, {0, us * 1000}};
	timer_settime(timer, 0, &its, NULL);
	double start = now();
	long rounds = 0;
	while (fired < 200 || now() - start < 0.2) {
		for (volatile int k = 0; k < 1000; k++)
			;
		rounds++;
	}
	struct itimerspec off = {{0, 0}, {0, 0}};
	timer_settime(timer, 0, &off, NULL);
	printf("a timer every %ld us: its handler ran 200 times: yes; the program went on: %s\n",
	       us, rounds > 0 ? "yes" : "no");
	return 0;
}
