// SPDX-License-Identifier: MIT
/* Writes by the kernel around system calls (engine_private.h). */
#include <dtl/catalogue.h>

#include "engine_private.h"

#include <string.h>

/*
 * Writes by the kernel: the system calls of the program write its memory
 * through the host's mappings, where neither a guest page's protection nor
 * a debug register sees them. Around each call that may write memory (the
 * catalogue's output arguments), the bytes of every watchpoint are kept at
 * entry and compared at exit: the first DTL_HIT_VALUE_MAX of each, and a
 * hash of the rest.
 */
#define KCALL_WATCHES 32
struct kcall_snap {
	int w;
	uint16_t len;
	uint64_t user_writes; /* the watchpoint's, when the bytes were kept */
	uint64_t hash;
	uint8_t old[DTL_HIT_VALUE_MAX];
};
struct kcall {
	long nr;
	uint64_t rip;
	int n;
	struct kcall_snap snap[KCALL_WATCHES];
};
static long kcall_offset = -1;

int kcall_reserve(void)
{
	kcall_offset = dune_vcpu_tool_reserve(sizeof(struct kcall));
	return kcall_offset < 0 ? -1 : 0;
}

void kcall_reset(void)
{
	((struct kcall *)dune_vcpu_tool_data(kcall_offset))->n = 0;
}

/* FNV-1a over [p, p+len). */
static uint64_t hash_bytes(const uint8_t *p, size_t len, uint64_t h)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * Read the program's [addr, addr+len) from ring 0: @copy gets the first
 * @ncopy bytes, *@hash covers them all. A page the overlay hides (a read
 * watchpoint's) is read through this vCPU's private view. False where a
 * page cannot be had (nothing mapped there).
 */
bool read_program(uintptr_t addr, size_t len, uint8_t *copy, size_t ncopy, uint64_t *hash)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (uintptr_t at = addr; at < addr + len;) {
		uintptr_t page = PAGE_OF(at);
		size_t n = page + DUNE_PAGE_SIZE - at;
		if (n > addr + len - at)
			n = addr + len - at;
		/* a read watchpoint's page, or one the guest has not mapped yet:
		 * through the private view (which maps it first) */
		bool view = (dune_overlay_deny(at) & DUNE_DENY_ACCESS) ||
		            !dune_vm_user_accessible(dune_pgroot(), at, n, false);
		if (view && dune_private_view_lift(page) < 0)
			return false;
		if (at - addr < ncopy) {
			size_t c = ncopy - (at - addr) < n ? ncopy - (at - addr) : n;
			memcpy(copy + (at - addr), (const void *)at, c);
		}
		h = hash_bytes((const uint8_t *)at, n, h);
		if (view)
			dune_private_view_end();
		at += n;
	}
	*hash = h;
	return true;
}

/* Keep the bytes of watchpoint @i for the call under way. */
static void kcall_keep(struct kcall *k, int i)
{
	const struct watch *w = &watches[i];
	if (!(w->access & DTL_ACCESS_WRITE) || k->n >= KCALL_WATCHES)
		return;
	for (int j = 0; j < k->n; j++)
		if (k->snap[j].w == i)
			return;
	struct kcall_snap *ks = &k->snap[k->n];
	size_t len = w->hi - w->lo;
	ks->w = i;
	ks->len = (uint16_t)(len < DTL_HIT_VALUE_MAX ? len : DTL_HIT_VALUE_MAX);
	ks->user_writes = __atomic_load_n(&w->user_writes, __ATOMIC_ACQUIRE);
	if (read_program(w->lo, len, ks->old, ks->len, &ks->hash))
		k->n++;
}

/* A call that may write memory: the watchpoints where it may write (the
 * catalogue's output ranges), or every one where it cannot say. */
void kcall_begin(struct dune_tf *tf)
{
	struct kcall *k = dune_vcpu_tool_data(kcall_offset);
	k->n = 0;
	k->nr = (long)tf->rax;
	if (!__atomic_load_n(&nwatches, __ATOMIC_ACQUIRE) || !dtl_syscall_writes_memory(k->nr))
		return;
	k->rip = tf->rip;
	const uint64_t args[6] = {tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9};
	struct dtl_mem_range out[6];
	int nout = dtl_syscall_output_ranges(k->nr, args, out, 6);
	int on[KCALL_WATCHES];
	if (nout < 0) {
		int n = watches_in(0, DUNE_USER_VA_END, 0, on, KCALL_WATCHES);
		for (int j = 0; j < n; j++)
			kcall_keep(k, on[j]);
		return;
	}
	for (int r = 0; r < nout; r++) {
		uintptr_t lo = out[r].addr, hi = lo + out[r].len;
		if (hi < lo || hi > DUNE_USER_VA_END)
			hi = DUNE_USER_VA_END;
		if (lo >= hi)
			continue;
		int n = watches_in(lo, hi, 0, on, KCALL_WATCHES);
		for (int j = 0; j < n; j++)
			kcall_keep(k, on[j]);
	}
}

/* At the call's exit: what changed is a write by the kernel. */
void kcall_end(struct dune_tf *tf, long nr, void *arg)
{
	struct kcall *k = dune_vcpu_tool_data(kcall_offset);
	(void)arg;
	if (!k->n || nr != k->nr)
		return;
	for (int i = 0; i < k->n; i++) {
		const struct kcall_snap *ks = &k->snap[i];
		struct watch *w = &watches[ks->w];
		uint8_t now[DTL_HIT_VALUE_MAX];
		uint64_t hash;
		if (w->state != LIVE || !read_program(w->lo, w->hi - w->lo, now, ks->len, &hash) ||
		    hash == ks->hash || (w->cond_op && !cond_holds(w, now)) ||
		    /* another thread's instructions wrote it meanwhile: not the
		     * kernel's doing, as far as can be told */
		    __atomic_load_n(&w->user_writes, __ATOMIC_ACQUIRE) != ks->user_writes)
			continue;
		struct dtl_rec_watch_hit h = {
		    .addr = w->lo,
		    .rip = k->rip - 2, /* the syscall instruction (0f 05) */
		    .value_addr = w->lo,
		    .watch_id = w->id,
		    .reps = (uint32_t)nr,
		    .access = DTL_ACCESS_WRITE,
		    .flags = DTL_HIT_CHANGED | DTL_HIT_KERNEL,
		};
		__atomic_add_fetch(&w->hits, 1, __ATOMIC_RELAXED);
		publish_hit(&h, ks->old, now, ks->len, tf);
	}
	k->n = 0;
}
