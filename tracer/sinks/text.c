// SPDX-License-Identifier: MIT
/*
 * The text sink: the trace as strace lays it out (see dtl/sink.h). Each
 * line is built in memory first, so that the decoders know the column for
 * the result's alignment, and written whole to the trace (or to the
 * thread's own file with -ff -o).
 */
#define _GNU_SOURCE
#include <dtl/format.h>
#include <dtl/output.h>
#include <dtl/signals.h>
#include <dtl/sink.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

struct task_file {
	int tid;
	FILE *file; /* -ff -o NAME: NAME.tid */
	/* the thread's entry line, held open while other threads' lines went
	 * to their own files (strace -ff splits no line: a file has one
	 * thread) */
	char *held;
	size_t held_len;
};

struct text_sink {
	struct dtl_text_opts o;
	uint64_t last_ts; /* -r: the previous line's time */
	struct {
		const struct dtl_task *owner; /* NULL: no line open */
		FILE *m;
		char *buf;
		size_t len;
	} line;
	struct task_file *files;
	size_t nfiles;
};

void *dtl_text_sink_new(const struct dtl_text_opts *o)
{
	struct text_sink *t = calloc(1, sizeof(*t));
	if (t)
		t->o = *o;
	return t;
}

static FILE *open_task_file(struct text_sink *ts, int tid)
{
	char name[4096];
	snprintf(name, sizeof(name), "%s.%d", ts->o.out_name, tid);
	FILE *f = fopen(name, "we");
	if (!f) {
		fprintf(stderr, "dtrace-lite: %s: %s (its lines go to the main trace)\n", name,
		        strerror(errno));
		f = ts->o.out;
	}
	dtl_output_watch(f, name);
	return f;
}

/* -ff -o NAME: a file per thread. */
static bool per_thread_files(const struct text_sink *ts, struct dtl_session *s)
{
	return dtl_session_opts(s)->follow >= 2 && ts->o.out_name;
}

/* @t's file (-ff -o), opened on first use. */
static struct task_file *task_file(struct text_sink *ts, const struct dtl_task *t)
{
	for (size_t i = 0; i < ts->nfiles; i++)
		if (ts->files[i].tid == t->tid)
			return &ts->files[i];
	struct task_file *n = realloc(ts->files, (ts->nfiles + 1) * sizeof(*n));
	if (!n)
		abort();
	ts->files = n;
	ts->files[ts->nfiles] =
	    (struct task_file){.tid = t->tid, .file = open_task_file(ts, t->tid)};
	return &ts->files[ts->nfiles++];
}

/* Where @t's lines go. */
static FILE *dest(struct text_sink *ts, struct dtl_session *s, const struct dtl_task *t)
{
	return per_thread_files(ts, s) ? task_file(ts, t)->file : ts->o.out;
}

/* -ff: write @f's held entry line out as unfinished after all (something
 * else of its thread comes first). */
static void drop_held(struct task_file *f)
{
	if (!f->held)
		return;
	fwrite(f->held, 1, f->held_len, f->file);
	fputs(" <unfinished ...>\n", f->file);
	free(f->held);
	f->held = NULL;
}

static uint64_t now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

/* -t, -tt, -ttt: the time of day of @ts */
static void time_of_day(FILE *m, int level, uint64_t ts)
{
	time_t sec = (time_t)(ts / 1000000000);
	unsigned long us = (unsigned long)(ts / 1000 % 1000000);
	if (level >= 3) {
		fprintf(m, "%lu.%06lu ", (unsigned long)sec, us);
		return;
	}
	struct tm tm;
	char hms[16];
	localtime_r(&sec, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	if (level == 2)
		fprintf(m, "%s.%06lu ", hms, us);
	else
		fprintf(m, "%s ", hms);
}

/* Start @t's line: its prefix (pid, time of @ts, or now if 0). */
static void line_begin(struct text_sink *ts, struct dtl_session *s, const struct dtl_task *t,
                       uint64_t when)
{
	const struct dtl_session_opts *so = dtl_session_opts(s);
	if (!when)
		when = now_ns();
	if (per_thread_files(ts, s))
		drop_held(task_file(ts, t));
	ts->line.owner = t;
	ts->line.m = open_memstream(&ts->line.buf, &ts->line.len);
	if (!ts->line.m)
		abort();
	FILE *m = ts->line.m;
	if (so->follow == 1 && ts->o.out_name)
		fprintf(m, "%-5d ", t->tid);
	else if (so->follow && !(so->follow == 2 && ts->o.out_name) &&
	         dtl_session_live_tasks(s) > 1)
		fprintf(m, "[pid %5d] ", t->tid);
	if (ts->o.relative) {
		uint64_t d = ts->last_ts && when > ts->last_ts ? when - ts->last_ts : 0;
		fprintf(m, "%6lu.%06lu ", (unsigned long)(d / 1000000000),
		        (unsigned long)(d / 1000 % 1000000));
		ts->last_ts = when;
	}
	if (ts->o.timestamps)
		time_of_day(m, ts->o.timestamps, when);
}

static void line_end(struct text_sink *ts, struct dtl_session *s)
{
	fputc('\n', ts->line.m);
	fclose(ts->line.m);
	fwrite(ts->line.buf, 1, ts->line.len, dest(ts, s, ts->line.owner));
	free(ts->line.buf);
	ts->line.owner = NULL;
	ts->line.buf = NULL;
}

static void text_entry(void *sink, struct dtl_session *s, const struct dtl_task *t,
                       const struct dtl_event *ev)
{
	struct text_sink *ts = sink;
	line_begin(ts, s, t, ev->ts_enter_ns);
	dtl_format_entry(ts->line.m, ev, dtl_session_format(s));
}

static void text_unfinished(void *sink, struct dtl_session *s, const struct dtl_task *t)
{
	struct text_sink *ts = sink;
	if (ts->line.owner != t)
		return;
	if (per_thread_files(ts, s)) { /* hold it: no other thread writes there */
		struct task_file *f = task_file(ts, t);
		fclose(ts->line.m);
		f->held = ts->line.buf;
		f->held_len = ts->line.len;
		ts->line.owner = NULL;
		ts->line.buf = NULL;
		return;
	}
	fputs(" <unfinished ...>", ts->line.m);
	line_end(ts, s);
}

/* -ff: reopen @t's held entry line to complete it. */
static bool resume_held(struct text_sink *ts, struct dtl_session *s, const struct dtl_task *t)
{
	if (!per_thread_files(ts, s) || ts->line.owner)
		return false;
	struct task_file *f = task_file(ts, t);
	if (!f->held)
		return false;
	ts->line.owner = t;
	ts->line.m = open_memstream(&ts->line.buf, &ts->line.len);
	if (!ts->line.m)
		abort();
	fwrite(f->held, 1, f->held_len, ts->line.m);
	free(f->held);
	f->held = NULL;
	return true;
}

static void text_call(void *sink, struct dtl_session *s, const struct dtl_task *t,
                      const struct dtl_event *ev, enum dtl_call_shape shape)
{
	struct text_sink *ts = sink;
	const struct dtl_format_opts *fo = dtl_session_format(s);
	if ((shape == DTL_CALL_CONTINUED && ts->line.owner == t) ||
	    (shape == DTL_CALL_RESUMED && resume_held(ts, s, t))) {
		dtl_format_resumed(ts->line.m, ev, fo);
	} else if (shape != DTL_CALL_WHOLE) {
		line_begin(ts, s, t, ev->ts_ns);
		fprintf(ts->line.m, "<... %s resumed>", dtl_format_name(ev) ?: "syscall");
		dtl_format_resumed(ts->line.m, ev, fo);
	} else {
		line_begin(ts, s, t, ev->ts_enter_ns);
		dtl_format_call(ts->line.m, ev, fo);
	}
	line_end(ts, s);
}

static void text_signal(void *sink, struct dtl_session *s, const struct dtl_task *t,
                        const struct dtl_event *ev)
{
	struct text_sink *ts = sink;
	line_begin(ts, s, t, ev->ts_ns);
	dtl_format_signal(ts->line.m, ev);
	line_end(ts, s);
}

static const char *access_word(int access)
{
	return access == DTL_ACCESS_WRITE ? "write" : access == DTL_ACCESS_EXEC ? "exec" : "read";
}

/* "--- watch 1 counter: write 41 -> 42 by main+0x2a (app.c:17): addl $1, 0x2fe5(%rip) ---" */
static void text_watch(void *sink, struct dtl_session *s, const struct dtl_task *t,
                       const struct dtl_watch_event *e)
{
	struct text_sink *ts = sink;
	if (e->kind != DTL_WATCH_EV_HIT)
		return; /* the notices say those */
	line_begin(ts, s, t, e->time_ns);
	FILE *m = ts->line.m;
	fprintf(m, "--- watch %u %s: %s", e->id, e->expr, access_word(e->access));
	if (e->access == DTL_ACCESS_WRITE && e->old_value)
		fprintf(m, " %s -> %s", e->old_value, e->new_value);
	else if (e->new_value)
		fprintf(m, " %s", e->new_value);
	if (e->syscall)
		fprintf(m, " by the kernel in %s()", e->syscall);
	else if (e->reps > 1)
		fprintf(m, " (%u iterations)", e->reps);
	fprintf(m, " at %#lx", (unsigned long)e->rip);
	if (e->where[0])
		fprintf(m, " %s", e->where);
	if (e->insn[0])
		fprintf(m, ": %s", e->insn);
	if (!dtl_session_opts(s)->follow && e->tid != e->pid)
		fprintf(m, " [thread %d]", e->tid);
	fputs(" ---", m);
	if (e->backtrace && e->backtrace[0]) {
		/* strace -k's frames, one per line (the last newline is the line's) */
		size_t n = strlen(e->backtrace);
		fputc('\n', m);
		fwrite(e->backtrace, 1, n && e->backtrace[n - 1] == '\n' ? n - 1 : n, m);
	}
	line_end(ts, s);
}

/* "+++ exited with N +++" (@sig 0) or "+++ killed by SIGx +++" */
static void text_task_exit(void *sink, struct dtl_session *s, const struct dtl_task *t, int code,
                           int sig)
{
	struct text_sink *ts = sink;
	if (dtl_session_opts(s)->quiet >= 2)
		return;
	line_begin(ts, s, t, 0);
	char spelling[DTL_SIGNAL_SPELLING_MAX];
	if (sig)
		fprintf(ts->line.m, "+++ killed by %s +++", dtl_signal_spelling(sig, spelling));
	else
		fprintf(ts->line.m, "+++ exited with %d +++", code);
	line_end(ts, s);
}

static void text_lost(void *sink, struct dtl_session *s, uint64_t n)
{
	struct text_sink *ts = sink;
	(void)s;
	fprintf(ts->o.out, "--- dtrace-lite: %lu events lost: the ring was full (--drop) ---\n",
	        (unsigned long)n);
}

/* The program's own end, from its wait status. */
static void text_finish(void *sink, struct dtl_session *s, int status)
{
	struct text_sink *ts = sink;
	if (dtl_session_opts(s)->quiet < 2) {
		char spelling[DTL_SIGNAL_SPELLING_MAX];
		line_begin(ts, s, dtl_session_find_task(s, dtl_session_main_pid(s)), 0);
		if (WIFSIGNALED(status))
			fprintf(ts->line.m, "+++ killed by %s %s+++",
			        dtl_signal_spelling(WTERMSIG(status), spelling),
			        WCOREDUMP(status) ? "(core dumped) " : "");
		else
			fprintf(ts->line.m, "+++ exited with %d +++", WEXITSTATUS(status));
		line_end(ts, s);
	}
	for (size_t i = 0; i < ts->nfiles; i++) {
		drop_held(&ts->files[i]);
		if (ts->files[i].file != ts->o.out)
			dtl_output_close(ts->files[i].file);
	}
	ts->nfiles = 0;
	dtl_output_flush(ts->o.out);
}

static void text_destroy(void *sink)
{
	struct text_sink *ts = sink;
	for (size_t i = 0; i < ts->nfiles; i++) {
		drop_held(&ts->files[i]);
		if (ts->files[i].file != ts->o.out)
			dtl_output_close(ts->files[i].file);
	}
	free(ts->files);
	free(ts);
}

const struct dtl_sink_ops dtl_text_sink_ops = {
    .entry = text_entry,
    .unfinished = text_unfinished,
    .call = text_call,
    .signal = text_signal,
    .watch = text_watch,
    .task_exit = text_task_exit,
    .lost = text_lost,
    .finish = text_finish,
    .destroy = text_destroy,
};
