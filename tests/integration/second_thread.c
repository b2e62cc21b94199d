// SPDX-License-Identifier: MIT
/* Two threads, each entering on its own vCPU; both make system calls
 * concurrently and see their own thread IDs. */
#include "dtl_test.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

struct worker {
	pid_t host_tid, guest_tid;
	long sum;
	struct dune_stats stats;
	int ok;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	w->host_tid = (pid_t)syscall(SYS_gettid);
	if (dune_enter()) {
		printf("FAIL: second thread: dune_enter: %s\n", dune_last_error());
		return NULL;
	}
	CHECK(dune_entered());
	w->guest_tid = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < 500; i++)
		w->sum += syscall(SYS_getppid) == getppid() ? 1 : 0;
	dune_get_stats(&w->stats);
	w->ok = 1;
	return NULL;
}

int main(void)
{
	dtl_init_or_skip();
	struct worker w = {0};
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, worker_main, &w), 0);
	dtl_enter();
	pid_t main_tid = (pid_t)syscall(SYS_gettid);
	long mine = 0;
	for (int i = 0; i < 500; i++)
		mine += syscall(SYS_getpid) == getpid();
	CHECK_EQ(pthread_join(t, NULL), 0); /* futex wait, passed through */
	CHECK_EQ(w.ok, 1);
	CHECK_EQ(w.guest_tid, w.host_tid);
	CHECK(w.guest_tid != main_tid);
	CHECK_EQ(w.sum, 500);
	CHECK_EQ(mine, 500);
	CHECK(w.stats.syscalls >= 1000);
	struct dune_stats st;
	dune_get_stats(&st);
	CHECK(st.syscalls >= 1000);
	printf("two vCPUs: main tid %d, worker tid %d, %llu + %llu system calls\n", main_tid,
	       w.guest_tid, (unsigned long long)st.syscalls, (unsigned long long)w.stats.syscalls);
	return 0;
}
