// SPDX-License-Identifier: MIT
/*
 * The protection overlay's bookkeeping and page-table side
 * (libdune/mm/overlay.c): restrictions of several tools on the same pages,
 * lifting one tool's, forgetting unmapped ranges, and the entries it
 * tightens (large pages split only where a restriction ends inside them).
 */
#include "overlay.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pt_fixture.h"

#define PG         4096UL
#define BASE       0x40000000UL /* 2 MiB aligned */
#define POOL_PAGES 256
#define POOL_PA    0x80000000ULL

static void test_tools_and_deny(void **state)
{
	static struct dune_overlay ov;
	(void)state;

	memset(&ov, 0, sizeof(ov));
	int a = dune_overlay_add_tool(&ov, NULL, NULL);
	int b = dune_overlay_add_tool(&ov, NULL, NULL);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(dune_overlay_add(&ov, 7, BASE, PG, DUNE_DENY_WRITE), -EINVAL);
	assert_int_equal(dune_overlay_add(&ov, a, BASE, PG, 0), -EINVAL);
	assert_int_equal(dune_overlay_add(&ov, a, BASE, 0, DUNE_DENY_WRITE), -EINVAL);
	/* unaligned: rounded out to whole pages */
	assert_int_equal(dune_overlay_add(&ov, a, BASE + 100, 2 * PG, DUNE_DENY_WRITE), 0);
	assert_int_equal(dune_overlay_add(&ov, b, BASE + PG, PG, DUNE_DENY_ACCESS), 0);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE - 1), 0);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE), DUNE_DENY_WRITE);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + PG + 5),
	                 DUNE_DENY_WRITE | DUNE_DENY_ACCESS);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + 2 * PG), DUNE_DENY_WRITE);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + 3 * PG), 0);

	/* lifting b's keeps a's */
	struct dune_overlay_gone gone[4];
	assert_int_equal(dune_overlay_remove(&ov, b, BASE, 8 * PG, gone, 4), 1);
	assert_int_equal(gone[0].tool, b);
	assert_int_equal(gone[0].lo, BASE + PG);
	assert_int_equal(gone[0].hi, BASE + 2 * PG);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + PG), DUNE_DENY_WRITE);
	/* lifting the middle page of a's splits its range */
	assert_int_equal(dune_overlay_remove(&ov, a, BASE + PG, PG, gone, 4), 1);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE), DUNE_DENY_WRITE);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + PG), 0);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + 2 * PG), DUNE_DENY_WRITE);
	assert_int_equal(ov.nranges, 2);
	/* the program unmapped everything: every tool's pieces go, reported */
	assert_int_equal(dune_overlay_remove(&ov, -1, BASE, 16 * PG, gone, 4), 2);
	assert_int_equal(ov.nranges, 0);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE), 0);
}

static void test_full_table(void **state)
{
	static struct dune_overlay ov;
	struct dune_overlay_gone gone[1];
	(void)state;

	memset(&ov, 0, sizeof(ov));
	int t = dune_overlay_add_tool(&ov, NULL, NULL);
	/* before the runtime region's table: the early ones */
	for (int i = 0; i < DUNE_OVERLAY_EARLY; i++)
		assert_int_equal(
		    dune_overlay_add(&ov, t, BASE + 4 * PG * (uintptr_t)i, 3 * PG, DUNE_DENY_WRITE),
		    0);
	assert_int_equal(dune_overlay_add(&ov, t, 0x1000, PG, DUNE_DENY_WRITE), -ENOSPC);
	/* a split needs a free entry: refused, nothing changed */
	assert_int_equal(dune_overlay_remove(&ov, t, BASE + PG, PG, gone, 1), -ENOSPC);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + PG), DUNE_DENY_WRITE);
	/* one that touches a range of the same kind needs no entry: [0, 3), [3, 4) and [4, 7)
	 * become one */
	assert_int_equal(dune_overlay_add(&ov, t, BASE + 3 * PG, PG, DUNE_DENY_WRITE), 0);
	assert_int_equal(ov.nranges, DUNE_OVERLAY_EARLY - 1);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + 3 * PG), DUNE_DENY_WRITE);
	/* more pieces than @gone holds: counted all the same */
	assert_int_equal(dune_overlay_remove(&ov, t, BASE, 8 * PG, gone, 1), 1);
	assert_int_equal(dune_overlay_remove(&ov, t, BASE + 8 * PG, 16 * PG, gone, 1), 4);
	for (int i = 0; i < DUNE_OVERLAY_TOOLS - 1; i++)
		assert_true(dune_overlay_add_tool(&ov, NULL, NULL) >= 0);
	assert_int_equal(dune_overlay_add_tool(&ov, NULL, NULL), -ENOSPC);
}

/*
 * Thousands of ranges (a watchpoint per page) in a table of the runtime
 * region's kind: random restrictions and lifts of two tools against a
 * model of every page, the table sorted and a tool's ranges of one kind
 * never overlapping or touching.
 */
#define MODEL_PAGES 4096

static void check_model(const struct dune_overlay *ov, uint8_t model[2][MODEL_PAGES])
{
	for (int p = 0; p < MODEL_PAGES; p++)
		assert_int_equal(dune_overlay_deny_at(ov, BASE + (uintptr_t)p * PG),
		                 model[0][p] | model[1][p]);
	for (int i = 1; i < ov->nranges; i++) {
		const struct dune_overlay_range *r = dune_overlay_range_at(ov, i);
		assert_true(dune_overlay_range_at(ov, i - 1)->lo <= r->lo);
		for (int j = 0; j < i; j++) {
			const struct dune_overlay_range *q = dune_overlay_range_at(ov, j);
			if (q->tool == r->tool && q->deny == r->deny)
				assert_true(q->hi < r->lo || r->hi < q->lo);
		}
	}
}

static void test_many_ranges(void **state)
{
	static struct dune_overlay ov;
	static uint8_t model[2][MODEL_PAGES];
	static struct dune_overlay_range big[8192];
	struct dune_overlay_gone gone[4];
	(void)state;

	memset(&ov, 0, sizeof(ov));
	memset(model, 0, sizeof(model));
	int t[2] = {dune_overlay_add_tool(&ov, NULL, NULL), dune_overlay_add_tool(&ov, NULL, NULL)};
	assert_int_equal(dune_overlay_add(&ov, t[0], BASE, PG, DUNE_DENY_WRITE), 0);
	model[0][0] = DUNE_DENY_WRITE;
	dune_overlay_attach(&ov, big, 8192);
	srand(7);
	/* every other page of tool 0: as many ranges as pages */
	for (int p = 2; p < MODEL_PAGES; p += 2) {
		assert_int_equal(
		    dune_overlay_add(&ov, t[0], BASE + (uintptr_t)p * PG, 1, DUNE_DENY_WRITE), 0);
		model[0][p] = DUNE_DENY_WRITE;
	}
	assert_int_equal(ov.nranges, MODEL_PAGES / 2);
	check_model(&ov, model);
	for (int round = 0; round < 3000; round++) {
		int k = rand() % 2, p = rand() % MODEL_PAGES;
		int n = rand() % 16 == 0 ? 1 + rand() % 300 : 1 + rand() % 4;
		if (p + n > MODEL_PAGES)
			n = MODEL_PAGES - p;
		if (rand() % 3) {
			int deny = rand() % 2 ? DUNE_DENY_WRITE : DUNE_DENY_ACCESS;
			assert_int_equal(
			    dune_overlay_add(&ov, t[k], BASE + (uintptr_t)p * PG, n * PG, deny), 0);
			for (int i = p; i < p + n; i++)
				model[k][i] |= (uint8_t)deny;
		} else {
			bool all = rand() % 8 == 0;
			assert_true(dune_overlay_remove(&ov, all ? -1 : t[k],
			                                BASE + (uintptr_t)p * PG, n * PG, gone,
			                                4) >= 0);
			for (int i = p; i < p + n; i++) {
				model[k][i] = 0;
				if (all)
					model[!k][i] = 0;
			}
		}
		if (round % 100 == 0)
			check_model(&ov, model);
	}
	check_model(&ov, model);
}

static int setup(void **state)
{
	return pt_fixture_setup(state, 40, POOL_PAGES, POOL_PA);
}

static int teardown(void **state)
{
	return pt_fixture_teardown(state);
}

static dune_pte_t leaf(struct pt_fixture *f, uintptr_t va, int *level)
{
	dune_pte_t *e;
	if (dune_vm_lookup(&f->pt, va, false, &e, level))
		return 0;
	return *e;
}

/* The entry itself, present or not (a hidden page's). */
static dune_pte_t raw_leaf(struct pt_fixture *f, uintptr_t va)
{
	dune_pte_t *e;
	int level;
	if (dune_vm_lookup(&f->pt, va, true, &e, &level) || level)
		return 0;
	return *e;
}

static void test_apply(void **state)
{
	struct pt_fixture *f = *state;
	static struct dune_overlay ov;
	int level;
	const int rw = DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U | DUNE_PERM_BIG;

	memset(&ov, 0, sizeof(ov));
	/* two 2 MiB pages */
	assert_int_equal(dune_vm_map_phys(&f->pt, BASE, 0x200000, 2 * DUNE_LPAGE_SIZE, rw), 0);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, 2 * DUNE_LPAGE_SIZE), 0);
	assert_true(leaf(f, BASE, &level) & PTE_W);
	assert_int_equal(level, 1);

	int a = dune_overlay_add_tool(&ov, NULL, NULL);
	int b = dune_overlay_add_tool(&ov, NULL, NULL);
	assert_int_equal(dune_overlay_add(&ov, a, BASE + 3 * PG, 2 * PG, DUNE_DENY_WRITE), 0);
	assert_int_equal(dune_overlay_add(&ov, b, BASE + 4 * PG, PG, DUNE_DENY_ACCESS), 0);
	/* the whole second large page: it stays large */
	assert_int_equal(
	    dune_overlay_add(&ov, a, BASE + DUNE_LPAGE_SIZE, DUNE_LPAGE_SIZE, DUNE_DENY_WRITE), 0);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, 2 * DUNE_LPAGE_SIZE), 0);

	dune_pte_t e = leaf(f, BASE + 2 * PG, &level);
	assert_int_equal(level, 0); /* split around the restriction */
	assert_true((e & PTE_P) && (e & PTE_W) && (e & PTE_U));
	assert_int_equal(e & PTE_ADDR_MASK, 0x200000 + 2 * PG);
	e = leaf(f, BASE + 3 * PG, &level);
	assert_true((e & PTE_P) && !(e & PTE_W) && (e & PTE_U));
	assert_int_equal(e & PTE_ADDR_MASK, 0x200000 + 3 * PG);
	assert_true(e & PTE_TOOL_RO);                        /* the program's own rights had W */
	assert_int_equal(leaf(f, BASE + 4 * PG, &level), 0); /* not present */
	/* ... but the frame and rights are kept, marked, for a private view
	 * (W taken by tool a, the page hidden by tool b) */
	e = raw_leaf(f, BASE + 4 * PG);
	assert_true(!(e & PTE_P) && (e & PTE_HIDDEN) && (e & PTE_TOOL_RO) && (e & PTE_U));
	assert_int_equal(e & PTE_ADDR_MASK, 0x200000 + 4 * PG);
	assert_true(leaf(f, BASE + 5 * PG, &level) & PTE_W);
	e = leaf(f, BASE + DUNE_LPAGE_SIZE + 7 * PG, &level);
	assert_int_equal(level, 1);
	assert_true((e & PTE_P) && !(e & PTE_W));

	/* the program's mprotect of a hidden page: new rights, still hidden;
	 * its munmap: the entry goes */
	assert_int_equal(dune_vm_mprotect(&f->pt, BASE + 4 * PG, PG, DUNE_PERM_R | DUNE_PERM_U), 0);
	e = raw_leaf(f, BASE + 4 * PG);
	assert_true(!(e & PTE_P) && (e & PTE_HIDDEN) && !(e & PTE_W) && !(e & PTE_TOOL_RO));
	assert_int_equal(dune_vm_unmap(&f->pt, BASE + 4 * PG, PG), 0);
	assert_int_equal(raw_leaf(f, BASE + 4 * PG), 0);

	/* the program's mprotect rewrites the rights: the overlay comes back */
	assert_int_equal(dune_vm_map_phys(&f->pt, BASE, 0x200000, 2 * DUNE_LPAGE_SIZE, rw), 0);
	assert_true(leaf(f, BASE + 3 * PG, &level) & PTE_W);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE + 3 * PG, PG), 0);
	assert_false(leaf(f, BASE + 3 * PG, &level) & PTE_W);
	assert_true(leaf(f, BASE + 4 * PG, &level) & PTE_W); /* outside the range given */

	/* supervisor-only: present and writable for ring 0, U clear; with a
	 * write restriction on top, both */
	assert_int_equal(dune_overlay_add(&ov, b, BASE + 8 * PG, 2 * PG, DUNE_DENY_USER), 0);
	assert_int_equal(dune_overlay_add(&ov, a, BASE + 9 * PG, PG, DUNE_DENY_WRITE), 0);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, DUNE_LPAGE_SIZE), 0);
	e = leaf(f, BASE + 8 * PG, &level);
	assert_true((e & PTE_P) && (e & PTE_W) && !(e & PTE_U));
	e = leaf(f, BASE + 9 * PG, &level);
	assert_true((e & PTE_P) && !(e & PTE_W) && !(e & PTE_U));
	assert_true(leaf(f, BASE + 10 * PG, &level) & PTE_U);
	assert_int_equal(dune_overlay_deny_at(&ov, BASE + 9 * PG),
	                 DUNE_DENY_USER | DUNE_DENY_WRITE);
	assert_int_equal(dune_overlay_add(&ov, a, BASE, PG, 0x8), -EINVAL); /* no such bit */
	/* a backend without supervisor-only pages: recorded, not applied */
	assert_int_equal(dune_vm_map_phys(&f->pt, BASE, 0x200000, 2 * DUNE_LPAGE_SIZE, rw), 0);
	ov.ignore = DUNE_DENY_USER;
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, DUNE_LPAGE_SIZE), 0);
	assert_true(leaf(f, BASE + 8 * PG, &level) & PTE_U);
	e = leaf(f, BASE + 9 * PG, &level);
	assert_true((e & PTE_U) && !(e & PTE_W));
}

/* A code breakpoint's copy: the guest sees its frame where the program
 * cannot write, and a restriction on top still applies. */
static void test_substitute(void **state)
{
	struct pt_fixture *f = *state;
	static struct dune_overlay ov;
	int level;
	const int rx = DUNE_PERM_R | DUNE_PERM_X | DUNE_PERM_U;
	const uint64_t copy_pa = 0x7000000;

	memset(&ov, 0, sizeof(ov));
	assert_int_equal(dune_vm_map_phys(&f->pt, BASE, 0x200000, 4 * PG, rx), 0);
	assert_int_equal(dune_overlay_subst_add(&ov, BASE + PG, copy_pa, NULL), 0);
	assert_int_equal(dune_overlay_subst_add(&ov, BASE + PG, copy_pa, NULL), -EEXIST);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, 4 * PG), 0);
	dune_pte_t e = leaf(f, BASE + PG, &level);
	assert_int_equal(e & PTE_ADDR_MASK, copy_pa);
	assert_true((e & PTE_SUBST) && (e & PTE_U) && !(e & PTE_W));
	e = leaf(f, BASE + 2 * PG, &level);
	assert_int_equal(e & PTE_ADDR_MASK, 0x200000 + 2 * PG);
	assert_false(e & PTE_SUBST);
	/* hidden by a tool as well: the copy's frame kept for the view */
	int t = dune_overlay_add_tool(&ov, NULL, NULL);
	assert_int_equal(dune_overlay_add(&ov, t, BASE + PG, PG, DUNE_DENY_ACCESS), 0);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, 4 * PG), 0);
	e = raw_leaf(f, BASE + PG);
	assert_true(!(e & PTE_P) && (e & PTE_HIDDEN) && (e & PTE_SUBST));
	assert_int_equal(e & PTE_ADDR_MASK, copy_pa);
	/* a page the program writes keeps its own frame */
	assert_int_equal(dune_vm_map_phys(&f->pt, BASE, 0x200000, 4 * PG, rx | DUNE_PERM_W), 0);
	assert_int_equal(dune_overlay_remove(&ov, t, BASE, 4 * PG, NULL, 0), 1);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, 4 * PG), 0);
	e = leaf(f, BASE + PG, &level);
	assert_int_equal(e & PTE_ADDR_MASK, 0x200000 + PG);
	assert_false(e & PTE_SUBST);
	/* nor one whose W a tool took (the program still writes it) */
	assert_int_equal(dune_overlay_add(&ov, t, BASE + PG, PG, DUNE_DENY_WRITE), 0);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE, 4 * PG), 0);
	e = leaf(f, BASE + PG, &level);
	assert_true(e & PTE_TOOL_RO);
	assert_int_equal(e & PTE_ADDR_MASK, 0x200000 + PG);
	dune_overlay_subst_remove(&ov, BASE + PG);
	assert_null(dune_overlay_subst_find(&ov, BASE + PG));

	/* a large page hidden whole stays one, found as the leaf it is */
	const int big = DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U | DUNE_PERM_BIG;
	assert_int_equal(
	    dune_vm_map_phys(&f->pt, BASE + DUNE_LPAGE_SIZE, 0x400000, DUNE_LPAGE_SIZE, big), 0);
	assert_int_equal(
	    dune_overlay_add(&ov, t, BASE + DUNE_LPAGE_SIZE, DUNE_LPAGE_SIZE, DUNE_DENY_ACCESS), 0);
	assert_int_equal(dune_overlay_apply(&ov, &f->pt, BASE + DUNE_LPAGE_SIZE, DUNE_LPAGE_SIZE),
	                 0);
	dune_pte_t *pe;
	assert_int_equal(dune_vm_lookup(&f->pt, BASE + DUNE_LPAGE_SIZE + PG, true, &pe, &level), 0);
	assert_int_equal(level, 1);
	assert_true(!(*pe & PTE_P) && (*pe & PTE_HIDDEN) && (*pe & PTE_PS));
	assert_int_equal(*pe & PTE_ADDR_MASK, 0x400000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_many_ranges),
	    cmocka_unit_test(test_tools_and_deny),
	    cmocka_unit_test(test_full_table),
	    cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_substitute, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
