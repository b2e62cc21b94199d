// SPDX-License-Identifier: MIT
/*
 * The protection overlay: tools' restrictions of the program's pages, kept
 * apart from the program's own permissions and applied on top of them
 * whenever the guest page table is (re)written. See overlay.h, dune/hook.h.
 */
#include "overlay.h"

#include <errno.h>

#define PAGE_MASK (DUNE_PAGE_SIZE - 1)

int dune_overlay_add_tool(struct dune_overlay *ov, dune_overlay_notify fn, void *arg)
{
	if (ov->ntools >= DUNE_OVERLAY_TOOLS)
		return -ENOSPC;
	ov->tool[ov->ntools] = (struct dune_overlay_owner){fn, arg};
	return ov->ntools++;
}

static bool round_out(uintptr_t va, size_t len, uintptr_t *lo, uintptr_t *hi)
{
	*lo = va & ~PAGE_MASK;
	*hi = (va + len + PAGE_MASK) & ~PAGE_MASK;
	return len && *hi > *lo && *hi <= DUNE_USER_VA_END;
}

int dune_overlay_add(struct dune_overlay *ov, int tool, uintptr_t va, size_t len, int deny)
{
	uintptr_t lo, hi;

	if (tool < 0 || tool >= ov->ntools || !deny ||
	    (deny & ~(DUNE_DENY_WRITE | DUNE_DENY_ACCESS | DUNE_DENY_USER)) ||
	    !round_out(va, len, &lo, &hi))
		return -EINVAL;
	if (ov->nranges >= DUNE_OVERLAY_RANGES)
		return -ENOSPC;
	ov->range[ov->nranges++] = (struct dune_overlay_range){
	    .lo = lo, .hi = hi, .tool = (uint8_t)tool, .deny = (uint8_t)deny};
	return 0;
}

int dune_overlay_remove(struct dune_overlay *ov, int tool, uintptr_t va, size_t len,
                        struct dune_overlay_gone *gone, int max)
{
	uintptr_t lo, hi;
	int splits = 0, n = 0;

	if (!round_out(va, len, &lo, &hi))
		return -EINVAL;
	/* a range that strictly contains [lo, hi) leaves two pieces */
	for (int i = 0; i < ov->nranges; i++) {
		const struct dune_overlay_range *r = &ov->range[i];
		if ((tool < 0 || r->tool == tool) && r->lo < lo && r->hi > hi)
			splits++;
	}
	if (ov->nranges + splits > DUNE_OVERLAY_RANGES)
		return -ENOSPC;
	for (int i = 0; i < ov->nranges;) {
		struct dune_overlay_range *r = &ov->range[i];
		if ((tool >= 0 && r->tool != tool) || r->hi <= lo || r->lo >= hi) {
			i++;
			continue;
		}
		if (n < max)
			gone[n] = (struct dune_overlay_gone){.tool = r->tool,
			                                     .lo = r->lo > lo ? r->lo : lo,
			                                     .hi = r->hi < hi ? r->hi : hi};
		n++;
		if (r->lo < lo && r->hi > hi) {
			ov->range[ov->nranges++] = (struct dune_overlay_range){
			    .lo = hi, .hi = r->hi, .tool = r->tool, .deny = r->deny};
			r->hi = lo;
			i++;
		} else if (r->lo < lo) {
			r->hi = lo;
			i++;
		} else if (r->hi > hi) {
			r->lo = hi;
			i++;
		} else {
			*r = ov->range[--ov->nranges]; /* look at the moved one next */
		}
	}
	return n;
}

int dune_overlay_deny_at(const struct dune_overlay *ov, uintptr_t va)
{
	int deny = 0;

	for (int i = 0; i < ov->nranges; i++)
		if (va >= ov->range[i].lo && va < ov->range[i].hi)
			deny |= ov->range[i].deny;
	return deny;
}

/* Make @va the start of a leaf: split the large page around it until it is. */
static int split_at(struct dune_pt *pt, uintptr_t va)
{
	for (;;) {
		dune_pte_t *e;
		int level;
		if (va >= DUNE_USER_VA_END || dune_vm_lookup(pt, va, false, &e, &level))
			return 0; /* nothing mapped there */
		if (level == 0 || !(va & (dune_level_size(level) - 1)))
			return 0;
		int r = dune_vm_split(pt, va);
		if (r)
			return r;
	}
}

static int tighten_leaf(void *arg, uintptr_t va, dune_pte_t *pte, int level)
{
	int deny = *(const int *)arg;

	(void)va;
	(void)level;
	if (deny & DUNE_DENY_ACCESS) {
		/* not present, the entry kept for a private view */
		__atomic_store_n(pte, (*pte & ~PTE_P) | PTE_HIDDEN, __ATOMIC_RELAXED);
		return 0;
	}
	if ((deny & DUNE_DENY_WRITE) && (*pte & PTE_W))
		__atomic_store_n(pte, (*pte & ~PTE_W) | PTE_TOOL_RO, __ATOMIC_RELAXED);
	/* the leaf alone: U is the AND of every level's (SDM Vol. 3A 4.6.1) */
	if (deny & DUNE_DENY_USER)
		__atomic_and_fetch(pte, ~PTE_U, __ATOMIC_RELAXED);
	return 0;
}

static int tighten(struct dune_pt *pt, uintptr_t lo, uintptr_t hi, int deny)
{
	int r = split_at(pt, lo);
	if (!r)
		r = split_at(pt, hi);
	if (!r)
		r = dune_vm_page_walk(pt, lo, hi, tighten_leaf, &deny);
	return r;
}

int dune_overlay_apply(const struct dune_overlay *ov, struct dune_pt *pt, uintptr_t va, size_t len)
{
	uintptr_t lo, hi;

	if (!ov->nranges || !round_out(va, len, &lo, &hi))
		return 0;
	for (int i = 0; i < ov->nranges; i++) {
		const struct dune_overlay_range *r = &ov->range[i];
		if (r->hi <= lo || r->lo >= hi)
			continue;
		int deny = r->deny & ~ov->ignore;
		if (!deny)
			continue;
		int e = tighten(pt, r->lo > lo ? r->lo : lo, r->hi < hi ? r->hi : hi, deny);
		if (e)
			return e;
	}
	return 0;
}
