// SPDX-License-Identifier: MIT
/*
 * Page-table code, checked by an independent software walker that follows
 * the SDM's 4-level walk (Vol. 3A §4.5) and intersects the rights.
 */
#include <dune/vm.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pt_fixture.h"

#define POOL_PAGES 1024
#define POOL_PA    0x40000000ULL

static int setup(void **state)
{
	return pt_fixture_setup(state, 36, POOL_PAGES, POOL_PA);
}

static int teardown(void **state)
{
	return pt_fixture_teardown(state);
}

struct xlate {
	uint64_t pa;
	int perm; /* effective R/W/X/U */
	int level;
};

/* Independent walker: returns false for a not-present translation. */
static bool walk(struct pt_fixture *f, uint64_t va, struct xlate *out)
{
	uint64_t table_pa = dune_pt_root_pa(&f->pt);
	bool w = true, u = true, x = true;

	for (int level = 3; level >= 0; level--) {
		uint64_t *table = dune_page_va(&f->pool, table_pa);
		uint64_t e = table[(va >> (12 + 9 * level)) & 511];
		if (!(e & PTE_P))
			return false;
		w &= !!(e & PTE_W);
		u &= !!(e & PTE_U);
		x &= !(e & PTE_NX);
		if (level == 0 || ((e & PTE_PS) && level <= 2)) {
			uint64_t size = 1ULL << (12 + 9 * level);
			uint64_t base = e & PTE_ADDR_MASK & ~(size - 1);
			out->pa = base + (va & (size - 1));
			out->perm = DUNE_PERM_R | (w ? DUNE_PERM_W : 0) | (u ? DUNE_PERM_U : 0) |
			            (x ? DUNE_PERM_X : 0);
			out->level = level;
			return true;
		}
		table_pa = e & PTE_ADDR_MASK;
	}
	return false;
}

#define RWU (DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U)
#define RXU (DUNE_PERM_R | DUNE_PERM_X | DUNE_PERM_U)

static void map_phys_small_and_big(void **state)
{
	struct pt_fixture *f = *state;
	struct xlate x;

	assert_int_equal(dune_vm_map_phys(&f->pt, 0x7f0000001000, 0x123456000, 0x2000, RWU), 0);
	assert_true(walk(f, 0x7f0000001abc, &x));
	assert_int_equal(x.pa, 0x123456abc);
	assert_int_equal(x.level, 0);
	assert_int_equal(x.perm, RWU);
	assert_true(walk(f, 0x7f0000002fff, &x));
	assert_int_equal(x.pa, 0x123457fff);
	assert_false(walk(f, 0x7f0000003000, &x));
	assert_false(walk(f, 0x7f0000000000, &x));

	/* 2 MiB aligned on both sides: one large page, then 4 KiB tail */
	assert_int_equal(
	    dune_vm_map_phys(&f->pt, 0x200000, 0x800000, 0x201000, RXU | DUNE_PERM_BIG), 0);
	assert_true(walk(f, 0x3fffff, &x));
	assert_int_equal(x.level, 1);
	assert_int_equal(x.pa, 0x9fffff);
	assert_int_equal(x.perm, RXU);
	assert_true(walk(f, 0x400123, &x));
	assert_int_equal(x.level, 0);
	assert_int_equal(x.pa, 0xa00123);

	/* misaligned physical address: no large page */
	assert_int_equal(
	    dune_vm_map_phys(&f->pt, 0x40000000, 0x1001000, 0x200000, RWU | DUNE_PERM_BIG), 0);
	assert_true(walk(f, 0x40000000, &x));
	assert_int_equal(x.level, 0);

	assert_int_equal(dune_vm_map_phys(&f->pt, 0x1001, 0, 0x1000, RWU), -EINVAL);
	assert_int_equal(dune_vm_map_phys(&f->pt, 0x7ffffffff000, 0, 0x2000, RWU), -EINVAL);
}

static void mprotect_splits_large_pages(void **state)
{
	struct pt_fixture *f = *state;
	struct xlate x;

	assert_int_equal(
	    dune_vm_map_phys(&f->pt, 0x600000, 0x1200000, 0x200000, RWU | DUNE_PERM_BIG), 0);
	assert_int_equal(dune_vm_mprotect(&f->pt, 0x601000, 0x1000, DUNE_PERM_R | DUNE_PERM_U), 0);
	assert_true(walk(f, 0x601000, &x));
	assert_int_equal(x.level, 0);
	assert_int_equal(x.perm, DUNE_PERM_R | DUNE_PERM_U);
	assert_int_equal(x.pa, 0x1201000);
	/* neighbours keep rights and addresses after the split */
	for (uint64_t va = 0x600000; va < 0x800000; va += 0x1000) {
		assert_true(walk(f, va, &x));
		assert_int_equal(x.pa, 0x1200000 + (va - 0x600000));
		if (va != 0x601000)
			assert_int_equal(x.perm, RWU);
	}
	/* supervisor-only: ring 3 loses access */
	assert_int_equal(dune_vm_mprotect(&f->pt, 0x700000, 0x1000, DUNE_PERM_R | DUNE_PERM_W), 0);
	assert_true(walk(f, 0x700000, &x));
	assert_false(x.perm & DUNE_PERM_U);
	/* PROT_NONE removes; absent pages stay absent */
	assert_int_equal(dune_vm_mprotect(&f->pt, 0x702000, 0x1000, 0), 0);
	assert_false(walk(f, 0x702000, &x));
	assert_int_equal(dune_vm_mprotect(&f->pt, 0x702000, 0x1000, RWU), 0);
	assert_false(walk(f, 0x702000, &x));
}

struct leaf_count {
	int leaves4k, leaves2m;
	uintptr_t last;
};

static int count_leaf(void *arg, uintptr_t va, dune_pte_t *pte, int level)
{
	struct leaf_count *c = arg;
	(void)pte;
	assert_true(va >= c->last);
	c->last = va;
	if (level == 0)
		c->leaves4k++;
	else
		c->leaves2m++;
	return 0;
}

static void unmap_and_walk(void **state)
{
	struct pt_fixture *f = *state;
	struct xlate x;

	assert_int_equal(
	    dune_vm_map_phys(&f->pt, 0x10000000, 0x20000000, 0x400000, RWU | DUNE_PERM_BIG), 0);
	assert_int_equal(dune_vm_unmap(&f->pt, 0x10100000, 0x200000), 0);
	assert_true(walk(f, 0x100fffff, &x));
	assert_false(walk(f, 0x10100000, &x));
	assert_false(walk(f, 0x102fffff, &x));
	assert_true(walk(f, 0x10300000, &x));

	/* walk visits present leaves only, in order, with their level */
	struct leaf_count c = {0};
	assert_int_equal(dune_vm_page_walk(&f->pt, 0x10000000, 0x10400000, count_leaf, &c), 0);
	/* 0x10000000-0x10100000 and 0x10300000-0x10400000 as 4 KiB pages */
	assert_int_equal(c.leaves4k, 512);
	assert_int_equal(c.leaves2m, 0);

	dune_pte_t *pte;
	int level;
	assert_int_equal(dune_vm_lookup(&f->pt, 0x10200000, false, &pte, &level), -ENOENT);
	assert_int_equal(dune_vm_lookup(&f->pt, 0x10300000, false, &pte, &level), 0);
	assert_int_equal(level, 0);
	assert_int_equal(*pte & PTE_ADDR_MASK, 0x20300000);
	assert_int_equal(dune_vm_lookup(&f->pt, 0x50000000, true, &pte, &level), 0);
	assert_int_equal(*pte, 0);
}

/* What ring 3 could touch: present and user, and writable for a write,
 * on every page of the range. */
static void user_accessible(void **state)
{
	struct pt_fixture *f = *state;

	assert_int_equal(dune_vm_map_phys(&f->pt, 0x10000000, 0x20000000, 0x2000, RWU), 0);
	assert_int_equal(
	    dune_vm_map_phys(&f->pt, 0x10002000, 0x20002000, 0x1000, DUNE_PERM_R | DUNE_PERM_U), 0);
	assert_int_equal(
	    dune_vm_map_phys(&f->pt, 0x10003000, 0x20003000, 0x1000, DUNE_PERM_R | DUNE_PERM_W), 0);
	assert_true(dune_vm_user_accessible(&f->pt, 0x10000ff8, 16, true)); /* across pages */
	assert_true(dune_vm_user_accessible(&f->pt, 0x10002000, 8, false));
	assert_false(dune_vm_user_accessible(&f->pt, 0x10001ff8, 16, true)); /* into read-only */
	assert_false(dune_vm_user_accessible(&f->pt, 0x10003000, 8, false)); /* supervisor */
	assert_false(dune_vm_user_accessible(&f->pt, 0x10004000, 8, false)); /* unmapped */
	assert_false(dune_vm_user_accessible(&f->pt, 0, 8, false));
	assert_false(dune_vm_user_accessible(&f->pt, UINTPTR_MAX - 4, 8, false)); /* wraps */
}

static void map_pages_uses_layout(void **state)
{
	struct pt_fixture *f = *state;
	struct dune_layout_run runs[4];
	struct xlate x;

	assert_int_equal(dune_layout_cover(&f->layout, 0x7f1234400000, 0x400000, runs, 4), 1);
	assert_int_equal(dune_vm_map_pages(&f->pt, 0x7f1234400000, 0x400000, RWU | DUNE_PERM_BIG),
	                 0);
	assert_true(walk(f, 0x7f1234512345, &x));
	assert_int_equal(x.pa, dune_layout_hva_to_gpa(&f->layout, 0x7f1234512345));
	assert_true(x.pa < (1ULL << 36));
	assert_int_equal(x.level, 1);
	assert_int_equal(dune_vm_map_pages(&f->pt, 0x7f1234800000, 0x1000, RWU), -EFAULT);
}

/* pagemap stand-in for dune_vm_touch_where: the host has odd pages */
static bool odd_page(void *arg, uintptr_t va)
{
	(void)arg;
	return (va >> 12) & 1;
}

/* First-touch mode: pages mapped lazily are absent to the walker until
 * touched, keep their rights through mprotect, stay touched when mapped
 * again, and are gone with unmap. */
static void lazy_pages_first_touch(void **state)
{
	struct pt_fixture *f = *state;
	struct dune_layout_run runs[4];
	struct xlate x;
	dune_pte_t *pte;
	int level;
	const uintptr_t va = 0x7f1234400000;

	assert_int_equal(dune_layout_cover(&f->layout, va, 0x400000, runs, 4), 1);
	assert_int_equal(
	    dune_vm_map_pages(&f->pt, va, 0x200000, RWU | DUNE_PERM_BIG | DUNE_PERM_LAZY), 0);
	/* 4 KiB leaves, none present, each one there for lookup */
	for (uintptr_t p = va; p < va + 0x200000; p += 0x1000)
		assert_false(walk(f, p, &x));
	assert_int_equal(dune_vm_lookup(&f->pt, va + 0x5000, false, &pte, &level), 0);
	assert_int_equal(level, 0);
	assert_true(*pte & PTE_UNTOUCHED);
	assert_true(dune_vm_user_accessible(&f->pt, va + 0x5000, 8, true));
	/* the first touch: present once, with the rights */
	assert_true(dune_vm_first_touch(pte));
	assert_false(dune_vm_first_touch(pte));
	assert_true(walk(f, va + 0x5000, &x));
	assert_int_equal(x.level, 0);
	assert_int_equal(x.perm, RWU);
	assert_int_equal(x.pa, dune_layout_hva_to_gpa(&f->layout, va + 0x5000));
	/* what the host has counts as touched */
	assert_int_equal(dune_vm_touch_where(&f->pt, va, 0x10000, odd_page, NULL), 0);
	for (uintptr_t p = va; p < va + 0x10000; p += 0x1000)
		assert_int_equal(walk(f, p, &x), p == va + 0x5000 || odd_page(NULL, p));
	/* mprotect: untouched pages stay untouched with the new rights */
	assert_int_equal(dune_vm_mprotect(&f->pt, va, 0x10000, DUNE_PERM_R | DUNE_PERM_U), 0);
	assert_false(walk(f, va, &x));
	assert_int_equal(dune_vm_lookup(&f->pt, va, false, &pte, &level), 0);
	assert_false(*pte & PTE_W);
	assert_false(dune_vm_user_accessible(&f->pt, va, 8, true));
	assert_true(dune_vm_user_accessible(&f->pt, va, 8, false));
	assert_true(walk(f, va + 0x1000, &x));
	assert_int_equal(x.perm, DUNE_PERM_R | DUNE_PERM_U);
	/* mapped again (a change of rights from the monitor): touched pages
	 * stay present, the others untouched */
	assert_int_equal(dune_vm_map_pages(&f->pt, va, 0x10000, RWU | DUNE_PERM_LAZY), 0);
	assert_true(walk(f, va + 0x5000, &x));
	assert_int_equal(x.perm, RWU);
	assert_false(walk(f, va + 0x4000, &x));
	/* unmapped: gone, untouched or not */
	assert_int_equal(dune_vm_unmap(&f->pt, va, 0x10000), 0);
	assert_int_equal(dune_vm_lookup(&f->pt, va, false, &pte, &level), -ENOENT);
	assert_int_equal(dune_vm_lookup(&f->pt, va + 0x5000, false, &pte, &level), -ENOENT);
	/* beyond the unmapped part, still there */
	assert_int_equal(dune_vm_lookup(&f->pt, va + 0x10000, false, &pte, &level), 0);
	assert_true(*pte & PTE_UNTOUCHED);
}

struct runs_seen {
	uintptr_t va[8];
	size_t pages[8];
	bool dirty[8];
	int n;
};

static int record_run(void *arg, uintptr_t va, size_t pages, bool dirty)
{
	struct runs_seen *r = arg;
	if (r->n == 8)
		return 1;
	r->va[r->n] = va;
	r->pages[r->n] = pages;
	r->dirty[r->n++] = dirty;
	return 0;
}

static bool own_second_page(uintptr_t lo, uintptr_t hi)
{
	const uintptr_t mine = 0x7f1234401000;
	return lo < mine + 0x1000 && hi > mine;
}

static void accessed_and_dirty_taken(void **state)
{
	struct pt_fixture *f = *state;
	struct runs_seen seen = {0};
	dune_pte_t *pte;
	const uintptr_t va = 0x7f1234400000;
	size_t walked;
	struct dune_layout_run covered[4];

	assert_int_equal(dune_layout_cover(&f->layout, va, 0x400000, covered, 4), 1);
	assert_int_equal(dune_vm_map_pages(&f->pt, va, 0x10000, RWU), 0);
	assert_int_equal(dune_vm_map_pages(&f->pt, va + 0x200000, 0x200000, RWU | DUNE_PERM_BIG),
	                 0);
	/* pages 0, 1 (the caller's own), 2 read; 3 written; 5 written; the
	 * large page read */
	const int read_pages[] = {0, 1, 2}, written[] = {3, 5};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(
		    dune_vm_lookup(&f->pt, va + read_pages[i] * 0x1000, false, &pte, NULL), 0);
		*pte |= PTE_A;
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(
		    dune_vm_lookup(&f->pt, va + written[i] * 0x1000, false, &pte, NULL), 0);
		*pte |= PTE_A | PTE_D;
	}
	int level;
	assert_int_equal(dune_vm_lookup(&f->pt, va + 0x200000, false, &pte, &level), 0);
	assert_int_equal(level, 1);
	*pte |= PTE_A;

	assert_int_equal(dune_vm_take_accessed(&f->pt, va, va + 0x400000, own_second_page,
	                                       record_run, &seen, &walked),
	                 0);
	assert_int_equal(walked, 16 - 1 + 512);
	assert_int_equal(seen.n, 5);
	assert_int_equal(seen.va[0], va);
	assert_int_equal(seen.pages[0], 1);
	assert_false(seen.dirty[0]);
	assert_int_equal(seen.va[1], va + 0x2000);
	assert_int_equal(seen.pages[1], 1);
	assert_false(seen.dirty[1]);
	assert_int_equal(seen.va[2], va + 0x3000);
	assert_true(seen.dirty[2]);
	assert_int_equal(seen.va[3], va + 0x5000);
	assert_true(seen.dirty[3]);
	assert_int_equal(seen.va[4], va + 0x200000);
	assert_int_equal(seen.pages[4], 512);
	assert_false(seen.dirty[4]);
	/* taken: a second look finds nothing, but the caller's own page kept
	 * its bit */
	seen.n = 0;
	assert_int_equal(dune_vm_take_accessed(&f->pt, va, va + 0x400000, own_second_page,
	                                       record_run, &seen, NULL),
	                 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(dune_vm_lookup(&f->pt, va + 0x1000, false, &pte, NULL), 0);
	assert_true(*pte & PTE_A);
	assert_int_equal(dune_vm_lookup(&f->pt, va + 0x3000, false, &pte, NULL), 0);
	assert_false(*pte & (PTE_A | PTE_D));
	assert_true(*pte & PTE_P);
}

static void clone_and_free(void **state)
{
	struct pt_fixture *f = *state;
	struct dune_pt copy;
	struct xlate a, b;

	size_t before = f->pool.in_use;
	assert_int_equal(dune_vm_map_phys(&f->pt, 0x1000, 0x5000, 0x3000, RWU), 0);
	assert_int_equal(
	    dune_vm_map_phys(&f->pt, 0x7ffe00000000, 0x10000000, 0x400000, RXU | DUNE_PERM_BIG), 0);
	assert_int_equal(dune_vm_clone(&copy, &f->pt), 0);
	assert_true(copy.root != f->pt.root);
	uint64_t probes[] = {0x1000, 0x3fff, 0x7ffe00001234, 0x7ffe003fffff};
	for (size_t i = 0; i < 4; i++) {
		assert_true(walk(f, probes[i], &a));
		struct dune_pt saved = f->pt;
		f->pt = copy;
		assert_true(walk(f, probes[i], &b));
		f->pt = saved;
		assert_memory_equal(&a, &b, sizeof(a));
	}
	/* changing the clone leaves the original alone */
	assert_int_equal(dune_vm_unmap(&copy, 0x1000, 0x1000), 0);
	assert_true(walk(f, 0x1000, &a));
	dune_vm_free(&copy);
	assert_null(copy.root);
	dune_vm_free(&f->pt);
	assert_int_equal(f->pool.in_use, before - 1); /* the root is gone too */
}

static void pool_exhaustion(void **state)
{
	(void)state;
	static char mem[4 * 4096] __attribute__((aligned(4096)));
	struct dune_page_pool pool;
	dune_page_pool_init(&pool, mem, 0x100000, sizeof(mem));
	void *p[4];
	for (int i = 0; i < 4; i++) {
		p[i] = dune_page_alloc(&pool);
		assert_non_null(p[i]);
		assert_int_equal(dune_page_pa(&pool, p[i]), 0x100000 + i * 4096);
		assert_ptr_equal(dune_page_va(&pool, 0x100000 + i * 4096), p[i]);
	}
	assert_null(dune_page_alloc(&pool));
	memset(p[2], 0xaa, 4096);
	dune_page_free(&pool, p[2]);
	void *again = dune_page_alloc(&pool);
	assert_ptr_equal(again, p[2]);
	assert_int_equal(((char *)again)[100], 0); /* zeroed */

	struct dune_layout layout;
	struct dune_pt pt;
	dune_layout_init(&layout, 48);
	dune_page_pool_init(&pool, mem, 0x100000, 2 * 4096);
	assert_int_equal(dune_pt_init(&pt, &pool, &layout), 0);
	/* needs a PDPT, a PD and a PT: only one page is left */
	assert_int_equal(dune_vm_map_phys(&pt, 0x1000, 0x1000, 0x1000, RWU), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(map_phys_small_and_big, setup, teardown),
	    cmocka_unit_test_setup_teardown(mprotect_splits_large_pages, setup, teardown),
	    cmocka_unit_test_setup_teardown(unmap_and_walk, setup, teardown),
	    cmocka_unit_test_setup_teardown(user_accessible, setup, teardown),
	    cmocka_unit_test_setup_teardown(map_pages_uses_layout, setup, teardown),
	    cmocka_unit_test_setup_teardown(lazy_pages_first_touch, setup, teardown),
	    cmocka_unit_test_setup_teardown(accessed_and_dirty_taken, setup, teardown),
	    cmocka_unit_test_setup_teardown(clone_and_free, setup, teardown),
	    cmocka_unit_test(pool_exhaustion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
