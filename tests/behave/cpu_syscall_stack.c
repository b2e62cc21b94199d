// SPDX-License-Identifier: MIT
/* A SYSCALL made with a stack pointer that points nowhere works, as the
 * kernel's entry switches stacks before it touches one (issue 11, item 13):
 * RSP 0, RSP in the kernel's half, RSP just above the lowest mappable page.
 * The runtime's ring-0 entry had pushed onto the interrupted stack first and
 * killed the program. From several threads at once, since such calls share
 * one slot in the entry path. */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>

static long getpid_with_rsp(unsigned long rsp)
{
	long r;
	__asm__ volatile("mov %%rsp, %%r12\n\t"
	                 "mov %2, %%rsp\n\t"
	                 "syscall\n\t"
	                 "mov %%r12, %%rsp"
	                 : "=a"(r)
	                 : "a"((long)SYS_getpid), "r"(rsp)
	                 : "rcx", "r11", "r12", "memory");
	return r;
}

static void *storm(void *arg)
{
	long bad = (long)arg;
	for (int i = 0; i < 2000; i++)
		bad += getpid_with_rsp(0) <= 0;
	return (void *)bad;
}

int main(void)
{
	printf("RSP 0: %s\n", getpid_with_rsp(0) > 0 ? "ok" : "failed");
	printf("RSP 0xffff800000001000: %s\n",
	       getpid_with_rsp(0xffff800000001000UL) > 0 ? "ok" : "failed");
	printf("RSP 0x10010: %s\n", getpid_with_rsp(0x10010) > 0 ? "ok" : "failed");
	pthread_t t[4];
	long bad = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, storm, NULL);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("4 threads x 2000 calls with RSP 0: %ld failed\n", bad);
	return 0;
}
