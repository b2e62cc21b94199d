// SPDX-License-Identifier: MIT
/*
 * Hook chains (libdune/util/hook_chain.c): running order by priority, ties in
 * registration order, removal, the preallocated limit, and readers that walk
 * a snapshot while writers change the chain.
 */
#include "hook_chain.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static int tag[DUNE_HOOK_CHAIN_MAX + 1];

static void *fn_of(int i)
{
	return &tag[i]; /* any distinct non-NULL pointers */
}

/* The tags of the hooks in running order, -1 terminated. */
static void running_order(const struct dune_hook_chain *c, int *out)
{
	uint64_t order = dune_hook_chain_snapshot(c);
	unsigned n = dune_hook_order_len(order);

	for (unsigned i = 0; i < n; i++)
		out[i] = (int)((int *)dune_hook_order_at(c, order, i)->fn - tag);
	out[n] = -1;
}

static void test_priority_then_registration(void **state)
{
	static struct dune_hook_chain c;
	int got[DUNE_HOOK_CHAIN_MAX + 1];
	(void)state;

	memset(&c, 0, sizeof(c));
	assert_int_equal(dune_hook_chain_add(&c, 20, fn_of(0), NULL), 0);
	assert_int_equal(dune_hook_chain_add(&c, 10, fn_of(1), NULL), 1);
	assert_int_equal(dune_hook_chain_add(&c, 20, fn_of(2), NULL), 2);
	assert_int_equal(dune_hook_chain_add(&c, -5, fn_of(3), NULL), 3);
	assert_int_equal(dune_hook_chain_add(&c, 10, fn_of(4), (void *)0x44), 4);
	running_order(&c, got);
	const int want[] = {3, 1, 4, 0, 2, -1};
	assert_memory_equal(got, want, sizeof(want));
	uint64_t order = dune_hook_chain_snapshot(&c);
	assert_ptr_equal(dune_hook_order_at(&c, order, 2)->arg, (void *)0x44);
	assert_int_equal(dune_hook_order_at(&c, order, 2)->prio, 10);
}

static void test_remove(void **state)
{
	static struct dune_hook_chain c;
	int got[DUNE_HOOK_CHAIN_MAX + 1];
	(void)state;

	memset(&c, 0, sizeof(c));
	for (int i = 0; i < 4; i++)
		assert_int_equal(dune_hook_chain_add(&c, i, fn_of(i), NULL), i);
	assert_int_equal(dune_hook_chain_remove(&c, 1), 0);
	assert_int_equal(dune_hook_chain_remove(&c, 1), -ENOENT);
	assert_int_equal(dune_hook_chain_remove(&c, 9), -ENOENT);
	assert_int_equal(dune_hook_chain_remove(&c, -1), -ENOENT);
	running_order(&c, got);
	const int want[] = {0, 2, 3, -1};
	assert_memory_equal(got, want, sizeof(want));
	/* the removed slot keeps its hook for readers still running it */
	assert_ptr_equal(c.slot[1].fn, fn_of(1));
	/* a new registration takes a new slot and still sorts in */
	assert_int_equal(dune_hook_chain_add(&c, 1, fn_of(5), NULL), 4);
	running_order(&c, got);
	const int want2[] = {0, 5, 2, 3, -1};
	assert_memory_equal(got, want2, sizeof(want2));
	for (int i = 0; i < 5; i++)
		if (i != 1)
			assert_int_equal(dune_hook_chain_remove(&c, i), 0);
	running_order(&c, got);
	assert_int_equal(got[0], -1);
}

static void test_full_and_invalid(void **state)
{
	static struct dune_hook_chain c;
	int got[DUNE_HOOK_CHAIN_MAX + 1];
	(void)state;

	memset(&c, 0, sizeof(c));
	assert_int_equal(dune_hook_chain_add(&c, 0, NULL, NULL), -EINVAL);
	/* fifteen in descending priority: each goes to the front */
	for (int i = 0; i < DUNE_HOOK_CHAIN_MAX; i++)
		assert_int_equal(dune_hook_chain_add(&c, 100 - i, fn_of(i), NULL), i);
	assert_int_equal(dune_hook_chain_add(&c, 0, fn_of(15), NULL), -ENOSPC);
	running_order(&c, got);
	for (int i = 0; i < DUNE_HOOK_CHAIN_MAX; i++)
		assert_int_equal(got[i], DUNE_HOOK_CHAIN_MAX - 1 - i);
	assert_int_equal(got[DUNE_HOOK_CHAIN_MAX], -1);
	/* removal does not give a slot back */
	assert_int_equal(dune_hook_chain_remove(&c, 3), 0);
	assert_int_equal(dune_hook_chain_add(&c, 0, fn_of(15), NULL), -ENOSPC);
}

/* A reader walking snapshots while a writer adds and removes must always see
 * a sorted chain of valid slots. */
static struct dune_hook_chain shared;
static volatile int stop;

static void *reader(void *arg)
{
	long bad = 0;
	(void)arg;
	while (!stop) {
		uint64_t order = dune_hook_chain_snapshot(&shared);
		int last = -1000000;
		for (unsigned i = 0; i < dune_hook_order_len(order); i++) {
			const struct dune_hook_slot *s = dune_hook_order_at(&shared, order, i);
			if (!s->fn || s->prio < last)
				bad++;
			last = s->prio;
		}
	}
	return (void *)bad;
}

static void test_concurrent_readers(void **state)
{
	pthread_t t;
	void *bad;
	int handles[DUNE_HOOK_CHAIN_MAX];
	(void)state;

	assert_int_equal(pthread_create(&t, NULL, reader, NULL), 0);
	for (int i = 0; i < DUNE_HOOK_CHAIN_MAX; i++)
		handles[i] = dune_hook_chain_add(&shared, (i * 7) % 5, fn_of(i), NULL);
	for (int i = 0; i < DUNE_HOOK_CHAIN_MAX; i += 2)
		assert_int_equal(dune_hook_chain_remove(&shared, handles[i]), 0);
	stop = 1;
	assert_int_equal(pthread_join(t, &bad), 0);
	assert_int_equal((long)bad, 0);
	assert_int_equal(dune_hook_order_len(dune_hook_chain_snapshot(&shared)),
	                 DUNE_HOOK_CHAIN_MAX / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_priority_then_registration),
	    cmocka_unit_test(test_remove),
	    cmocka_unit_test(test_full_and_invalid),
	    cmocka_unit_test(test_concurrent_readers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
