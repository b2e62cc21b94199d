// SPDX-License-Identifier: MIT
/*
 * dune_proc_field (libdune/util/proc_field.c): the number after a name at
 * the start of a line of a /proc-style file, as the fd guard, the fault
 * path and the injection read TracerPid and Pid. On the first line too,
 * never in the middle of a line or of another name, and -1 when there is
 * none or it is not a number.
 */
#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char path[64];

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void finds_the_field_where_a_line_starts(void **state)
{
	(void)state;
	write_file("Name:\tcat\nPid:\t1234\nPPid:\t77\nTracerPid:\t0\nXTracerPid:\t9\n"
	           "Threads: 3\n");
	assert_int_equal(dune_proc_field(path, "Name:"), -1); /* not a number */
	assert_int_equal(dune_proc_field(path, "Pid:"), 1234);
	assert_int_equal(dune_proc_field(path, "PPid:"), 77);
	assert_int_equal(dune_proc_field(path, "TracerPid:"), 0);
	assert_int_equal(dune_proc_field(path, "Threads:"), 3);
	assert_int_equal(dune_proc_field(path, "Missing:"), -1);
	write_file("Pid:\t42\n"); /* the first line */
	assert_int_equal(dune_proc_field(path, "Pid:"), 42);
	write_file("pos:\t0\nflags:\t02\nPid:\t-1\n"); /* a pidfd of no process */
	assert_int_equal(dune_proc_field(path, "Pid:"), -1);
}

static void real_proc_files(void **state)
{
	(void)state;
	assert_int_equal(dune_proc_field("/proc/self/status", "Pid:"), getpid());
	assert_int_equal(dune_proc_field("/proc/self/status", "TracerPid:"), 0);
	assert_int_equal(dune_proc_field("/proc/no-such-file", "Pid:"), -1);
}

int main(void)
{
	snprintf(path, sizeof(path), "/tmp/test_proc_field.%d", (int)getpid());
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(finds_the_field_where_a_line_starts),
	    cmocka_unit_test(real_proc_files),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	return r;
}
