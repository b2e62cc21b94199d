// SPDX-License-Identifier: MIT
/*
 * Threads making system calls as fast as they can while the main thread
 * exits: exit_group kills them wherever they are, also in the middle of
 * writing a record of the event stream. usage: exit_mid_storm THREADS US
 * (how long the main thread lets them run).
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *storm(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_getppid);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	int us = argc > 2 ? atoi(argv[2]) : 3000;
	for (int i = 0; i < threads; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, storm, NULL))
			return 1;
	}
	usleep((useconds_t)us);
	exit(0);
}
