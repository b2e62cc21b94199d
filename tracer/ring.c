// SPDX-License-Identifier: MIT
/* The lock-free event ring (see dtl/ring.h). */
#include <dtl/ring.h>

struct dtl_event *dtl_ring_claim(struct dtl_ring *r, uint64_t *seq, bool (*wait)(struct dtl_ring *))
{
	uint64_t s = __atomic_fetch_add(&r->write_seq, 1, __ATOMIC_ACQ_REL);
	/* full: the consumer has not released the slot one lap behind */
	while (s - __atomic_load_n(&r->read_seq, __ATOMIC_ACQUIRE) >= DTL_RING_SLOTS)
		if (!wait(r))
			return 0;
	*seq = s;
	return &r->slots[s % DTL_RING_SLOTS].ev;
}

struct dtl_event *dtl_ring_try_claim(struct dtl_ring *r, uint64_t *seq)
{
	uint64_t s = __atomic_load_n(&r->write_seq, __ATOMIC_ACQUIRE);
	do {
		if (s - __atomic_load_n(&r->read_seq, __ATOMIC_ACQUIRE) >= DTL_RING_SLOTS) {
			__atomic_fetch_add(&r->lost, 1, __ATOMIC_RELAXED);
			return 0;
		}
	} while (!__atomic_compare_exchange_n(&r->write_seq, &s, s + 1, false, __ATOMIC_ACQ_REL,
	                                      __ATOMIC_ACQUIRE));
	*seq = s;
	return &r->slots[s % DTL_RING_SLOTS].ev;
}

void dtl_ring_publish(struct dtl_ring *r, uint64_t seq)
{
	__atomic_store_n(&r->slots[seq % DTL_RING_SLOTS].ready, seq + 1, __ATOMIC_RELEASE);
}

const struct dtl_event *dtl_ring_peek(struct dtl_ring *r)
{
	uint64_t s = r->read_seq;
	struct dtl_slot *slot = &r->slots[s % DTL_RING_SLOTS];
	if (__atomic_load_n(&slot->ready, __ATOMIC_ACQUIRE) != s + 1)
		return 0;
	return &slot->ev;
}

void dtl_ring_release(struct dtl_ring *r)
{
	__atomic_store_n(&r->read_seq, r->read_seq + 1, __ATOMIC_RELEASE);
}
