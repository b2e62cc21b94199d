/* SPDX-License-Identifier: MIT */
/*
 * What dtrace-lite prints for the event stream, in strace's layout: one
 * line per call, or its entry and its "<... name resumed>" completion apart
 * when another thread's line comes between (-f); "--- SIGxxx {...} ---";
 * "+++ exited with N +++"; the pid prefixes and timestamps strace prints;
 * per-process files (-ff); and the structured forms (--json, --perfetto)
 * and -c counts, which see each call once, completed.
 */
#ifndef DTL_TRACE_OUTPUT_H
#define DTL_TRACE_OUTPUT_H

#include "trace_filter.h"

#include <dtl/format.h>
#include <dtl/ring.h>
#include <stdbool.h>
#include <stdio.h>

struct trace_output_opts {
	FILE *out;            /* the trace: -o FILE or stderr */
	const char *out_name; /* -o FILE, or NULL */
	int follow;           /* 0; 1: -f; 2: -ff (one file per thread with -o) */
	int timestamps;       /* -t, -tt, -ttt */
	bool relative;        /* -r */
	int quiet;            /* -q, -qq */
	bool summary;         /* -c or -C: count calls */
	bool lines;           /* print the trace (not with -c alone) */
	bool json;            /* --json instead of text */
	FILE *perfetto;       /* --perfetto FILE, or NULL */
	struct dtl_format_opts fmt;
	const struct trace_filter *filter;
};

void trace_output_start(const struct trace_output_opts *o, int main_pid, const char *program);
/* Every event from the ring, in ring order. */
void trace_output_event(const struct dtl_event *ev);
/* @lost events were dropped (--drop) before the next one. */
void trace_output_lost(uint64_t lost);
/* The traced program ended (its waitpid status): finish what is pending,
 * print its "+++ exited"/"+++ killed by" line, close the outputs. */
void trace_output_finish(int status);

#endif
