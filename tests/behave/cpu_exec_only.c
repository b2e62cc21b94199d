// SPDX-License-Identifier: MIT
/* Code on an execute-only page (PROT_EXEC without PROT_READ) runs, as
 * natively: made so with mprotect, and mapped so from a file (issue 11,
 * item 20). Inside Dune the VM stopped with "Bad address": the host's
 * mapping had no read permission for the hypervisor to fault it in. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* mov $42, %eax; ret */
static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};

static int call(void *page)
{
	int (*fn)(void) = (int (*)(void))page;
	return fn();
}

int main(void)
{
	unsigned char *p =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	memcpy(p, code, sizeof(code));
	if (mprotect(p, 4096, PROT_EXEC) < 0) {
		perror("mprotect");
		return 1;
	}
	printf("mprotect(PROT_EXEC): the code returns %d\n", call(p));

	int fd = memfd_create("code", 0);
	if (fd < 0 || write(fd, code, sizeof(code)) != (ssize_t)sizeof(code) ||
	    ftruncate(fd, 4096) < 0)
		return 1;
	void *q = mmap(NULL, 4096, PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (q == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("mmap(PROT_EXEC) of a file: the code returns %d\n", call(q));
	/* and it goes back to what the program asks */
	if (mprotect(p, 4096, PROT_READ | PROT_WRITE) < 0)
		return 1;
	p[1] = 7;
	if (mprotect(p, 4096, PROT_EXEC) < 0)
		return 1;
	printf("rewritten: the code returns %d\n", call(p));
	return 0;
}
