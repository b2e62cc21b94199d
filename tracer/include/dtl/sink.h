/* SPDX-License-Identifier: MIT */
/*
 * The outputs of a session (dtl/session.h): each sink is told what the
 * session decided, in order, and reads the session's model for the rest.
 * Every op is optional (NULL: not interested). @sink is the data given to
 * dtl_session_add_sink().
 *
 * Sinks in tracer/sinks/: text (strace's layout), json (one object per
 * line), perfetto (trace-event document), summary (-c table), notices
 * ("Process N attached").
 */
#ifndef DTL_SINK_H
#define DTL_SINK_H

#include <dtl/ring.h>
#include <dtl/session.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct dtl_sink_ops {
	void (*start)(void *sink, struct dtl_session *s, const char *program);
	/* a thread or process of the program first seen (-f) */
	void (*attached)(void *sink, struct dtl_session *s, const struct dtl_task *t);
	/* a call entered: @ev (DTL_EV_ENTER) stays pending in @t */
	void (*entry)(void *sink, struct dtl_session *s, const struct dtl_task *t,
	              const struct dtl_event *ev);
	/* @t's entry, the last thing announced, is interrupted by what comes next */
	void (*unfinished)(void *sink, struct dtl_session *s, const struct dtl_task *t);
	/* a completed call (DTL_EV_SYSCALL), or one that does not return
	 * (DTL_EV_ENTER: exit, exit_group, or what was pending at the end) */
	void (*call)(void *sink, struct dtl_session *s, const struct dtl_task *t,
	             const struct dtl_event *ev, enum dtl_call_shape shape);
	/* a signal delivered (DTL_EV_SIGNAL) */
	void (*signal)(void *sink, struct dtl_session *s, const struct dtl_task *t,
	               const struct dtl_event *ev);
	/* a task other than the program's first thread ended: exit code @code,
	 * or killed by @sig (non-zero) */
	void (*task_exit)(void *sink, struct dtl_session *s, const struct dtl_task *t, int code,
	                  int sig);
	/* a watchpoint's hit or change of state (@t: the task it happened in) */
	void (*watch)(void *sink, struct dtl_session *s, const struct dtl_task *t,
	              const struct dtl_watch_event *e);
	/* a counter of process @pid (a profiler's pages) at @time_ns */
	void (*counter)(void *sink, struct dtl_session *s, int pid, const char *name,
	                uint64_t time_ns, uint64_t value);
	/* @n events lost before the next one */
	void (*lost)(void *sink, struct dtl_session *s, uint64_t n);
	/* the program ended with waitpid @status */
	void (*finish)(void *sink, struct dtl_session *s, int status);
	void (*destroy)(void *sink);
};

/* --- the sinks -------------------------------------------------------------- */

/* strace's text: lines with [pid N] prefixes, timestamps, <unfinished ...>,
 * "+++ exited" lines; -ff -o NAME writes NAME.TID per thread. */
struct dtl_text_opts {
	FILE *out;            /* the trace (-o FILE, or stderr) */
	const char *out_name; /* -o FILE, or NULL */
	int timestamps;       /* -t, -tt, -ttt */
	bool relative;        /* -r */
};
extern const struct dtl_sink_ops dtl_text_sink_ops;
void *dtl_text_sink_new(const struct dtl_text_opts *o);

/* strace's "Process N attached" messages, on @out. */
extern const struct dtl_sink_ops dtl_notice_sink_ops;
void *dtl_notice_sink_new(FILE *out);

/* --json: one object per call, signal, loss and the program's end. With
 * @losses_only (-c --json) only the losses. */
extern const struct dtl_sink_ops dtl_json_sink_ops;
void *dtl_json_sink_new(FILE *out, bool losses_only);

/* --perfetto: a Chrome/Perfetto trace-event document ("traceEvents"): one
 * complete ("X") slice per call on its thread's track, instants for signals
 * and the end; open it in https://ui.perfetto.dev. @out is closed at the end. */
extern const struct dtl_sink_ops dtl_perfetto_sink_ops;
void *dtl_perfetto_sink_new(FILE *out);

/* -c / -C: strace's table of time, calls and errors per call, on @out at
 * the end. */
extern const struct dtl_sink_ops dtl_summary_sink_ops;
void *dtl_summary_sink_new(FILE *out);

#endif
