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
 * later producer waits for room. A producer killed in the few instructions
 * between its compare-and-swap on @head and storing the claimed word
 * leaves a zero word that cannot be told from a slow producer: the kills a
 * process makes itself (exit_group, execve, a fatal signal) wait for that
 * window to close (struct dtl_claim_gate); after any other kill, the
 * consumer steps over the unwritten claim once it is known dead or has
 * blocked the stream too long (dtl_ring_next_written, dtl_ring_skip_to).
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
	uint32_t config_len;  /* bytes of the tools' configuration after data[] (text) */
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
 * The tools' configuration that the front-end wrote after the records
 * (the watchpoints, say): text, "NAME\tVALUE" lines, @config_len bytes.
 * Returns it (not NUL-terminated: *@len bytes) in a ring of @mapped bytes,
 * or NULL where there is none.
 */
const char *dtl_ring_config(const struct dtl_ring *r, size_t mapped, size_t *len);
/* Is there a "KEY\t1" line in configuration text @text of @len bytes? */
bool dtl_config_flag(const char *text, size_t len, const char *key);
/* The number of a "KEY\tN" line (decimal): true and *@value, or false. */
bool dtl_config_value(const char *text, size_t len, const char *key, uint64_t *value);

/*
 * The claim gate of one process: how many of its producers are between
 * their compare-and-swap on @head and the claimed commit word, and which
 * thread, if any, closed the gate. A closed gate holds every other thread
 * of the closer's process before that window, so that the closer can kill
 * them (exit_group, execve) without leaving a claim nobody can step over:
 * it closes the gate, waits until @inside is 0, then kills. In memory the
 * process does not share with other processes (a fork child resets it).
 */
struct dtl_claim_gate {
	volatile int32_t inside;
	int32_t reserved;
	volatile uint64_t closer; /* pid << 32 | tid; 0: open */
};

/* Close @g for every thread of process @pid but @tid. */
void dtl_claim_gate_close(struct dtl_claim_gate *g, int32_t pid, int32_t tid);
/* Open it again, if @pid/@tid closed it (an execve that failed). */
void dtl_claim_gate_open(struct dtl_claim_gate *g, int32_t pid, int32_t tid);
/* Is a producer inside the window? */
bool dtl_claim_gate_busy(const struct dtl_claim_gate *g);

/*
 * Who is writing, and how it waits and wakes: a producer in ring 0 and one
 * on the host thread make their system calls differently.
 */
struct dtl_ring_producer {
	int32_t pid, tid;
	uint64_t now_ns;             /* for the header of a loss record written on its behalf */
	struct dtl_claim_gate *gate; /* its process's, or NULL */
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
/* Consumer: the claim at the tail whose commit word was never written (its
 * producer killed between the compare-and-swap on @head and that word),
 * and whose claimant the caller knows is gone: (@pid, @tid) when the
 * claimant got as far as naming itself, else 0. */
bool dtl_ring_unwritten_claim(struct dtl_ring *r, int32_t *pid, int32_t *tid);
/* Consumer: where the record after that claim starts. Its producer wrote
 * nothing of it but perhaps its name, and every byte the consumer hands
 * back is zero, so the next record starts at the first commit word after
 * it (@head when there is none yet): true. False when a producer's name
 * comes first: its claim at @at (named @pid, @tid) has no commit word yet,
 * and is the next record once that producer is known gone. A producer
 * between its claim and its name is not seen, and the word after it would
 * be taken instead: the caller looks twice, some time apart, and steps
 * only when both looks agree. */
bool dtl_ring_next_written(const struct dtl_ring *r, uint64_t *at, int32_t *pid, int32_t *tid);
/* Consumer: step over the unwritten claim at the tail up to @at (from
 * dtl_ring_next_written), zeroing it, counted once in @lost_total. */
bool dtl_ring_skip_to(struct dtl_ring *r, uint64_t at);
/* Consumer: put back what only something that is not a producer or the
 * consumer changes: the tail (the consumer's alone: @tail, where it left
 * it) and a head that is off a record boundary or not within one ring of
 * the tail (producers would claim from there for ever or never; what the
 * ring holds is thrown away). True, counted once in @lost_total, if it
 * had to. */
bool dtl_ring_repair(struct dtl_ring *r, uint64_t *tail);
/* Consumer: bytes claimed by producers and not yet read (published or not). */
uint64_t dtl_ring_unread(const struct dtl_ring *r);

#endif
