/* SPDX-License-Identifier: MIT */
/*
 * A page table on ordinary memory for unit tests: a page pool of
 * PT_FIXTURE_PAGES pages that pretends to live at guest-physical
 * PT_FIXTURE_PA, a layout for @phys_bits physical-address bits, and an empty
 * root table. cmocka setup/teardown functions around it.
 */
#ifndef DTL_TEST_PT_FIXTURE_H
#define DTL_TEST_PT_FIXTURE_H

#include <dune/layout.h>
#include <dune/vm.h>

#include <stdlib.h>

struct pt_fixture {
	struct dune_page_pool pool;
	struct dune_layout layout;
	struct dune_pt pt;
	void *mem;
};

static inline int pt_fixture_setup(void **state, unsigned phys_bits, size_t pages, uint64_t pa)
{
	struct pt_fixture *f = calloc(1, sizeof(*f));
	f->mem = aligned_alloc(4096, pages * 4096);
	dune_page_pool_init(&f->pool, f->mem, pa, pages * 4096);
	dune_layout_init(&f->layout, phys_bits);
	assert_int_equal(dune_pt_init(&f->pt, &f->pool, &f->layout), 0);
	*state = f;
	return 0;
}

static inline int pt_fixture_teardown(void **state)
{
	struct pt_fixture *f = *state;
	free(f->mem);
	free(f);
	return 0;
}

#endif
