// SPDX-License-Identifier: MIT
/* The session: tasks, pending calls, what the sinks are told (see dtl/session.h). */
#define _GNU_SOURCE
#include "session_fdtable.h"

#include <dtl/catalogue.h>
#include <dtl/filter.h>
#include <dtl/session.h>
#include <dtl/sink.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct sink {
	const struct dtl_sink_ops *ops;
	void *data;
};

struct dtl_session {
	struct dtl_session_opts opt;
	struct dtl_fdtable *fds; /* -y, else NULL */
	int main_pid;
	struct dtl_task **tasks; /* each allocated once: pointers to them stay valid */
	size_t ntasks, tasks_cap;
	int live_tasks;
	/* the task whose entry was the last thing announced, while nothing
	 * else has been: its completion continues that announcement */
	struct dtl_task *open;
	uint64_t lost;
	struct dtl_call_counts counts[DTL_MAX_NR];
	struct sink *sinks;
	size_t nsinks;
};

/* Tell every sink that has @op: SINKS(s, op, args after the sink and session) */
#define SINKS(s, op, ...)                                                                        \
	do {                                                                                     \
		for (size_t i_ = 0; i_ < (s)->nsinks; i_++)                                      \
			if ((s)->sinks[i_].ops->op)                                              \
				(s)->sinks[i_].ops->op((s)->sinks[i_].data, (s), ##__VA_ARGS__); \
	} while (0)

static const char *fd_path(const struct dtl_event *ev, int fd, void *arg)
{
	return dtl_session_fd_path(arg, ev->pid, fd);
}

struct dtl_session *dtl_session_new(const struct dtl_session_opts *o)
{
	struct dtl_session *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->opt = *o;
	s->opt.fmt.fd_path = NULL;
	s->opt.fmt.fd_path_arg = NULL;
	s->live_tasks = 1; /* the program's first thread */
	if (o->fd_paths) {
		s->fds = dtl_fdtable_new();
		if (!s->fds) {
			free(s);
			return NULL;
		}
		s->opt.fmt.fd_path = fd_path;
		s->opt.fmt.fd_path_arg = s;
	}
	return s;
}

void dtl_session_free(struct dtl_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nsinks; i++)
		if (s->sinks[i].ops->destroy)
			s->sinks[i].ops->destroy(s->sinks[i].data);
	free(s->sinks);
	for (size_t i = 0; i < s->ntasks; i++) {
		free(s->tasks[i]->pending);
		free(s->tasks[i]);
	}
	free(s->tasks);
	dtl_fdtable_free(s->fds);
	free(s);
}

int dtl_session_add_sink(struct dtl_session *s, const struct dtl_sink_ops *ops, void *data)
{
	struct sink *n = realloc(s->sinks, (s->nsinks + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	s->sinks = n;
	s->sinks[s->nsinks++] = (struct sink){.ops = ops, .data = data};
	return 0;
}

/* --- tasks ----------------------------------------------------------------- */

static struct dtl_task *find(const struct dtl_session *s, int tid)
{
	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i]->tid == tid)
			return s->tasks[i];
	return NULL;
}

static struct dtl_task *task(struct dtl_session *s, int tid, int pid)
{
	struct dtl_task *t = find(s, tid);
	if (t)
		return t;
	if (s->ntasks == s->tasks_cap) {
		size_t cap = s->tasks_cap ? 2 * s->tasks_cap : 16;
		struct dtl_task **n = realloc(s->tasks, cap * sizeof(*n));
		if (!n)
			abort();
		s->tasks = n;
		s->tasks_cap = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	*t = (struct dtl_task){.tid = tid, .pid = pid, .live = true};
	s->tasks[s->ntasks++] = t;
	return t;
}

/* A thread or process the program started, first seen in its parent's
 * clone/fork result or in an event of its own (strace attaches to it). */
static struct dtl_task *attach(struct dtl_session *s, int tid, int pid)
{
	struct dtl_task *t = find(s, tid);
	if (t)
		return t;
	t = task(s, tid, pid);
	if (s->opt.follow) {
		s->live_tasks++;
		SINKS(s, attached, t);
	}
	return t;
}

/* Without -f only the program's first thread is shown. */
static bool shown(const struct dtl_session *s, const struct dtl_task *t)
{
	return s->opt.follow || t->tid == s->main_pid || !s->main_pid;
}

/* Something else is announced: an open entry stays unfinished. */
static void interrupt(struct dtl_session *s)
{
	struct dtl_task *t = s->open;
	if (!t)
		return;
	s->open = NULL;
	t->unfinished = true;
	SINKS(s, unfinished, t);
}

/* --- calls ----------------------------------------------------------------- */

/* Like strace -c: completed calls only (exit_group never completes). */
static void count(struct dtl_session *s, const struct dtl_event *ev)
{
	if (ev->type != DTL_EV_SYSCALL || ev->nr < 0 || ev->nr >= DTL_MAX_NR)
		return;
	struct dtl_call_counts *c = &s->counts[ev->nr];
	c->calls++;
	if (ev->ret < 0 && ev->ret >= -4095)
		c->errors++;
	if (ev->ts_ns > ev->ts_enter_ns)
		c->ns += ev->ts_ns - ev->ts_enter_ns;
}

/* A call completed (or one that will not complete) in @t. */
static void complete(struct dtl_session *s, struct dtl_task *t, const struct dtl_event *ev)
{
	enum dtl_call_shape shape = DTL_CALL_WHOLE;
	if (s->open == t) {
		shape = DTL_CALL_CONTINUED;
		s->open = NULL;
	} else {
		interrupt(s);
		if (t->pending)
			shape = DTL_CALL_RESUMED;
	}
	count(s, ev);
	SINKS(s, call, t, ev, shape);
	free(t->pending);
	t->pending = NULL;
	t->unfinished = false;
}

/* An entry that will not be completed by its own exit event: a successful
 * execve (the new image starts over) returned 0; anything else never
 * returned. */
static void finish_pending(struct dtl_session *s, struct dtl_task *t, bool exec_succeeded)
{
	struct dtl_event *ev = t->pending;
	if (!ev)
		return;
	if (exec_succeeded && dtl_syscall_execs(ev->nr)) {
		ev->type = DTL_EV_SYSCALL;
		ev->ret = 0;
	}
	complete(s, t, ev);
}

/* @t ended: exited with @code, or killed by @sig */
static void task_ended(struct dtl_session *s, struct dtl_task *t, int code, int sig)
{
	if (!t->live)
		return;
	t->live = false;
	if (s->opt.quiet < 2) /* its "+++" line comes */
		interrupt(s);
	SINKS(s, task_exit, t, code, sig);
	s->live_tasks--;
}

/* exit / exit_group (or a fatal signal): the tasks that end. The program's
 * own first thread ends with its wait status, at the finish. */
static void task_exits(struct dtl_session *s, struct dtl_task *t, bool whole_process, int code,
                       int sig)
{
	if (whole_process) {
		for (size_t i = 0; i < s->ntasks; i++) {
			struct dtl_task *o = s->tasks[i];
			if (o->pid == t->pid && o != t && o->tid != s->main_pid)
				task_ended(s, o, code, sig);
		}
	}
	if (t->tid != s->main_pid)
		task_ended(s, t, code, sig);
}

/* An exit or exit_group entered: with -f, the tasks it ends. */
static void exit_call(struct dtl_session *s, struct dtl_task *t, const struct dtl_event *ev)
{
	if (s->opt.follow)
		task_exits(s, t, dtl_syscall_lifecycle(ev->nr) == DTL_LIFE_EXIT_GROUP,
		           (int)(ev->args[0] & 0xff), 0);
}

static void on_enter(struct dtl_session *s, struct dtl_task *t, const struct dtl_event *ev)
{
	finish_pending(s, t, true);
	if (dtl_syscall_never_returns(ev->nr)) {
		/* exit, exit_group: "= ?" now */
		complete(s, t, ev);
		exit_call(s, t, ev);
		return;
	}
	t->pending = malloc(sizeof(*ev));
	if (!t->pending)
		abort();
	memcpy(t->pending, ev, sizeof(*ev));
	interrupt(s);
	SINKS(s, entry, t, t->pending);
	s->open = t;
}

/* The wait status a completed call (wait4) wrote for its child: the
 * catalogue's DTL_ARG_WAIT_STATUS_OUT argument, as captured. */
static bool wait_status(const struct dtl_event *ev, int *status)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(ev->nr);
	for (int i = 0; d && i < d->nargs; i++) {
		if (d->args[i].kind != DTL_ARG_WAIT_STATUS_OUT)
			continue;
		const struct dtl_blob *b = dtl_blob_find(ev, i, DTL_SUB_OBJECT, false);
		if (!b || b->len < sizeof(*status))
			return false;
		memcpy(status, ev->data + b->offset, sizeof(*status));
		return true;
	}
	return false;
}

/*
 * -f: a traced parent reaped a child that a signal killed. A killed
 * process writes no record of its end, so this is where the trace learns
 * of it: its threads' calls in progress never returned, and its "+++
 * killed by SIGx +++" comes before the parent's wait returns, as in
 * strace. (Exits went through exit_group and were ended there.)
 */
static void child_reaped(struct dtl_session *s, const struct dtl_event *ev)
{
	int status;
	if (!s->opt.follow || ev->ret <= 0 || !wait_status(ev, &status) || !WIFSIGNALED(status))
		return;
	struct dtl_task *leader = find(s, (int)ev->ret);
	if (!leader || !leader->live || leader->tid == s->main_pid)
		return;
	if (!leader->pid) /* killed before any call of its own: a process's first thread */
		leader->pid = leader->tid;
	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i]->pid == leader->pid && s->tasks[i]->live)
			finish_pending(s, s->tasks[i], false);
	task_exits(s, leader, true, 0, WTERMSIG(status));
}

static void on_syscall(struct dtl_session *s, struct dtl_task *t, const struct dtl_event *ev)
{
	if (t->pending && t->pending->nr != ev->nr)
		finish_pending(s, t, true);
	if (s->fds)
		dtl_fdtable_before(s->fds, ev);
	child_reaped(s, ev);
	complete(s, t, ev);
	if (s->fds)
		dtl_fdtable_after(s->fds, ev);
}

static void on_signal(struct dtl_session *s, struct dtl_task *t, const struct dtl_event *ev)
{
	int sig = (int)ev->args[0];
	if (s->opt.filter && !dtl_filter_signal(s->opt.filter, sig))
		return;
	interrupt(s);
	SINKS(s, signal, t, ev);
	/* a fault nobody handles: the process dies of it (the program's own
	 * first process gets its line from its wait status) */
	if (ev->args[1] && s->opt.follow && t->pid != s->main_pid)
		task_exits(s, t, true, 0, sig);
}

void dtl_session_feed(struct dtl_session *s, const struct dtl_event *ev)
{
	struct dtl_task *t = attach(s, ev->tid, ev->pid);
	if (!t->pid)
		t->pid = ev->pid;
	if (!shown(s, t))
		return;
	if (ev->type == DTL_EV_SIGNAL) {
		on_signal(s, t, ev);
		return;
	}
	/* new threads and processes, as strace attaches to them */
	if (ev->type == DTL_EV_SYSCALL && ev->ret > 0 && dtl_syscall_creates_task(ev->nr)) {
		if (s->opt.follow)
			attach(s, (int)ev->ret, 0);
		if (s->fds) /* a new process inherits the descriptors */
			dtl_fdtable_fork(s->fds, ev->pid, (int)ev->ret);
	}
	/* another call of the same thread: the pending one is over (a new
	 * image after execve, whether or not its calls are shown) */
	if (t->pending && (ev->type == DTL_EV_ENTER || t->pending->nr != ev->nr))
		finish_pending(s, t, true);
	if (s->opt.filter && !dtl_filter_syscall(s->opt.filter, ev->nr)) {
		/* not shown; exits still end threads */
		if (ev->type == DTL_EV_ENTER && dtl_syscall_never_returns(ev->nr))
			exit_call(s, t, ev);
		return;
	}
	if (ev->type == DTL_EV_ENTER)
		on_enter(s, t, ev);
	else
		on_syscall(s, t, ev);
}

void dtl_session_counter(struct dtl_session *s, int pid, const char *name, uint64_t time_ns,
                         uint64_t value)
{
	SINKS(s, counter, pid, name, time_ns, value);
}

void dtl_session_watch(struct dtl_session *s, const struct dtl_watch_event *e)
{
	/* every thread of the program's process, as a debugger shows them;
	 * other processes with -f */
	if (!s->opt.follow && s->main_pid && e->pid != s->main_pid)
		return;
	struct dtl_task *t = attach(s, e->tid, e->pid);
	if (!t->pid)
		t->pid = e->pid;
	if (e->kind == DTL_WATCH_EV_HIT)
		interrupt(s);
	SINKS(s, watch, t, e);
}

void dtl_session_lost(struct dtl_session *s, uint64_t n)
{
	s->lost += n;
	interrupt(s);
	SINKS(s, lost, n);
}

void dtl_session_start(struct dtl_session *s, int pid, const char *program)
{
	s->main_pid = pid;
	task(s, pid, pid);
	if (s->fds)
		dtl_fdtable_seed(s->fds, pid);
	SINKS(s, start, program);
}

void dtl_session_finish(struct dtl_session *s, int status)
{
	/* what is still pending never returned (the program is gone) */
	for (size_t i = 0; i < s->ntasks; i++)
		finish_pending(s, s->tasks[i], false);
	interrupt(s);
	task(s, s->main_pid, s->main_pid)->live = false;
	SINKS(s, finish, status);
}

/* --- the model ------------------------------------------------------------- */

const struct dtl_session_opts *dtl_session_opts(const struct dtl_session *s)
{
	return &s->opt;
}

const struct dtl_format_opts *dtl_session_format(const struct dtl_session *s)
{
	return &s->opt.fmt;
}

int dtl_session_main_pid(const struct dtl_session *s)
{
	return s->main_pid;
}

int dtl_session_live_tasks(const struct dtl_session *s)
{
	return s->live_tasks;
}

size_t dtl_session_ntasks(const struct dtl_session *s)
{
	return s->ntasks;
}

const struct dtl_task *dtl_session_task(const struct dtl_session *s, size_t i)
{
	return i < s->ntasks ? s->tasks[i] : NULL;
}

const struct dtl_task *dtl_session_find_task(const struct dtl_session *s, int tid)
{
	return find(s, tid);
}

uint64_t dtl_session_lost_total(const struct dtl_session *s)
{
	return s->lost;
}

struct dtl_call_counts dtl_session_counts(const struct dtl_session *s, long nr)
{
	if (nr < 0 || nr >= DTL_MAX_NR)
		return (struct dtl_call_counts){0};
	return s->counts[nr];
}

const char *dtl_session_fd_path(struct dtl_session *s, int pid, int fd)
{
	return s->fds ? dtl_fdtable_lookup(s->fds, pid, fd) : NULL;
}
