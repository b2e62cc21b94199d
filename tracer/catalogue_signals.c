// SPDX-License-Identifier: MIT
/* The signal-name table (dtl/signals.h). */
#define _GNU_SOURCE
#include <dtl/signals.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The kernel's numbers on x86-64 (arch/x86/include/uapi/asm/signal.h). */
static const char *const names[] = {
    [1] = "SIGHUP",     [2] = "SIGINT",    [3] = "SIGQUIT",   [4] = "SIGILL",   [5] = "SIGTRAP",
    [6] = "SIGABRT",    [7] = "SIGBUS",    [8] = "SIGFPE",    [9] = "SIGKILL",  [10] = "SIGUSR1",
    [11] = "SIGSEGV",   [12] = "SIGUSR2",  [13] = "SIGPIPE",  [14] = "SIGALRM", [15] = "SIGTERM",
    [16] = "SIGSTKFLT", [17] = "SIGCHLD",  [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN",   [22] = "SIGTTOU",  [23] = "SIGURG",   [24] = "SIGXCPU", [25] = "SIGXFSZ",
    [26] = "SIGVTALRM", [27] = "SIGPROF",  [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
    [31] = "SIGSYS",    [32] = "SIGRTMIN",
};

/* Other names the C library and the kernel use for the same numbers. */
static const struct {
	const char *name; /* without "SIG" */
	int sig;
} aliases[] = {{"POLL", 29}, {"IOT", 6}, {"CLD", 17}, {"UNUSED", 31}};

const char *dtl_signal_name(int sig)
{
	return sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) ? names[sig] : NULL;
}

const char *dtl_signal_spelling(int sig, char buf[DTL_SIGNAL_SPELLING_MAX])
{
	const char *name = dtl_signal_name(sig);
	if (name)
		return name;
	if (sig > 32 && sig <= DTL_SIGNAL_MAX)
		snprintf(buf, DTL_SIGNAL_SPELLING_MAX, "SIGRT_%d", sig - 32);
	else
		snprintf(buf, DTL_SIGNAL_SPELLING_MAX, "%d", sig);
	return buf;
}

/* A decimal number with nothing after it, or -1. */
static long whole_number(const char *s)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	long n = strtol(s, &end, 10);
	return *end ? -1 : n;
}

int dtl_signal_number(const char *name)
{
	if (!name || !*name)
		return -1;
	long n = whole_number(name);
	if (n >= 0)
		return n > 0 && n <= DTL_SIGNAL_MAX ? (int)n : -1;
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (int s = 1; s < (int)(sizeof(names) / sizeof(names[0])); s++)
		if (!strcasecmp(name, names[s] + 3))
			return s;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(name, aliases[i].name))
			return aliases[i].sig;
	if (!strncasecmp(name, "RT_", 3)) {
		n = whole_number(name + 3);
		if (n >= 1 && n <= DTL_SIGNAL_MAX - 32)
			return 32 + (int)n;
	}
	return -1;
}
