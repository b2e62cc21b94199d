// SPDX-License-Identifier: MIT
/* clone3 with its argument pointer into unmapped memory fails with EFAULT,
 * as the kernel's copy_from_user does, with and without CLONE_VM (issue 11,
 * item 5: inside Dune the program died of SIGSEGV). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	/* a page that surely is not mapped: mapped, then unmapped */
	void *gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, 4096);
	long r = syscall(SYS_clone3, gone, 88);
	printf("clone3(unmapped, 88) = %ld %s\n", r, r < 0 ? strerror(errno) : "");
	r = syscall(SYS_clone3, (void *)8, 64);
	printf("clone3(0x8, 64) = %ld %s\n", r, r < 0 ? strerror(errno) : "");
	r = syscall(SYS_clone3, gone, 8);
	printf("clone3(unmapped, 8) = %ld %s\n", r, r < 0 ? strerror(errno) : "");
	return 0;
}
