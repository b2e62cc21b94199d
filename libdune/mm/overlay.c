// SPDX-License-Identifier: MIT
/*
 * The protection overlay: tools' restrictions of the program's pages, kept
 * apart from the program's own permissions and applied on top of them
 * whenever the guest page table is (re)written. See overlay.h, dune/hook.h.
 */
#include "overlay.h"

#include <errno.h>
#include <string.h>

#define PAGE_MASK (DUNE_PAGE_SIZE - 1)

static struct dune_overlay_range *table(struct dune_overlay *ov)
{
	return ov->range ? ov->range : ov->early;
}

static int capacity(const struct dune_overlay *ov)
{
	return ov->range ? ov->cap : DUNE_OVERLAY_EARLY;
}

const struct dune_overlay_range *dune_overlay_range_at(const struct dune_overlay *ov, int i)
{
	return (ov->range ? ov->range : ov->early) + i;
}

void dune_overlay_attach(struct dune_overlay *ov, struct dune_overlay_range *t, int cap)
{
	memcpy(t, table(ov), (size_t)ov->nranges * sizeof(*t));
	ov->cap = cap;
	ov->range = t;
}

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

/* The index of the first range that starts at or after @va. */
static int first_from(const struct dune_overlay *ov, uintptr_t va)
{
	const struct dune_overlay_range *r = dune_overlay_range_at(ov, 0);
	int lo = 0, hi = ov->nranges;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (r[mid].lo < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first range that may reach @va: none that starts earlier can. */
static int first_reaching(const struct dune_overlay *ov, uintptr_t va)
{
	return first_from(ov, va > ov->max_len ? va - ov->max_len : 0);
}

/* Back in order after ranges moved (a trimmed one starts later, split-off
 * pieces were appended): insertion sort, cheap on a table this close to
 * sorted; and the longest length again. */
static void resort(struct dune_overlay *ov)
{
	struct dune_overlay_range *t = table(ov);
	uintptr_t longest = 0;
	for (int i = 1; i < ov->nranges; i++) {
		struct dune_overlay_range r = t[i];
		int j = i;
		for (; j > 0 && t[j - 1].lo > r.lo; j--)
			t[j] = t[j - 1];
		t[j] = r;
	}
	for (int i = 0; i < ov->nranges; i++)
		if (t[i].hi - t[i].lo > longest)
			longest = t[i].hi - t[i].lo;
	ov->max_len = longest;
}

int dune_overlay_add(struct dune_overlay *ov, int tool, uintptr_t va, size_t len, int deny)
{
	uintptr_t lo, hi;

	if (tool < 0 || tool >= ov->ntools || !deny ||
	    (deny & ~(DUNE_DENY_WRITE | DUNE_DENY_ACCESS | DUNE_DENY_USER)) ||
	    !round_out(va, len, &lo, &hi))
		return -EINVAL;
	struct dune_overlay_range *t = table(ov);
	/* the tool's ranges of this kind that it overlaps or touches become
	 * one with it */
	int from = first_reaching(ov, lo), kept = from, merged = 0;
	for (int i = from; i < ov->nranges; i++) {
		struct dune_overlay_range r = t[i];
		if (r.lo <= hi && r.hi >= lo && r.tool == tool && r.deny == deny) {
			lo = r.lo < lo ? r.lo : lo;
			hi = r.hi > hi ? r.hi : hi;
			merged++;
			continue;
		}
		t[kept++] = r;
	}
	if (!merged && ov->nranges >= capacity(ov))
		return -ENOSPC;
	ov->nranges -= merged;
	int at = first_from(ov, lo);
	memmove(&t[at + 1], &t[at], (size_t)(ov->nranges - at) * sizeof(*t));
	t[at] = (struct dune_overlay_range){
	    .lo = lo, .hi = hi, .tool = (uint8_t)tool, .deny = (uint8_t)deny};
	ov->nranges++;
	if (hi - lo > ov->max_len)
		ov->max_len = hi - lo;
	return 0;
}

int dune_overlay_remove(struct dune_overlay *ov, int tool, uintptr_t va, size_t len,
                        struct dune_overlay_gone *gone, int max)
{
	uintptr_t lo, hi;
	int splits = 0, n = 0;

	if (!round_out(va, len, &lo, &hi))
		return -EINVAL;
	struct dune_overlay_range *t = table(ov);
	int from = first_reaching(ov, lo);
	/* a range that strictly contains [lo, hi) leaves two pieces */
	for (int i = from; i < ov->nranges && t[i].lo < hi; i++)
		if ((tool < 0 || t[i].tool == tool) && t[i].lo < lo && t[i].hi > hi)
			splits++;
	if (ov->nranges + splits > capacity(ov))
		return -ENOSPC;
	int end = ov->nranges, kept = from;
	for (int i = from; i < end; i++) {
		struct dune_overlay_range r = t[i];
		if (r.lo >= hi || (tool >= 0 && r.tool != tool) || r.hi <= lo) {
			t[kept++] = r;
			continue;
		}
		if (n < max)
			gone[n] = (struct dune_overlay_gone){.tool = r.tool,
			                                     .lo = r.lo > lo ? r.lo : lo,
			                                     .hi = r.hi < hi ? r.hi : hi};
		n++;
		if (r.lo < lo && r.hi > hi) {
			/* the piece after the hole goes to the end; resort() */
			t[ov->nranges++] = (struct dune_overlay_range){
			    .lo = hi, .hi = r.hi, .tool = r.tool, .deny = r.deny};
			r.hi = lo;
		} else if (r.lo < lo) {
			r.hi = lo;
		} else if (r.hi > hi) {
			r.lo = hi;
		} else {
			continue; /* all of it: dropped */
		}
		t[kept++] = r;
	}
	/* the split-off pieces after the kept ones */
	memmove(&t[kept], &t[end], (size_t)(ov->nranges - end) * sizeof(*t));
	ov->nranges = kept + (ov->nranges - end);
	if (n)
		resort(ov);
	return n;
}

int dune_overlay_deny_at(const struct dune_overlay *ov, uintptr_t va)
{
	const struct dune_overlay_range *t = dune_overlay_range_at(ov, 0);
	int deny = 0;

	/* the ranges that start at or before @va, back as far as the longest
	 * reaches */
	for (int i = first_from(ov, va + 1) - 1; i >= 0 && va - t[i].lo < ov->max_len; i--)
		if (va < t[i].hi)
			deny |= t[i].deny;
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
	/* compare-and-exchange: a first touch in ring 0 may make an
	 * untouched leaf present meanwhile (dune_vm_first_touch) */
	dune_pte_t old = __atomic_load_n(pte, __ATOMIC_RELAXED), n;
	if (deny & DUNE_DENY_ACCESS) {
		/* not present, the entry kept for a private view */
		do
			n = (old & ~PTE_P) | PTE_HIDDEN;
		while (!__atomic_compare_exchange_n(pte, &old, n, false, __ATOMIC_RELAXED,
		                                    __ATOMIC_RELAXED));
		return 0;
	}
	if (deny & DUNE_DENY_WRITE)
		do
			n = old & PTE_W ? (old & ~PTE_W) | PTE_TOOL_RO : old;
		while (n != old && !__atomic_compare_exchange_n(
		                       pte, &old, n, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
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

int dune_overlay_subst_add(struct dune_overlay *ov, uintptr_t page, uint64_t pa, void *copy)
{
	if (dune_overlay_subst_find(ov, page))
		return -EEXIST;
	if (ov->nsubst >= DUNE_OVERLAY_SUBST)
		return -ENOSPC;
	ov->subst[ov->nsubst++] = (struct dune_overlay_subst){.page = page, .pa = pa, .copy = copy};
	return 0;
}

struct dune_overlay_subst *dune_overlay_subst_find(struct dune_overlay *ov, uintptr_t page)
{
	for (int i = 0; i < ov->nsubst; i++)
		if (ov->subst[i].page == page)
			return &ov->subst[i];
	return NULL;
}

void dune_overlay_subst_remove(struct dune_overlay *ov, uintptr_t page)
{
	struct dune_overlay_subst *s = dune_overlay_subst_find(ov, page);
	if (s)
		*s = ov->subst[--ov->nsubst];
}

/* The copy's frame for the leaf of @s's page, where the program cannot
 * write it. */
static int substitute(struct dune_pt *pt, const struct dune_overlay_subst *s)
{
	dune_pte_t *e;
	int level, r = split_at(pt, s->page);
	if (!r)
		r = split_at(pt, s->page + DUNE_PAGE_SIZE);
	if (r || dune_vm_lookup(pt, s->page, true, &e, &level) || level)
		return r;
	dune_pte_t pte = *e;
	if (!(pte & (PTE_P | PTE_HIDDEN | PTE_UNTOUCHED)) || (pte & (PTE_W | PTE_TOOL_RO)))
		return 0;
	__atomic_store_n(e, (pte & ~PTE_ADDR_MASK) | s->pa | PTE_SUBST, __ATOMIC_RELAXED);
	return 0;
}

int dune_overlay_apply(const struct dune_overlay *ov, struct dune_pt *pt, uintptr_t va, size_t len)
{
	uintptr_t lo, hi;

	if ((!ov->nranges && !ov->nsubst) || !round_out(va, len, &lo, &hi))
		return 0;
	for (int i = 0; i < ov->nsubst; i++) {
		if (ov->subst[i].page < lo || ov->subst[i].page >= hi)
			continue;
		int e = substitute(pt, &ov->subst[i]);
		if (e)
			return e;
	}
	for (int i = first_reaching(ov, lo); i < ov->nranges; i++) {
		const struct dune_overlay_range *r = dune_overlay_range_at(ov, i);
		if (r->lo >= hi)
			break;
		if (r->hi <= lo)
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
