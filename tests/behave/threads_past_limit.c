// SPDX-License-Identifier: MIT
/* More live threads than a VM has vCPUs (KVM's limit, 1024 on most hosts):
 * 2,000 threads alive at once, each making system calls once all are up,
 * then one more after they end (issue 11, item 2 and the soak's "2,000
 * threads alive at once": the 257th, later the 1025th, thread was
 * refused). DTL_THREADS sets another count (the emulated rigs use fewer;
 * DUNE_VCPUS_PER_VM then spreads them over several VMs). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int released, ran;

static void *wait_for_go(void *arg)
{
	pthread_mutex_lock(&lock);
	while (!released)
		pthread_cond_wait(&go, &lock);
	pthread_mutex_unlock(&lock);
	/* a call of its own, answered for this thread */
	long tid = syscall(SYS_gettid);
	if (tid > 0 && tid != getpid())
		__atomic_fetch_add(&ran, 1, __ATOMIC_RELAXED);
	return arg;
}

int main(void)
{
	const char *env = getenv("DTL_THREADS");
	int n = env ? atoi(env) : 2000;
	if (n <= 0)
		n = 2000;
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	int started = 0, joined = 0;
	alarm(300);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (int i = 0; i < n; i++) {
		int e = pthread_create(&t[started], &attr, wait_for_go, NULL);
		if (e) {
			printf("thread %d: %s\n", i + 1, strerror(e));
			break;
		}
		started++;
	}
	pthread_mutex_lock(&lock);
	released = 1;
	pthread_cond_broadcast(&go);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < started; i++)
		joined += pthread_join(t[i], NULL) == 0;
	int ran_all = ran;
	pthread_t again;
	int ok =
	    pthread_create(&again, NULL, wait_for_go, NULL) == 0 && pthread_join(again, NULL) == 0;
	printf("%d threads alive at once: %d started, %d ran, %d joined; after they ended a "
	       "thread starts: %s\n",
	       n, started, ran_all, joined, ok ? "yes" : "no");
	return 0;
}
