// SPDX-License-Identifier: MIT
/*
 * The cost of a first touch, per page (bench/pf.sh): N fresh pages (no
 * transparent huge pages: one fault each natively too) written once each,
 * timed around the loop; prints "ns-per-page N".
 *   pf_touch touch N   the pages as they are: natively a minor fault each,
 *                      inside Dune whatever the platform's first touch is
 *   pf_touch uffd N    the same pages registered with userfaultfd: each
 *                      fault resolved by a thread of this process
 *                      (UFFDIO_ZEROPAGE), the round trip a user-space
 *                      fault handler costs
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static uint64_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *resolve(void *arg)
{
	int uffd = (int)(intptr_t)arg;
	for (;;) {
		struct uffd_msg msg;
		if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			return NULL;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		struct uffdio_zeropage z = {
		    .range = {.start = msg.arg.pagefault.address & ~(uint64_t)(PAGE - 1),
		              .len = PAGE}};
		ioctl(uffd, UFFDIO_ZEROPAGE, &z);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	size_t n = strtoul(argv[2], NULL, 0);
	char *a = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return 1;
	madvise(a, n * PAGE, MADV_NOHUGEPAGE);
	if (!strcmp(argv[1], "uffd")) {
		int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
		if (uffd < 0)
			uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
		struct uffdio_api api = {.api = UFFD_API};
		struct uffdio_register reg = {.range = {.start = (uintptr_t)a, .len = n * PAGE},
		                              .mode = UFFDIO_REGISTER_MODE_MISSING};
		pthread_t t;
		if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
		    ioctl(uffd, UFFDIO_REGISTER, &reg) ||
		    pthread_create(&t, NULL, resolve, (void *)(intptr_t)uffd)) {
			perror("userfaultfd");
			return 1;
		}
	} else if (strcmp(argv[1], "touch")) {
		return 2;
	}
	uint64_t t0 = now();
	for (size_t i = 0; i < n; i++)
		a[i * PAGE] = 1;
	uint64_t t1 = now();
	printf("ns-per-page %.0f %zu\n", (double)(t1 - t0) / (double)n, n);
	return 0;
}
