/* SPDX-License-Identifier: MIT */
/*
 * The front-end's side of the event stream (tracer/stream.c): the next
 * record of the ring, sleeping on the doorbell while there is none.
 */
#ifndef DTL_STREAM_H
#define DTL_STREAM_H

#include <dtl/event.h>
#include <dtl/ring.h>

#include <stdint.h>

struct dtl_stream {
	struct dtl_ring *ring;
	/* how long after the last record an empty ring is polled before the
	 * consumer sleeps: a producer that finds it asleep pays a system call
	 * to wake it */
	uint64_t poll_ns;
	uint64_t last_record_ns; /* CLOCK_MONOTONIC */
	uint64_t lost;           /* records reported lost so far (loss records read) */
	uint64_t abandoned;      /* of those: claimed by a producer that died */
	uint64_t corrupt;        /* times the ring held what no producer writes */
	uint64_t stalled;        /* of the abandoned: claims that blocked the stream */
	/* how long a claim whose thread is not stopped may block the stream */
	uint64_t stall_ns;
	uint64_t naps; /* times the consumer slept on the doorbell */
	/* a loss record made up by the consumer: losses no producer reported
	 * because nothing was written after them, or a record whose producer
	 * died before publishing it */
	struct dtl_rec_loss tail_loss;
	/* the claimed, unpublished record at @claim_tail: since when */
	uint64_t claim_tail, claim_seen_ns;
	/* the unwritten claim at @skip_tail: where the record after it was
	 * found, and when (dtl_ring_next_written: the look that is checked) */
	uint64_t skip_tail, skip_at, skip_seen_ns;
	/* set by the caller once no producer is left (every traced process
	 * is gone): nothing unwritten will be written any more */
	bool producers_gone;
	/* where the consumer left the ring's tail (dtl_ring_repair) */
	uint64_t tail_seen;
};

#define DTL_STREAM_POLL_NS         2000000 /* 2 ms */
/* how long a claimed record waits before its producer's thread is looked
 * up in /proc (is it a zombie?) */
#define DTL_STREAM_ZOMBIE_CHECK_NS 10000000       /* 10 ms */
#define DTL_STREAM_STALL_NS        10000000000ull /* 10 s */

void dtl_stream_init(struct dtl_stream *s, struct dtl_ring *ring);

/*
 * The next record, waiting for one at most @timeout_ms (0: do not wait):
 * polling until poll_ns after the last record, then asleep on the
 * doorbell. NULL when there is none yet. A record whose producer died
 * before publishing it comes as a loss record (DTL_REC_LOSS, count 1, the
 * dead thread's pid and tid). A record stays valid until
 * dtl_stream_release().
 */
const struct dtl_rec *dtl_stream_next(struct dtl_stream *s, int timeout_ms);
void dtl_stream_release(struct dtl_stream *s, const struct dtl_rec *rec);

#endif
