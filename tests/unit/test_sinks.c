// SPDX-License-Identifier: MIT
/*
 * The sinks (tracer/sinks/) for given events: the text layout (timestamps,
 * -ff files, "Process N attached"), the JSON objects, the Perfetto
 * document and the -c table.
 */
#define _GNU_SOURCE
#include "dtl_events.h"

#include <dtl/session.h>
#include <dtl/sink.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

/* 2001-09-09 01:46:40 UTC, plus 1.5 ms */
#define T0 1000000000001500000ull

struct output {
	char *buf;
	size_t len;
	FILE *f;
};

static void output_open(struct output *o)
{
	memset(o, 0, sizeof(*o));
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
}

static const char *output_text(struct output *o)
{
	fflush(o->f);
	return o->buf;
}

static void output_close(struct output *o)
{
	fclose(o->f);
	free(o->buf);
}

static void feed(struct dtl_session *s, struct dtl_event *ev)
{
	dtl_session_feed(s, ev);
	free(ev);
}

/* write(1, "hi\n", 3) = 3 of @tid, taking 2 us from T0 + @at_us */
static struct dtl_event *write_call(int tid, uint64_t at_us)
{
	struct dtl_event *ev = test_args(
	    test_event(DTL_EV_SYSCALL, 100, tid, SYS_write, 3, T0 + at_us * 1000), 1, 0x1000, 3);
	ev->ts_ns = ev->ts_enter_ns + 2000;
	return test_blob(ev, 1, DTL_SUB_OBJECT, true, "hi\n", 3);
}

static struct dtl_session *session(const struct dtl_session_opts *o)
{
	struct dtl_session *s = dtl_session_new(o);
	assert_non_null(s);
	return s;
}

static void test_text_timestamps(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	struct output out;
	output_open(&out);
	struct dtl_session *s = session(&(struct dtl_session_opts){.fmt = {.strsize = 32}});
	const struct dtl_text_opts to = {.out = out.f, .timestamps = 3, .relative = true};
	assert_int_equal(dtl_session_add_sink(s, &dtl_text_sink_ops, dtl_text_sink_new(&to)), 0);
	dtl_session_start(s, 100, "prog");
	feed(s, write_call(100, 0));
	feed(s, write_call(100, 250));
	assert_string_equal(output_text(&out),
	                    "     0.000000 1000000000.001500 write(1, \"hi\\n\", 3) = 3\n"
	                    "     0.000250 1000000000.001750 write(1, \"hi\\n\", 3) = 3\n");
	dtl_session_free(s);
	output_close(&out);

	output_open(&out);
	s = session(&(struct dtl_session_opts){.fmt = {.strsize = 32, .syscall_time = true}});
	const struct dtl_text_opts tt = {.out = out.f, .timestamps = 2};
	assert_int_equal(dtl_session_add_sink(s, &dtl_text_sink_ops, dtl_text_sink_new(&tt)), 0);
	dtl_session_start(s, 100, "prog");
	feed(s, write_call(100, 0));
	assert_string_equal(output_text(&out),
	                    "01:46:40.001500 write(1, \"hi\\n\", 3)     = 3 <0.000002>\n");
	dtl_session_free(s);
	output_close(&out);
}

/* -ff -o NAME: each thread's lines in NAME.TID, without prefixes; -f:
 * "Process N attached" notices. */
static void test_text_per_thread_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/dtl-sinks-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char name[64], file[96];
	snprintf(name, sizeof(name), "%s/trace", dir);
	struct output notices;
	output_open(&notices);
	struct dtl_session *s =
	    session(&(struct dtl_session_opts){.follow = 2, .fmt = {.strsize = 32}});
	const struct dtl_text_opts to = {.out = stderr, .out_name = name};
	assert_int_equal(
	    dtl_session_add_sink(s, &dtl_notice_sink_ops, dtl_notice_sink_new(notices.f)), 0);
	assert_int_equal(dtl_session_add_sink(s, &dtl_text_sink_ops, dtl_text_sink_new(&to)), 0);
	dtl_session_start(s, 100, "prog");
	feed(s, write_call(100, 0));
	feed(s, write_call(101, 10));
	dtl_session_finish(s, 0);
	dtl_session_free(s);
	assert_string_equal(output_text(&notices), "dtrace-lite: Process 101 attached\n");
	output_close(&notices);

	static const char *const want[2] = {
	    "write(1, \"hi\\n\", 3)                     = 3\n+++ exited with 0 +++\n",
	    "write(1, \"hi\\n\", 3)                     = 3\n"};
	for (int i = 0; i < 2; i++) {
		char got[256] = "";
		snprintf(file, sizeof(file), "%s.%d", name, 100 + i);
		FILE *f = fopen(file, "r");
		assert_non_null(f);
		size_t n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = 0;
		fclose(f);
		assert_string_equal(got, want[i]);
		unlink(file);
	}
	rmdir(dir);
}

/* The file NAME.TID's text (at most 255 bytes), and the file removed. */
static void expect_file(const char *name, int tid, const char *want)
{
	char file[96], got[256] = "";
	snprintf(file, sizeof(file), "%s.%d", name, tid);
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	size_t n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = 0;
	fclose(f);
	assert_string_equal(got, want);
	unlink(file);
}

/* -ff -o NAME: a thread's call that another thread's lines came between is
 * still one line in its own file, as strace -ff writes it: no other thread
 * writes there. */
static void test_text_per_thread_files_whole_lines(void **state)
{
	(void)state;
	char dir[] = "/tmp/dtl-sinks-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char name[64];
	snprintf(name, sizeof(name), "%s/trace", dir);
	struct dtl_session *s =
	    session(&(struct dtl_session_opts){.follow = 2, .fmt = {.strsize = 32}});
	const struct dtl_text_opts to = {.out = stderr, .out_name = name};
	assert_int_equal(dtl_session_add_sink(s, &dtl_text_sink_ops, dtl_text_sink_new(&to)), 0);
	dtl_session_start(s, 100, "prog");
	struct dtl_event *read =
	    test_args(test_event(DTL_EV_SYSCALL, 100, 100, SYS_read, 3, T0), 3, 0x1000, 10);
	test_blob(read, 1, DTL_SUB_OBJECT, false, "abc", 3);
	feed(s, test_entry_of(read));
	feed(s, write_call(101, 10));
	feed(s, read);
	/* a pause that never returns, interrupted by 101: "pause() = ?" */
	feed(s, test_event(DTL_EV_ENTER, 100, 100, SYS_pause, 0, T0 + 30000));
	feed(s, write_call(101, 40));
	dtl_session_finish(s, SIGKILL);
	dtl_session_free(s);
	expect_file(name, 100,
	            "read(3, \"abc\", 10)                      = 3\n"
	            "pause()                                 = ?\n"
	            "+++ killed by SIGKILL +++\n");
	expect_file(name, 101,
	            "write(1, \"hi\\n\", 3)                     = 3\n"
	            "write(1, \"hi\\n\", 3)                     = 3\n");
	rmdir(dir);
}

static void test_json(void **state)
{
	(void)state;
	struct output out;
	output_open(&out);
	struct dtl_session *s = session(&(struct dtl_session_opts){.fmt = {.strsize = 32}});
	assert_int_equal(
	    dtl_session_add_sink(s, &dtl_json_sink_ops, dtl_json_sink_new(out.f, false)), 0);
	dtl_session_start(s, 100, "prog");
	feed(s, write_call(100, 0));
	struct dtl_event *open = test_args(test_event(DTL_EV_SYSCALL, 100, 100, SYS_openat, -2, T0),
	                                   (uint32_t)-100, 0x2000, 0);
	test_blob(open, 1, DTL_SUB_OBJECT, true, "/no\"such", 8);
	feed(s, open);
	feed(s, test_args(test_event(DTL_EV_SIGNAL, 100, 100, 0, 0, T0), SIGUSR1, 0, 0));
	dtl_session_lost(s, 4);
	feed(s, test_args(test_event(DTL_EV_ENTER, 100, 100, SYS_exit_group, 0, T0), 3, 0, 0));
	dtl_session_finish(s, 3 << 8);
	assert_string_equal(
	    output_text(&out),
	    "{\"ts\":1000000000.001500,\"pid\":100,\"tid\":100,\"type\":\"syscall\",\"name\":"
	    "\"write\",\"nr\":1,\"args\":[\"1\",\"\\\"hi\\\\n\\\"\",\"3\"],\"ret\":3,\"dur_ns\":"
	    "2000,"
	    "\"result\":\"3\"}\n"
	    "{\"ts\":1000000000.001500,\"pid\":100,\"tid\":100,\"type\":\"syscall\",\"name\":"
	    "\"openat\",\"nr\":257,\"args\":[\"AT_FDCWD\",\"\\\"/"
	    "no\\\\\\\"such\\\"\",\"O_RDONLY\"],"
	    "\"ret\":-2,\"errno\":\"ENOENT\",\"dur_ns\":1000000,\"result\":\"-1 ENOENT (No such "
	    "file or directory)\"}\n"
	    "{\"ts\":1000000000.001500,\"pid\":100,\"tid\":100,\"type\":\"signal\",\"signal\":"
	    "\"SIGUSR1\",\"siginfo\":\"{...}\"}\n"
	    "{\"type\":\"lost\",\"count\":4}\n"
	    "{\"ts\":1000000000.001500,\"pid\":100,\"tid\":100,\"type\":\"syscall\",\"name\":"
	    "\"exit_group\",\"nr\":231,\"args\":[\"3\"],\"ret\":null,\"result\":\"?\"}\n"
	    "{\"type\":\"exit\",\"pid\":100,\"status\":3}\n");
	dtl_session_free(s);
	output_close(&out);
}

static void test_perfetto(void **state)
{
	(void)state;
	struct dtl_session *s = session(&(struct dtl_session_opts){.fmt = {.strsize = 32}});
	/* the sink closes its stream at the end: read the file back */
	char name[] = "/tmp/dtl-perfetto-XXXXXX";
	int fd = mkstemp(name);
	assert_true(fd >= 0);
	unlink(name);
	FILE *f = fdopen(dup(fd), "w");
	assert_non_null(f);
	assert_int_equal(dtl_session_add_sink(s, &dtl_perfetto_sink_ops, dtl_perfetto_sink_new(f)),
	                 0);
	dtl_session_start(s, 100, "a\"b");
	feed(s, write_call(100, 0));
	dtl_session_finish(s, SIGKILL);
	dtl_session_free(s);
	char doc[1024] = "";
	ssize_t n = pread(fd, doc, sizeof(doc) - 1, 0);
	assert_true(n > 0);
	doc[n] = 0;
	close(fd);
	/* the end's time is the time of the end: compare up to it */
	const char *want =
	    "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
	    "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":100,\"tid\":100,\"args\":{\"name\":"
	    "\"a\\\"b\"}},\n"
	    "{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":\"write\",\"pid\":100,\"tid\":100,\"ts\":"
	    "1000000000001500.000,\"dur\":2.000,\"args\":{\"call\":\"write(1, \\\"hi\\\\n\\\", 3) "
	    "= "
	    "3\"}},\n"
	    "{\"ph\":\"i\",\"s\":\"p\",\"cat\":\"process\",\"pid\":100,\"tid\":100,\"ts\":";
	assert_memory_equal(doc, want, strlen(want));
	const char *end = ",\"name\":\"killed by SIGKILL\"}\n]}\n";
	assert_true((size_t)n > strlen(end));
	assert_string_equal(doc + n - strlen(end), end);
}

static void test_summary(void **state)
{
	(void)state;
	struct output out;
	output_open(&out);
	struct dtl_session *s = session(&(struct dtl_session_opts){.fmt = {.strsize = 32}});
	assert_int_equal(
	    dtl_session_add_sink(s, &dtl_summary_sink_ops, dtl_summary_sink_new(out.f)), 0);
	dtl_session_start(s, 100, "prog");
	for (int i = 0; i < 3; i++) /* 3 x 2 us */
		feed(s, write_call(100, (uint64_t)i));
	/* 2 x 1 ms, one failed */
	feed(s, test_event(DTL_EV_SYSCALL, 100, 100, SYS_openat, -2, T0));
	feed(s, test_event(DTL_EV_SYSCALL, 100, 100, SYS_openat, 3, T0));
	/* never completed: not counted */
	feed(s, test_event(DTL_EV_ENTER, 100, 100, SYS_exit_group, 0, T0));
	dtl_session_finish(s, 0);
	assert_string_equal(output_text(&out),
	                    "% time     seconds  usecs/call     calls    errors syscall\n"
	                    "------ ----------- ----------- --------- --------- ----------------\n"
	                    " 99.70    0.002000        1000         2         1 openat\n"
	                    "  0.30    0.000006           2         3           write\n"
	                    "------ ----------- ----------- --------- --------- ----------------\n"
	                    "100.00    0.002006         401         5         1 total\n");
	dtl_session_free(s);
	output_close(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_timestamps),
	    cmocka_unit_test(test_text_per_thread_files),
	    cmocka_unit_test(test_text_per_thread_files_whole_lines),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_perfetto),
	    cmocka_unit_test(test_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
