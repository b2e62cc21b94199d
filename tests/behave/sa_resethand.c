// SPDX-License-Identifier: MIT
/* SA_RESETHAND resets only the handler: Linux keeps SA_SIGINFO and the other
 * flags of the action, and the handler sees them (issue 11, item 21). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* glibc sets it on every action; not ours to compare */
#endif

static volatile sig_atomic_t flags_in_handler = -1;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	struct sigaction now;
	sigaction(sig, NULL, &now);
	flags_in_handler = now.sa_flags & ~SA_RESTORER;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_RESTART | SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	struct sigaction after;
	sigaction(SIGUSR1, NULL, &after);
	printf("flags in handler %#x\n", (unsigned)flags_in_handler);
	printf("after: handler %s, flags %#x\n", after.sa_handler == SIG_DFL ? "SIG_DFL" : "other",
	       (unsigned)(after.sa_flags & ~SA_RESTORER));
	return 0;
}
