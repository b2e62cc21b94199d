// SPDX-License-Identifier: MIT
/* Which watchpoints are on a page (engine_private.h). */
#include "engine_private.h"

/*
 * The #PF path and the kernel-write check ask which watchpoints are on a
 * page, with thousands of them armed: a hash of (page, watchpoint) pairs
 * for every page watchpoint of up to INDEX_SPAN pages, and a bitmap of the
 * others (debug registers, longer ranges, those the hash has no room for),
 * scanned whole. Written under arm_lock; read in ring 0 without a lock, so
 * an entry once written only ever becomes a tombstone, and readers check
 * the watchpoint's state.
 */
#define INDEX_SLOTS    (1u << 16)
#define INDEX_SPAN     16
#define KEY_EMPTY      0
#define KEY_GONE       1
#define KEY(page, i)   ((((uint64_t)(page) >> 12) << 16) | (uint64_t)(i))
#define KEY_PAGE(key)  ((uintptr_t)((key) >> 16) << 12)
#define KEY_WATCH(key) ((int)((key)&0xffff))
/* a range longer than this is compared with every watchpoint instead */
#define LOOKUP_PAGES   64

static uint64_t page_index[INDEX_SLOTS];
static unsigned index_used; /* entries and tombstones */
static uint64_t unindexed[DTL_WATCH_MAX / 64];

static unsigned slot_of(uintptr_t page)
{
	return (unsigned)(((page >> 12) * 0x9e3779b97f4a7c15ULL) >> 48) & (INDEX_SLOTS - 1);
}

void index_add(int i)
{
	struct watch *w = &watches[i];
	uintptr_t lo = PAGE_OF(w->lo), hi = PAGE_OF(w->hi - 1) + DUNE_PAGE_SIZE;
	unsigned pages = (unsigned)((hi - lo) / DUNE_PAGE_SIZE);

	w->indexed = w->how == DTL_WATCH_PAGE && pages <= INDEX_SPAN &&
	             index_used + pages <= INDEX_SLOTS / 2;
	if (!w->indexed) {
		__atomic_or_fetch(&unindexed[i / 64], 1ULL << (i % 64), __ATOMIC_RELEASE);
		return;
	}
	for (uintptr_t p = lo; p < hi; p += DUNE_PAGE_SIZE) {
		unsigned s = slot_of(p);
		while (page_index[s] > KEY_GONE)
			s = (s + 1) & (INDEX_SLOTS - 1);
		if (page_index[s] == KEY_EMPTY)
			index_used++;
		__atomic_store_n(&page_index[s], KEY(p, i), __ATOMIC_RELEASE);
	}
}

void index_remove(int i)
{
	struct watch *w = &watches[i];
	if (!w->indexed) {
		__atomic_and_fetch(&unindexed[i / 64], ~(1ULL << (i % 64)), __ATOMIC_RELEASE);
		return;
	}
	uintptr_t lo = PAGE_OF(w->lo), hi = PAGE_OF(w->hi - 1) + DUNE_PAGE_SIZE;
	for (uintptr_t p = lo; p < hi; p += DUNE_PAGE_SIZE)
		for (unsigned s = slot_of(p); page_index[s] != KEY_EMPTY;
		     s = (s + 1) & (INDEX_SLOTS - 1))
			if (page_index[s] == KEY(p, i)) {
				__atomic_store_n(&page_index[s], KEY_GONE, __ATOMIC_RELEASE);
				break;
			}
	w->indexed = false;
}

static bool live_in(int i, uintptr_t lo, uintptr_t hi, uint8_t how)
{
	const struct watch *w = &watches[i];
	return __atomic_load_n(&w->state, __ATOMIC_ACQUIRE) == LIVE && (!how || w->how == how) &&
	       w->lo < hi && w->hi > lo;
}

int add_unique(int *out, int n, int max, int i)
{
	for (int k = 0; k < n; k++)
		if (out[k] == i)
			return n;
	if (n < max)
		out[n++] = i;
	return n;
}

/*
 * The live watchpoints (armed @how, 0 for any) that overlap [lo, hi), in
 * @out (room for @max), in the order they were armed: how many.
 */
int watches_in(uintptr_t lo, uintptr_t hi, uint8_t how, int *out, int max)
{
	int n = 0, nw = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);

	if (hi - lo > (uintptr_t)LOOKUP_PAGES * DUNE_PAGE_SIZE) {
		for (int i = 0; i < nw && n < max; i++)
			if (live_in(i, lo, hi, how))
				out[n++] = i;
		return n;
	}
	for (uintptr_t p = PAGE_OF(lo); p < hi; p += DUNE_PAGE_SIZE)
		for (unsigned s = slot_of(p);; s = (s + 1) & (INDEX_SLOTS - 1)) {
			uint64_t key = __atomic_load_n(&page_index[s], __ATOMIC_ACQUIRE);
			if (key == KEY_EMPTY)
				break;
			if (key != KEY_GONE && KEY_PAGE(key) == p &&
			    live_in(KEY_WATCH(key), lo, hi, how))
				n = add_unique(out, n, max, KEY_WATCH(key));
		}
	for (int word = 0; word * 64 < nw; word++)
		for (uint64_t bits = __atomic_load_n(&unindexed[word], __ATOMIC_ACQUIRE); bits;
		     bits &= bits - 1) {
			int i = word * 64 + __builtin_ctzll(bits);
			if (live_in(i, lo, hi, how))
				n = add_unique(out, n, max, i);
		}
	for (int a = 1; a < n; a++)
		for (int b = a; b > 0 && out[b - 1] > out[b]; b--) {
			int t = out[b];
			out[b] = out[b - 1];
			out[b - 1] = t;
		}
	return n;
}
