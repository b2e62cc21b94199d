// SPDX-License-Identifier: MIT
/*
 * Hook chains (dune/hook.h): registration, the ring-0 dispatch of system
 * calls, page faults, vectors and vCPU starts, and the one-slot handlers of
 * dune.h as hooks. Interrupt context: no libc calls that lock or allocate;
 * readers of a chain take no lock (util/hook_chain.c).
 */
#include "hooks.h"
#include "runtime.h"

#include <errno.h>

struct dune_hooks dune_hooks;

static int add(enum dune_hook_chain_id id, int prio, void *fn, void *arg)
{
	int slot = dune_hook_chain_add(&dune_hooks.chain[id], prio, fn, arg);
	return slot < 0 ? slot : (int)id * 16 + slot;
}

int dune_hook_syscall_entry(int prio, dune_syscall_entry_hook fn, void *arg)
{
	return add(HOOK_SYSCALL_ENTRY, prio, (void *)fn, arg);
}

int dune_hook_syscall_exit(int prio, dune_syscall_exit_hook fn, void *arg)
{
	return add(HOOK_SYSCALL_EXIT, prio, (void *)fn, arg);
}

int dune_hook_pgflt(int prio, dune_pgflt_hook fn, void *arg)
{
	return add(HOOK_PGFLT, prio, (void *)fn, arg);
}

int dune_hook_vector(int vector, int prio, dune_vector_hook fn, void *arg)
{
	if (vector < 0 || vector > 255 || vector == 14)
		return -EINVAL;
	return add(HOOK_VECTOR0 + vector, prio, (void *)fn, arg);
}

int dune_hook_vcpu_create(int prio, dune_vcpu_create_hook fn, void *arg)
{
	return add(HOOK_VCPU_CREATE, prio, (void *)fn, arg);
}

int dune_hook_vcpu_exit(int prio, dune_vcpu_exit_hook fn, void *arg)
{
	return add(HOOK_VCPU_EXIT, prio, (void *)fn, arg);
}

int dune_hook_exec(int prio, dune_exec_hook fn, void *arg)
{
	return add(HOOK_EXEC, prio, (void *)fn, arg);
}

int dune_hook_debug_exit(int prio, dune_debug_exit_hook fn, void *arg)
{
	return add(HOOK_DEBUG_EXIT, prio, (void *)fn, arg);
}

int dune_hook_signal(int prio, dune_signal_hook fn, void *arg)
{
	return add(HOOK_SIGNAL, prio, (void *)fn, arg);
}

int dune_hook_first_touch(int prio, dune_first_touch_hook fn, void *arg)
{
	return add(HOOK_FIRST_TOUCH, prio, (void *)fn, arg);
}

int dune_hook_remove(int handle)
{
	if (handle < 0 || handle / 16 >= HOOK_NR_CHAINS)
		return -ENOENT;
	return dune_hook_chain_remove(&dune_hooks.chain[handle / 16], handle % 16);
}

/* ---- ring-0 dispatch ---- */

/*
 * A system call from ring 3: entry hooks in order until one handles it, else
 * the host runs it; then every exit hook, in reverse order. Returns false
 * (the caller passes the call through) when both chains are empty, which
 * keeps the untraced path as it was.
 */
bool dune_hooks_syscall(struct dune_percpu *pc, struct dune_tf *tf)
{
	const struct dune_hook_chain *entry = &dune_hooks.chain[HOOK_SYSCALL_ENTRY];
	const struct dune_hook_chain *exit = &dune_hooks.chain[HOOK_SYSCALL_EXIT];
	uint64_t in = dune_hook_chain_snapshot(entry), out = dune_hook_chain_snapshot(exit);
	unsigned nin = dune_hook_order_len(in), nout = dune_hook_order_len(out);
	long nr = (long)tf->rax;
	bool handled = false;

	if (!nin && !nout)
		return false;
	pc->syscall_sigframe = false;
	dune_fpu_save(pc);
	for (unsigned i = 0; i < nin && !handled; i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(entry, in, i);
		handled = ((dune_syscall_entry_hook)s->fn)(tf, s->arg) == DUNE_HOOK_HANDLED;
	}
	if (!handled)
		dune_passthrough_syscall(tf);
	for (unsigned i = nout; i-- > 0;) {
		const struct dune_hook_slot *s = dune_hook_order_at(exit, out, i);
		((dune_syscall_exit_hook)s->fn)(tf, nr, s->arg);
	}
	dune_fpu_restore(pc);
	return true;
}

/* Run the hooks of chain @id in order until one handles the event. */
static bool run_until_handled(struct dune_percpu *pc, enum dune_hook_chain_id id, uintptr_t addr,
                              struct dune_tf *tf)
{
	const struct dune_hook_chain *c = &dune_hooks.chain[id];
	uint64_t order = dune_hook_chain_snapshot(c);
	unsigned n = dune_hook_order_len(order);
	enum dune_hook_result r = DUNE_HOOK_PASS;

	if (!n)
		return false;
	dune_fpu_save(pc);
	for (unsigned i = 0; i < n && r != DUNE_HOOK_HANDLED; i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(c, order, i);
		if (id == HOOK_PGFLT)
			r = ((dune_pgflt_hook)s->fn)(addr, tf->error_code, tf, s->arg);
		else
			r = ((dune_vector_hook)s->fn)(tf, s->arg);
	}
	dune_fpu_restore(pc);
	return r == DUNE_HOOK_HANDLED;
}

bool dune_hooks_pgflt(struct dune_percpu *pc, uintptr_t addr, struct dune_tf *tf)
{
	return run_until_handled(pc, HOOK_PGFLT, addr, tf);
}

bool dune_hooks_vector(struct dune_percpu *pc, struct dune_tf *tf)
{
	return run_until_handled(pc, HOOK_VECTOR0 + (int)tf->vector, 0, tf);
}

void dune_hooks_vcpu_boot(struct dune_percpu *pc)
{
	const struct dune_hook_chain *c = &dune_hooks.chain[HOOK_VCPU_CREATE];
	uint64_t order = dune_hook_chain_snapshot(c);
	unsigned n = dune_hook_order_len(order);

	if (!n)
		return;
	/* A fork child boots inside the host call of its fork, whose answer
	 * (0) waits in the mailbox: a hook's own host calls (dune_syscall6)
	 * must not replace it. */
	struct dune_hostcall pending = pc->hc;
	dune_fpu_save(pc);
	for (unsigned i = 0; i < n; i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(c, order, i);
		((dune_vcpu_create_hook)s->fn)((enum dune_vcpu_start)pc->vcpu_start, s->arg);
	}
	dune_fpu_restore(pc);
	pc->hc = pending;
}

/* From ring 0 a tool host call leaves the guest; elsewhere it is a call. */
long dune_tool_hostcall(int nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5)
{
	struct dune_percpu *pc = dune_this_cpu();

	if (pc && dune_entered())
		return dune_hostcall(pc, HC_TOOL, (uint64_t)nr, a0, a1, a2, a3, a4, a5);
	const uint64_t args[7] = {(uint64_t)nr, a0, a1, a2, a3, a4, a5};
	return dune_hooks_tool_hostcall(args);
}

/* ---- the one-slot handlers of dune.h: the old interface ---- */

static enum dune_hook_result legacy_syscall(struct dune_tf *tf, void *arg)
{
	dune_syscall_handler h = __atomic_load_n(&dune_hooks.legacy_syscall, __ATOMIC_ACQUIRE);

	(void)arg;
	if (!h)
		return DUNE_HOOK_PASS;
	h(tf);
	return DUNE_HOOK_HANDLED;
}

static enum dune_hook_result legacy_pgflt(uintptr_t addr, uint64_t fec, struct dune_tf *tf,
                                          void *arg)
{
	dune_pgflt_handler h = __atomic_load_n(&dune_hooks.legacy_pgflt, __ATOMIC_ACQUIRE);

	(void)arg;
	if (!h)
		return DUNE_HOOK_PASS;
	h(addr, fec, tf);
	return DUNE_HOOK_HANDLED;
}

static enum dune_hook_result legacy_intr(struct dune_tf *tf, void *arg)
{
	dune_intr_handler h =
	    __atomic_load_n(&dune_hooks.legacy_intr[(uintptr_t)arg], __ATOMIC_ACQUIRE);

	if (!h)
		return DUNE_HOOK_PASS;
	h(tf);
	return DUNE_HOOK_HANDLED;
}

/* The legacy hook of a chain is added once, on the first registration with
 * a handler, and then only reads the slot: replacing or clearing the handler
 * needs no chain change. */
static int hook_once(bool *hooked, int r)
{
	if (r < 0)
		__atomic_store_n(hooked, false, __ATOMIC_RELEASE);
	return r < 0 ? r : 0;
}

int dune_register_intr_handler(int vector, dune_intr_handler h)
{
	if (vector < 0 || vector > 255 || vector == 14)
		return -EINVAL;
	__atomic_store_n(&dune_hooks.legacy_intr[vector], h, __ATOMIC_RELEASE);
	if (!h ||
	    __atomic_exchange_n(&dune_hooks.legacy_intr_hooked[vector], true, __ATOMIC_ACQ_REL))
		return 0;
	return hook_once(&dune_hooks.legacy_intr_hooked[vector],
	                 dune_hook_vector(vector, DUNE_HOOK_PRIO_LEGACY, legacy_intr,
	                                  (void *)(uintptr_t)vector));
}

void dune_register_pgflt_handler(dune_pgflt_handler h)
{
	__atomic_store_n(&dune_hooks.legacy_pgflt, h, __ATOMIC_RELEASE);
	if (h && !__atomic_exchange_n(&dune_hooks.legacy_pgflt_hooked, true, __ATOMIC_ACQ_REL))
		hook_once(&dune_hooks.legacy_pgflt_hooked,
		          dune_hook_pgflt(DUNE_HOOK_PRIO_LEGACY, legacy_pgflt, NULL));
}

void dune_register_syscall_handler(dune_syscall_handler h)
{
	__atomic_store_n(&dune_hooks.legacy_syscall, h, __ATOMIC_RELEASE);
	if (h && !__atomic_exchange_n(&dune_hooks.legacy_syscall_hooked, true, __ATOMIC_ACQ_REL))
		hook_once(&dune_hooks.legacy_syscall_hooked,
		          dune_hook_syscall_entry(DUNE_HOOK_PRIO_LEGACY, legacy_syscall, NULL));
}
