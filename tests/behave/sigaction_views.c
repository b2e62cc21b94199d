// SPDX-License-Identifier: MIT
/* What rt_sigaction says back, in every case the runtime answers without
 * the kernel (a query; SIG_DFL or SIG_IGN over the same) and those it does
 * not: the old action's handler, flags and mask as the kernel keeps them,
 * a disposition inherited across execve (SIG_IGN stays, a handler becomes
 * SIG_DFL), SIGCHLD's flags, and EINVAL for SIGKILL's. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_sig(int sig)
{
	(void)sig;
}

static void show(const char *what, int sig)
{
	struct sigaction sa;
	memset(&sa, 0xa5, sizeof(sa));
	if (sigaction(sig, NULL, &sa) < 0) {
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	printf("%s: %s flags %#x mask-has-SIGINT %d\n", what,
	       sa.sa_handler == SIG_DFL   ? "SIG_DFL"
	       : sa.sa_handler == SIG_IGN ? "SIG_IGN"
	       : sa.sa_handler == on_sig  ? "handler"
	                                  : "other",
	       (unsigned)(sa.sa_flags & ~0x04000000) /* without SA_RESTORER */,
	       sigismember(&sa.sa_mask, SIGINT));
}

static void set(int sig, void (*handler)(int), int flags, bool mask_int)
{
	struct sigaction sa = {.sa_handler = handler, .sa_flags = flags};
	sigemptyset(&sa.sa_mask);
	if (mask_int)
		sigaddset(&sa.sa_mask, SIGINT);
	if (sigaction(sig, &sa, NULL) < 0)
		printf("set %d: %s\n", sig, strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc > 1) { /* after the execve */
		show("exec'd: SIGUSR1 (was a handler)", SIGUSR1);
		show("exec'd: SIGUSR2 (was ignored)", SIGUSR2);
		show("exec'd: SIGHUP", SIGHUP);
		return 0;
	}
	show("SIGHUP at start", SIGHUP);
	set(SIGHUP, SIG_DFL, SA_RESTART, true);
	show("SIGHUP SIG_DFL again, SA_RESTART and a mask", SIGHUP);
	set(SIGHUP, SIG_IGN, 0, false);
	show("SIGHUP ignored", SIGHUP);
	set(SIGHUP, SIG_IGN, SA_NODEFER, true);
	show("SIGHUP ignored again, SA_NODEFER and a mask", SIGHUP);
	set(SIGHUP, on_sig, SA_SIGINFO, false);
	show("SIGHUP handled", SIGHUP);
	set(SIGHUP, SIG_DFL, 0, false);
	show("SIGHUP back to SIG_DFL", SIGHUP);
	set(SIGCHLD, SIG_DFL, SA_NOCLDSTOP, false);
	show("SIGCHLD SA_NOCLDSTOP", SIGCHLD);
	struct sigaction old;
	struct sigaction sa = {.sa_handler = SIG_DFL};
	printf("SIGKILL: %s\n", sigaction(SIGKILL, &sa, &old) < 0 ? strerror(errno) : "set");
	show("SIGKILL", SIGKILL);
	set(SIGUSR1, on_sig, 0, false);
	set(SIGUSR2, SIG_IGN, 0, false);
	raise(SIGUSR1);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec'd", (char *)NULL);
	perror("execl");
	return 1;
}
