/* SPDX-License-Identifier: MIT */
/* strace-style text for captured events (tracer/format.c). */
#ifndef DTL_FORMAT_H
#define DTL_FORMAT_H

#include <dtl/ring.h>
#include <stdbool.h>
#include <stdio.h>

struct dtl_format_opts {
	unsigned strsize; /* -s: longer strings end in "..." */
	bool pid_prefix;  /* "[pid N] " before each line */
};

/* "name(args) = ret\n" (or "name(args) = ?" for a call that does not
 * return), as strace prints it. */
void dtl_format_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);

/* A string or buffer, quoted and escaped as strace does ("\n", "\0", "\377"). */
void dtl_format_quoted(FILE *out, const char *s, size_t len, bool truncated);

#endif
