/* SPDX-License-Identifier: MIT */
/*
 * Structured output of dtrace-lite:
 *   --json            one JSON object per line per event, instead of text
 *   --perfetto FILE   Chrome/Perfetto trace-event JSON ("traceEvents"): one
 *                     complete ("X") slice per call on its thread's track,
 *                     instants for signals and exits; open it in
 *                     https://ui.perfetto.dev or chrome://tracing
 */
#ifndef DTL_TRACE_JSON_H
#define DTL_TRACE_JSON_H

#include <dtl/format.h>
#include <dtl/ring.h>
#include <stdio.h>

/* --json: a call (DTL_EV_SYSCALL, or DTL_EV_ENTER of one that never
 * returned) or a signal. */
void json_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);
/* --json: a process ended: exited with @code, or killed by @sig (code < 0). */
void json_exit(FILE *out, int pid, int code, int sig);

/* --perfetto */
void perfetto_begin(FILE *out, int pid, const char *program);
void perfetto_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);
void perfetto_exit(FILE *out, int pid, int code, int sig, uint64_t ts_ns);
void perfetto_end(FILE *out);

#endif
