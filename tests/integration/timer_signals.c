// SPDX-License-Identifier: MIT
/*
 * System calls whose results are checked while a fast interval timer keeps
 * interrupting them (SIGALRM every 200 us): under dtrace-lite a signal
 * often arrives while the ring-0 capture makes system calls of its own
 * (the doorbell's futex wake, -y's readlink), and must still reach the
 * program's handler without touching the program's own call or its result.
 * Exits 0 when every result was right and the handler ran.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 3000;
	/* the lowest free descriptor, which every open below must return */
	int lowest = open("/dev/null", O_RDONLY);
	if (lowest < 0 || close(lowest))
		return 1;
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 200}, {0, 200}};
	setitimer(ITIMER_REAL, &it, NULL);
	int wrong = 0;
	for (int i = 0; i < calls; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd != lowest && wrong++ < 5)
			fprintf(stderr, "call %d: open returned %d, not %d\n", i, fd, lowest);
		if (fd >= 0 && close(fd) != 0 && wrong++ < 5)
			fprintf(stderr, "call %d: close(%d) failed\n", i, fd);
	}
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
	printf("%d calls, %d alarms, %d wrong results\n", 2 * calls, (int)alarms, wrong);
	return wrong || !alarms;
}
