// SPDX-License-Identifier: MIT
/*
 * The host-side hook chains (dune/hook.h): vCPU exit, exec, debug exits, and
 * the tools' own host calls. They run in the monitor: interrupt context
 * (DESIGN.md), raw system calls only.
 */
#include "hooks.h"
#include "monitor.h"

#include <errno.h>

void dune_hooks_vcpu_exit(bool process_exit)
{
	const struct dune_hook_chain *c = &dune_hooks.chain[HOOK_VCPU_EXIT];
	uint64_t order = dune_hook_chain_snapshot(c);

	for (unsigned i = 0; i < dune_hook_order_len(order); i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(c, order, i);
		((dune_vcpu_exit_hook)s->fn)(process_exit, s->arg);
	}
}

void dune_hooks_exec(const char *path)
{
	const struct dune_hook_chain *c = &dune_hooks.chain[HOOK_EXEC];
	uint64_t order = dune_hook_chain_snapshot(c);

	for (unsigned i = 0; i < dune_hook_order_len(order); i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(c, order, i);
		((dune_exec_hook)s->fn)(path, s->arg);
	}
}

bool dune_hooks_debug_exit(const struct dune_debug_exit *e)
{
	const struct dune_hook_chain *c = &dune_hooks.chain[HOOK_DEBUG_EXIT];
	uint64_t order = dune_hook_chain_snapshot(c);

	for (unsigned i = 0; i < dune_hook_order_len(order); i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(c, order, i);
		if (((dune_debug_exit_hook)s->fn)(e, s->arg) == DUNE_HOOK_HANDLED)
			return true;
	}
	return false;
}

void dune_hooks_signal(int sig, const void *siginfo, bool fatal)
{
	const struct dune_hook_chain *c = &dune_hooks.chain[HOOK_SIGNAL];
	uint64_t order = dune_hook_chain_snapshot(c);

	for (unsigned i = 0; i < dune_hook_order_len(order); i++) {
		const struct dune_hook_slot *s = dune_hook_order_at(c, order, i);
		((dune_signal_hook)s->fn)(sig, siginfo, fatal, s->arg);
	}
}

/* dune_set_signal_observer, the old one-slot interface: one hook at
 * DUNE_HOOK_PRIO_LEGACY, added with the first observer, reads the slot. */
static void legacy_signal(int sig, const void *siginfo, bool fatal, void *arg)
{
	dune_signal_observer fn = __atomic_load_n(&dune_hooks.legacy_signal, __ATOMIC_ACQUIRE);

	(void)arg;
	if (fn)
		fn(sig, siginfo, fatal);
}

void dune_set_signal_observer(dune_signal_observer fn)
{
	__atomic_store_n(&dune_hooks.legacy_signal, fn, __ATOMIC_RELEASE);
	if (fn && !__atomic_exchange_n(&dune_hooks.legacy_signal_hooked, true, __ATOMIC_ACQ_REL) &&
	    dune_hook_signal(DUNE_HOOK_PRIO_LEGACY, legacy_signal, NULL) < 0)
		__atomic_store_n(&dune_hooks.legacy_signal_hooked, false, __ATOMIC_RELEASE);
}

int dune_tool_hostcall_register(dune_tool_hostcall_fn fn, void *arg)
{
	if (!fn)
		return -EINVAL;
	dune_spin_lock(&dune_hooks.hostcall_lock);
	int nr = dune_hooks.nr_hostcalls;
	if (nr >= DUNE_TOOL_HOSTCALL_MAX) {
		dune_spin_unlock(&dune_hooks.hostcall_lock);
		return -ENOSPC;
	}
	dune_hooks.hostcall[nr].arg = arg;
	/* the function last: a reader that sees it sees the argument */
	__atomic_store_n(&dune_hooks.hostcall[nr].fn, fn, __ATOMIC_RELEASE);
	dune_hooks.nr_hostcalls = nr + 1;
	dune_spin_unlock(&dune_hooks.hostcall_lock);
	return nr;
}

/* HC_TOOL: args[0] the number, args[1..6] the call's arguments. */
long dune_hooks_tool_hostcall(const uint64_t *args)
{
	uint64_t nr = args[0];

	if (nr >= DUNE_TOOL_HOSTCALL_MAX)
		return -ENOSYS;
	dune_tool_hostcall_fn fn = __atomic_load_n(&dune_hooks.hostcall[nr].fn, __ATOMIC_ACQUIRE);
	if (!fn)
		return -ENOSYS;
	return fn(args + 1, dune_hooks.hostcall[nr].arg);
}
