// SPDX-License-Identifier: MIT
/*
 * Threads created inside the VM (pthread_create: clone3/clone with
 * CLONE_VM) each get a vCPU from their first instruction: 8 threads contend
 * on a mutex and a condition variable; 300 short-lived threads reuse the
 * vCPUs of those that exited; vfork and posix_spawn children run and exit.
 * "ring3" as argument: the program runs in ring 3 (dune_enter_user).
 */
#include "dtl_test.h"

#include <pthread.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define THREADS 8
#define ROUNDS  2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;
static __thread int my_tls_value;

static void *contend(void *arg)
{
	int id = (int)(long)arg;
	my_tls_value = id * 7; /* TLS is the thread's own (FS base) */
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	/* take turns in id order through the condition variable */
	pthread_mutex_lock(&lock);
	while (turn != id)
		pthread_cond_wait(&turn_changed, &lock);
	turn++;
	pthread_cond_broadcast(&turn_changed);
	pthread_mutex_unlock(&lock);
	CHECK(dune_entered());
	return (void *)(long)(my_tls_value == id * 7 ? syscall(SYS_gettid) : -1);
}

static void *short_lived(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	dtl_init_or_skip();
	bool ring3 = dtl_enter_as_asked(argc, argv);
	pthread_t t[THREADS];
	pid_t tids[THREADS];
	for (long i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, contend, (void *)i), 0);
	for (int i = 0; i < THREADS; i++) {
		void *r;
		CHECK_EQ(pthread_join(t[i], &r), 0);
		tids[i] = (pid_t)(long)r;
		CHECK(tids[i] > 0);
		CHECK(tids[i] != getpid());
	}
	CHECK_EQ(counter, THREADS * ROUNDS);
	CHECK_EQ(turn, THREADS);
	for (int i = 0; i < THREADS; i++)
		for (int j = i + 1; j < THREADS; j++)
			CHECK(tids[i] != tids[j]);

	/* more threads over time than the VM has vCPUs */
	for (long i = 0; i < 300; i++) {
		pthread_t s;
		void *r;
		CHECK_EQ(pthread_create(&s, NULL, short_lived, (void *)i), 0);
		CHECK_EQ(pthread_join(s, &r), 0);
		CHECK_EQ((long)r, i);
	}

	pid_t pid = vfork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
		_exit(127);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 3);

	char *args[] = {"sh", "-c", "echo spawned; exit 4", NULL};
	CHECK_EQ(posix_spawn(&pid, "/bin/sh", NULL, NULL, args, environ), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(WEXITSTATUS(status), 4);
	/* posix_spawn reports a failed exec from the child, through memory it
	 * shares with the parent */
	char *bad[] = {"nope", NULL};
	CHECK_EQ(posix_spawn(&pid, "/nonexistent/program", NULL, NULL, bad, environ), ENOENT);

	printf("%s: %d contending threads, 300 more in turn, vfork and posix_spawn\n",
	       ring3 ? "ring 3" : "ring 0", THREADS);
	return 0;
}
