// SPDX-License-Identifier: MIT
/* The --perfetto sink: a Chrome/Perfetto trace-event document (see dtl/sink.h). */
#define _GNU_SOURCE
#include "json_writer.h"

#include <dtl/format.h>
#include <dtl/output.h>
#include <dtl/sink.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

struct perfetto_sink {
	FILE *out;
	bool first; /* no trace event written yet */
};

void *dtl_perfetto_sink_new(FILE *out)
{
	struct perfetto_sink *p = calloc(1, sizeof(*p));
	if (p)
		*p = (struct perfetto_sink){.out = out, .first = true};
	return p;
}

/* between trace events */
static void separator(struct perfetto_sink *p)
{
	if (!p->first)
		fputs(",\n", p->out);
	p->first = false;
}

/* microseconds, the unit of trace-event "ts" and "dur" */
static void microseconds(FILE *out, const char *key, uint64_t ns)
{
	fprintf(out, ",\"%s\":%lu.%03lu", key, (unsigned long)(ns / 1000),
	        (unsigned long)(ns % 1000));
}

static void perfetto_start(void *sink, struct dtl_session *s, const char *program)
{
	struct perfetto_sink *p = sink;
	int pid = dtl_session_main_pid(s);
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", p->out);
	separator(p);
	fprintf(p->out,
	        "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":",
	        pid, pid);
	dtl_json_string(p->out, program, strlen(program));
	fputs("}}", p->out);
}

static void perfetto_call(void *sink, struct dtl_session *s, const struct dtl_task *t,
                          const struct dtl_event *ev, enum dtl_call_shape shape)
{
	struct perfetto_sink *p = sink;
	FILE *out = p->out;
	(void)t;
	(void)shape;
	struct dtl_format_opts o = *dtl_session_format(s);
	o.no_align = true;
	separator(p);
	const char *name = dtl_format_name(ev);
	fputs("{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":", out);
	if (name)
		dtl_json_string(out, name, strlen(name));
	else
		fprintf(out, "\"syscall_%ld\"", (long)ev->nr);
	fprintf(out, ",\"pid\":%d,\"tid\":%d", ev->pid, ev->tid);
	microseconds(out, "ts", ev->ts_enter_ns);
	microseconds(out, "dur",
	             ev->type == DTL_EV_SYSCALL && ev->ts_ns > ev->ts_enter_ns
	                 ? ev->ts_ns - ev->ts_enter_ns
	                 : 0);
	fputs(",\"args\":{\"call\":", out);
	FILE *m = dtl_json_string_begin(out);
	if (m) {
		dtl_format_call(m, ev, &o);
		dtl_json_string_end(m);
	}
	fputs("}}", out);
}

static void perfetto_signal(void *sink, struct dtl_session *s, const struct dtl_task *t,
                            const struct dtl_event *ev)
{
	struct perfetto_sink *p = sink;
	char sb[32];
	(void)s;
	(void)t;
	separator(p);
	fprintf(p->out,
	        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"signal\",\"name\":\"%s\",\"pid\":%d,"
	        "\"tid\":%d",
	        dtl_json_signal_name((int)ev->args[0], sb, sizeof(sb)), ev->pid, ev->tid);
	microseconds(p->out, "ts", ev->ts_ns);
	fputs(",\"args\":{\"siginfo\":", p->out);
	FILE *m = dtl_json_string_begin(p->out);
	if (m) {
		dtl_format_siginfo(m, ev);
		dtl_json_string_end(m);
	}
	fputs("}}", p->out);
}

/* A watchpoint hit: an instant on its thread's track. */
static void perfetto_watch(void *sink, struct dtl_session *s, const struct dtl_task *t,
                           const struct dtl_watch_event *e)
{
	struct perfetto_sink *p = sink;
	(void)s;
	(void)t;
	if (e->kind != DTL_WATCH_EV_HIT)
		return;
	separator(p);
	fprintf(p->out, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"watch\",\"name\":");
	dtl_json_string(p->out, e->expr, strlen(e->expr));
	fprintf(p->out, ",\"pid\":%d,\"tid\":%d", e->pid, e->tid);
	microseconds(p->out, "ts", e->time_ns);
	fprintf(p->out, ",\"args\":{\"watch\":%u,\"addr\":\"%#lx\",\"rip\":\"%#lx\"", e->id,
	        (unsigned long)e->addr, (unsigned long)e->rip);
	const char *keys[] = {"old", "new", "insn", "where"};
	const char *vals[] = {e->old_value, e->new_value, e->insn, e->where};
	for (int i = 0; i < 4; i++)
		if (vals[i]) {
			fprintf(p->out, ",\"%s\":", keys[i]);
			dtl_json_string(p->out, vals[i], strlen(vals[i]));
		}
	fputs("}}", p->out);
}

/* A counter (the fault profiler's pages): a counter track of its process. */
static void perfetto_counter(void *sink, struct dtl_session *s, int pid, const char *name,
                             uint64_t time_ns, uint64_t value)
{
	struct perfetto_sink *p = sink;
	(void)s;
	if (!p->out)
		return;
	separator(p);
	fputs("{\"ph\":\"C\",\"cat\":\"memory\",\"name\":", p->out);
	dtl_json_string(p->out, name, strlen(name));
	fprintf(p->out, ",\"pid\":%d", pid);
	microseconds(p->out, "ts", time_ns);
	fprintf(p->out, ",\"args\":{\"pages\":%llu}}", (unsigned long long)value);
}

/* The program's end, an instant on its process track; the document ends. */
static void perfetto_finish(void *sink, struct dtl_session *s, int status)
{
	struct perfetto_sink *p = sink;
	int pid = dtl_session_main_pid(s);
	char sb[32];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	separator(p);
	fprintf(p->out, "{\"ph\":\"i\",\"s\":\"p\",\"cat\":\"process\",\"pid\":%d,\"tid\":%d", pid,
	        pid);
	microseconds(p->out, "ts", (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec);
	if (WIFSIGNALED(status))
		fprintf(p->out, ",\"name\":\"killed by %s\"}",
		        dtl_json_signal_name(WTERMSIG(status), sb, sizeof(sb)));
	else
		fprintf(p->out, ",\"name\":\"exited with %d\"}", WEXITSTATUS(status));
	fputs("\n]}\n", p->out);
	dtl_output_close(p->out);
	p->out = NULL;
}

static void perfetto_destroy(void *sink)
{
	struct perfetto_sink *p = sink;
	if (p->out)
		dtl_output_close(p->out);
	free(p);
}

const struct dtl_sink_ops dtl_perfetto_sink_ops = {
    .start = perfetto_start,
    .call = perfetto_call,
    .signal = perfetto_signal,
    .watch = perfetto_watch,
    .counter = perfetto_counter,
    .finish = perfetto_finish,
    .destroy = perfetto_destroy,
};
