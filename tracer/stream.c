// SPDX-License-Identifier: MIT
/* Reading the event stream (see dtl/stream.h), in the front-end process. */
#include <dtl/stream.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
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
	s->stall_ns = DTL_STREAM_STALL_NS;
	s->tail_seen = ring->tail;
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

/* A loss record made up by the consumer (not in the ring). */
static const struct dtl_rec *own_loss(struct dtl_stream *s, uint64_t n, uint64_t first_ns,
                                      int32_t pid, int32_t tid)
{
	struct dtl_rec_loss *l = &s->tail_loss;
	memset(l, 0, sizeof(*l));
	l->hdr.size = sizeof(*l);
	l->hdr.type = DTL_REC_LOSS;
	l->hdr.pid = pid;
	l->hdr.tid = tid;
	l->hdr.time_ns = realtime_ns();
	l->count = n;
	l->first_ns = first_ns;
	s->lost += n;
	s->last_record_ns = monotonic_ns();
	return &l->hdr;
}

/* The state of thread @tid of process @pid from /proc: 'R', 'S', 'Z'...,
 * or 0 if it cannot be read. */
static char thread_state(int32_t pid, int32_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* "tid (comm) S ...": comm may hold spaces and parentheses */
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

/* Is thread @tid of process @pid (a producer's name) known to be gone? */
static bool thread_gone(int32_t pid, int32_t tid)
{
	return pid > 0 && tid > 0 && syscall(SYS_tgkill, pid, tid, 0) < 0 && errno == ESRCH;
}

/*
 * Will the thread that claimed the next record never publish it? It is
 * gone (tgkill: no such thread), or it ended and only its zombie is left
 * (a main thread whose process lives on, or one not reaped yet), which
 * /proc says, looked at only once the record has been pending a while.
 * Or the claim has blocked the stream for @stall_ns while its thread was
 * not stopped: a producer fills a record within microseconds, so such a
 * claim is not a producer's (a program that wrote into the ring's memory,
 * where the platform lets it; README, "Trace integrity"), and the stream
 * must not stall behind it for good.
 */
static bool claimant_gone(struct dtl_stream *s, int32_t pid, int32_t tid)
{
	bool named = pid > 0 && tid > 0;
	if (s->producers_gone || thread_gone(pid, tid))
		return true;
	uint64_t tail = __atomic_load_n(&s->ring->tail, __ATOMIC_RELAXED);
	uint64_t now = monotonic_ns();
	if (s->claim_tail != tail || !s->claim_seen_ns) {
		s->claim_tail = tail;
		s->claim_seen_ns = now;
		return false;
	}
	uint64_t pending = now - s->claim_seen_ns;
	if (pending < DTL_STREAM_ZOMBIE_CHECK_NS)
		return false;
	char state = named ? thread_state(pid, tid) : 0;
	if (state == 'Z' || state == 'X')
		return true;
	if (pending >= s->stall_ns && state != 'T' && state != 't') {
		s->stalled++;
		return true;
	}
	return false;
}

/* Where the record after the unwritten claim at the tail starts, if known
 * (dtl_ring_next_written): a claim named by a thread that is gone too. */
static bool next_record(struct dtl_stream *s, uint64_t *at)
{
	int32_t pid, tid;
	if (dtl_ring_next_written(s->ring, at, &pid, &tid))
		return true;
	return s->producers_gone || thread_gone(pid, tid);
}

/*
 * The tail is a claim whose commit word was never written: its producer
 * was killed between claiming and saying so (dtl/ring.h). Once it is known
 * gone (or has blocked the stream for @stall_ns), the consumer steps to the
 * next record, found twice at the same place some time apart.
 */
static const struct dtl_rec *step_over_unwritten(struct dtl_stream *s, int32_t pid, int32_t tid)
{
	struct dtl_ring *r = s->ring;
	uint64_t at, now = monotonic_ns();
	if (!s->skip_seen_ns || s->skip_tail != r->tail) {
		if (!claimant_gone(s, pid, tid) || !next_record(s, &at))
			return NULL;
		s->skip_tail = r->tail;
		s->skip_at = at;
		s->skip_seen_ns = now;
		if (!s->producers_gone)
			return NULL; /* the second look, later */
	} else {
		if (!next_record(s, &at))
			return NULL;
		if (at != s->skip_at) { /* a producer wrote its word meanwhile */
			s->skip_at = at;
			s->skip_seen_ns = now;
			return NULL;
		}
		if (now - s->skip_seen_ns < DTL_STREAM_ZOMBIE_CHECK_NS && !s->producers_gone)
			return NULL;
	}
	s->skip_seen_ns = 0;
	if (!dtl_ring_skip_to(r, at))
		return NULL;
	s->abandoned++;
	return own_loss(s, 1, realtime_ns(), pid, tid);
}

/* A published record, or the losses no producer has reported yet, or the
 * record a dead producer claimed and never published. */
static const struct dtl_rec *look_at_tail(struct dtl_stream *s)
{
	struct dtl_ring *r = s->ring;
	const struct dtl_rec *rec = dtl_ring_peek(r);
	if (rec) {
		s->last_record_ns = monotonic_ns();
		if (rec->type == DTL_REC_LOSS && rec->size >= sizeof(struct dtl_rec_loss))
			s->lost += ((const struct dtl_rec_loss *)rec)->count;
		return rec;
	}
	if (dtl_ring_corrupt(r)) {
		s->corrupt++;
		return own_loss(s, 1, realtime_ns(), 0, 0);
	}
	int32_t pid, tid;
	if (dtl_ring_claimant(r, &pid, &tid)) {
		if (!claimant_gone(s, pid, tid) || !dtl_ring_abandon(r))
			return NULL; /* being written: wait for it */
		s->abandoned++;
		return own_loss(s, 1, realtime_ns(), pid, tid);
	}
	if (dtl_ring_unwritten_claim(r, &pid, &tid))
		return step_over_unwritten(s, pid, tid);
	if (!__atomic_load_n(&r->lost_pending, __ATOMIC_ACQUIRE))
		return NULL;
	uint64_t n = __atomic_exchange_n(&r->lost_pending, 0, __ATOMIC_ACQ_REL);
	if (!n)
		return NULL; /* a producer is reporting them */
	return own_loss(s, n, __atomic_exchange_n(&r->lost_first_ns, 0, __ATOMIC_RELAXED), 0, 0);
}

/* The same, once the ring's indices are where only producers and this
 * consumer can have put them (a program that reached the ring's memory,
 * README "Trace integrity"). */
static const struct dtl_rec *look(struct dtl_stream *s)
{
	const struct dtl_rec *rec;
	if (dtl_ring_repair(s->ring, &s->tail_seen)) {
		s->corrupt++;
		rec = own_loss(s, 1, realtime_ns(), 0, 0);
	} else {
		rec = look_at_tail(s);
	}
	s->tail_seen = __atomic_load_n(&s->ring->tail, __ATOMIC_RELAXED);
	return rec;
}

static void nap(uint64_t ns)
{
	struct timespec t = {.tv_sec = (time_t)(ns / 1000000000u),
	                     .tv_nsec = (long)(ns % 1000000000u)};
	nanosleep(&t, NULL);
}

/* Asleep on the doorbell until a producer rings it or @deadline; the record
 * that is there then, if any. */
static const struct dtl_rec *doze(struct dtl_stream *s, uint64_t now, uint64_t deadline)
{
	struct dtl_ring *r = s->ring;
	const struct dtl_rec *rec;
	uint32_t bell = __atomic_load_n(&r->doorbell, __ATOMIC_ACQUIRE);
	__atomic_store_n(&r->sleeping, 1, __ATOMIC_SEQ_CST);
	/* against a producer's "publish, then test sleeping" (dtl_ring_publish) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(rec = look(s))) {
		uint64_t left = deadline - now;
		/* a claim at the tail is looked at again soon (claimant_gone,
		 * step_over_unwritten): no producer will ring for it */
		if ((s->claim_seen_ns && s->claim_tail == r->tail) ||
		    (s->skip_seen_ns && s->skip_tail == r->tail))
			left =
			    left < DTL_STREAM_ZOMBIE_CHECK_NS ? left : DTL_STREAM_ZOMBIE_CHECK_NS;
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

const struct dtl_rec *dtl_stream_next(struct dtl_stream *s, int timeout_ms)
{
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
	/* a wake can find nothing to read yet: the record it announced sits
	 * behind one still being written, whose producer rings again once
	 * it is published. So sleep again until the deadline. */
	for (uint64_t now = monotonic_ns(); now < deadline; now = monotonic_ns())
		if ((rec = doze(s, now, deadline)))
			return rec;
	return NULL;
}

void dtl_stream_release(struct dtl_stream *s, const struct dtl_rec *rec)
{
	if (rec != &s->tail_loss.hdr)
		dtl_ring_release(s->ring, rec);
	s->tail_seen = __atomic_load_n(&s->ring->tail, __ATOMIC_RELAXED);
}
