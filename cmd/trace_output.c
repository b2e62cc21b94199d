// SPDX-License-Identifier: MIT
/* The trace as strace lays it out (see trace_output.h). */
#define _GNU_SOURCE
#include "trace_output.h"

#include "fd_paths.h"
#include "trace_json.h"
#include "trace_summary.h"

#include <dtl/catalogue.h>

#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static struct trace_output_opts opt;
static int main_pid;
static uint64_t last_ts; /* -r: the previous line's time */

/* --- threads and processes seen -------------------------------------- */

struct task {
	int tid, pid;
	bool live;
	FILE *file;                /* -ff -o NAME: NAME.tid */
	struct dtl_event *pending; /* an entry whose completion has not come */
	bool interrupted;          /* its line was closed with <unfinished ...> */
};

static struct task **tasks; /* each allocated once: pointers to them stay valid */
static size_t ntasks, tasks_cap;
static int live_tasks = 1; /* the program's first thread */

static struct task *task(int tid, int pid)
{
	for (size_t i = 0; i < ntasks; i++)
		if (tasks[i]->tid == tid)
			return tasks[i];
	if (ntasks == tasks_cap) {
		tasks_cap = tasks_cap ? 2 * tasks_cap : 16;
		tasks = realloc(tasks, tasks_cap * sizeof(*tasks));
		if (!tasks)
			abort();
	}
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	*t = (struct task){.tid = tid, .pid = pid, .live = true};
	tasks[ntasks++] = t;
	return t;
}

/* A thread or process the program started, first seen in its parent's
 * clone/fork result or in an event of its own: strace's "Process N
 * attached" (on stderr, as strace does without -o). */
static struct task *attach(int tid, int pid)
{
	for (size_t i = 0; i < ntasks; i++)
		if (tasks[i]->tid == tid)
			return tasks[i];
	struct task *t = task(tid, pid);
	if (opt.follow) {
		live_tasks++;
		if (opt.quiet < 1 && opt.lines && !opt.out_name)
			fprintf(stderr, "dtrace-lite: Process %d attached\n", tid);
	}
	return t;
}

static FILE *dest(struct task *t)
{
	if (opt.follow < 2 || !opt.out_name)
		return opt.out;
	if (!t->file) {
		char name[4096];
		snprintf(name, sizeof(name), "%s.%d", opt.out_name, t->tid);
		t->file = fopen(name, "we");
		if (!t->file) {
			perror(name);
			t->file = opt.out;
		}
	}
	return t->file;
}

/* --- the line being written -------------------------------------------- */

static struct {
	struct task *owner; /* NULL: no line open */
	FILE *m;
	char *buf;
	size_t len;
} line;

static uint64_t now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

/* Start @t's line: its prefix (pid, time of @ts, or now if 0). */
static void line_begin(struct task *t, uint64_t ts)
{
	if (!ts)
		ts = now_ns();
	line.owner = t;
	line.m = open_memstream(&line.buf, &line.len);
	if (!line.m)
		abort();
	if (opt.follow == 1 && opt.out_name)
		fprintf(line.m, "%-5d ", t->tid);
	else if (opt.follow && !(opt.follow == 2 && opt.out_name) && live_tasks > 1)
		fprintf(line.m, "[pid %5d] ", t->tid);
	if (opt.relative) {
		uint64_t d = last_ts && ts > last_ts ? ts - last_ts : 0;
		fprintf(line.m, "%6lu.%06lu ", (unsigned long)(d / 1000000000),
		        (unsigned long)(d / 1000 % 1000000));
		last_ts = ts;
	}
	if (opt.timestamps) {
		time_t sec = (time_t)(ts / 1000000000);
		unsigned long us = (unsigned long)(ts / 1000 % 1000000);
		if (opt.timestamps >= 3) {
			fprintf(line.m, "%lu.%06lu ", (unsigned long)sec, us);
		} else {
			struct tm tm;
			char hms[16];
			localtime_r(&sec, &tm);
			strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
			if (opt.timestamps == 2)
				fprintf(line.m, "%s.%06lu ", hms, us);
			else
				fprintf(line.m, "%s ", hms);
		}
	}
}

static void line_end(void)
{
	fputc('\n', line.m);
	fclose(line.m);
	FILE *out = dest(line.owner);
	fwrite(line.buf, 1, line.len, out);
	free(line.buf);
	line.owner = NULL;
	line.buf = NULL;
}

/* Another line comes: the open one is continued later ("<... resumed>"). */
static void interrupt_open_line(void)
{
	if (!line.owner)
		return;
	fputs(" <unfinished ...>", line.m);
	line.owner->interrupted = true;
	line_end();
}

/* --- calls ------------------------------------------------------------- */

static bool shown(const struct task *t)
{
	return opt.follow || t->tid == main_pid || !main_pid;
}

/* A completed call (or one that will not complete) for the structured
 * outputs and the counts. */
static void complete(const struct dtl_event *ev)
{
	if (opt.summary)
		trace_summary_count(ev);
	if (opt.json && opt.lines)
		json_event(opt.out, ev, &opt.fmt);
	if (opt.perfetto)
		perfetto_event(opt.perfetto, ev, &opt.fmt);
}

/* The text of a completed call for a thread with (@resume) or without an
 * entry printed before. */
static void print_completion(struct task *t, const struct dtl_event *ev)
{
	if (opt.lines && !opt.json) {
		if (line.owner == t) {
			dtl_format_resumed(line.m, ev, &opt.fmt);
		} else if (t->pending) {
			interrupt_open_line();
			line_begin(t, ev->ts_ns);
			fprintf(line.m, "<... %s resumed>", dtl_format_name(ev) ?: "syscall");
			dtl_format_resumed(line.m, ev, &opt.fmt);
		} else {
			interrupt_open_line();
			line_begin(t, ev->ts_enter_ns);
			dtl_format_call(line.m, ev, &opt.fmt);
		}
		line_end();
	}
	complete(ev);
	free(t->pending);
	t->pending = NULL;
	t->interrupted = false;
}

/* An entry that will not be completed by its own exit event: a successful
 * execve (the new image starts over) returned 0; anything else never
 * returned. */
static void finish_pending(struct task *t, bool exec_succeeded)
{
	struct dtl_event *ev = t->pending;
	if (!ev)
		return;
	if (exec_succeeded && (ev->nr == SYS_execve || ev->nr == SYS_execveat)) {
		ev->type = DTL_EV_SYSCALL;
		ev->ret = 0;
	}
	print_completion(t, ev);
}

/* "+++ exited with N +++" (@sig 0) or "+++ killed by SIGx +++" */
static void exited_line(struct task *t, int code, int sig)
{
	if (!t->live)
		return;
	t->live = false;
	if (opt.lines && opt.quiet < 2 && !opt.json) {
		interrupt_open_line();
		line_begin(t, 0);
		if (sig)
			fprintf(line.m, "+++ killed by SIG%s +++", sigabbrev_np(sig) ?: "?");
		else
			fprintf(line.m, "+++ exited with %d +++", code);
		line_end();
	}
	live_tasks--;
}

/* exit / exit_group: the "+++ exited" lines of the threads that end. The
 * program's own first thread gets its line from its wait status. */
static void task_exits(struct task *t, bool whole_process, int code, int sig)
{
	if (whole_process) {
		for (size_t i = 0; i < ntasks; i++)
			if (tasks[i]->pid == t->pid && tasks[i] != t && tasks[i]->tid != main_pid)
				exited_line(tasks[i], code, sig);
	}
	if (t->tid != main_pid)
		exited_line(t, code, sig);
}

static void on_enter(struct task *t, const struct dtl_event *ev)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(ev->nr);
	finish_pending(t, true);
	if (d && d->ret == DTL_RET_NONE) {
		/* exit, exit_group: "= ?" now */
		if (opt.lines && !opt.json) {
			interrupt_open_line();
			line_begin(t, ev->ts_enter_ns);
			dtl_format_call(line.m, ev, &opt.fmt);
			line_end();
		}
		complete(ev);
		if (opt.follow)
			task_exits(t, ev->nr == SYS_exit_group, (int)(ev->args[0] & 0xff), 0);
		return;
	}
	t->pending = malloc(sizeof(*ev));
	if (!t->pending)
		abort();
	memcpy(t->pending, ev, sizeof(*ev));
	if (opt.lines && !opt.json) {
		interrupt_open_line();
		line_begin(t, ev->ts_enter_ns);
		dtl_format_entry(line.m, ev, &opt.fmt);
	}
}

static void on_syscall(struct task *t, const struct dtl_event *ev)
{
	if (t->pending && t->pending->nr != ev->nr)
		finish_pending(t, true);
	if (opt.fmt.fd_path)
		fd_paths_before(ev);
	print_completion(t, ev);
	if (opt.fmt.fd_path)
		fd_paths_after(ev);
}

static void on_signal(struct task *t, const struct dtl_event *ev)
{
	int sig = (int)ev->args[0];
	if (!trace_filter_signal(opt.filter, sig))
		return;
	if (opt.lines && !opt.json) {
		interrupt_open_line();
		line_begin(t, ev->ts_ns);
		dtl_format_signal(line.m, ev);
		line_end();
	}
	if (opt.json && opt.lines)
		json_event(opt.out, ev, &opt.fmt);
	if (opt.perfetto)
		perfetto_event(opt.perfetto, ev, &opt.fmt);
	/* a fault nobody handles: the process dies of it (the program's own
	 * first process gets its line from its wait status) */
	if (ev->args[1] && opt.follow && t->pid != main_pid)
		task_exits(t, true, 0, sig);
}

void trace_output_event(const struct dtl_event *ev)
{
	struct task *t = attach(ev->tid, ev->pid);
	if (!t->pid)
		t->pid = ev->pid;
	if (!shown(t))
		return;
	if (ev->type == DTL_EV_SIGNAL) {
		on_signal(t, ev);
		return;
	}
	/* new threads and processes, as strace attaches to them */
	if (ev->type == DTL_EV_SYSCALL && ev->ret > 0 &&
	    (ev->nr == SYS_clone || ev->nr == SYS_clone3 || ev->nr == SYS_fork ||
	     ev->nr == SYS_vfork)) {
		if (opt.follow)
			attach((int)ev->ret, 0);
		if (opt.fmt.fd_path) /* a new process inherits the descriptors */
			fd_paths_fork(ev->pid, (int)ev->ret);
	}
	/* another call of the same thread: the pending one is over (a new
	 * image after execve, whether or not its calls are shown) */
	if (t->pending && (ev->type == DTL_EV_ENTER || t->pending->nr != ev->nr))
		finish_pending(t, true);
	if (!trace_filter_syscall(opt.filter, ev->nr)) {
		/* not shown; exits still end threads */
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(ev->nr);
		if (opt.follow && ev->type == DTL_EV_ENTER && d && d->ret == DTL_RET_NONE)
			task_exits(t, ev->nr == SYS_exit_group, (int)(ev->args[0] & 0xff), 0);
		return;
	}
	if (ev->type == DTL_EV_ENTER)
		on_enter(t, ev);
	else
		on_syscall(t, ev);
}

void trace_output_lost(uint64_t lost)
{
	if (opt.lines && !opt.json) {
		interrupt_open_line();
		fprintf(opt.out,
		        "--- dtrace-lite: %lu events lost: the ring was full (--drop) ---\n",
		        (unsigned long)lost);
	} else if (opt.json) {
		fprintf(opt.out, "{\"type\":\"lost\",\"count\":%lu}\n", (unsigned long)lost);
	}
}

void trace_output_start(const struct trace_output_opts *o, int pid, const char *program)
{
	opt = *o;
	main_pid = pid;
	task(pid, pid);
	if (opt.fmt.fd_path)
		fd_paths_seed(pid);
	if (opt.perfetto)
		perfetto_begin(opt.perfetto, pid, program);
}

void trace_output_finish(int status)
{
	/* what is still pending never returned (the program is gone) */
	for (size_t i = 0; i < ntasks; i++)
		finish_pending(tasks[i], false);
	interrupt_open_line();
	struct task *m = task(main_pid, main_pid);
	bool killed = WIFSIGNALED(status);
	int sig = killed ? WTERMSIG(status) : 0;
	int code = killed ? -1 : WEXITSTATUS(status);
	uint64_t ts = now_ns();
	if (opt.lines && opt.quiet < 2 && !opt.json) {
		line_begin(m, 0);
		if (killed)
			fprintf(line.m, "+++ killed by SIG%s %s+++", sigabbrev_np(sig) ?: "?",
			        WCOREDUMP(status) ? "(core dumped) " : "");
		else
			fprintf(line.m, "+++ exited with %d +++", code);
		line_end();
	}
	if (opt.json && opt.lines)
		json_exit(opt.out, main_pid, code, sig);
	if (opt.perfetto) {
		perfetto_exit(opt.perfetto, main_pid, code, sig, ts);
		perfetto_end(opt.perfetto);
		fclose(opt.perfetto);
	}
	if (opt.summary)
		trace_summary_print(opt.out);
	for (size_t i = 0; i < ntasks; i++)
		if (tasks[i]->file && tasks[i]->file != opt.out)
			fclose(tasks[i]->file);
	fflush(opt.out);
}
