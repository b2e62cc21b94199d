/* SPDX-License-Identifier: MIT */
/*
 * The protection overlay's bookkeeping (mm/overlay.c): which tool restricts
 * which pages how, and the page-table side (tighten the entries of a range
 * to what the restrictions allow). Plain memory and the page-table calls of
 * dune/vm.h, so it runs in the monitor and in an ordinary process
 * (tests/unit/test_overlay.c). Callers serialise on @lock.
 */
#ifndef DUNE_OVERLAY_H
#define DUNE_OVERLAY_H

#include <dune/hook.h>
#include <dune/spinlock.h>
#include <dune/vm.h>
#include <stddef.h>
#include <stdint.h>

struct dune_overlay_range {
	uintptr_t lo, hi; /* page aligned, lo < hi */
	uint8_t tool;
	uint8_t deny; /* DUNE_DENY_* */
};

struct dune_overlay_owner {
	dune_overlay_notify fn;
	void *arg;
};

/* A page of the program the guest sees as another frame (a copy holding
 * code breakpoints): @pa is the copy's. */
struct dune_overlay_subst {
	uintptr_t page;
	uint64_t pa;
	void *copy; /* where the monitor writes the copy */
};
#define DUNE_OVERLAY_SUBST 64

/* Ranges recorded before the table in the runtime region exists. */
#define DUNE_OVERLAY_EARLY 64

/*
 * The ranges are kept sorted by @lo, and a tool's ranges of one kind never
 * overlap or touch (they are merged), so that the ranges at an address are
 * found by a binary search and a walk back of at most @max_len: a fault
 * costs O(log n) however many ranges there are (thousands of watchpoints).
 */
struct dune_overlay {
	dune_spinlock_t lock;
	int ntools;
	struct dune_overlay_owner tool[DUNE_OVERLAY_TOOLS];
	int nranges;
	int cap;                          /* of @range; 0: @early is the table */
	struct dune_overlay_range *range; /* NULL: @early */
	uintptr_t max_len;                /* no range is longer */
	struct dune_overlay_range early[DUNE_OVERLAY_EARLY];
	int nsubst;
	struct dune_overlay_subst subst[DUNE_OVERLAY_SUBST];
	uint8_t ignore; /* DUNE_DENY_* bits recorded but not applied (the backend lacks them) */
};

/* A restriction that ended because the program unmapped its memory. */
struct dune_overlay_gone {
	int tool;
	uintptr_t lo, hi;
};

/* Move the ranges into @table (room for @cap, at least DUNE_OVERLAY_EARLY). */
void dune_overlay_attach(struct dune_overlay *ov, struct dune_overlay_range *table, int cap);
/* The table and its @i-th range, sorted by lo. */
const struct dune_overlay_range *dune_overlay_range_at(const struct dune_overlay *ov, int i);

int dune_overlay_add_tool(struct dune_overlay *ov, dune_overlay_notify fn, void *arg);
/* Record a restriction; ranges are rounded out to pages and merged with
 * the same tool's of the same kind they overlap or touch. -EINVAL, -ENOSPC. */
int dune_overlay_add(struct dune_overlay *ov, int tool, uintptr_t va, size_t len, int deny);
/* Drop @tool's restrictions in [va, va+len) (all tools' for @tool < 0).
 * Ranges only partly covered are trimmed or split. Each dropped piece is
 * written to @gone (up to @max of them); returns how many pieces there were,
 * or -ENOSPC when a split found the table full (nothing changed then). */
int dune_overlay_remove(struct dune_overlay *ov, int tool, uintptr_t va, size_t len,
                        struct dune_overlay_gone *gone, int max);
/* DUNE_DENY_* in force for the page of @va, every tool together. */
int dune_overlay_deny_at(const struct dune_overlay *ov, uintptr_t va);
/* Let the guest see @page as the frame at @pa (@copy in the monitor):
 * 0, -EEXIST, -ENOSPC. */
int dune_overlay_subst_add(struct dune_overlay *ov, uintptr_t page, uint64_t pa, void *copy);
/* The substitution of @page, or NULL. */
struct dune_overlay_subst *dune_overlay_subst_find(struct dune_overlay *ov, uintptr_t page);
void dune_overlay_subst_remove(struct dune_overlay *ov, uintptr_t page);
/* Tighten the entries of @pt in [va, va+len) to the restrictions there:
 * write-protected pages lose PTE_W, inaccessible ones their entry. Large
 * pages a restriction covers only in part are split. Substituted pages
 * get their copy's frame where the program cannot write them (a page it
 * can write keeps its own: a breakpoint there would not be seen). */
int dune_overlay_apply(const struct dune_overlay *ov, struct dune_pt *pt, uintptr_t va, size_t len);

#endif
