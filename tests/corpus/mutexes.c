// SPDX-License-Identifier: MIT
/*
 * 8 threads contending on a mutex and handing a token round through a
 * condition variable; a barrier; thread-local storage; joined results. The
 * output is deterministic, so a native and a dune-run run compare equal.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 8
#define ROUNDS  20000
#define LAPS    50

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t start;
static long counter;
static int token;
static long order[THREADS * LAPS];
static int next_slot;
static __thread long mine;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	pthread_barrier_wait(&start);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		mine++;
	}
	for (int lap = 0; lap < LAPS; lap++) {
		pthread_mutex_lock(&lock);
		while (token % THREADS != id)
			pthread_cond_wait(&changed, &lock);
		order[next_slot++] = id;
		token++;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
	}
	return (void *)mine;
}

int main(void)
{
	pthread_t t[THREADS];
	pthread_barrier_init(&start, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i))
			return 1;
	long total = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		total += (long)r;
	}
	int in_order = 1;
	for (int i = 0; i < THREADS * LAPS; i++)
		in_order &= order[i] == i % THREADS;
	printf("counter %ld (want %d), per-thread TLS total %ld, token passed in order %d\n",
	       counter, THREADS * ROUNDS, total, in_order);
	return counter == THREADS * ROUNDS && in_order ? 0 : 1;
}
