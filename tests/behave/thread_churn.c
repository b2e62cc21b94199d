// SPDX-License-Identifier: MIT
/* A program that makes and joins threads for ever, as a server's pool
 * does, runs in constant memory (issue 11, items 1 and 2): 3000 threads
 * one after another, with the address space measured after the first 100
 * and at the end. Inside Dune each thread's host side (monitor stack) is
 * kept with its vCPU for the next thread, not leaked. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "vm_size.h"

static void *work(void *arg)
{
	return arg;
}

int main(void)
{
	long after_100 = 0;
	for (int i = 0; i < 3000; i++) {
		pthread_t t;
		void *ret;
		if (pthread_create(&t, NULL, work, (void *)(long)i) != 0) {
			printf("pthread_create failed at thread %d\n", i);
			return 1;
		}
		if (pthread_join(t, &ret) != 0 || ret != (void *)(long)i) {
			printf("join failed at thread %d\n", i);
			return 1;
		}
		if (i == 99)
			after_100 = vm_size_kib();
	}
	long growth = vm_size_kib() - after_100;
	printf("3000 threads made and joined; the address space grew by less than 16 MiB: %s\n",
	       growth < (16 << 10) ? "yes" : "no");
	return 0;
}
