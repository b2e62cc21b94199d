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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTL_RING_MAGIC      0x64746c72696e6731ULL /* "dtlring1" */
#define DTL_RING_SLOTS      4096
#define DTL_EVENT_DATA      896 /* bytes of captured memory per event */
#define DTL_EVENT_MAX_BLOBS 4

enum dtl_event_type {
	DTL_EV_SYSCALL = 1, /* a completed system call */
	DTL_EV_ENTER,       /* a call that does not return (exit, exit_group, a good execve) */
};

struct dtl_blob {
	uint8_t arg;     /* argument index */
	uint8_t flags;   /* DTL_BLOB_* */
	uint16_t len;    /* bytes in data[] */
	uint32_t offset; /* into data[] */
};
#define DTL_BLOB_TRUNCATED 1 /* the object was longer than the -s limit */
#define DTL_BLOB_FAULT     2 /* the address could not be read (printed as such) */

struct dtl_event {
	uint32_t type;
	int32_t pid, tid;
	int32_t nblobs;
	uint64_t ts_ns;       /* CLOCK_MONOTONIC at completion */
	uint64_t ts_enter_ns; /* CLOCK_MONOTONIC at entry */
	int64_t nr;
	uint64_t args[6];
	int64_t ret;
	struct dtl_blob blobs[DTL_EVENT_MAX_BLOBS];
	char data[DTL_EVENT_DATA];
};

struct dtl_slot {
	volatile uint64_t ready; /* seq + 1 once published */
	struct dtl_event ev;
};

struct dtl_ring {
	uint64_t magic;
	uint32_t strsize; /* -s: bytes of a string or buffer to capture */
	uint32_t pad;
	volatile uint64_t write_seq __attribute__((aligned(64)));
	volatile uint64_t read_seq __attribute__((aligned(64)));
	struct dtl_slot slots[DTL_RING_SLOTS] __attribute__((aligned(64)));
};

static inline size_t dtl_ring_size(void)
{
	return sizeof(struct dtl_ring);
}

/* Producer: claim the next slot (waiting while the ring is full; @wait is
 * called between polls) and return its event to fill. */
struct dtl_event *dtl_ring_claim(struct dtl_ring *r, uint64_t *seq, void (*wait)(void));
void dtl_ring_publish(struct dtl_ring *r, uint64_t seq);

/* Consumer: the next published event, or NULL if there is none yet. */
const struct dtl_event *dtl_ring_peek(struct dtl_ring *r);
void dtl_ring_release(struct dtl_ring *r);

#endif
