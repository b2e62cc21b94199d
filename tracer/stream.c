// SPDX-License-Identifier: MIT
/* Reading the event stream (see dtl/stream.h), in the front-end process. */
#include <dtl/stream.h>

#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define POLL_STEP_NS 50000 /* between two looks at an empty ring while polling */

void dtl_stream_init(struct dtl_stream *s, struct dtl_ring *ring)
{
	memset(s, 0, sizeof(*s));
	s->ring = ring;
	s->poll_ns = DTL_STREAM_POLL_NS;
}

static uint64_t monotonic_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint64_t realtime_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* A published record, or the losses no producer has reported yet. */
static const struct dtl_rec *look(struct dtl_stream *s)
{
	struct dtl_ring *r = s->ring;
	const struct dtl_rec *rec = dtl_ring_peek(r);
	if (rec) {
		s->last_record_ns = monotonic_ns();
		if (rec->type == DTL_REC_LOSS && rec->size >= sizeof(struct dtl_rec_loss))
			s->lost += ((const struct dtl_rec_loss *)rec)->count;
		return rec;
	}
	if (!__atomic_load_n(&r->lost_pending, __ATOMIC_ACQUIRE))
		return NULL;
	uint64_t n = __atomic_exchange_n(&r->lost_pending, 0, __ATOMIC_ACQ_REL);
	if (!n)
		return NULL; /* a producer is reporting them */
	struct dtl_rec_loss *l = &s->tail_loss;
	memset(l, 0, sizeof(*l));
	l->hdr.size = sizeof(*l);
	l->hdr.type = DTL_REC_LOSS;
	l->hdr.time_ns = realtime_ns();
	l->count = n;
	l->first_ns = __atomic_exchange_n(&r->lost_first_ns, 0, __ATOMIC_RELAXED);
	s->lost += n;
	s->last_record_ns = monotonic_ns();
	return &l->hdr;
}

static void nap(uint64_t ns)
{
	struct timespec t = {.tv_sec = (time_t)(ns / 1000000000u),
	                     .tv_nsec = (long)(ns % 1000000000u)};
	nanosleep(&t, NULL);
}

const struct dtl_rec *dtl_stream_next(struct dtl_stream *s, int timeout_ms)
{
	struct dtl_ring *r = s->ring;
	const struct dtl_rec *rec = look(s);
	if (rec || timeout_ms <= 0)
		return rec;
	uint64_t start = monotonic_ns();
	uint64_t deadline = start + (uint64_t)timeout_ms * 1000000u;
	/* poll for a while after the last record: a busy program then never
	 * pays a wake; an idle one leaves the consumer asleep */
	uint64_t poll_end = s->last_record_ns + s->poll_ns;
	if (poll_end > deadline)
		poll_end = deadline;
	for (uint64_t now = start; now < poll_end; now = monotonic_ns()) {
		nap(POLL_STEP_NS);
		if ((rec = look(s)))
			return rec;
	}
	uint64_t now = monotonic_ns();
	if (now >= deadline)
		return NULL;
	uint32_t bell = __atomic_load_n(&r->doorbell, __ATOMIC_ACQUIRE);
	__atomic_store_n(&r->sleeping, 1, __ATOMIC_SEQ_CST);
	/* against a producer's "publish, then test sleeping" (dtl_ring_publish) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(rec = look(s))) {
		uint64_t left = deadline - now;
		struct timespec t = {.tv_sec = (time_t)(left / 1000000000u),
		                     .tv_nsec = (long)(left % 1000000000u)};
		s->naps++;
		/* not FUTEX_PRIVATE: the word is in memory other processes map */
		syscall(SYS_futex, &r->doorbell, FUTEX_WAIT, bell, &t, NULL, 0);
		rec = look(s);
	}
	__atomic_store_n(&r->sleeping, 0, __ATOMIC_RELAXED);
	return rec;
}

void dtl_stream_release(struct dtl_stream *s, const struct dtl_rec *rec)
{
	if (rec != &s->tail_loss.hdr)
		dtl_ring_release(s->ring, rec);
}
