/* SPDX-License-Identifier: MIT */
/*
 * A hook chain: up to DUNE_HOOK_CHAIN_MAX entries (function, argument,
 * priority), run in priority order (lower first), ties in registration
 * order. Plain memory and atomics only, so the same code runs in ring 0, in
 * the monitor and in an ordinary process (tests/unit/test_hook_chain.c).
 *
 * Readers take no lock: the whole running order is one 64-bit word (the
 * count in bits 0-3, the slot of position i in bits 4+4i), published with
 * one release store after the slot it names is complete. A reader loads the
 * word once and walks it, so it sees the chain as it was before or after a
 * change, never half of one. Writers serialise on a spinlock.
 *
 * A removed entry leaves the order at once but its slot is never handed out
 * again: another vCPU may be running the hook from a word it loaded just
 * before, and must still find that hook's function and argument there. So a
 * chain takes DUNE_HOOK_CHAIN_MAX registrations over the life of the process.
 */
#ifndef DUNE_HOOK_CHAIN_H
#define DUNE_HOOK_CHAIN_H

#include <dune/spinlock.h>
#include <stdint.h>

#define DUNE_HOOK_CHAIN_MAX 15 /* positions that fit in the order word */

struct dune_hook_slot {
	void *fn;
	void *arg;
	int prio;
};

struct dune_hook_chain {
	uint64_t order; /* published running order, see above */
	unsigned used;  /* slots handed out (never reused) */
	uint16_t live;  /* bit n: slot n is in the order */
	dune_spinlock_t lock;
	struct dune_hook_slot slot[DUNE_HOOK_CHAIN_MAX];
};

/* Add @fn(@arg) at priority @prio. Returns the slot (>= 0), -EINVAL for a
 * NULL function, or -ENOSPC when the chain has no slot left. */
int dune_hook_chain_add(struct dune_hook_chain *c, int prio, void *fn, void *arg);
/* Take the entry in @slot out of the running order: 0, or -ENOENT. */
int dune_hook_chain_remove(struct dune_hook_chain *c, int slot);

/* The running order as it is now; walk it with the two helpers below. */
static inline uint64_t dune_hook_chain_snapshot(const struct dune_hook_chain *c)
{
	return __atomic_load_n(&c->order, __ATOMIC_ACQUIRE);
}

static inline unsigned dune_hook_order_len(uint64_t order)
{
	return (unsigned)(order & 0xf);
}

static inline const struct dune_hook_slot *dune_hook_order_at(const struct dune_hook_chain *c,
                                                              uint64_t order, unsigned i)
{
	return &c->slot[(order >> (4 + 4 * i)) & 0xf];
}

#endif
