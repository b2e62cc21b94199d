// SPDX-License-Identifier: MIT
#include <dune/layout.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct dune_layout *new_layout(unsigned bits)
{
	struct dune_layout *l = malloc(sizeof(*l));
	assert_non_null(l);
	dune_layout_init(l, bits);
	return l;
}

static void identity_when_48_bits(void **state)
{
	(void)state;
	struct dune_layout *l = new_layout(48);
	struct dune_layout_run runs[4];

	assert_true(l->identity);
	/* a PIE text segment and a mapping just under the top of user space */
	assert_int_equal(dune_layout_cover(l, 0x55d0c8a01000, 0x3000, runs, 4), 1);
	assert_int_equal(runs[0].hva, 0x55d0c8a00000);
	assert_int_equal(runs[0].len, 2 * MiB);
	assert_int_equal(runs[0].gpa, runs[0].hva);
	assert_int_equal(dune_layout_cover(l, 0x7ffffffde000, 0x21000, runs, 4), 1);
	/* the last run stops at the end of user space, not at 2^47 */
	assert_int_equal(runs[0].hva + runs[0].len, DUNE_USER_VA_END);
	assert_int_equal(dune_layout_hva_to_gpa(l, 0x7fffffffe123), 0x7fffffffe123);
	assert_int_equal(dune_layout_hva_to_gpa(l, 0x55d0c8a01234), 0x55d0c8a01234);
	assert_int_equal(dune_layout_gpa_to_hva(l, 0x55d0c8a01234), 0x55d0c8a01234);
	assert_int_equal(dune_layout_hva_to_gpa(l, 0x55d0c8c00000), DUNE_BAD_PA);
	assert_int_equal(dune_layout_gpa_to_hva(l, 0x1000), DUNE_BAD_PA);
	free(l);
}

/* 36 bits (Bochs' Sandy Bridge) and 40 bits (QEMU's default): the high user
 * addresses land below the physical limit, in 2 MiB-aligned runs. */
static void compressed_below_36_and_40_bits(void **state)
{
	(void)state;
	unsigned widths[] = {36, 39, 40, 46};
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		struct dune_layout *l = new_layout(widths[w]);
		struct dune_layout_run runs[4];
		uint64_t limit = 1ULL << widths[w];

		assert_false(l->identity);
		uint64_t addrs[] = {0x400000, 0x55d0c8a01000, 0x7f3a12345000, 0x7ffffffde000};
		for (size_t i = 0; i < 4; i++) {
			assert_int_equal(dune_layout_cover(l, addrs[i], 0x21000, runs, 4), 1);
			assert_true(runs[0].gpa >= DUNE_LAYOUT_COMPRESSED_BASE);
			assert_true(runs[0].gpa + runs[0].len <= limit);
			assert_int_equal(runs[0].gpa % DUNE_LAYOUT_GRANULE, 0);
			assert_int_equal(runs[0].hva % DUNE_LAYOUT_GRANULE, 0);
		}
		for (size_t i = 0; i < 4; i++) {
			uint64_t pa = dune_layout_hva_to_gpa(l, addrs[i] + 0x20abc);
			assert_true(pa < limit);
			assert_int_equal(pa & 0xfff, 0xabc);
			assert_int_equal(dune_layout_gpa_to_hva(l, pa), addrs[i] + 0x20abc);
		}
		free(l);
	}
}

static void overlapping_cover_adds_only_gaps(void **state)
{
	(void)state;
	struct dune_layout *l = new_layout(36);
	struct dune_layout_run runs[8];

	assert_int_equal(dune_layout_cover(l, 0x10000000, 2 * MiB, runs, 8), 1);
	assert_int_equal(dune_layout_cover(l, 0x10800000, 2 * MiB, runs, 8), 1);
	/* covers both existing runs and the holes around and between them */
	int n = dune_layout_cover(l, 0x0fe00000, 0x01000000, runs, 8);
	assert_int_equal(n, 3);
	assert_int_equal(runs[0].hva, 0x0fe00000);
	assert_int_equal(runs[0].len, 2 * MiB);
	assert_int_equal(runs[1].hva, 0x10200000);
	assert_int_equal(runs[1].len, 6 * MiB);
	assert_int_equal(runs[2].hva, 0x10a00000);
	assert_int_equal(runs[2].len, 0x10e00000 - 0x10a00000);
	assert_int_equal(l->nruns, 5);
	for (uint32_t i = 1; i < l->nruns; i++)
		assert_true(l->runs[i - 1].hva + l->runs[i - 1].len <= l->runs[i].hva);
	/* already covered: nothing new */
	assert_int_equal(dune_layout_cover(l, 0x10000000, 0x100000, runs, 8), 0);
	/* every covered address translates, distinct hva -> distinct gpa */
	uint64_t prev = 0;
	for (uint64_t a = 0x0fe00000; a < 0x10e00000; a += MiB) {
		uint64_t pa = dune_layout_hva_to_gpa(l, a);
		assert_true(pa != DUNE_BAD_PA);
		assert_true(pa != prev);
		prev = pa;
	}
	free(l);
}

static void errors(void **state)
{
	(void)state;
	struct dune_layout *l = new_layout(36);
	struct dune_layout_run runs[2];

	assert_int_equal(dune_layout_cover(l, 0x800000000000, 4096, runs, 2), -EINVAL);
	assert_int_equal(dune_layout_cover(l, 0x7ffffffff000, 0x2000, runs, 2), -EINVAL);
	assert_int_equal(dune_layout_cover(l, 0x1000, 0, runs, 2), 0);
	/* 64 GiB of physical space less the 4 GiB kept free below */
	assert_int_equal(dune_layout_cover(l, 0x100000000000, 60 * GiB, runs, 2), 1);
	assert_int_equal(dune_layout_cover(l, 0x200000000000, 2 * MiB, runs, 2), -ENOSPC);
	/* more new runs than the caller has room for */
	struct dune_layout *l2 = new_layout(48);
	assert_int_equal(dune_layout_cover(l2, 0x10000000, 2 * MiB, runs, 2), 1);
	assert_int_equal(dune_layout_cover(l2, 0x10400000, 2 * MiB, runs, 2), 1);
	assert_int_equal(dune_layout_cover(l2, 0x10800000, 2 * MiB, runs, 2), 1);
	assert_int_equal(dune_layout_cover(l2, 0x0fe00000, 0x01000000, runs, 2), -ENOSPC);
	free(l2);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(identity_when_48_bits),
	    cmocka_unit_test(compressed_below_36_and_40_bits),
	    cmocka_unit_test(overlapping_cover_adds_only_gaps),
	    cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
