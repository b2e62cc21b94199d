// SPDX-License-Identifier: MIT
/*
 * The event stream's ring (tracer/ring.c) and reader (tracer/stream.c)
 * under the conditions of a real trace: producers that are other processes
 * (fork) and threads, producers killed between claiming a record and
 * publishing it (a thread of a program that calls exit_group), a consumer
 * that keeps falling asleep on the doorbell, and drop mode where the ring
 * can never really be full.
 */
#define _GNU_SOURCE
#include <dtl/ring.h>
#include <dtl/stream.h>

#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ring_fixture.h"

static void futex_wake(struct dtl_ring *r)
{
	syscall(SYS_futex, &r->doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static struct dtl_ring_producer me(void)
{
	return (struct dtl_ring_producer){.pid = getpid(),
	                                  .tid = (int32_t)syscall(SYS_gettid),
	                                  .wait = yield_wait,
	                                  .wake = futex_wake};
}

/* A page-fault sample padded to @size: its producer's number in addr, its
 * sequence number in rip. */
static bool put(struct dtl_ring *r, const struct dtl_ring_producer *p, uint32_t size, int who,
                uint64_t seq)
{
	struct dtl_rec_page_fault *rec = (struct dtl_rec_page_fault *)dtl_ring_claim(r, size, p);
	if (!rec)
		return false;
	rec->hdr.pid = p->pid;
	rec->hdr.tid = p->tid;
	rec->addr = (uint64_t)who;
	rec->rip = seq;
	dtl_ring_publish(r, &rec->hdr, DTL_REC_PAGE_FAULT, size, p);
	return true;
}

static const struct dtl_rec_loss *expect_loss(struct dtl_stream *s, uint64_t count)
{
	const struct dtl_rec *rec = dtl_stream_next(s, 2000);
	assert_non_null(rec);
	assert_int_equal(rec->type, DTL_REC_LOSS);
	const struct dtl_rec_loss *l = (const struct dtl_rec_loss *)rec;
	assert_int_equal(l->count, count);
	return l;
}

static void expect_sample(struct dtl_stream *s, int who, uint64_t seq)
{
	const struct dtl_rec *rec = dtl_stream_next(s, 2000);
	assert_non_null(rec);
	assert_int_equal(rec->type, DTL_REC_PAGE_FAULT);
	assert_int_equal(((const struct dtl_rec_page_fault *)rec)->addr, who);
	assert_int_equal(((const struct dtl_rec_page_fault *)rec)->rip, seq);
	dtl_stream_release(s, rec);
}

/*
 * A process killed between claim and publish (exit_group from another
 * thread, SIGKILL) leaves a record that will never be published. The
 * reader must not wait for it forever, which would also leave every later
 * producer waiting for room: it reports the record lost and reads on.
 */
static void test_producer_dies_holding_a_claim(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct dtl_ring_producer p = me();
		dtl_ring_claim(r, 64, &p);
		_exit(0); /* gone without publishing */
	}
	int st;
	assert_int_equal(waitpid(child, &st, 0), child);
	struct dtl_ring_producer p = me();
	assert_true(put(r, &p, 48, 1, 1));
	const struct dtl_rec_loss *l = expect_loss(&s, 1);
	assert_int_equal(l->hdr.pid, child);
	dtl_stream_release(&s, &l->hdr);
	expect_sample(&s, 1, 1);
	assert_null(dtl_stream_next(&s, 0));
	assert_int_equal(s.lost, 1);
	assert_int_equal(s.abandoned, 1);
	assert_int_equal(r->lost_total, 1);
	free_ring(r);
}

static void *claim_and_exit(void *arg)
{
	struct dtl_ring *r = arg;
	struct dtl_ring_producer p = me();
	dtl_ring_claim(r, 64, &p);
	return NULL; /* the thread ends: its tid is gone */
}

/* The same for a thread of a process that lives on. */
static void test_thread_dies_holding_a_claim(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, claim_and_exit, r), 0);
	pthread_join(t, NULL);
	struct dtl_ring_producer p = me();
	assert_true(put(r, &p, 48, 1, 1));
	dtl_stream_release(&s, &expect_loss(&s, 1)->hdr);
	expect_sample(&s, 1, 1);
	free_ring(r);
}

static void *sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/*
 * A main thread that ended while its process lives on is a zombie: it
 * still answers signals, but it will never publish.
 */
static void test_zombie_main_thread_holding_a_claim(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pthread_t t;
		pthread_create(&t, NULL, sleep_forever, NULL);
		struct dtl_ring_producer p = me();
		dtl_ring_claim(r, 64, &p);
		if (write(fds[1], "c", 1) != 1)
			_exit(1);
		syscall(SYS_exit, 0); /* this thread only */
	}
	char c;
	assert_int_equal(read(fds[0], &c, 1), 1);
	struct dtl_ring_producer p = me();
	assert_true(put(r, &p, 48, 1, 1));
	dtl_stream_release(&s, &expect_loss(&s, 1)->hdr);
	expect_sample(&s, 1, 1);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(fds[0]);
	close(fds[1]);
	free_ring(r);
}

/* A claim whose producer is alive is waited for, however long it takes. */
static void test_live_claim_is_waited_for(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	struct dtl_ring_producer p = me();
	struct dtl_rec *slow = dtl_ring_claim(r, 48, &p);
	assert_non_null(slow);
	assert_true(put(r, &p, 48, 1, 2));
	assert_null(dtl_stream_next(&s, 50));
	assert_null(dtl_stream_next(&s, 0));
	assert_int_equal(dtl_ring_unread(r), 96); /* both records */
	((struct dtl_rec_page_fault *)slow)->addr = 1;
	((struct dtl_rec_page_fault *)slow)->rip = 1;
	dtl_ring_publish(r, slow, DTL_REC_PAGE_FAULT, 48, &p);
	expect_sample(&s, 1, 1);
	expect_sample(&s, 1, 2);
	assert_int_equal(s.lost, 0);
	assert_int_equal(dtl_ring_unread(r), 0);
	free_ring(r);
}

/* A claim that blocks the stream longer than stall_ns while its thread
 * runs (no producer takes that long: something else wrote it) is stepped
 * over and counted, and so is one that names no thread at all. */
static void test_stalling_claim_is_stepped_over(void **state)
{
	(void)state;
	for (int named = 0; named < 2; named++) {
		struct dtl_ring *r = new_ring(4096, 0);
		struct dtl_stream s;
		dtl_stream_init(&s, r);
		s.stall_ns = 100000000; /* 100 ms */
		struct dtl_ring_producer p = me(), nobody = me();
		nobody.pid = nobody.tid = 0;
		assert_non_null(dtl_ring_claim(r, 48, named ? &p : &nobody));
		assert_true(put(r, &p, 48, 1, 2));
		assert_null(dtl_stream_next(&s, 20)); /* waited for, at first */
		const struct dtl_rec_loss *l = expect_loss(&s, 1);
		dtl_stream_release(&s, &l->hdr);
		expect_sample(&s, 1, 2);
		assert_int_equal(s.abandoned, 1);
		assert_int_equal(s.stalled, 1);
		free_ring(r);
	}
}

/* A process that is gone, for naming a dead producer. */
static pid_t dead_pid(void)
{
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	int st;
	assert_int_equal(waitpid(child, &st, 0), child);
	return child;
}

/*
 * A producer killed between its compare-and-swap on head and its claimed
 * commit word (SIGKILL from outside: the process does not get to close its
 * claim gate) leaves a zero word of unknown size. The reader steps to the
 * next record once the claimant is known gone (it named itself), has
 * blocked the stream for stall_ns (it did not), or no producer is left;
 * the records after it, also those that wrapped, are all read.
 */
static void test_unwritten_claim_is_stepped_over(void **state)
{
	(void)state;
	enum { NAMED_DEAD, UNNAMED, PRODUCERS_GONE, LAST_ONE, AT_THE_END };
	for (int how = NAMED_DEAD; how <= AT_THE_END; how++) {
		struct dtl_ring *r = new_ring(4096, 0);
		struct dtl_stream s;
		dtl_stream_init(&s, r);
		s.stall_ns = 100000000; /* 100 ms */
		struct dtl_ring_producer p = me();
		if (how == AT_THE_END) /* the next record wraps, behind padding */
			for (int i = 0; i < 4000 / 64; i++) {
				assert_true(put(r, &p, 64, 1, 0));
				dtl_stream_release(&s, dtl_stream_next(&s, 0));
			}
		uint64_t dead_at = r->head;
		__atomic_fetch_add(&r->head, 96, __ATOMIC_ACQ_REL); /* the claim, then killed */
		struct dtl_rec *dead = (struct dtl_rec *)(r->data + (dead_at & (r->data_size - 1)));
		if (how == NAMED_DEAD || how == AT_THE_END) {
			dead->pid = dead_pid();
			dead->tid = dead->pid;
		}
		if (how != LAST_ONE)
			for (uint64_t i = 1; i <= 3; i++)
				assert_true(put(r, &p, 48 + 8 * (uint32_t)i, 2, i));
		s.producers_gone = how == PRODUCERS_GONE || how == LAST_ONE;
		if (how == UNNAMED)
			assert_null(dtl_stream_next(&s, 20)); /* waited for, at first */
		const struct dtl_rec_loss *l = expect_loss(&s, 1);
		dtl_stream_release(&s, &l->hdr);
		if (how != LAST_ONE)
			for (uint64_t i = 1; i <= 3; i++)
				expect_sample(&s, 2, i);
		assert_null(dtl_stream_next(&s, 0));
		assert_int_equal(dtl_ring_unread(r), 0);
		assert_int_equal(s.abandoned, 1);
		assert_int_equal(s.stalled, how == UNNAMED);
		/* the ring goes on: what was stepped over reads as free */
		for (uint64_t i = 0; i < 200; i++) {
			assert_true(put(r, &p, 64, 3, i));
			expect_sample(&s, 3, i);
		}
		free_ring(r);
	}
}

/* A producer between its claim and its commit word is not stepped over
 * while it runs, even when the one before it is. */
static void test_step_waits_for_a_live_claim_behind(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	struct dtl_ring_producer p = me();
	uint64_t dead_at = r->head;
	__atomic_fetch_add(&r->head, 64, __ATOMIC_ACQ_REL); /* killed */
	struct dtl_rec *dead = (struct dtl_rec *)(r->data + dead_at);
	dead->pid = dead->tid = dead_pid();
	/* claimed and named, commit word not written yet */
	__atomic_fetch_add(&r->head, 64, __ATOMIC_ACQ_REL);
	struct dtl_rec *live = (struct dtl_rec *)(r->data + dead_at + 64);
	live->pid = p.pid;
	live->tid = p.tid;
	assert_true(put(r, &p, 48, 4, 1));
	assert_null(dtl_stream_next(&s, 50)); /* the name is not a commit word */
	/* only the claimed word, and the write just after, would fool one look */
	struct dtl_rec c = {.size = 64};
	__atomic_store_n(&live->commit, c.commit, __ATOMIC_RELEASE);
	const struct dtl_rec_loss *l = expect_loss(&s, 1);
	dtl_stream_release(&s, &l->hdr);
	c.type = DTL_REC_PAGE_FAULT;
	((struct dtl_rec_page_fault *)live)->addr = 4;
	((struct dtl_rec_page_fault *)live)->rip = 0;
	__atomic_store_n(&live->commit, c.commit, __ATOMIC_RELEASE);
	expect_sample(&s, 4, 0);
	expect_sample(&s, 4, 1);
	free_ring(r);
}

struct gated {
	struct dtl_ring *r;
	struct dtl_claim_gate *gate;
	int32_t pid;
	volatile bool done;
};

static void *gated_put(void *arg)
{
	struct gated *g = arg;
	struct dtl_ring_producer p = me();
	p.pid = g->pid;
	p.gate = g->gate;
	assert_true(put(g->r, &p, 48, 5, (uint64_t)p.tid));
	g->done = true;
	return NULL;
}

/*
 * The claim gate: a thread about to end its process closes it; the other
 * threads of that process wait before the claim window, the closer itself
 * and other processes sharing the memory do not, and a failed execve opens
 * it again.
 */
static void test_claim_gate(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_claim_gate gate = {0};
	struct dtl_ring_producer closer = me();
	closer.gate = &gate;
	assert_false(dtl_claim_gate_busy(&gate));
	dtl_claim_gate_close(&gate, closer.pid, closer.tid);
	assert_true(put(r, &closer, 48, 5, 0)); /* not held: it is the closer */
	struct gated same = {r, &gate, closer.pid, false},
	             other = {r, &gate, closer.pid + 1, false};
	pthread_t t1, t2;
	assert_int_equal(pthread_create(&t1, NULL, gated_put, &same), 0);
	assert_int_equal(pthread_create(&t2, NULL, gated_put, &other), 0);
	pthread_join(t2, NULL);
	assert_true(other.done);
	usleep(50000);
	assert_false(same.done); /* held before the window */
	assert_false(dtl_claim_gate_busy(&gate));
	dtl_claim_gate_open(&gate, closer.pid, closer.tid + 1); /* not its closer */
	usleep(20000);
	assert_false(same.done);
	dtl_claim_gate_open(&gate, closer.pid, closer.tid);
	pthread_join(t1, NULL);
	assert_true(same.done);
	assert_int_equal(gate.inside, 0);
	free_ring(r);
}

static void *next_within_a_second(void *arg)
{
	return (void *)dtl_stream_next(arg, 1000);
}

/*
 * The consumer asleep, a record is published behind one that is still
 * being written: the wake finds nothing to read yet. dtl_stream_next()
 * must go on waiting (until its timeout), not return NULL early, and
 * hand out the first record once it is published.
 */
static void test_wake_for_a_record_behind_a_claim(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	s.poll_ns = 0;
	struct dtl_ring_producer p = me();
	struct dtl_rec *first = dtl_ring_claim(r, 48, &p);
	assert_non_null(first);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, next_within_a_second, &s), 0);
	while (!__atomic_load_n(&r->sleeping, __ATOMIC_ACQUIRE))
		usleep(100);
	usleep(10000);
	assert_true(put(r, &p, 48, 1, 2)); /* wakes the consumer */
	usleep(50000);
	((struct dtl_rec_page_fault *)first)->addr = 1;
	((struct dtl_rec_page_fault *)first)->rip = 1;
	dtl_ring_publish(r, first, DTL_REC_PAGE_FAULT, 48, &p);
	void *got;
	pthread_join(t, &got);
	assert_non_null(got);
	assert_int_equal(((const struct dtl_rec_page_fault *)got)->rip, 1);
	dtl_stream_release(&s, got);
	expect_sample(&s, 1, 2);
	free_ring(r);
}

#define THREADS    8
#define PER_THREAD 20000

struct acked_producer {
	struct dtl_ring *ring;
	int id;
	volatile uint64_t acked; /* records of this producer the consumer has read */
	uint64_t dropped;
};

/* One record at a time: the next only once the consumer read the last. */
static void *acked_producer(void *arg)
{
	struct acked_producer *a = arg;
	struct dtl_ring_producer p = me();
	for (uint64_t i = 0; i < PER_THREAD; i++) {
		if (!put(a->ring, &p, 48 + 8 * (uint32_t)(i % 6), a->id, i))
			a->dropped++;
		else
			while (__atomic_load_n(&a->acked, __ATOMIC_ACQUIRE) <= i)
				sched_yield();
	}
	return NULL;
}

/*
 * Drop mode with at most one record per producer in the ring: it is never
 * full, so nothing may be dropped. (A producer that read @head, was
 * preempted while others wrote and the consumer read past that head, and
 * then read @tail must not take the stale head for a full ring.)
 */
static void test_drop_mode_never_drops_what_fits(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(4096, DTL_RING_DROP);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	pthread_t t[THREADS];
	struct acked_producer a[THREADS];
	for (int i = 0; i < THREADS; i++) {
		a[i] = (struct acked_producer){.ring = r, .id = i};
		assert_int_equal(pthread_create(&t[i], NULL, acked_producer, &a[i]), 0);
	}
	uint64_t got = 0, lost = 0;
	while (got + lost < (uint64_t)THREADS * PER_THREAD) {
		const struct dtl_rec *rec = dtl_stream_next(&s, 2000);
		assert_non_null(rec);
		if (rec->type == DTL_REC_LOSS) {
			lost += ((const struct dtl_rec_loss *)rec)->count;
		} else {
			const struct dtl_rec_page_fault *pf =
			    (const struct dtl_rec_page_fault *)rec;
			assert_int_equal(rec->type, DTL_REC_PAGE_FAULT);
			__atomic_store_n(&a[pf->addr].acked, pf->rip + 1, __ATOMIC_RELEASE);
			got++;
		}
		dtl_stream_release(&s, rec);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(a[i].dropped, 0);
	assert_int_equal(lost, 0);
	assert_int_equal(r->lost_total, 0);
	free_ring(r);
}

#define PROCESSES     3
#define PER_PROCESS   400
#define BURST_MAX     5
#define PAUSE_MAX_US  3000
#define CONSUMER_WAIT 3000 /* ms: a lost wake-up shows as a wait this long */

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/*
 * Producers in other processes write bursts with pauses between them long
 * enough for the consumer to fall asleep on the doorbell each time. Every
 * record arrives, in order per producer, and no wait of the consumer lasts
 * anywhere near its timeout: a lost wake-up would.
 */
static void test_doorbell_with_processes(void **state)
{
	(void)state;
	struct dtl_ring *r = new_ring(8192, 0);
	struct dtl_stream s;
	dtl_stream_init(&s, r);
	s.poll_ns = 200000;
	pid_t kids[PROCESSES];
	for (int k = 0; k < PROCESSES; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			struct dtl_ring_producer p = me();
			srand((unsigned)getpid());
			for (uint64_t i = 0; i < PER_PROCESS;) {
				int burst = 1 + rand() % BURST_MAX;
				for (int b = 0; b < burst && i < PER_PROCESS; b++, i++)
					put(r, &p, 48 + 8 * (uint32_t)(i % 4), k, i);
				usleep((useconds_t)(rand() % PAUSE_MAX_US));
			}
			_exit(0);
		}
	}
	uint64_t next[PROCESSES] = {0};
	uint64_t longest = 0;
	for (int got = 0; got < PROCESSES * PER_PROCESS; got++) {
		uint64_t t0 = now_ms();
		const struct dtl_rec *rec = dtl_stream_next(&s, CONSUMER_WAIT);
		uint64_t waited = now_ms() - t0;
		if (waited > longest)
			longest = waited;
		assert_non_null(rec);
		const struct dtl_rec_page_fault *pf = (const struct dtl_rec_page_fault *)rec;
		assert_int_equal(rec->type, DTL_REC_PAGE_FAULT);
		assert_in_range(pf->addr, 0, PROCESSES - 1);
		assert_int_equal(pf->rip, next[pf->addr]);
		next[pf->addr]++;
		dtl_stream_release(&s, rec);
	}
	for (int k = 0; k < PROCESSES; k++)
		waitpid(kids[k], NULL, 0);
	assert_true(s.naps > 0); /* it did sleep */
	assert_true(longest < CONSUMER_WAIT / 2);
	assert_null(dtl_stream_next(&s, 0));
	free_ring(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_producer_dies_holding_a_claim),
	    cmocka_unit_test(test_thread_dies_holding_a_claim),
	    cmocka_unit_test(test_zombie_main_thread_holding_a_claim),
	    cmocka_unit_test(test_live_claim_is_waited_for),
	    cmocka_unit_test(test_stalling_claim_is_stepped_over),
	    cmocka_unit_test(test_unwritten_claim_is_stepped_over),
	    cmocka_unit_test(test_step_waits_for_a_live_claim_behind),
	    cmocka_unit_test(test_claim_gate),
	    cmocka_unit_test(test_wake_for_a_record_behind_a_claim),
	    cmocka_unit_test(test_drop_mode_never_drops_what_fits),
	    cmocka_unit_test(test_doorbell_with_processes),
	};
	/* to repeat one of them many times: DTL_TEST_FILTER=test_drop* */
	if (getenv("DTL_TEST_FILTER"))
		cmocka_set_test_filter(getenv("DTL_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
