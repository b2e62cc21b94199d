// SPDX-License-Identifier: MIT
/* A handler runs while the program blocks in a system call, and the call
 * then restarts or ends as the kernel decides (issue 11, item 16): a
 * blocking recvfrom with an SA_RESTART handler for a periodic SIGALRM is
 * interrupted 5 times and restarted each time (inside Dune the handler
 * never ran: a hang); clock_nanosleep interrupted by a handler without
 * SA_RESTART ends with EINTR and the time left. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int s;
static struct sockaddr_in a;
static volatile int ticks;

static void h(int sig)
{
	(void)sig;
	if (++ticks == 5)
		sendto(s, "x", 1, 0, (void *)&a, sizeof a);
}

int main(void)
{
	/* a watchdog that setitimer leaves alone, for a hang */
	timer_t dog;
	struct sigevent kill_me = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGKILL};
	struct itimerspec twenty = {.it_value = {20, 0}};
	if (timer_create(CLOCK_MONOTONIC, &kill_me, &dog) == 0)
		timer_settime(dog, 0, &twenty, NULL);

	s = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(0x7f000001);
	bind(s, (void *)&a, sizeof a);
	socklen_t l = sizeof a;
	getsockname(s, (void *)&a, &l);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, 0);
	struct itimerval it = {{0, 100000}, {0, 100000}};
	setitimer(ITIMER_REAL, &it, 0);
	char b[8];
	long n = recvfrom(s, b, 8, 0, 0, 0);
	printf("recvfrom %ld after %d ticks\n", n, ticks);
	struct itimerval z = {0};
	setitimer(ITIMER_REAL, &z, 0);
	/* clock_nanosleep interrupted without SA_RESTART: EINTR and the time left */
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, 0);
	ticks = 100;
	struct itimerval one = {{0, 0}, {0, 200000}};
	setitimer(ITIMER_REAL, &one, 0);
	struct timespec req = {2, 0}, rem = {0, 0};
	int r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	printf("clock_nanosleep %d, rem %s\n", r, rem.tv_sec == 1 ? "~1.8s" : "wrong");
	return 0;
}
