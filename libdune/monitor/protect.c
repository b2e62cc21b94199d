// SPDX-License-Identifier: MIT
/*
 * The process's protection overlay (dune/hook.h): the public calls, which
 * from ring 0 become a host call so that every change to the overlay and to
 * the page table it tightens happens here in the monitor, and the memory
 * model's questions to it. Bookkeeping and the page-table side: mm/overlay.c.
 * Interrupt context: raw system calls only, no allocation.
 */
#include "hooks.h"
#include "monitor.h"

#include <errno.h>

struct dune_overlay dune_overlay;

enum overlay_op { OVERLAY_TOOL, OVERLAY_RESTRICT, OVERLAY_LIFT, OVERLAY_BP_SET, OVERLAY_BP_CLEAR };

/*
 * Rights were taken away: the calling vCPU flushes its TLB when the host
 * call returns (dune_hostcall), every other vCPU at its next host call.
 * There is no cross-vCPU shootdown.
 */
static void flush_all_vcpus(void)
{
	int n = __atomic_load_n(&dune_state.nr_vcpus, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n && i < DUNE_MAX_VCPUS; i++) {
		struct dune_percpu *pc = dune_percpu_at(i);
		if (pc)
			__atomic_store_n(&pc->tlb_flush_pending, 1, __ATOMIC_RELEASE);
	}
	if (dune_this_cpu())
		dune_tls_stats.tlb_flushes++;
}

/* DUNE_DENY_USER only where the backend has supervisor-only pages (on PVM
 * a guest in supervisor mode cannot use them: backend/kvm/pvm.c, quirk 5).
 * Known once the backend is chosen; restrictions recorded before that are
 * first applied when dune_mem_init maps the process. */
static void honour_backend(void)
{
	bool user = dune_backend && dune_backend->has_capability(DUNE_CAP_SUPERVISOR_PAGES);
	dune_overlay.ignore = user ? 0 : DUNE_DENY_USER;
}

static long restrict_range(int tool, uintptr_t va, size_t len, int deny)
{
	/* the runtime's own pages are not the program's to restrict */
	if (dune_mem_runtime_overlaps(va, va + len))
		return -EINVAL;
	dune_spin_lock(&dune_overlay.lock);
	int r = dune_overlay_add(&dune_overlay, tool, va, len, deny);
	if (r == 0 && dune_state.initialised) {
		honour_backend();
		r = dune_overlay_apply(&dune_overlay, &dune_state.pt, va, len);
	}
	dune_spin_unlock(&dune_overlay.lock);
	if (r == 0)
		flush_all_vcpus();
	return r;
}

static long lift_range(int tool, uintptr_t va, size_t len)
{
	struct dune_overlay_gone gone[16];

	if (tool < 0 || tool >= dune_overlay.ntools)
		return -EINVAL;
	dune_spin_lock(&dune_overlay.lock);
	int n = dune_overlay_remove(&dune_overlay, tool, va, len, gone, 16);
	dune_spin_unlock(&dune_overlay.lock);
	if (n <= 0 || !dune_state.initialised)
		return n < 0 ? n : 0;
	/* the host's rights back, minus what the other tools still restrict;
	 * more pieces than fit: the whole range */
	if (n > 16) {
		n = 1;
		gone[0].lo = va & ~(DUNE_PAGE_SIZE - 1);
		gone[0].hi = (va + len + DUNE_PAGE_SIZE - 1) & ~(DUNE_PAGE_SIZE - 1);
	}
	for (int i = 0; i < n; i++)
		dune_mem_resync(gone[i].lo, gone[i].hi);
	flush_all_vcpus();
	return 0;
}

/* ---- code breakpoints ---- */

/* Each int3 placed, with the byte it covers in the copy. */
#define CODE_BREAKPOINTS 256
static struct {
	uintptr_t va;
	uint8_t orig;
	int refs;
} bps[CODE_BREAKPOINTS];
static int nbps;

static int bp_find(uintptr_t va)
{
	for (int i = 0; i < nbps; i++)
		if (bps[i].va == va)
			return i;
	return -1;
}

/*
 * A copy no longer in the page table may still be in another vCPU's TLB
 * (they flush at their next host call): it goes back to the pool once
 * every vCPU has flushed since. Under the overlay's lock.
 */
static void *retired[DUNE_OVERLAY_SUBST];
static int nretired;

static bool flush_pending_anywhere(void)
{
	int n = __atomic_load_n(&dune_state.nr_vcpus, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n && i < DUNE_MAX_VCPUS; i++) {
		struct dune_percpu *pc = dune_percpu_at(i);
		if (pc && __atomic_load_n(&pc->tlb_flush_pending, __ATOMIC_ACQUIRE))
			return true;
	}
	return false;
}

static void retire(void *copy)
{
	if (nretired < DUNE_OVERLAY_SUBST)
		retired[nretired++] = copy; /* else kept: a page lost, not a hazard */
}

static void free_retired(void)
{
	if (!nretired || flush_pending_anywhere())
		return;
	while (nretired)
		dune_page_free(&dune_state.pool, retired[--nretired]);
}

static long bp_set(uintptr_t va)
{
	uintptr_t page = va & ~(DUNE_PAGE_SIZE - 1);
	uint8_t orig;

	if (va >= DUNE_USER_VA_END || dune_mem_runtime_overlaps(page, page + DUNE_PAGE_SIZE) ||
	    !dune_read_user(&orig, (const void *)va, 1))
		return -EINVAL;
	long r = 0;
	dune_spin_lock(&dune_overlay.lock);
	free_retired();
	int i = bp_find(va);
	if (i >= 0) {
		bps[i].refs++;
		dune_spin_unlock(&dune_overlay.lock);
		return 0;
	}
	if (nbps >= CODE_BREAKPOINTS) {
		dune_spin_unlock(&dune_overlay.lock);
		return -ENOSPC;
	}
	struct dune_overlay_subst *s = dune_overlay_subst_find(&dune_overlay, page);
	if (!s) {
		/* the guest's copy of the page, from the program's own */
		void *copy = dune_page_alloc(&dune_state.pool);
		if (!copy)
			r = -ENOMEM;
		else if (!dune_read_user(copy, (const void *)page, DUNE_PAGE_SIZE))
			r = -EINVAL;
		else
			r = dune_overlay_subst_add(&dune_overlay, page,
			                           dune_page_pa(&dune_state.pool, copy), copy);
		if (r && copy)
			dune_page_free(&dune_state.pool, copy);
		s = r ? NULL : dune_overlay_subst_find(&dune_overlay, page);
	}
	if (s) {
		bps[nbps++] = (typeof(bps[0])){.va = va, .orig = orig, .refs = 1};
		((uint8_t *)s->copy)[va - page] = 0xcc; /* int3 (SDM Vol. 2A, INT n/INT3) */
		if (dune_state.initialised)
			r = dune_overlay_apply(&dune_overlay, &dune_state.pt, page, DUNE_PAGE_SIZE);
	}
	dune_spin_unlock(&dune_overlay.lock);
	if (!r)
		flush_all_vcpus();
	return r;
}

static long bp_clear(uintptr_t va)
{
	uintptr_t page = va & ~(DUNE_PAGE_SIZE - 1);

	dune_spin_lock(&dune_overlay.lock);
	int i = bp_find(va);
	if (i < 0 || --bps[i].refs) {
		dune_spin_unlock(&dune_overlay.lock);
		return i < 0 ? -ENOENT : 0;
	}
	struct dune_overlay_subst *s = dune_overlay_subst_find(&dune_overlay, page);
	if (s)
		((uint8_t *)s->copy)[va - page] = bps[i].orig;
	bps[i] = bps[--nbps];
	bool last = true;
	for (int k = 0; k < nbps; k++)
		if ((bps[k].va & ~(DUNE_PAGE_SIZE - 1)) == page)
			last = false;
	void *copy = s && last ? s->copy : NULL;
	if (copy)
		dune_overlay_subst_remove(&dune_overlay, page);
	dune_spin_unlock(&dune_overlay.lock);
	if (copy) {
		/* the program's own frame back; the copy once every vCPU let
		 * go of it */
		if (dune_state.initialised)
			dune_mem_resync(page, page + DUNE_PAGE_SIZE);
		flush_all_vcpus();
		dune_spin_lock(&dune_overlay.lock);
		retire(copy);
		dune_spin_unlock(&dune_overlay.lock);
	}
	return 0;
}

long dune_protect_hostcall(const uint64_t *a)
{
	switch (a[0]) {
	case OVERLAY_TOOL: {
		dune_spin_lock(&dune_overlay.lock);
		long r =
		    dune_overlay_add_tool(&dune_overlay, (dune_overlay_notify)a[1], (void *)a[2]);
		dune_spin_unlock(&dune_overlay.lock);
		return r;
	}
	case OVERLAY_RESTRICT:
		return restrict_range((int)a[1], a[2], a[3], (int)a[4]);
	case OVERLAY_LIFT:
		return lift_range((int)a[1], a[2], a[3]);
	case OVERLAY_BP_SET:
		return bp_set(a[1]);
	case OVERLAY_BP_CLEAR:
		return bp_clear(a[1]);
	default:
		return -ENOSYS;
	}
}

/* In ring 0 a host call; elsewhere (before dune_enter, in the monitor, in a
 * thread outside the VM) the same code directly. */
static long overlay_call(uint64_t op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct dune_percpu *pc = dune_this_cpu();

	if (pc && dune_entered())
		return dune_hostcall(pc, HC_OVERLAY, op, a1, a2, a3, a4, 0, 0);
	const uint64_t args[5] = {op, a1, a2, a3, a4};
	return dune_protect_hostcall(args);
}

int dune_overlay_tool(dune_overlay_notify fn, void *arg)
{
	return (int)overlay_call(OVERLAY_TOOL, (uint64_t)fn, (uint64_t)arg, 0, 0);
}

int dune_overlay_restrict(int tool, uintptr_t va, size_t len, int deny)
{
	return (int)overlay_call(OVERLAY_RESTRICT, (uint64_t)tool, va, len, (uint64_t)deny);
}

int dune_overlay_lift(int tool, uintptr_t va, size_t len)
{
	return (int)overlay_call(OVERLAY_LIFT, (uint64_t)tool, va, len, 0);
}

int dune_code_breakpoint_set(uintptr_t va)
{
	return (int)overlay_call(OVERLAY_BP_SET, va, 0, 0, 0);
}

int dune_code_breakpoint_clear(uintptr_t va)
{
	return (int)overlay_call(OVERLAY_BP_CLEAR, va, 0, 0, 0);
}

int dune_overlay_deny(uintptr_t va)
{
	dune_spin_lock(&dune_overlay.lock);
	int deny = dune_overlay_deny_at(&dune_overlay, va);
	dune_spin_unlock(&dune_overlay.lock);
	return deny;
}

/* ---- for the memory model ---- */

void dune_protect_attach_table(void *table, size_t bytes)
{
	dune_spin_lock(&dune_overlay.lock);
	size_t cap = bytes / sizeof(struct dune_overlay_range);
	dune_overlay_attach(&dune_overlay, table,
	                    cap < DUNE_OVERLAY_RANGES ? (int)cap : DUNE_OVERLAY_RANGES);
	dune_spin_unlock(&dune_overlay.lock);
}

/*
 * The memory model rewrites the entries of [va, va+len) (the program
 * changed its mapping: mprotect, a remap): a breakpoint page's copy is
 * taken again from the program's code first, so that code it rewrote
 * (a JIT, text relocations) and made executable again is what runs, with
 * our int3s put back. Under the overlay's lock.
 */
static void refresh_copies(uintptr_t va, size_t len)
{
	for (int i = 0; i < dune_overlay.nsubst; i++) {
		struct dune_overlay_subst *s = &dune_overlay.subst[i];
		if (s->page + DUNE_PAGE_SIZE <= va || s->page >= va + len ||
		    !dune_read_user(s->copy, (const void *)s->page, DUNE_PAGE_SIZE))
			continue;
		for (int k = 0; k < nbps; k++) {
			if ((bps[k].va & ~(DUNE_PAGE_SIZE - 1)) != s->page)
				continue;
			uint8_t *at = (uint8_t *)s->copy + (bps[k].va - s->page);
			bps[k].orig = *at; /* what a clear gives back */
			*at = 0xcc;
		}
	}
}

int dune_protect_apply(uintptr_t va, size_t len)
{
	if (!__atomic_load_n(&dune_overlay.nranges, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&dune_overlay.nsubst, __ATOMIC_RELAXED))
		return 0;
	dune_spin_lock(&dune_overlay.lock);
	honour_backend();
	refresh_copies(va, len);
	int r = dune_overlay_apply(&dune_overlay, &dune_state.pt, va, len);
	dune_spin_unlock(&dune_overlay.lock);
	return r;
}

bool dune_protect_denies(uintptr_t addr, uint64_t fec)
{
	if (!__atomic_load_n(&dune_overlay.nranges, __ATOMIC_RELAXED))
		return false;
	int deny = dune_overlay_deny(addr) & ~dune_overlay.ignore;
	return (deny & DUNE_DENY_ACCESS) || ((deny & DUNE_DENY_WRITE) && (fec & PF_ERR_W)) ||
	       ((deny & DUNE_DENY_USER) && (fec & PF_ERR_U));
}

bool dune_protect_hidden(uintptr_t addr)
{
	if (!__atomic_load_n(&dune_overlay.nranges, __ATOMIC_RELAXED))
		return false;
	return dune_overlay_deny(addr) & DUNE_DENY_USER & ~dune_overlay.ignore;
}

/* The program's code in [va, va+len) is gone: its breakpoints and copies
 * with it (a later dune_code_breakpoint_clear says -ENOENT); the entries
 * get the program's frames back until the change itself rewrites them. */
static void forget_breakpoints(uintptr_t va, size_t len)
{
	uintptr_t lo = va & ~(DUNE_PAGE_SIZE - 1);
	uintptr_t hi = (va + len + DUNE_PAGE_SIZE - 1) & ~(DUNE_PAGE_SIZE - 1);
	uintptr_t pages[DUNE_OVERLAY_SUBST];
	int npages = 0;

	dune_spin_lock(&dune_overlay.lock);
	for (int i = 0; i < nbps;)
		if (bps[i].va >= lo && bps[i].va < hi)
			bps[i] = bps[--nbps];
		else
			i++;
	for (int i = 0; i < dune_overlay.nsubst;) {
		struct dune_overlay_subst *s = &dune_overlay.subst[i];
		if (s->page >= lo && s->page < hi) {
			pages[npages++] = s->page;
			retire(s->copy);
			dune_overlay_subst_remove(&dune_overlay, s->page);
		} else {
			i++;
		}
	}
	dune_spin_unlock(&dune_overlay.lock);
	for (int i = 0; i < npages && dune_state.initialised; i++)
		dune_mem_resync(pages[i], pages[i] + DUNE_PAGE_SIZE);
	if (npages)
		flush_all_vcpus();
}

void dune_protect_forget(uintptr_t va, size_t len, enum dune_overlay_event ev, uintptr_t new_va)
{
	struct dune_overlay_gone gone[16];

	if (__atomic_load_n(&dune_overlay.nsubst, __ATOMIC_RELAXED) && len)
		forget_breakpoints(va, len);
	if (!__atomic_load_n(&dune_overlay.nranges, __ATOMIC_RELAXED) || !len)
		return;
	dune_spin_lock(&dune_overlay.lock);
	int n = dune_overlay_remove(&dune_overlay, -1, va, len, gone, 16);
	if (n == -ENOSPC) {
		/* no room to split a range around the hole: drop the ranges
		 * that reach into it whole rather than keep a stale one */
		uintptr_t lo = va & ~(DUNE_PAGE_SIZE - 1), hi = lo;
		for (int i = 0; i < dune_overlay.nranges; i++) {
			const struct dune_overlay_range *r =
			    dune_overlay_range_at(&dune_overlay, i);
			if (r->lo < va + len && r->hi > va && r->lo < lo)
				lo = r->lo;
			if (r->lo < va + len && r->hi > va && r->hi > hi)
				hi = r->hi;
		}
		n = dune_overlay_remove(&dune_overlay, -1, lo, hi - lo, gone, 16);
	}
	struct dune_overlay_owner owners[DUNE_OVERLAY_TOOLS];
	for (int i = 0; i < dune_overlay.ntools; i++)
		owners[i] = dune_overlay.tool[i];
	dune_spin_unlock(&dune_overlay.lock);
	/* the tools are told without the lock: they may restrict again */
	for (int i = 0; i < n && i < 16; i++) {
		dune_overlay_notify fn = owners[gone[i].tool].fn;
		if (fn)
			fn(gone[i].lo, gone[i].hi - gone[i].lo, ev,
			   ev == DUNE_OVERLAY_MOVED ? new_va + (gone[i].lo - va) : 0,
			   owners[gone[i].tool].arg);
	}
}
