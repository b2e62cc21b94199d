// SPDX-License-Identifier: MIT
/* Soak (issue 11, "Done when"): 1,000,000 system calls from 4 threads, each
 * traced; traced_million.sh checks that the trace has every one. */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 4
#define CALLS   250000

static void *caller(void *arg)
{
	for (int i = 0; i < CALLS; i++)
		syscall(SYS_getppid);
	return arg;
}

int main(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, caller, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("%d getppid calls made\n", THREADS * CALLS);
	return 0;
}
