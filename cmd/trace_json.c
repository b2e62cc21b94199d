// SPDX-License-Identifier: MIT
/* --json and --perfetto (see trace_json.h). */
#define _GNU_SOURCE
#include "trace_json.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* @s as a JSON string literal. */
static void json_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Run a formatter into memory, then print that as a JSON string. */
#define JSON_OF(out, call)                               \
	do {                                             \
		char *buf_ = NULL;                       \
		size_t len_ = 0;                         \
		FILE *m_ = open_memstream(&buf_, &len_); \
		if (m_) {                                \
			call;                            \
			fclose(m_);                      \
			json_string(out, buf_, len_);    \
			free(buf_);                      \
		}                                        \
	} while (0)

static const char *sig_name(int sig, char *buf, size_t size)
{
	const char *a = sigabbrev_np(sig);
	if (a)
		snprintf(buf, size, "SIG%s", a);
	else
		snprintf(buf, size, "%d", sig);
	return buf;
}

static void json_args(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	int order[6];
	int n = dtl_format_arg_order(ev, o, order);
	fputc('[', out);
	for (int p = 0; p < n; p++) {
		if (p)
			fputc(',', out);
		JSON_OF(out, dtl_format_arg(m_, ev, o, order[p]));
	}
	fputc(']', out);
}

void json_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *fo)
{
	struct dtl_format_opts unaligned = *fo;
	unaligned.no_align = true;
	const struct dtl_format_opts *o = &unaligned;
	char sb[32];
	fprintf(out, "{\"ts\":%lu.%06lu,\"pid\":%d,\"tid\":%d,",
	        (unsigned long)(ev->ts_enter_ns / 1000000000),
	        (unsigned long)(ev->ts_enter_ns / 1000 % 1000000), ev->pid, ev->tid);
	if (ev->type == DTL_EV_SIGNAL) {
		fprintf(out, "\"type\":\"signal\",\"signal\":\"%s\",\"siginfo\":",
		        sig_name((int)ev->args[0], sb, sizeof(sb)));
		JSON_OF(out, dtl_format_siginfo(m_, ev));
		fputs("}\n", out);
		return;
	}
	const char *name = dtl_format_name(ev);
	fputs("\"type\":\"syscall\",\"name\":", out);
	if (name)
		json_string(out, name, strlen(name));
	else
		fprintf(out, "\"syscall_%ld\"", (long)ev->nr);
	fprintf(out, ",\"nr\":%ld,\"args\":", (long)ev->nr);
	json_args(out, ev, o);
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
	JSON_OF(out, dtl_format_ret(m_, ev, o));
	fputs("}\n", out);
}

void json_exit(FILE *out, int pid, int code, int sig)
{
	char sb[32];
	if (code >= 0)
		fprintf(out, "{\"type\":\"exit\",\"pid\":%d,\"status\":%d}\n", pid, code);
	else
		fprintf(out, "{\"type\":\"killed\",\"pid\":%d,\"signal\":\"%s\"}\n", pid,
		        sig_name(sig, sb, sizeof(sb)));
}

static bool perfetto_first = true;

static void perfetto_sep(FILE *out)
{
	if (!perfetto_first)
		fputs(",\n", out);
	perfetto_first = false;
}

void perfetto_begin(FILE *out, int pid, const char *program)
{
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", out);
	perfetto_sep(out);
	fprintf(out,
	        "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":",
	        pid, pid);
	json_string(out, program, strlen(program));
	fputs("}}", out);
}

/* microseconds, the unit of trace-event "ts" and "dur" */
static void perfetto_us(FILE *out, const char *key, uint64_t ns)
{
	fprintf(out, ",\"%s\":%lu.%03lu", key, (unsigned long)(ns / 1000),
	        (unsigned long)(ns % 1000));
}

void perfetto_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *fo)
{
	struct dtl_format_opts unaligned = *fo;
	unaligned.no_align = true;
	const struct dtl_format_opts *o = &unaligned;
	char sb[32];
	perfetto_sep(out);
	if (ev->type == DTL_EV_SIGNAL) {
		fprintf(out,
		        "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"signal\",\"name\":\"%s\",\"pid\":%d,"
		        "\"tid\":%d",
		        sig_name((int)ev->args[0], sb, sizeof(sb)), ev->pid, ev->tid);
		perfetto_us(out, "ts", ev->ts_ns);
		fputs(",\"args\":{\"siginfo\":", out);
		JSON_OF(out, dtl_format_siginfo(m_, ev));
		fputs("}}", out);
		return;
	}
	const char *name = dtl_format_name(ev);
	fputs("{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":", out);
	if (name)
		json_string(out, name, strlen(name));
	else
		fprintf(out, "\"syscall_%ld\"", (long)ev->nr);
	fprintf(out, ",\"pid\":%d,\"tid\":%d", ev->pid, ev->tid);
	perfetto_us(out, "ts", ev->ts_enter_ns);
	perfetto_us(out, "dur",
	            ev->type == DTL_EV_SYSCALL && ev->ts_ns > ev->ts_enter_ns
	                ? ev->ts_ns - ev->ts_enter_ns
	                : 0);
	fputs(",\"args\":{\"call\":", out);
	JSON_OF(out, dtl_format_call(m_, ev, o));
	fputs("}}", out);
}

void perfetto_exit(FILE *out, int pid, int code, int sig, uint64_t ts_ns)
{
	char sb[32];
	perfetto_sep(out);
	fprintf(out, "{\"ph\":\"i\",\"s\":\"p\",\"cat\":\"process\",\"pid\":%d,\"tid\":%d", pid,
	        pid);
	perfetto_us(out, "ts", ts_ns);
	if (code >= 0)
		fprintf(out, ",\"name\":\"exited with %d\"}", code);
	else
		fprintf(out, ",\"name\":\"killed by %s\"}", sig_name(sig, sb, sizeof(sb)));
}

void perfetto_end(FILE *out)
{
	fputs("\n]}\n", out);
}
