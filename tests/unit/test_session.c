// SPDX-License-Identifier: MIT
/*
 * The session (tracer/session.c) fed with synthetic event sequences: what
 * it tells its sinks when threads interleave (entries left unfinished and
 * resumed), when tasks exit, exec or are filtered out, and the -y table it
 * follows through open, dup, close, fork and chdir.
 */
#define _GNU_SOURCE
#include "dtl_events.h"

#include <dtl/filter.h>
#include <dtl/session.h>
#include <dtl/sink.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* A pid no process has: /proc/PID/fd lookups find nothing. */
#define NO_PID 2100000000

/* --- a sink that writes down what it is told ------------------------------ */

struct record {
	char *log;
	size_t len;
	FILE *m;
};

static void rec_attached(void *sink, struct dtl_session *s, const struct dtl_task *t)
{
	(void)s;
	fprintf(((struct record *)sink)->m, "attached %d\n", t->tid);
}

static void rec_entry(void *sink, struct dtl_session *s, const struct dtl_task *t,
                      const struct dtl_event *ev)
{
	(void)s;
	fprintf(((struct record *)sink)->m, "entry %d %ld\n", t->tid, (long)ev->nr);
}

static void rec_unfinished(void *sink, struct dtl_session *s, const struct dtl_task *t)
{
	(void)s;
	fprintf(((struct record *)sink)->m, "unfinished %d\n", t->tid);
}

static void rec_call(void *sink, struct dtl_session *s, const struct dtl_task *t,
                     const struct dtl_event *ev, enum dtl_call_shape shape)
{
	static const char *const shapes[] = {"whole", "continued", "resumed"};
	(void)s;
	fprintf(((struct record *)sink)->m, "call %d %ld %s %s%ld\n", t->tid, (long)ev->nr,
	        shapes[shape], ev->type == DTL_EV_SYSCALL ? "= " : "?", (long)ev->ret);
}

static void rec_signal(void *sink, struct dtl_session *s, const struct dtl_task *t,
                       const struct dtl_event *ev)
{
	(void)s;
	fprintf(((struct record *)sink)->m, "signal %d %d\n", t->tid, (int)ev->args[0]);
}

static void rec_task_exit(void *sink, struct dtl_session *s, const struct dtl_task *t, int code,
                          int sig)
{
	(void)s;
	fprintf(((struct record *)sink)->m, "exit %d %d %d\n", t->tid, code, sig);
}

static void rec_lost(void *sink, struct dtl_session *s, uint64_t n)
{
	(void)s;
	fprintf(((struct record *)sink)->m, "lost %lu\n", (unsigned long)n);
}

static void rec_finish(void *sink, struct dtl_session *s, int status)
{
	(void)s;
	fprintf(((struct record *)sink)->m, "finish %d\n", status);
}

static const struct dtl_sink_ops record_ops = {
    .attached = rec_attached,
    .entry = rec_entry,
    .unfinished = rec_unfinished,
    .call = rec_call,
    .signal = rec_signal,
    .task_exit = rec_task_exit,
    .lost = rec_lost,
    .finish = rec_finish,
};

/* What was recorded so far (the record keeps going). */
static const char *recorded(struct record *r)
{
	fflush(r->m);
	return r->log;
}

/* A session with a recording sink and a text sink writing to memory. */
struct fixture {
	struct dtl_session *s;
	struct record rec;
	char *text;
	size_t text_len;
	FILE *text_out;
};

static void setup(struct fixture *f, const struct dtl_session_opts *o)
{
	memset(f, 0, sizeof(*f));
	f->s = dtl_session_new(o);
	assert_non_null(f->s);
	f->rec.m = open_memstream(&f->rec.log, &f->rec.len);
	f->text_out = open_memstream(&f->text, &f->text_len);
	assert_non_null(f->rec.m);
	assert_non_null(f->text_out);
	assert_int_equal(dtl_session_add_sink(f->s, &record_ops, &f->rec), 0);
	const struct dtl_text_opts to = {.out = f->text_out};
	assert_int_equal(dtl_session_add_sink(f->s, &dtl_text_sink_ops, dtl_text_sink_new(&to)), 0);
}

static const char *text(struct fixture *f)
{
	fflush(f->text_out);
	return f->text;
}

static void teardown(struct fixture *f)
{
	dtl_session_free(f->s);
	fclose(f->rec.m);
	fclose(f->text_out);
	free(f->rec.log);
	free(f->text);
}

/* Feed @ev and free it. */
static void feed(struct fixture *f, struct dtl_event *ev)
{
	dtl_session_feed(f->s, ev);
	free(ev);
}

/* --- tasks and calls --------------------------------------------------------- */

/* -f: thread 100 enters read, thread 101 completes a call, 100's read
 * completes: the entry is left unfinished and resumed, as strace prints it. */
static void test_interleaved_threads(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.follow = 1, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 100, SYS_fork, 101, 1000));
	struct dtl_event *read =
	    test_args(test_event(DTL_EV_SYSCALL, 100, 100, SYS_read, 3, 2000), 3, 0x1000, 10);
	test_blob(read, 1, DTL_SUB_OBJECT, false, "abc", 3);
	feed(&f, test_entry_of(read));
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 101, SYS_getpid, 100, 3000));
	assert_int_equal(dtl_session_find_task(f.s, 100)->unfinished, true);
	assert_non_null(dtl_session_find_task(f.s, 100)->pending);
	feed(&f, read);
	assert_null(dtl_session_find_task(f.s, 100)->pending);
	assert_int_equal(dtl_session_find_task(f.s, 100)->unfinished, false);
	assert_string_equal(recorded(&f.rec), "attached 101\n"
	                                      "call 100 57 whole = 101\n"
	                                      "entry 100 0\n"
	                                      "unfinished 100\n"
	                                      "call 101 39 whole = 100\n"
	                                      "call 100 0 resumed = 3\n");
	assert_string_equal(text(&f), "[pid   100] fork()                      = 101\n"
	                              "[pid   100] read(3,  <unfinished ...>\n"
	                              "[pid   101] getpid()                    = 100\n"
	                              "[pid   100] <... read resumed>\"abc\", 10) = 3\n");
	assert_int_equal(dtl_session_live_tasks(f.s), 2);
	assert_int_equal(dtl_session_ntasks(f.s), 2);
	/* counted once, from entry to completion */
	struct dtl_call_counts c = dtl_session_counts(f.s, SYS_read);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.errors, 0);
	assert_int_equal(c.ns, 1000000);
	assert_int_equal(dtl_session_counts(f.s, -1).calls, 0);
	teardown(&f);
}

/* An entry followed by its own completion, nothing between: one line. */
static void test_continued(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.follow = 1, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	struct dtl_event *read =
	    test_args(test_event(DTL_EV_SYSCALL, 100, 100, SYS_read, 2, 2000), 0, 0x1000, 10);
	test_blob(read, 1, DTL_SUB_OBJECT, false, "hi", 2);
	feed(&f, test_entry_of(read));
	feed(&f, read);
	assert_string_equal(recorded(&f.rec), "entry 100 0\ncall 100 0 continued = 2\n");
	assert_string_equal(text(&f), "read(0, \"hi\", 10)                       = 2\n");
	teardown(&f);
}

/* exit_group in a second process ends its threads (not the program's
 * first thread, whose end comes from its wait status at the finish). */
static void test_exits(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.follow = 1, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 100, SYS_fork, 200, 1000));
	feed(&f, test_event(DTL_EV_SYSCALL, 200, 200, SYS_clone, 201, 2000));
	assert_int_equal(dtl_session_live_tasks(f.s), 3);
	feed(&f, test_args(test_event(DTL_EV_ENTER, 200, 201, SYS_exit_group, 0, 3000), 7, 0, 0));
	assert_int_equal(dtl_session_live_tasks(f.s), 1);
	assert_int_equal(dtl_session_counts(f.s, SYS_exit_group).calls, 0); /* never completed */
	assert_false(dtl_session_find_task(f.s, 200)->live);
	assert_false(dtl_session_find_task(f.s, 201)->live);
	assert_true(dtl_session_find_task(f.s, 100)->live);
	dtl_session_finish(f.s, 3 << 8);
	const char *want = "attached 200\n"
	                   "call 100 57 whole = 200\n"
	                   "attached 201\n"
	                   "call 200 56 whole = 201\n"
	                   "call 201 231 whole ?0\n"
	                   "exit 200 7 0\n"
	                   "exit 201 7 0\n"
	                   "finish 768\n";
	assert_string_equal(recorded(&f.rec), want);
	assert_string_equal(text(&f), "[pid   100] fork()                      = 200\n"
	                              "[pid   200] clone(child_stack=NULL, flags=0) = 201\n"
	                              "[pid   201] exit_group(7)               = ?\n"
	                              "[pid   200] +++ exited with 7 +++\n"
	                              "[pid   201] +++ exited with 7 +++\n"
	                              "+++ exited with 3 +++\n");
	teardown(&f);
}

/* An execve that succeeded does not return: its entry completes with 0 at
 * the next event of the thread; what is pending at the end never returns. */
static void test_exec_and_pending_at_end(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.follow = 1, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, test_event(DTL_EV_ENTER, 100, 100, SYS_execve, 0, 1000));
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 100, SYS_brk, 0x5000, 2000));
	feed(&f, test_event(DTL_EV_ENTER, 100, 100, SYS_pause, 0, 3000));
	dtl_session_finish(f.s, SIGKILL);
	assert_string_equal(recorded(&f.rec), "entry 100 59\n"
	                                      "call 100 59 continued = 0\n"
	                                      "call 100 12 whole = 20480\n"
	                                      "entry 100 34\n"
	                                      "call 100 34 continued ?0\n"
	                                      "finish 9\n");
	assert_string_equal(text(&f), "execve(NULL, NULL, NULL)                = 0\n"
	                              "brk(NULL)                               = 0x5000\n"
	                              "pause()                                 = ?\n"
	                              "+++ killed by SIGKILL +++\n");
	teardown(&f);
}

/* Calls that never returned and had something left to print at exit (the
 * kernel's answer): strace's " <unfinished ...>) = ?", whether the entry's
 * line is still open or another line came between, never the out-arguments
 * as bare addresses. */
static struct dtl_event *sleep_ten_seconds(int tid, uint64_t ts)
{
	const int64_t ten_s[2] = {10, 0};
	struct dtl_event *ev =
	    test_args(test_event(DTL_EV_ENTER, 100, tid, SYS_clock_nanosleep, 0, ts), 0, 0, 0x1000);
	ev->args[3] = 0x2000;
	return test_blob(ev, 2, DTL_SUB_OBJECT, true, ten_s, sizeof(ten_s));
}

static void test_never_returned_with_an_exit_part(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.follow = 1, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, sleep_ten_seconds(101, 1000));
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 100, SYS_getpid, 100, 2000));
	feed(&f, sleep_ten_seconds(100, 3000));
	dtl_session_finish(f.s, SIGKILL);
	assert_string_equal(
	    text(&f), "[pid   101] clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=10, tv_nsec=0},  "
	              "<unfinished ...>\n"
	              "[pid   100] getpid()                    = 100\n"
	              "[pid   100] clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=10, tv_nsec=0},  "
	              "<unfinished ...>) = ?\n"
	              "[pid   101] <... clock_nanosleep resumed> <unfinished ...>) = ?\n"
	              "[pid   100] +++ killed by SIGKILL +++\n");
	teardown(&f);

	/* alone: the open line ends there */
	setup(&f, &(struct dtl_session_opts){.fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, sleep_ten_seconds(100, 3000));
	dtl_session_finish(f.s, SIGKILL);
	assert_string_equal(text(&f), "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=10, tv_nsec=0},  "
	                              "<unfinished ...>) = ?\n"
	                              "+++ killed by SIGKILL +++\n");
	teardown(&f);
}

/* -f: a child killed by a signal writes no record of its end; its parent's
 * wait4 tells it. The child's call in progress never returned, and it is
 * killed, before the wait4 line. */
static void test_child_killed_seen_by_wait4(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.follow = 1, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 100, SYS_fork, 101, 1000));
	feed(&f, test_event(DTL_EV_ENTER, 101, 101, SYS_pause, 0, 2000));
	struct dtl_event *w =
	    test_args(test_event(DTL_EV_SYSCALL, 100, 100, SYS_wait4, 101, 3000), 101, 0x1000, 0);
	const int killed = SIGKILL; /* the wait status of a process SIGKILL killed */
	test_blob(w, 1, DTL_SUB_OBJECT, false, &killed, sizeof(killed));
	feed(&f, w);
	assert_false(dtl_session_find_task(f.s, 101)->live);
	assert_int_equal(dtl_session_live_tasks(f.s), 1);
	/* an exit is no news: exit_group ended the process already */
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 100, SYS_fork, 102, 4000));
	feed(&f, test_event(DTL_EV_ENTER, 102, 102, SYS_exit_group, 0, 5000));
	w = test_args(test_event(DTL_EV_SYSCALL, 100, 100, SYS_wait4, 102, 6000), 102, 0x1000, 0);
	const int exited = 0;
	test_blob(w, 1, DTL_SUB_OBJECT, false, &exited, sizeof(exited));
	feed(&f, w);
	dtl_session_finish(f.s, 0);
	assert_string_equal(text(&f),
	                    "[pid   100] fork()                      = 101\n"
	                    "[pid   101] pause()                     = ?\n"
	                    "[pid   101] +++ killed by SIGKILL +++\n"
	                    "wait4(101, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, "
	                    "NULL) = 101\n"
	                    "[pid   100] fork()                      = 102\n"
	                    "[pid   102] exit_group(0)               = ?\n"
	                    "[pid   102] +++ exited with 0 +++\n"
	                    "wait4(102, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) "
	                    "= 102\n"
	                    "+++ exited with 0 +++\n");
	teardown(&f);
}

/* -e trace= and -e signal=: what is filtered out is not told; without -f
 * only the program's first thread is. */
static void test_filter(void **state)
{
	(void)state;
	struct dtl_filter filter;
	dtl_filter_init(&filter);
	assert_int_equal(dtl_filter_parse(&filter, "trace=read,%process"), 0);
	assert_int_equal(dtl_filter_parse(&filter, "signal=!SIGUSR1"), 0);
	assert_int_equal(dtl_filter_parse(&filter, "trace=nosuchcall"), -1);
	assert_true(dtl_filter_syscall(&filter, SYS_read));
	assert_true(dtl_filter_syscall(&filter, SYS_exit_group));
	assert_false(dtl_filter_syscall(&filter, SYS_write));
	assert_false(dtl_filter_signal(&filter, SIGUSR1));
	assert_true(dtl_filter_signal(&filter, SIGUSR2));

	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.filter = &filter, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, test_event(DTL_EV_SYSCALL, 100, 100, SYS_write, 1, 1000));
	feed(&f, test_args(test_event(DTL_EV_SYSCALL, 100, 100, SYS_read, 0, 2000), 0, 0, 0));
	feed(&f, test_args(test_event(DTL_EV_SIGNAL, 100, 100, 0, 0, 3000), SIGUSR1, 0, 0));
	feed(&f, test_args(test_event(DTL_EV_SIGNAL, 100, 100, 0, 0, 4000), SIGUSR2, 0, 0));
	/* another thread, not followed */
	feed(&f, test_args(test_event(DTL_EV_SYSCALL, 100, 101, SYS_read, 0, 5000), 0, 0, 0));
	assert_string_equal(recorded(&f.rec), "call 100 0 whole = 0\nsignal 100 12\n");
	teardown(&f);
}

/* Losses interrupt an open entry and are counted. */
static void test_lost(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, &(struct dtl_session_opts){.follow = 1, .fmt = {.strsize = 32}});
	dtl_session_start(f.s, 100, "prog");
	feed(&f, test_event(DTL_EV_ENTER, 100, 100, SYS_pause, 0, 1000));
	dtl_session_lost(f.s, 5);
	dtl_session_lost(f.s, 2);
	assert_int_equal(dtl_session_lost_total(f.s), 7);
	assert_string_equal(recorded(&f.rec), "entry 100 34\nunfinished 100\nlost 5\nlost 2\n");
	assert_string_equal(text(&f),
	                    "pause( <unfinished ...>\n"
	                    "--- dtrace-lite: 5 events lost: the ring was full (--drop) ---\n"
	                    "--- dtrace-lite: 2 events lost: the ring was full (--drop) ---\n");
	teardown(&f);
}

/* --- the -y table ------------------------------------------------------------ */

static struct dtl_event *with_fd_path(struct dtl_event *ev, const char *path)
{
	return test_blob(ev, DTL_BLOB_ARG_FD_PATH, 0, false, path, strlen(path));
}

static void test_fd_table(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f,
	      &(struct dtl_session_opts){.follow = 1, .fd_paths = true, .fmt = {.strsize = 32}});
	const int p = NO_PID, child = NO_PID + 1;
	dtl_session_start(f.s, p, "prog");
	/* the working directory the program started in is ours */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_string_equal(dtl_session_fd_path(f.s, p, AT_FDCWD), cwd);

	feed(&f, with_fd_path(test_args(test_event(DTL_EV_SYSCALL, p, p, SYS_openat, 5, 1000),
	                                (uint32_t)AT_FDCWD, 0, O_RDONLY),
	                      "/etc/hostname"));
	assert_string_equal(dtl_session_fd_path(f.s, p, 5), "/etc/hostname");
	feed(&f,
	     with_fd_path(test_args(test_event(DTL_EV_SYSCALL, p, p, SYS_dup, 6, 2000), 5, 0, 0),
	                  "/etc/hostname"));
	feed(&f, test_args(test_event(DTL_EV_SYSCALL, p, p, SYS_close, 0, 3000), 5, 0, 0));
	assert_null(dtl_session_fd_path(f.s, p, 5));
	assert_string_equal(dtl_session_fd_path(f.s, p, 6), "/etc/hostname");

	/* a child starts with a copy; its close is its own */
	feed(&f, test_event(DTL_EV_SYSCALL, p, p, SYS_fork, child, 4000));
	assert_string_equal(dtl_session_fd_path(f.s, child, 6), "/etc/hostname");
	feed(&f, test_args(test_event(DTL_EV_SYSCALL, child, child, SYS_close, 0, 5000), 6, 0, 0));
	assert_null(dtl_session_fd_path(f.s, child, 6));
	assert_string_equal(dtl_session_fd_path(f.s, p, 6), "/etc/hostname");

	/* chdir moves AT_FDCWD; fchdir to a descriptor's path too */
	struct dtl_event *cd = test_event(DTL_EV_SYSCALL, p, p, SYS_chdir, 0, 6000);
	test_blob(cd, 0, DTL_SUB_OBJECT, true, "/", 1);
	feed(&f, cd);
	assert_string_equal(dtl_session_fd_path(f.s, p, AT_FDCWD), "/");
	feed(&f, with_fd_path(test_args(test_event(DTL_EV_SYSCALL, p, p, SYS_openat, 7, 7000),
	                                (uint32_t)AT_FDCWD, 0, O_RDONLY),
	                      "/usr"));
	feed(&f, test_args(test_event(DTL_EV_SYSCALL, p, p, SYS_fchdir, 0, 8000), 7, 0, 0));
	assert_string_equal(dtl_session_fd_path(f.s, p, AT_FDCWD), "/usr");
	assert_string_equal(dtl_session_fd_path(f.s, child, AT_FDCWD), cwd);

	/* the text shows the paths the table had when the call was made */
	const char *t = text(&f);
	assert_non_null(strstr(t, "dup(5</etc/hostname>)"));
	assert_non_null(strstr(t, "= 6</etc/hostname>\n"));
	assert_non_null(strstr(t, "close(5</etc/hostname>)"));
	assert_non_null(strstr(t, "fchdir(7</usr>)"));
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interleaved_threads),
	    cmocka_unit_test(test_continued),
	    cmocka_unit_test(test_exits),
	    cmocka_unit_test(test_exec_and_pending_at_end),
	    cmocka_unit_test(test_never_returned_with_an_exit_part),
	    cmocka_unit_test(test_child_killed_seen_by_wait4),
	    cmocka_unit_test(test_filter),
	    cmocka_unit_test(test_lost),
	    cmocka_unit_test(test_fd_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
