/* SPDX-License-Identifier: MIT */
/*
 * The front-end's model of a traced program, fed with the decoded event
 * stream: its tasks (threads and processes: alive or not, the call each one
 * has entered and not yet completed), the path behind each descriptor (-y),
 * the options, per-call counts, and what was lost. From the order of the events it decides
 * what its sinks (dtl/sink.h) are told: a completed call, an entry that
 * stays pending, an entry left unfinished because another line comes
 * between, the completion of such an entry ("resumed"), a signal, the end
 * of a task, a loss, the end of the program.
 *
 * A session holds no global state: several may exist side by side (a unit
 * test makes its own). It is ordinary front-end code, never ring 0.
 */
#ifndef DTL_SESSION_H
#define DTL_SESSION_H

#include <dtl/format.h>
#include <dtl/ring.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dtl_filter;
struct dtl_sink_ops;

struct dtl_session_opts {
	int follow;                      /* 0; 1: -f (all threads and children); 2: -ff */
	int quiet;                       /* -q: no "attached"; -qq: no "+++ exited" of tasks */
	bool fd_paths;                   /* -y: follow the descriptors' paths */
	const struct dtl_filter *filter; /* -e; NULL shows everything */
	/* how sinks decode calls (-s, -T); the session fills in fd_path for -y */
	struct dtl_format_opts fmt;
};

struct dtl_task {
	int tid, pid;
	bool live;
	/* its entry line was closed with <unfinished ...>: the completion is a
	 * "<... name resumed>" */
	bool unfinished;
	/* the entry (DTL_EV_ENTER) whose completion has not come, or NULL */
	struct dtl_event *pending;
};

/* How a completed call relates to what the sinks were told before. */
enum dtl_call_shape {
	DTL_CALL_WHOLE,     /* no entry was announced: the call at once */
	DTL_CALL_CONTINUED, /* its entry was the last thing announced: carry on from it */
	DTL_CALL_RESUMED,   /* its entry was announced and left unfinished */
};

/* What the session counted for one call number (-c): completed calls,
 * those that failed, and the time spent inside them. */
struct dtl_call_counts {
	uint64_t calls, errors, ns;
};

/* NULL when out of memory. */
struct dtl_session *dtl_session_new(const struct dtl_session_opts *o);
/* Frees the session, its tasks, and its sinks (their destroy op). */
void dtl_session_free(struct dtl_session *s);

/* Sinks are told everything in the order they were added. @data is the
 * sink's own (ops->destroy frees it). Returns 0 or -ENOMEM. */
int dtl_session_add_sink(struct dtl_session *s, const struct dtl_sink_ops *ops, void *data);

/* The program started as @pid (its first thread); -y reads the working
 * directory and the inherited descriptors from this process. */
void dtl_session_start(struct dtl_session *s, int pid, const char *program);
/* Every event from the ring, in ring order. */
void dtl_session_feed(struct dtl_session *s, const struct dtl_event *ev);
/* @n events were dropped (--drop) before the next one. */
void dtl_session_lost(struct dtl_session *s, uint64_t n);
/*
 * A watchpoint's event, as the front-end's watch service (watch/) decoded
 * it from the stream: a hit (an access to a watched range), or the
 * watchpoint armed, not armed, or gone with its memory, in one process.
 */
enum dtl_watch_event_kind {
	DTL_WATCH_EV_HIT,
	DTL_WATCH_EV_ARMED,
	DTL_WATCH_EV_FAILED, /* not armed in this process: @reason */
	DTL_WATCH_EV_GONE,   /* the program unmapped the watched memory */
};
struct dtl_watch_event {
	enum dtl_watch_event_kind kind;
	int32_t pid, tid;
	uint64_t time_ns;
	uint32_t id;
	const char *expr;   /* as the user wrote it */
	uint64_t addr, len; /* a hit: the bytes shown; otherwise the range */
	int access;         /* DTL_ACCESS_* (dtl/event.h) of the access */
	/* a hit: the bytes before and after, as the watchpoint's type prints
	 * them; the instruction (disassembled, "" if unknown) at @rip and
	 * where it is ("func+0x12 (file.c:7)", "" if unknown); how many
	 * iterations of a rep string instruction */
	const char *old_value, *new_value;
	bool changed;
	const char *insn;
	uint64_t rip;
	const char *where;
	const char *function; /* for the summary: "func", or "?" */
	uint32_t reps;
	const char *syscall; /* a write by the kernel: the call's name, else NULL */
	/* --watch-bt: " > frame\n" lines, innermost first, else NULL */
	const char *backtrace;
	const char *reason; /* DTL_WATCH_EV_FAILED */
};
void dtl_session_watch(struct dtl_session *s, const struct dtl_watch_event *e);
/* A counter's value (the fault profiler's pages), to the sinks that
 * draw counters. */
void dtl_session_counter(struct dtl_session *s, int pid, const char *name, uint64_t time_ns,
                         uint64_t value);

/* The program ended with waitpid @status: what is still pending never
 * returned; the sinks finish. */
void dtl_session_finish(struct dtl_session *s, int status);

/* --- the model, for sinks ------------------------------------------------- */

const struct dtl_session_opts *dtl_session_opts(const struct dtl_session *s);
/* The options to decode calls with (fd_path bound to this session's table). */
const struct dtl_format_opts *dtl_session_format(const struct dtl_session *s);
int dtl_session_main_pid(const struct dtl_session *s);
/* Tasks alive as far as the trace knows (at least the program's first). */
int dtl_session_live_tasks(const struct dtl_session *s);
size_t dtl_session_ntasks(const struct dtl_session *s);
const struct dtl_task *dtl_session_task(const struct dtl_session *s, size_t i);
const struct dtl_task *dtl_session_find_task(const struct dtl_session *s, int tid);
uint64_t dtl_session_lost_total(const struct dtl_session *s);
/* The counts of call @nr (zero for a number outside [0, DTL_MAX_NR)). */
struct dtl_call_counts dtl_session_counts(const struct dtl_session *s, long nr);
/* -y: the path behind descriptor @fd of process @pid (AT_FDCWD: its working
 * directory) as the trace has followed it, or NULL. */
const char *dtl_session_fd_path(struct dtl_session *s, int pid, int fd);

#endif
