/* SPDX-License-Identifier: MIT */
/* A test-and-test-and-set spinlock usable in ring 0, in the monitor and in
 * ordinary code: no libc, no futex, no allocation. Critical sections are short. */
#ifndef DUNE_SPINLOCK_H
#define DUNE_SPINLOCK_H

typedef struct {
	volatile int locked;
} dune_spinlock_t;

#define DUNE_SPINLOCK_INIT \
	{                  \
		0          \
	}

static inline void dune_spin_lock(dune_spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static inline void dune_spin_unlock(dune_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
