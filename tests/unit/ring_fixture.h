/* SPDX-License-Identifier: MIT */
/*
 * An event ring in shared anonymous memory for the ring tests (forked
 * producers see the same one), and the producers' plain waiting policy.
 * Include after <cmocka.h>.
 */
#ifndef DTL_TEST_RING_FIXTURE_H
#define DTL_TEST_RING_FIXTURE_H

#include <dtl/ring.h>

#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

static inline struct dtl_ring *new_ring(uint64_t data_size, uint32_t flags)
{
	struct dtl_ring *r = mmap(NULL, dtl_ring_size(data_size), PROT_READ | PROT_WRITE,
	                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(r != MAP_FAILED);
	dtl_ring_init(r, data_size, 32, flags, getpid());
	assert_true(dtl_ring_valid(r, dtl_ring_size(data_size)));
	return r;
}

static inline void free_ring(struct dtl_ring *r)
{
	munmap(r, dtl_ring_size(r->data_size));
}

/* The producer's wait while the ring is full: let the consumer run. */
static inline bool yield_wait(struct dtl_ring *r)
{
	(void)r;
	sched_yield();
	return true;
}

#endif
