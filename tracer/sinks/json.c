// SPDX-License-Identifier: MIT
/*
 * The --json sink (see dtl/sink.h): one object per line, built from the
 * decoded pieces of each call (its name, each argument decoded, the result,
 * errno, times, pid and tid), every string through the one JSON writer.
 */
#define _GNU_SOURCE
#include "json_writer.h"

#include <dtl/format.h>
#include <dtl/output.h>
#include <dtl/sink.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct json_sink {
	FILE *out;
	bool losses_only;
};

void *dtl_json_sink_new(FILE *out, bool losses_only)
{
	struct json_sink *j = calloc(1, sizeof(*j));
	if (j)
		*j = (struct json_sink){.out = out, .losses_only = losses_only};
	return j;
}

static void arg_string(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o,
                       int i)
{
	FILE *m = dtl_json_string_begin(out);
	if (m) {
		dtl_format_arg(m, ev, o, i);
		dtl_json_string_end(m);
	}
}

static void args_array(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	int order[6];
	int n = dtl_format_arg_order(ev, o, order);
	fputc('[', out);
	for (int p = 0; p < n; p++) {
		if (p)
			fputc(',', out);
		arg_string(out, ev, o, order[p]);
	}
	fputc(']', out);
}

static void prologue(FILE *out, const struct dtl_event *ev)
{
	fprintf(out, "{\"ts\":%lu.%06lu,\"pid\":%d,\"tid\":%d,",
	        (unsigned long)(ev->ts_enter_ns / 1000000000),
	        (unsigned long)(ev->ts_enter_ns / 1000 % 1000000), ev->pid, ev->tid);
}

static void json_call(void *sink, struct dtl_session *s, const struct dtl_task *t,
                      const struct dtl_event *ev, enum dtl_call_shape shape)
{
	struct json_sink *j = sink;
	(void)t;
	(void)shape;
	if (j->losses_only)
		return;
	struct dtl_format_opts o = *dtl_session_format(s);
	o.no_align = true;
	FILE *out = j->out;
	prologue(out, ev);
	const char *name = dtl_format_name(ev);
	fputs("\"type\":\"syscall\",\"name\":", out);
	if (name)
		dtl_json_string(out, name, strlen(name));
	else
		fprintf(out, "\"syscall_%ld\"", (long)ev->nr);
	fprintf(out, ",\"nr\":%ld,\"args\":", (long)ev->nr);
	args_array(out, ev, &o);
	if (ev->type == DTL_EV_SYSCALL) {
		fprintf(out, ",\"ret\":%ld", (long)ev->ret);
		if (ev->ret < 0 && ev->ret >= -4095) {
			const char *e = strerrorname_np((int)-ev->ret);
			fprintf(out, ",\"errno\":\"%s\"", e ? e : "?");
		}
		fprintf(
		    out, ",\"dur_ns\":%lu",
		    (unsigned long)(ev->ts_ns > ev->ts_enter_ns ? ev->ts_ns - ev->ts_enter_ns : 0));
	} else {
		fputs(",\"ret\":null", out);
	}
	fputs(",\"result\":", out);
	FILE *m = dtl_json_string_begin(out);
	if (m) {
		dtl_format_ret(m, ev, &o);
		dtl_json_string_end(m);
	}
	fputs("}\n", out);
}

static void json_signal(void *sink, struct dtl_session *s, const struct dtl_task *t,
                        const struct dtl_event *ev)
{
	struct json_sink *j = sink;
	char sb[32];
	(void)s;
	(void)t;
	if (j->losses_only)
		return;
	prologue(j->out, ev);
	fprintf(j->out, "\"type\":\"signal\",\"signal\":\"%s\",\"siginfo\":",
	        dtl_json_signal_name((int)ev->args[0], sb, sizeof(sb)));
	FILE *m = dtl_json_string_begin(j->out);
	if (m) {
		dtl_format_siginfo(m, ev);
		dtl_json_string_end(m);
	}
	fputs("}\n", j->out);
}

static const char *const watch_kinds[] = {
    [DTL_WATCH_EV_HIT] = "hit",
    [DTL_WATCH_EV_ARMED] = "armed",
    [DTL_WATCH_EV_FAILED] = "not armed",
    [DTL_WATCH_EV_GONE] = "unmapped",
};

/* A string member, "key":"value" with a leading comma, when @v is set. */
static void member(FILE *out, const char *key, const char *v)
{
	if (!v)
		return;
	fprintf(out, ",\"%s\":", key);
	dtl_json_string(out, v, strlen(v));
}

static void json_watch(void *sink, struct dtl_session *s, const struct dtl_task *t,
                       const struct dtl_watch_event *e)
{
	struct json_sink *j = sink;
	(void)s;
	(void)t;
	if (j->losses_only)
		return;
	fprintf(j->out,
	        "{\"ts\":%lu.%06lu,\"pid\":%d,\"tid\":%d,\"type\":\"watch\",\"event\":\"%s\","
	        "\"watch\":%u",
	        (unsigned long)(e->time_ns / 1000000000),
	        (unsigned long)(e->time_ns / 1000 % 1000000), e->pid, e->tid, watch_kinds[e->kind],
	        e->id);
	member(j->out, "expr", e->expr);
	fprintf(j->out, ",\"addr\":\"%#lx\",\"len\":%lu", (unsigned long)e->addr,
	        (unsigned long)e->len);
	if (e->kind == DTL_WATCH_EV_HIT) {
		fprintf(j->out, ",\"access\":\"%s\",\"changed\":%s,\"rip\":\"%#lx\",\"reps\":%u",
		        e->access == DTL_ACCESS_WRITE  ? "write"
		        : e->access == DTL_ACCESS_EXEC ? "exec"
		                                       : "read",
		        e->changed ? "true" : "false", (unsigned long)e->rip, e->reps);
		member(j->out, "old", e->old_value);
		member(j->out, "new", e->new_value);
		member(j->out, "insn", e->insn);
		member(j->out, "where", e->where);
		member(j->out, "syscall", e->syscall);
		member(j->out, "backtrace", e->backtrace);
	}
	member(j->out, "reason", e->reason);
	fputs("}\n", j->out);
}

static void json_lost(void *sink, struct dtl_session *s, uint64_t n)
{
	struct json_sink *j = sink;
	(void)s;
	fprintf(j->out, "{\"type\":\"lost\",\"count\":%lu}\n", (unsigned long)n);
}

/* The program ended: exited with its status, or killed by a signal. */
static void json_finish(void *sink, struct dtl_session *s, int status)
{
	struct json_sink *j = sink;
	char sb[32];
	if (j->losses_only)
		return;
	int pid = dtl_session_main_pid(s);
	if (WIFSIGNALED(status))
		fprintf(j->out, "{\"type\":\"killed\",\"pid\":%d,\"signal\":\"%s\"}\n", pid,
		        dtl_json_signal_name(WTERMSIG(status), sb, sizeof(sb)));
	else
		fprintf(j->out, "{\"type\":\"exit\",\"pid\":%d,\"status\":%d}\n", pid,
		        WEXITSTATUS(status));
	dtl_output_flush(j->out);
}

const struct dtl_sink_ops dtl_json_sink_ops = {
    .call = json_call,
    .signal = json_signal,
    .watch = json_watch,
    .lost = json_lost,
    .finish = json_finish,
    .destroy = free,
};
