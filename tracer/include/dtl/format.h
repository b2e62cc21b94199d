/* SPDX-License-Identifier: MIT */
/* strace-style text for captured events (tracer/format.c). */
#ifndef DTL_FORMAT_H
#define DTL_FORMAT_H

#include <dtl/ring.h>
#include <stdbool.h>
#include <stdio.h>

struct dtl_format_opts {
	unsigned strsize;  /* -s: longer strings end in "..." */
	bool pid_prefix;   /* dtl_format_event only: "[pid N] " before the line */
	bool syscall_time; /* -T: " <0.000012>" after the result */
	bool no_align;     /* no padding to column 40 (structured output) */
	/* -y: the path behind descriptor @fd of the event's process (its
	 * working directory for AT_FDCWD), or NULL when unknown; descriptors
	 * are then printed as 3</etc/passwd>. */
	const char *(*fd_path)(const struct dtl_event *ev, int fd, void *arg);
	void *fd_path_arg;
};

/*
 * The three pieces of a call's line. They write to @out and take its
 * position (ftell) as the column, so that the result is aligned at column
 * 40 as strace does: @out must be a stream that starts with the line (a
 * memstream per line; the caller writes its prefixes first).
 *
 *   dtl_format_call      a completed call:       read(3, "abc", 3) = 3
 *   dtl_format_entry     what is known at entry: read(3,
 *   dtl_format_resumed   the rest after an entry that was interrupted by
 *                        another thread's line ("<... read resumed>"
 *                        printed by the caller):  "abc", 3) = 3
 *
 * All end without a newline. A call that does not return (DTL_EV_ENTER of
 * exit_group) is printed with "= ?".
 */
void dtl_format_call(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);
void dtl_format_entry(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);
void dtl_format_resumed(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);

/* The call's name ("read"), or NULL for a number the catalogue lacks. */
const char *dtl_format_name(const struct dtl_event *ev);

/* The pieces one by one (for structured output): which arguments strace
 * shows, in its order (returns how many); argument @i decoded; the result
 * decoded ("?" for a call that did not return). */
int dtl_format_arg_order(const struct dtl_event *ev, const struct dtl_format_opts *o, int order[6]);
void dtl_format_arg(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o, int i);
void dtl_format_ret(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);

/* A whole line to any stream: [pid N] prefix if asked, the call, "\n". */
void dtl_format_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);

/* "--- SIGCHLD {si_signo=SIGCHLD, ...} ---" for a DTL_EV_SIGNAL event. */
void dtl_format_signal(FILE *out, const struct dtl_event *ev);

/* The siginfo of a DTL_EV_SIGNAL event alone: "{si_signo=SIGCHLD, ...}". */
void dtl_format_siginfo(FILE *out, const struct dtl_event *ev);

/* A string or buffer, quoted and escaped as strace does ("\n", "\0", "\377"). */
void dtl_format_quoted(FILE *out, const char *s, size_t len, bool truncated);

#endif
