// SPDX-License-Identifier: MIT
/* The process ends when its last thread exits, and not before: main calls
 * pthread_exit, the worker runs on and ends the process with its own
 * exit(2). Inside Dune the monitor turns the last thread's exit into
 * exit_group (KVM's helper task sits in the thread group, issue 11, item
 * 6); counting threads wrong would end the process with main's. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg)
{
	(void)arg;
	usleep(100000);
	printf("worker: the last thread, leaving\n");
	fflush(stdout);
	return NULL;
}

int main(void)
{
	alarm(20);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	printf("main: leaving first\n");
	fflush(stdout);
	pthread_exit(NULL);
}
