// SPDX-License-Identifier: MIT
/*
 * The event stream's ring (tracer/ring.c) and reader (tracer/stream.c), as
 * ordinary threads: claim, publish, wrap, a full ring waiting or dropping
 * (with the loss reported in the stream), several producers against one
 * consumer, and the doorbell.
 */
#define _GNU_SOURCE
#include <dtl/ring.h>
#include <dtl/stream.h>

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "ring_fixture.h"

static int wakes;

static int give_ups;
static bool give_up(struct dtl_ring *r)
{
	(void)r;
	give_ups++;
	return false;
}

static void futex_wake(struct dtl_ring *r)
{
	__atomic_fetch_add(&wakes, 1, __ATOMIC_RELAXED);
	syscall(SYS_futex, &r->doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* A test record: a page-fault sample (48 bytes) padded to @size, its
 * producer in tid and its sequence number in addr. */
static bool put(struct dtl_ring *r, const struct dtl_ring_producer *p, uint32_t size, uint64_t seq)
{
	struct dtl_rec_page_fault *rec = (struct dtl_rec_page_fault *)dtl_ring_claim(r, size, p);
	if (!rec)
		return false;
	rec->hdr.pid = p->pid;
	rec->hdr.tid = p->tid;
	rec->hdr.time_ns = seq;
	rec->addr = seq;
	rec->rip = size;
	dtl_ring_publish(r, &rec->hdr, DTL_REC_PAGE_FAULT, size, p);
	return true;
}

static const struct dtl_rec_page_fault *get(struct dtl_ring *r)
{
	const struct dtl_rec *rec = dtl_ring_peek(r);
	if (!rec)
		return NULL;
	assert_int_equal(rec->type, DTL_REC_PAGE_FAULT);
	return (const struct dtl_rec_page_fault *)rec;
}

static void test_claim_publish_in_order(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_ring_producer p = {.pid = 1, .tid = 2, .wait = yield_wait, .wake = futex_wake};
	assert_null(dtl_ring_peek(r));
	/* a claimed record is invisible until published; later ones wait */
	struct dtl_rec *first = dtl_ring_claim(r, 48, &p);
	assert_non_null(first);
	assert_true(put(r, &p, 64, 2));
	assert_null(dtl_ring_peek(r));
	((struct dtl_rec_page_fault *)first)->addr = 1;
	dtl_ring_publish(r, first, DTL_REC_PAGE_FAULT, 48, &p);
	for (uint64_t i = 1; i <= 2; i++) {
		const struct dtl_rec_page_fault *rec = get(r);
		assert_non_null(rec);
		assert_int_equal(rec->addr, i);
		assert_int_equal(rec->hdr.size, i == 1 ? 48 : 64);
		dtl_ring_release(r, &rec->hdr);
	}
	assert_null(dtl_ring_peek(r));
	assert_int_equal(r->head, r->tail);
	assert_int_equal(wakes, 0); /* nobody was asleep */
	free_ring(r);
}

/* Records of sizes that do not divide the ring: padding at the end, every
 * record contiguous and in order, lap after lap. */
static void test_wrap(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(256, 0);
	struct dtl_ring_producer p = {.wait = give_up, .wake = futex_wake};
	uint64_t next_read = 0;
	for (uint64_t seq = 0; seq < 1000; seq++) {
		uint32_t size = seq % 3 ? 72 : 48;
		/* keep one record unread */
		if (seq - next_read == 1) {
			const struct dtl_rec_page_fault *rec = get(r);
			assert_non_null(rec);
			assert_int_equal(rec->addr, next_read++);
			assert_true((char *)rec + rec->hdr.size <= r->data + r->data_size);
			dtl_ring_release(r, &rec->hdr);
		}
		assert_true(put(r, &p, size, seq));
	}
	assert_true(r->head > 3 * r->data_size);
	free_ring(r);
}

/* Full: the producer waits (here: its wait gives up at once) and nothing
 * is counted lost; once the consumer frees room it goes on. */
static void test_full_back_pressure(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(256, 0);
	struct dtl_ring_producer p = {.wait = give_up, .wake = futex_wake};
	int n = 0;
	give_ups = 0;
	while (put(r, &p, 64, (uint64_t)n))
		n++;
	assert_int_equal(n, 4);
	assert_int_equal(give_ups, 1);
	assert_int_equal(r->lost_pending + r->lost_total, 0);
	const struct dtl_rec_page_fault *rec = get(r);
	dtl_ring_release(r, &rec->hdr);
	assert_true(put(r, &p, 64, 4));
	for (uint64_t i = 1; i <= 4; i++) {
		rec = get(r);
		assert_int_equal(rec->addr, i);
		dtl_ring_release(r, &rec->hdr);
	}
	free_ring(r);
}

/* Drop mode: what does not fit is counted, and the stream says how many
 * were lost where they were lost: before the next record that fits, or at
 * its end when nothing followed. */
static void test_drop_and_loss_records(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(512, DTL_RING_DROP);
	struct dtl_ring_producer p = {.pid = 7, .tid = 8, .wait = give_up, .wake = futex_wake};
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	int n = 0;
	give_ups = 0;
	for (int i = 0; i < 20; i++) {
		p.now_ns = 1000 + (uint64_t)i;
		n += put(r, &p, 64, (uint64_t)i);
	}
	assert_int_equal(n, 8);
	assert_int_equal(r->lost_pending, 12);
	assert_int_equal(give_ups, 0); /* dropping never waits */
	for (int i = 0; i < 8; i++) {
		const struct dtl_rec *rec = dtl_stream_next(&s, 0);
		assert_int_equal(rec->type, DTL_REC_PAGE_FAULT);
		dtl_stream_release(&s, rec);
	}
	/* the next record carries the losses ahead of it */
	p.now_ns = 5000;
	assert_true(put(r, &p, 64, 100));
	const struct dtl_rec *rec = dtl_stream_next(&s, 0);
	assert_int_equal(rec->type, DTL_REC_LOSS);
	const struct dtl_rec_loss *loss = (const struct dtl_rec_loss *)rec;
	assert_int_equal(loss->count, 12);
	assert_int_equal(loss->first_ns, 1008);
	assert_int_equal(loss->hdr.time_ns, 5000);
	assert_int_equal(loss->hdr.tid, 8);
	dtl_stream_release(&s, rec);
	rec = dtl_stream_next(&s, 0);
	assert_int_equal(((const struct dtl_rec_page_fault *)rec)->addr, 100);
	dtl_stream_release(&s, rec);
	/* losses with nothing after them: the reader reports them itself */
	for (int i = 0; i < 20; i++)
		put(r, &p, 64, 200);
	for (int i = 0; i < 7; i++) { /* the padding at the end took room */
		rec = dtl_stream_next(&s, 0);
		assert_non_null(rec);
		dtl_stream_release(&s, rec);
	}
	rec = dtl_stream_next(&s, 0);
	assert_non_null(rec);
	assert_int_equal(rec->type, DTL_REC_LOSS);
	dtl_stream_release(&s, rec);
	assert_null(dtl_stream_next(&s, 0));
	assert_int_equal(s.lost, r->lost_total);
	assert_int_equal(r->lost_total, 12 + 20 - 7);
	free_ring(r);
}

#define PRODUCERS    4
#define PER_PRODUCER 20000

struct producer_arg {
	struct dtl_ring *ring;
	int id;
};

static void *producer(void *arg)
{
	struct producer_arg *a = arg;
	struct dtl_ring_producer p = {.tid = a->id, .wait = yield_wait, .wake = futex_wake};
	for (uint64_t i = 0; i < PER_PRODUCER; i++)
		assert_true(put(a->ring, &p, 48 + 8 * (uint32_t)((i + (uint64_t)a->id) % 5), i));
	return NULL;
}

/* Producers racing for a small ring: every record arrives, each
 * producer's in the order it wrote them. */
static void test_producers_against_one_consumer(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	s.poll_ns = 100000;
	pthread_t t[PRODUCERS];
	struct producer_arg args[PRODUCERS];
	for (int i = 0; i < PRODUCERS; i++) {
		args[i] = (struct producer_arg){r, i};
		assert_int_equal(pthread_create(&t[i], NULL, producer, &args[i]), 0);
	}
	uint64_t next[PRODUCERS] = {0};
	for (int got = 0; got < PRODUCERS * PER_PRODUCER;) {
		const struct dtl_rec *rec = dtl_stream_next(&s, 1000);
		assert_non_null(rec);
		const struct dtl_rec_page_fault *pf = (const struct dtl_rec_page_fault *)rec;
		assert_int_equal(rec->type, DTL_REC_PAGE_FAULT);
		assert_in_range(rec->tid, 0, PRODUCERS - 1);
		assert_int_equal(pf->addr, next[rec->tid]);
		assert_int_equal(pf->rip, rec->size);
		next[rec->tid]++;
		got++;
		dtl_stream_release(&s, rec);
	}
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(t[i], NULL);
	assert_null(dtl_stream_next(&s, 0));
	assert_int_equal(r->lost_total, 0);
	free_ring(r);
}

static void *sleeper(void *arg)
{
	struct dtl_stream *s = arg;
	return (void *)dtl_stream_next(s, 10000);
}

/* An idle consumer sleeps; the producer that finds it asleep wakes it
 * (once), and one that finds it awake makes no system call. */
static void test_doorbell(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_ring_producer p = {.wait = yield_wait, .wake = futex_wake};
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	s.poll_ns = 1000000;
	wakes = 0;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, sleeper, &s), 0);
	while (!__atomic_load_n(&r->sleeping, __ATOMIC_ACQUIRE))
		usleep(100);
	usleep(10000); /* well into FUTEX_WAIT */
	assert_true(put(r, &p, 48, 42));
	void *got;
	pthread_join(t, &got);
	assert_non_null(got);
	assert_int_equal(((const struct dtl_rec_page_fault *)got)->addr, 42);
	assert_int_equal(wakes, 1);
	assert_int_equal(s.naps, 1);
	assert_int_equal(r->sleeping, 0);
	dtl_stream_release(&s, got);
	/* awake (or polling): publishing costs no wake */
	for (int i = 0; i < 10; i++)
		assert_true(put(r, &p, 48, (uint64_t)i));
	assert_int_equal(wakes, 1);
	/* nothing comes: the wait ends at its timeout */
	for (int i = 0; i < 10; i++)
		dtl_stream_release(&s, dtl_stream_next(&s, 0));
	assert_null(dtl_stream_next(&s, 20));
	free_ring(r);
}

/* Whatever a writer that is not a producer leaves in the ring (a size that
 * runs off its end, one that is not a whole record, a claim that says so),
 * the consumer stays inside the ring, throws away what cannot be trusted,
 * counts it, and reads what producers publish afterwards. */
static void test_garbage_is_dropped_and_counted(void **state)
{
	(void)state;
	static const uint32_t bad_sizes[] = {0x7ffffff8u, 12, 4096, 8};
	for (unsigned i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		for (int claimed = 0; claimed < 2; claimed++) {
			struct dtl_ring *r = new_ring(4096, 0);
			struct dtl_ring_producer p = {
			    .pid = 1, .tid = 2, .wait = yield_wait, .wake = futex_wake};
			assert_true(put(r, &p, 64, 1));
			assert_true(put(r, &p, 64, 2));
			/* the first record's commit word, overwritten */
			struct dtl_rec forged = {.size = bad_sizes[i],
			                         .type = claimed ? 0 : DTL_REC_PAGE_FAULT};
			__atomic_store_n(&((struct dtl_rec *)r->data)->commit, forged.commit,
			                 __ATOMIC_RELEASE);
			assert_null(dtl_ring_peek(r));
			assert_true(dtl_ring_corrupt(r));
			assert_int_equal(r->lost_total, 1);
			assert_int_equal(r->tail, r->head);
			assert_false(dtl_ring_corrupt(r)); /* once */
			assert_true(put(r, &p, 64, 3));
			const struct dtl_rec_page_fault *rec = get(r);
			assert_non_null(rec);
			assert_int_equal(rec->addr, 3);
			dtl_ring_release(r, &rec->hdr);
			free_ring(r);
		}
	}
}

/* The indices moved by a writer that is not a producer (a tail only the
 * consumer writes; a head off a record boundary, behind the tail or more
 * than a ring ahead): put back, counted, and the stream goes on. */
static void test_moved_indices_are_repaired(void **state)
{
	(void)state;
	for (int how = 0; how < 4; how++) {
		struct dtl_ring *r = new_ring(4096, 0);
		struct dtl_ring_producer p = {
		    .pid = 1, .tid = 2, .wait = yield_wait, .wake = futex_wake};
		assert_true(put(r, &p, 64, 1));
		const struct dtl_rec_page_fault *rec = get(r);
		dtl_ring_release(r, &rec->hdr);
		uint64_t tail = r->tail;
		assert_false(dtl_ring_repair(r, &tail));
		switch (how) {
		case 0:
			r->tail += 1000;
			break;
		case 1:
			r->head += 12;
			break;
		case 2:
			r->head = r->tail - 64;
			break;
		case 3:
			r->head = r->tail + 3 * 4096;
			break;
		}
		assert_true(dtl_ring_repair(r, &tail));
		assert_int_equal(r->tail, tail);
		assert_int_equal(r->lost_total, 1);
		assert_false(dtl_ring_repair(r, &tail));
		assert_true(put(r, &p, 64, 2));
		rec = get(r);
		assert_non_null(rec);
		assert_int_equal(rec->addr, 2);
		dtl_ring_release(r, &rec->hdr);
		free_ring(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_claim_publish_in_order),
	    cmocka_unit_test(test_wrap),
	    cmocka_unit_test(test_full_back_pressure),
	    cmocka_unit_test(test_drop_and_loss_records),
	    cmocka_unit_test(test_producers_against_one_consumer),
	    cmocka_unit_test(test_doorbell),
	    cmocka_unit_test(test_garbage_is_dropped_and_counted),
	    cmocka_unit_test(test_moved_indices_are_repaired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
