// SPDX-License-Identifier: MIT
/* Memory filled by the program's own userfaultfd handler (issue 11, item
 * 20): touched pages are filled by a handler thread, a page dropped with
 * MADV_DONTNEED is filled anew on the next touch, and a system call that
 * writes into a missing page blocks for the handler, or, with
 * UFFD_USER_MODE_ONLY, fails with EFAULT. Inside Dune the guest's touch
 * reaches the host as a kernel-mode fault, which a UFFD_USER_MODE_ONLY
 * descriptor does not report: the VM stopped ("Bad address"). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#define PAGE 4096UL

static int uffd;
static volatile int stop, filled;

static void *handler(void *arg)
{
	(void)arg;
	static char page[PAGE];
	while (!stop) {
		struct pollfd p = {uffd, POLLIN, 0};
		if (poll(&p, 1, 50) <= 0)
			continue;
		struct uffd_msg m;
		if (read(uffd, &m, sizeof(m)) != sizeof(m) || m.event != UFFD_EVENT_PAGEFAULT)
			continue;
		memset(page, 'A' + filled, PAGE);
		struct uffdio_copy c = {.dst = m.arg.pagefault.address & ~(PAGE - 1),
		                        .src = (unsigned long)page,
		                        .len = PAGE};
		if (ioctl(uffd, UFFDIO_COPY, &c) == 0)
			filled++;
	}
	return NULL;
}

static int run(int flags, const char *name)
{
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | flags);
	if (uffd < 0) {
		printf("%s: userfaultfd unavailable\n", name);
		return 0;
	}
	struct uffdio_api api = {.api = UFFD_API};
	if (ioctl(uffd, UFFDIO_API, &api) < 0)
		return 1;
	char *area =
	    mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uffdio_register reg = {.range = {(unsigned long)area, 4 * PAGE},
	                              .mode = UFFDIO_REGISTER_MODE_MISSING};
	if (area == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg) < 0)
		return 1;
	stop = filled = 0;
	pthread_t t;
	pthread_create(&t, NULL, handler, NULL);
	char first = area[0];
	area[PAGE + 1] = 'w';
	char second = area[PAGE], written = area[PAGE + 1];
	madvise(area, PAGE, MADV_DONTNEED);
	char again = area[0];
	int pipefd[2];
	pipe(pipefd);
	write(pipefd[1], "kernel", 6);
	ssize_t got = read(pipefd[0], area + 3 * PAGE, 6);
	int err = got < 0 ? errno : 0;
	printf(
	    "%s: touched %c, then %c%c, after MADV_DONTNEED %c; read() into a missing page: %s\n",
	    name, first, second, written, again,
	    got == 6 ? (memcmp(area + 3 * PAGE, "kernel", 6) ? "wrong data" : "filled, read")
	             : strerror(err));
	stop = 1;
	pthread_join(t, NULL);
	printf("%s: %d pages filled by the handler\n", name, filled);
	close(pipefd[0]);
	close(pipefd[1]);
	munmap(area, 4 * PAGE);
	close(uffd);
	return 0;
}

int main(void)
{
	alarm(60);
	return run(UFFD_USER_MODE_ONLY, "user-mode only") || run(0, "every fault");
}
