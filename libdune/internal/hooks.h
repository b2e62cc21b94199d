/* SPDX-License-Identifier: MIT */
/* Hook chains and the protection overlay inside libdune (dune/hook.h). Not public. */
#ifndef DUNE_INTERNAL_HOOKS_H
#define DUNE_INTERNAL_HOOKS_H

#include "hook_chain.h"

#include <dune/dune.h>
#include <dune/hook.h>
#include <stdbool.h>
#include <stdint.h>

struct dune_percpu;

/* Chain ids; a public handle is id * 16 + slot. */
enum dune_hook_chain_id {
	HOOK_SYSCALL_ENTRY,
	HOOK_SYSCALL_EXIT,
	HOOK_PGFLT,
	HOOK_VCPU_CREATE,
	HOOK_VCPU_EXIT,
	HOOK_EXEC,
	HOOK_DEBUG_EXIT,
	HOOK_VECTOR0, /* + vector */
	HOOK_NR_CHAINS = HOOK_VECTOR0 + 256,
};

struct dune_tool_hostcall {
	dune_tool_hostcall_fn fn;
	void *arg;
};

struct dune_hooks {
	struct dune_hook_chain chain[HOOK_NR_CHAINS];
	struct dune_tool_hostcall hostcall[DUNE_TOOL_HOSTCALL_MAX];
	int nr_hostcalls;
	dune_spinlock_t hostcall_lock;
	/* the one-slot handlers of dune.h, each behind one hook of its chain */
	dune_syscall_handler legacy_syscall;
	dune_pgflt_handler legacy_pgflt;
	dune_intr_handler legacy_intr[256];
	bool legacy_syscall_hooked, legacy_pgflt_hooked, legacy_intr_hooked[256];
};

extern struct dune_hooks dune_hooks;

static inline bool dune_hooks_empty(enum dune_hook_chain_id id)
{
	return dune_hook_order_len(dune_hook_chain_snapshot(&dune_hooks.chain[id])) == 0;
}

/* runtime/trap.c: the interrupted code's vector registers around C hooks */
void dune_fpu_save(struct dune_percpu *pc);
void dune_fpu_restore(struct dune_percpu *pc);

/* runtime/hooks.c, ring 0: true when a chain took the event */
bool dune_hooks_syscall(struct dune_percpu *pc, struct dune_tf *tf);
bool dune_hooks_pgflt(struct dune_percpu *pc, uintptr_t addr, struct dune_tf *tf);
bool dune_hooks_vector(struct dune_percpu *pc, struct dune_tf *tf);
/* entry.S, dune_guest_boot: the vCPU-create hooks of a starting vCPU */
void dune_hooks_vcpu_boot(struct dune_percpu *pc);

/* monitor/hooks.c, host side */
void dune_hooks_vcpu_exit(bool process_exit);
void dune_hooks_exec(const char *path);
long dune_hooks_tool_hostcall(const uint64_t *args);
bool dune_hooks_debug_exit(const struct dune_debug_exit *e);

#endif
