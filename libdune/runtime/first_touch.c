// SPDX-License-Identifier: MIT
/*
 * First touches (dune/hook.h): in first-touch mode the program's pages are
 * mapped not present (PTE_UNTOUCHED, mm/pagetable.c) and the first access to
 * each is resolved here, in ring 0, without a host call. Interrupt context.
 */
#include "hooks.h"
#include "runtime.h"

#include <errno.h>

int dune_first_touch_enable(void)
{
	if (dune_state.initialised)
		return -EBUSY;
	dune_state.first_touch = true;
	return 0;
}

static void run_hooks(struct dune_percpu *pc, uintptr_t addr, const struct dune_tf *tf)
{
	const struct dune_hook_chain *c = &dune_hooks.chain[HOOK_FIRST_TOUCH];
	uint64_t order = dune_hook_chain_snapshot(c);
	unsigned n = dune_hook_order_len(order);

	if (!n)
		return;
	dune_fpu_save(pc);
	for (unsigned i = 0; i < n; i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(c, order, i);
		((dune_first_touch_hook)s->fn)(addr, tf->error_code, tf, s->arg);
	}
	dune_fpu_restore(pc);
}

bool dune_first_touch_fault(struct dune_percpu *pc, uintptr_t addr, struct dune_tf *tf)
{
	dune_pte_t *pte;
	int level;

	if (addr >= DUNE_USER_VA_END || (tf->error_code & PF_ERR_RSV) ||
	    dune_vm_lookup(&dune_state.pt, addr, false, &pte, &level) || level)
		return false;
	if (!dune_vm_first_touch(pte)) {
		/* Another vCPU was first: a not-present fault on an entry
		 * that is present now is retried. Anything else is not ours. */
		return !(tf->error_code & PF_ERR_P) &&
		       dune_pte_allows(__atomic_load_n(pte, __ATOMIC_RELAXED), tf->error_code);
	}
	dune_tls_stats.first_touches++;
	__atomic_add_fetch(&dune_state.totals.first_touches, 1, __ATOMIC_RELAXED);
	/* The entry and return paths write below the program's stack
	 * pointer while the vCPU still counts as in ring 3 (entry.S): no
	 * hook may run there (one that made a system call would take the
	 * ring-3 path over this frame). The page is the program's stack,
	 * present now; its first touch is not told. */
	if (dune_tf_from_user(tf) || !pc->in_user)
		run_hooks(pc, addr, tf);
	return dune_pte_allows(__atomic_load_n(pte, __ATOMIC_RELAXED), tf->error_code);
}
