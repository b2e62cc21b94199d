/* SPDX-License-Identifier: MIT */
/*
 * The event ring between the traced program (producers: the ring-0 syscall
 * handler of every thread and forked process, which share it as MAP_SHARED
 * memfd memory) and the dtrace-lite front-end (the one consumer).
 *
 * A producer claims a slot with an atomic increment of write_seq, waits
 * while the ring is full (back-pressure: nothing is dropped), fills the slot
 * and publishes it by storing seq + 1 into its ready word. The consumer reads
 * slots in order. No locks, no allocation: usable in ring 0.
 */
#ifndef DTL_RING_H
#define DTL_RING_H

#include <dtl/event_view.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTL_RING_MAGIC 0x64746c72696e6731ULL /* "dtlring1" */
#define DTL_RING_SLOTS 4096
struct dtl_slot {
	volatile uint64_t ready; /* seq + 1 once published */
	struct dtl_event ev;
};

#define DTL_RING_ENTRY_EVENTS 1 /* publish every call's entry too (DTL_EV_ENTER) */
#define DTL_RING_DROP         2 /* a full ring drops the event (counted in .lost) instead of waiting */
#define DTL_RING_FD_PATHS     4 /* -y: record the path of each descriptor a call creates */

struct dtl_ring {
	uint64_t magic;
	uint32_t strsize;       /* -s: bytes of a string or buffer to capture */
	uint32_t flags;         /* DTL_RING_* */
	volatile uint64_t lost; /* DTL_RING_DROP: events not recorded because the ring was full */
	int32_t consumer_pid;   /* the front-end: a producer that finds it gone stops waiting */
	int32_t pad;
	volatile uint64_t write_seq __attribute__((aligned(64)));
	volatile uint64_t read_seq __attribute__((aligned(64)));
	struct dtl_slot slots[DTL_RING_SLOTS] __attribute__((aligned(64)));
};

static inline size_t dtl_ring_size(void)
{
	return sizeof(struct dtl_ring);
}

/* Producer: claim the next slot (waiting while the ring is full; @wait is
 * called between polls and returns false to give up, when the consumer is
 * gone) and return its event to fill, or NULL after giving up. */
struct dtl_event *dtl_ring_claim(struct dtl_ring *r, uint64_t *seq,
                                 bool (*wait)(struct dtl_ring *));
/* Producer, drop mode: the same without waiting; NULL (and .lost counted)
 * when the ring is full. */
struct dtl_event *dtl_ring_try_claim(struct dtl_ring *r, uint64_t *seq);
void dtl_ring_publish(struct dtl_ring *r, uint64_t seq);

/* Consumer: the next published event, or NULL if there is none yet. */
const struct dtl_event *dtl_ring_peek(struct dtl_ring *r);
void dtl_ring_release(struct dtl_ring *r);

#endif
