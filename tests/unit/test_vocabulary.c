// SPDX-License-Identifier: MIT
/*
 * The vocabularies the capture and the decoders share: ioctl requests
 * (dtl/ioctl.h), futex operations (dtl/futex.h) and signal names
 * (dtl/signals.h), checked against the C library's constants.
 */
#define _GNU_SOURCE
#include <dtl/futex.h>
#include <dtl/ioctl.h>
#include <dtl/signals.h>

#include <linux/futex.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Requests are unique, named, and what is copied has the object's size. */
static void ioctl_table_is_consistent(void **state)
{
	(void)state;
	assert_true(dtl_ioctl_table_len > 60);
	for (unsigned i = 0; i < dtl_ioctl_table_len; i++) {
		const struct dtl_ioctl_desc *k = &dtl_ioctl_table[i];
		assert_non_null(k->name);
		assert_ptr_equal(dtl_ioctl_by_request(k->req), k);
		switch (k->object) {
		case DTL_IOCTL_OBJ_NONE:
			assert_int_equal(k->dir, DTL_IOCTL_DIR_NONE);
			assert_int_equal(k->size, 0);
			break;
		case DTL_IOCTL_OBJ_INT:
			assert_int_equal(k->size, sizeof(int));
			assert_int_equal(k->arg, DTL_IOCTL_ARG_PTR);
			break;
		case DTL_IOCTL_OBJ_WINSIZE:
			assert_int_equal(k->size, sizeof(struct winsize));
			assert_int_equal(k->arg, DTL_IOCTL_ARG_PTR);
			break;
		default:
			fail_msg("%s: object %u", k->name, k->object);
		}
		if (k->object != DTL_IOCTL_OBJ_NONE)
			assert_true(k->dir == DTL_IOCTL_DIR_IN || k->dir == DTL_IOCTL_DIR_OUT);
	}
	assert_null(dtl_ioctl_by_request(0xdeadbeef));
}

/* The common terminal requests: names, and what the capture copies. */
static void ioctl_common_requests(void **state)
{
	(void)state;
	static const struct {
		unsigned long req;
		const char *name;
		uint8_t object, dir;
	} expect[] = {
	    {TCGETS, "TCGETS", DTL_IOCTL_OBJ_NONE, DTL_IOCTL_DIR_NONE},
	    {TIOCGWINSZ, "TIOCGWINSZ", DTL_IOCTL_OBJ_WINSIZE, DTL_IOCTL_DIR_OUT},
	    {TIOCSWINSZ, "TIOCSWINSZ", DTL_IOCTL_OBJ_WINSIZE, DTL_IOCTL_DIR_IN},
	    {FIONREAD, "FIONREAD", DTL_IOCTL_OBJ_INT, DTL_IOCTL_DIR_OUT},
	    {TIOCOUTQ, "TIOCOUTQ", DTL_IOCTL_OBJ_INT, DTL_IOCTL_DIR_OUT},
	    {TIOCGPGRP, "TIOCGPGRP", DTL_IOCTL_OBJ_INT, DTL_IOCTL_DIR_OUT},
	    {TIOCSPGRP, "TIOCSPGRP", DTL_IOCTL_OBJ_INT, DTL_IOCTL_DIR_IN},
	    {FIONBIO, "FIONBIO", DTL_IOCTL_OBJ_INT, DTL_IOCTL_DIR_IN},
	    {FIOASYNC, "FIOASYNC", DTL_IOCTL_OBJ_INT, DTL_IOCTL_DIR_IN},
	    {FIOCLEX, "FIOCLEX", DTL_IOCTL_OBJ_NONE, DTL_IOCTL_DIR_NONE},
	};
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		const struct dtl_ioctl_desc *k = dtl_ioctl_by_request((uint32_t)expect[i].req);
		assert_non_null(k);
		assert_string_equal(k->name, expect[i].name);
		assert_int_equal(k->object, expect[i].object);
		assert_int_equal(k->dir, expect[i].dir);
	}
	assert_int_equal(dtl_ioctl_by_request(FIOCLEX)->arg, DTL_IOCTL_ARG_NONE);
	assert_int_equal(dtl_ioctl_by_request(TCXONC)->arg, DTL_IOCTL_ARG_TCXONC);
	assert_int_equal(dtl_ioctl_by_request(TCFLSH)->arg, DTL_IOCTL_ARG_TCFLSH);
}

/* Commands by number, the timeouts the capture copies, what strace shows. */
static void futex_commands(void **state)
{
	(void)state;
	assert_int_equal(dtl_futex_cmd_count, FUTEX_LOCK_PI2 + 1);
	assert_string_equal(dtl_futex_cmds[FUTEX_WAIT].name, "FUTEX_WAIT");
	assert_string_equal(dtl_futex_cmds[FUTEX_WAKE_OP].name, "FUTEX_WAKE_OP");
	assert_string_equal(dtl_futex_cmds[FUTEX_CMP_REQUEUE_PI].name, "FUTEX_CMP_REQUEUE_PI");
	assert_string_equal(dtl_futex_cmds[FUTEX_LOCK_PI2].name, "FUTEX_LOCK_PI2");
	unsigned timeouts = 0;
	for (unsigned c = 0; c < dtl_futex_cmd_count; c++) {
		const struct dtl_futex_cmd *k = &dtl_futex_cmds[c];
		assert_in_range(k->nshown, 2, 6);
		for (unsigned i = 0; i < k->nshown; i++) {
			assert_in_range(k->shown[i], 0, 5);
			if (i)
				assert_true(k->shown[i] > k->shown[i - 1]);
		}
		/* argument 3 is a timeout or a count, never both */
		assert_false((k->flags & DTL_FUTEX_TIMEOUT) && (k->flags & DTL_FUTEX_VAL2));
		if (k->flags & DTL_FUTEX_TIMEOUT)
			timeouts |= 1u << c;
	}
	assert_int_equal(timeouts, 1u << FUTEX_WAIT | 1u << FUTEX_LOCK_PI |
	                               1u << FUTEX_WAIT_BITSET | 1u << FUTEX_WAIT_REQUEUE_PI |
	                               1u << FUTEX_LOCK_PI2);
	/* the option bits do not change the command */
	assert_ptr_equal(
	    dtl_futex_cmd(FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME),
	    &dtl_futex_cmds[FUTEX_WAIT_BITSET]);
	assert_int_equal(DTL_FUTEX_PRIVATE_FLAG, FUTEX_PRIVATE_FLAG);
	assert_int_equal(DTL_FUTEX_CLOCK_REALTIME, FUTEX_CLOCK_REALTIME);
	assert_null(dtl_futex_cmd(FUTEX_LOCK_PI2 + 1));
}

/* Names agree with the C library's, and parse back. */
static void signal_names(void **state)
{
	(void)state;
	for (int s = 1; s < 32; s++) {
		const char *n = dtl_signal_name(s);
		assert_non_null(n);
		assert_memory_equal(n, "SIG", 3);
		/* the C library's name parses too (it says POLL for IO) */
		if (s != SIGIO)
			assert_string_equal(n + 3, sigabbrev_np(s));
		assert_int_equal(dtl_signal_number(sigabbrev_np(s)), s);
		assert_int_equal(dtl_signal_number(n), s);
		assert_int_equal(dtl_signal_number(n + 3), s);
	}
	assert_string_equal(dtl_signal_name(32), "SIGRTMIN");
	assert_null(dtl_signal_name(0));
	assert_null(dtl_signal_name(33));
	assert_null(dtl_signal_name(-1));
	char buf[DTL_SIGNAL_SPELLING_MAX];
	assert_string_equal(dtl_signal_spelling(SIGTERM, buf), "SIGTERM");
	assert_string_equal(dtl_signal_spelling(32, buf), "SIGRTMIN");
	assert_string_equal(dtl_signal_spelling(35, buf), "SIGRT_3");
	assert_string_equal(dtl_signal_spelling(64, buf), "SIGRT_32");
	assert_string_equal(dtl_signal_spelling(65, buf), "65");
	assert_string_equal(dtl_signal_spelling(0, buf), "0");
	assert_string_equal(dtl_signal_spelling(-3, buf), "-3");
	assert_int_equal(dtl_signal_number("sigterm"), SIGTERM);
	assert_int_equal(dtl_signal_number("chld"), SIGCHLD);
	assert_int_equal(dtl_signal_number("9"), SIGKILL);
	assert_int_equal(dtl_signal_number("SIGIO"), 29);
	assert_int_equal(dtl_signal_number("SIGPOLL"), 29);
	assert_int_equal(dtl_signal_number("64"), 64);
	assert_int_equal(dtl_signal_number("RTMIN"), 32);
	assert_int_equal(dtl_signal_number("SIGRT_3"), 35);
	assert_int_equal(dtl_signal_number("RT_32"), 64);
	static const char *const bad[] = {"",     "0",     "65",    "-1",       "SIG",
	                                  "RT_0", "RT_33", "TERM ", "SIGBOGUS", "9x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dtl_signal_number(bad[i]) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
	assert_int_equal(dtl_signal_number(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ioctl_table_is_consistent),
	    cmocka_unit_test(ioctl_common_requests),
	    cmocka_unit_test(futex_commands),
	    cmocka_unit_test(signal_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
