/* SPDX-License-Identifier: MIT */
/* -e expressions (strace's syntax): which calls and signals a session shows. */
#ifndef DTL_FILTER_H
#define DTL_FILTER_H

#include <stdbool.h>

#ifndef DTL_MAX_NR
#define DTL_MAX_NR 1024 /* syscall numbers below this are filtered and counted */
#endif

struct dtl_filter {
	bool syscall[DTL_MAX_NR]; /* -e trace= */
	bool signal[65];          /* -e signal=, by number */
};

/* Everything shown (no -e). */
void dtl_filter_init(struct dtl_filter *f);

/* One -e argument: "trace=SET", "signal=SET" (strace's syntax: names,
 * %classes for trace, "all", "none", a leading "!" negates; a bare SET
 * means trace=SET). Returns 0, or -1 with a message on stderr. */
int dtl_filter_parse(struct dtl_filter *f, const char *expr);

bool dtl_filter_syscall(const struct dtl_filter *f, long nr);
bool dtl_filter_signal(const struct dtl_filter *f, int sig);

#endif
