/* SPDX-License-Identifier: MIT */
/*
 * The ring that carries the event stream (dtl/event.h) from the traced
 * program to the dtrace-lite front-end: a byte ring in a memfd that every
 * process of the traced tree maps MAP_SHARED.
 *
 * Producers: the tool runtimes of every vCPU of every traced process (ring
 * 0, and the monitor on the host thread), concurrently. A producer claims
 * the bytes of a record by advancing @head with a compare-and-swap (a record
 * that would cross the end is preceded by a DTL_REC_PAD record filling the
 * rest, so a record is always contiguous), fills it, and publishes it by
 * storing its commit word. No locks, no allocation: usable in ring 0.
 *
 * Consumer: the front-end alone. It reads records in order from @tail,
 * zeroes each one it is done with (so that a commit word reads zero until
 * claimed on the next lap) and advances @tail.
 *
 * Commit word of a record (dtl/event.h): zero, free; a size with type 0,
 * claimed and being written, its header's pid and tid saying by whom; a
 * size and a type, published. A producer killed between claim and publish
 * (a thread of a program that calls exit_group, SIGKILL) never publishes:
 * the consumer, having found the claimant gone, steps over the record and
 * counts it lost (dtl_ring_abandon), instead of waiting forever while every
 * later producer waits for room. (A producer killed in the few instructions
 * between its compare-and-swap on @head and storing the claimed word
 * leaves a zero word that cannot be told from a slow producer.)
 *
 * Full ring: producers wait (back-pressure) until the consumer frees room,
 * and give up only when the consumer is gone; in drop mode (DTL_RING_DROP)
 * the record is dropped and counted, and the next record that fits is
 * preceded by a DTL_REC_LOSS record saying how many.
 *
 * Doorbell: an idle consumer sleeps on a futex (@doorbell; shared, not
 * FUTEX_PRIVATE: the ring is mapped by several processes). A wake costs the
 * producer a system call, so the consumer first polls for a while, then
 * sets @sleeping; a producer that publishes and finds @sleeping set clears
 * it and wakes the consumer. A busy stream thus costs no wake at all.
 */
#ifndef DTL_RING_H
#define DTL_RING_H

#include <dtl/event.h>
#include <dtl/event_view.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTL_RING_MAGIC     0x64746c72696e6732ULL /* "dtlring2" */
#define DTL_RING_DATA_SIZE (1u << 20)            /* the front-end's ring: 1 MiB of records */
_Static_assert(DTL_RING_DATA_SIZE >= 2 * DTL_REC_MAX, "a record claims at most half the ring");

#define DTL_RING_ENTRY_EVENTS 1 /* publish every call's entry too (DTL_REC_SYSCALL_ENTER) */
#define DTL_RING_DROP         2 /* a full ring drops the record (counted) instead of waiting */
#define DTL_RING_FD_PATHS     4 /* -y: record the path of each descriptor a call creates */

struct dtl_ring {
	uint64_t magic;
	uint32_t strsize;     /* -s: bytes of a string or buffer to capture */
	uint32_t flags;       /* DTL_RING_* */
	uint64_t data_size;   /* bytes of data[]: a power of two */
	int32_t consumer_pid; /* the front-end: a producer that finds it gone stops waiting */
	int32_t reserved;
	/* DTL_RING_DROP: records dropped and not yet reported by a loss
	 * record, when the first of them was dropped, and all ever dropped */
	volatile uint64_t lost_pending;
	volatile uint64_t lost_first_ns;
	volatile uint64_t lost_total;
	/* the doorbell: the futex word, and the consumer's "asleep" flag */
	volatile uint32_t doorbell __attribute__((aligned(64)));
	volatile uint32_t sleeping;
	volatile uint64_t head __attribute__((aligned(64))); /* bytes claimed by producers */
	volatile uint64_t tail __attribute__((aligned(64))); /* bytes released by the consumer */
	char data[] __attribute__((aligned(64)));
};

/* Bytes of a ring with @data_size bytes of records (what to map). */
static inline size_t dtl_ring_size(uint64_t data_size)
{
	return sizeof(struct dtl_ring) + data_size;
}

/* Consumer: make @r (dtl_ring_size(@data_size) bytes, zeroed) a ring.
 * @data_size: a power of two, at least twice the largest record written
 * (DTL_REC_MAX for the capture). */
void dtl_ring_init(struct dtl_ring *r, uint64_t data_size, uint32_t strsize, uint32_t flags,
                   int consumer_pid);
/* Is @mem, of @len bytes, a ring (as a producer maps it)? */
bool dtl_ring_valid(const struct dtl_ring *r, size_t len);

/*
 * Who is writing, and how it waits and wakes: a producer in ring 0 and one
 * on the host thread make their system calls differently.
 */
struct dtl_ring_producer {
	int32_t pid, tid;
	uint64_t now_ns; /* for the header of a loss record written on its behalf */
	/* called between polls while the ring is full; false: give up */
	bool (*wait)(struct dtl_ring *r);
	/* FUTEX_WAKE the consumer at &r->doorbell (a raw system call) */
	void (*wake)(struct dtl_ring *r);
};

/*
 * Producer: claim @size bytes (a multiple of 8, at most data_size / 2) for
 * a record. Returns where to write it (the commit word still zero), or NULL
 * when it was dropped (drop mode, counted) or the producer gave up.
 */
struct dtl_rec *dtl_ring_claim(struct dtl_ring *r, uint32_t size,
                               const struct dtl_ring_producer *p);
/* Producer: publish the claimed record @rec as @type (its size the claimed
 * one), ringing the doorbell if the consumer sleeps. */
void dtl_ring_publish(struct dtl_ring *r, struct dtl_rec *rec, uint16_t type, uint32_t size,
                      const struct dtl_ring_producer *p);

/* Consumer: the next published record (padding skipped), or NULL if there
 * is none yet. It stays valid until dtl_ring_release(). */
const struct dtl_rec *dtl_ring_peek(struct dtl_ring *r);
void dtl_ring_release(struct dtl_ring *r, const struct dtl_rec *rec);

/* Consumer, when dtl_ring_peek() found nothing: is the next record claimed
 * but not yet published? Then by whom (@pid, @tid; 0 when the producer
 * did not say). */
bool dtl_ring_claimant(struct dtl_ring *r, int32_t *pid, int32_t *tid);
/* Consumer: that claimant is gone for good: skip its record and count it
 * in @lost_total. False if there was no such record (or it was published
 * meanwhile). Only for a claimant known dead: a live one would write into
 * memory the ring hands out again. */
bool dtl_ring_abandon(struct dtl_ring *r);
/* Consumer: is the record at the tail one no producer could have written
 * (a size that is not a whole record inside the ring)? Then it, and every
 * byte claimed after it, is thrown away and counted once in @lost_total;
 * true. Only a writer that is not a producer leaves such a record. */
bool dtl_ring_corrupt(struct dtl_ring *r);
/* Consumer: bytes claimed by producers and not yet read (published or not). */
uint64_t dtl_ring_unread(const struct dtl_ring *r);

#endif
