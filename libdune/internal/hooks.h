/* SPDX-License-Identifier: MIT */
/* Hook chains and the protection overlay inside libdune (dune/hook.h). Not public. */
#ifndef DUNE_INTERNAL_HOOKS_H
#define DUNE_INTERNAL_HOOKS_H

#include "hook_chain.h"
#include "overlay.h"

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
	HOOK_SIGNAL,
	HOOK_FIRST_TOUCH,
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
	dune_signal_observer legacy_signal;
	bool legacy_syscall_hooked, legacy_pgflt_hooked, legacy_intr_hooked[256];
	bool legacy_signal_hooked;
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
/* runtime/first_touch.c, ring 0: a #PF on a page not touched yet, made
 * present and told to the first-touch hooks; true when the access may be
 * retried at once */
bool dune_first_touch_fault(struct dune_percpu *pc, uintptr_t addr, struct dune_tf *tf);
/* entry.S, dune_guest_boot: the vCPU-create hooks of a starting vCPU */
void dune_hooks_vcpu_boot(struct dune_percpu *pc);

/* monitor/hooks.c, host side */
void dune_hooks_vcpu_exit(bool process_exit);
void dune_hooks_exec(const char *path);
long dune_hooks_tool_hostcall(const uint64_t *args);
bool dune_hooks_debug_exit(const struct dune_debug_exit *e);
void dune_hooks_signal(int sig, const void *siginfo, bool fatal);

/* monitor/protect.c: the process's overlay, for the memory model */
extern struct dune_overlay dune_overlay;
/* The overlay's ranges move into @bytes at @table (the runtime region). */
void dune_protect_attach_table(void *table, size_t bytes);
/* Apply every restriction to the guest page table in [va, va+len). */
int dune_protect_apply(uintptr_t va, size_t len);
/* Does the overlay deny the access of error code @fec at @addr? */
bool dune_protect_denies(uintptr_t addr, uint64_t fec);
/* Is the page of @addr a tool's supervisor-only memory (DUNE_DENY_USER in
 * force), which the program must see as unmapped? */
bool dune_protect_hidden(uintptr_t addr);
/* The program unmapped or moved [va, va+len): restrictions there end and
 * their tools are told. */
void dune_protect_forget(uintptr_t va, size_t len, enum dune_overlay_event ev, uintptr_t new_va);
/* HC_OVERLAY: args op, tool, va, len, deny */
long dune_protect_hostcall(const uint64_t *args);

/* backend memory model: make the guest's view of [lo, hi) what
 * /proc/self/maps says (then dune_protect_apply runs for it) */
int dune_mem_resync(uintptr_t lo, uintptr_t hi);

#endif
