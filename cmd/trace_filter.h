/* SPDX-License-Identifier: MIT */
/* dtrace-lite's -e expressions: which calls and signals are shown. */
#ifndef DTL_TRACE_FILTER_H
#define DTL_TRACE_FILTER_H

#include <stdbool.h>

#define DTL_MAX_NR 1024

struct trace_filter {
	bool syscall[DTL_MAX_NR]; /* -e trace= */
	bool signal[65];          /* -e signal=, by number */
};

/* Everything shown (no -e). */
void trace_filter_init(struct trace_filter *f);

/* One -e argument: "trace=SET", "signal=SET" (strace's syntax: names,
 * %classes for trace, "all", "none", a leading "!" negates; a bare SET
 * means trace=SET). Returns 0, or -1 with a message on stderr. */
int trace_filter_parse(struct trace_filter *f, const char *expr);

bool trace_filter_syscall(const struct trace_filter *f, long nr);
bool trace_filter_signal(const struct trace_filter *f, int sig);

#endif
