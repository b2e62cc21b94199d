// SPDX-License-Identifier: MIT
/* Hook chains: registration and the published running order (hook_chain.h). */
#include "hook_chain.h"

#include <errno.h>
#include <stddef.h>

static uint64_t order_with(uint64_t order, unsigned pos, unsigned slot)
{
	unsigned n = dune_hook_order_len(order);
	uint64_t out = n + 1;

	for (unsigned i = 0, j = 0; i <= n; i++) {
		unsigned s = i == pos ? slot : (unsigned)((order >> (4 + 4 * j++)) & 0xf);
		out |= (uint64_t)s << (4 + 4 * i);
	}
	return out;
}

static uint64_t order_without(uint64_t order, unsigned slot)
{
	unsigned n = dune_hook_order_len(order);
	uint64_t out = 0;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned s = (unsigned)((order >> (4 + 4 * i)) & 0xf);
		if (s != slot)
			out |= (uint64_t)s << (4 + 4 * k++);
	}
	return out | k;
}

int dune_hook_chain_add(struct dune_hook_chain *c, int prio, void *fn, void *arg)
{
	if (!fn)
		return -EINVAL;
	dune_spin_lock(&c->lock);
	if (c->used >= DUNE_HOOK_CHAIN_MAX) {
		dune_spin_unlock(&c->lock);
		return -ENOSPC;
	}
	unsigned slot = c->used++;
	c->slot[slot] = (struct dune_hook_slot){.fn = fn, .arg = arg, .prio = prio};

	/* after every entry of the same or a lower priority: ties keep the
	 * registration order */
	uint64_t order = c->order;
	unsigned n = dune_hook_order_len(order), pos = 0;
	while (pos < n && dune_hook_order_at(c, order, pos)->prio <= prio)
		pos++;
	c->live |= (uint16_t)(1u << slot);
	__atomic_store_n(&c->order, order_with(order, pos, slot), __ATOMIC_RELEASE);
	dune_spin_unlock(&c->lock);
	return (int)slot;
}

int dune_hook_chain_remove(struct dune_hook_chain *c, int slot)
{
	if (slot < 0 || slot >= DUNE_HOOK_CHAIN_MAX)
		return -ENOENT;
	dune_spin_lock(&c->lock);
	if (!(c->live & (1u << slot))) {
		dune_spin_unlock(&c->lock);
		return -ENOENT;
	}
	c->live &= (uint16_t) ~(1u << slot);
	__atomic_store_n(&c->order, order_without(c->order, (unsigned)slot), __ATOMIC_RELEASE);
	dune_spin_unlock(&c->lock);
	return 0;
}
