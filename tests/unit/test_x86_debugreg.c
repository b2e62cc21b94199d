// SPDX-License-Identifier: MIT
/* DR7 encoding of x86/debugreg.c (SDM Vol. 3B §18.2.4-18.2.5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dune/debugreg.h>

static void write_watch_in_slot_1(void **state)
{
	(void)state;
	uint64_t dr7 = 0;
	assert_true(dune_x86_dr7_set(X86_DR7_FIXED, 1, DUNE_DR_WRITE, 4, &dr7));
	/* L1 (bit 2), R/W1 = 01 (bits 20-21), LEN1 = 11 (bits 22-23) */
	assert_int_equal(dr7, X86_DR7_FIXED | (1ULL << 2) | (1ULL << 20) | (3ULL << 22));
}

static void eight_byte_length_is_10(void **state)
{
	(void)state;
	uint64_t dr7 = 0;
	assert_true(dune_x86_dr7_set(0, 3, DUNE_DR_RW, 8, &dr7));
	assert_int_equal(dr7, X86_DR7_FIXED | (1ULL << 6) | (3ULL << 28) | (2ULL << 30));
}

static void other_slots_kept_and_clear_undoes(void **state)
{
	(void)state;
	uint64_t a = 0, b = 0;
	assert_true(dune_x86_dr7_set(0, 0, DUNE_DR_EXEC, 1, &a));
	assert_true(dune_x86_dr7_set(a, 2, DUNE_DR_WRITE, 2, &b));
	assert_int_equal(b & 0x3, 1);                  /* L0 still set */
	assert_int_equal((b >> 16) & 0xf, 0);          /* R/W0, LEN0: fetch, 1 byte */
	assert_int_equal((b >> 24) & 0xf, 1 | 1 << 2); /* R/W2 01, LEN2 01 */
	assert_int_equal(dune_x86_dr7_clear(b, 2), a);
}

static void invalid_combinations_refused(void **state)
{
	(void)state;
	uint64_t dr7 = 0x1234;
	assert_false(dune_x86_dr7_set(0, 4, DUNE_DR_WRITE, 4, &dr7)); /* no DR4 slot */
	assert_false(dune_x86_dr7_set(0, 0, DUNE_DR_WRITE, 3, &dr7)); /* length 3 */
	assert_false(dune_x86_dr7_set(0, 0, DUNE_DR_EXEC, 4, &dr7));  /* fetch of 4 */
	assert_int_equal(dr7, 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(write_watch_in_slot_1),
	    cmocka_unit_test(eight_byte_length_is_10),
	    cmocka_unit_test(other_slots_kept_and_clear_undoes),
	    cmocka_unit_test(invalid_combinations_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
