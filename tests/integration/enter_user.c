// SPDX-License-Identifier: MIT
/* dune_enter_user: the program continues in ring 3 with libc, malloc and
 * stdio; every system call passes through the ring-0 handler. */
#include "dtl_test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int syscalls, gp_faults;

static void on_syscall(struct dune_tf *tf)
{
	syscalls++;
	dune_passthrough_syscall(tf);
}

static void on_gp(struct dune_tf *tf)
{
	gp_faults++;
	tf->rip += 1; /* cli */
}

int main(void)
{
	dtl_init_or_skip();
	dune_register_syscall_handler(on_syscall);
	dune_register_intr_handler(13, on_gp);
	if (dune_enter_user()) {
		printf("FAIL: dune_enter_user: %s\n", dune_last_error());
		return 1;
	}
	/* in ring 3 now: a privileged instruction faults */
	__asm__ volatile("cli");
	CHECK_EQ(gp_faults, 1);

	int before = syscalls;
	char *buf = malloc(1 << 20); /* large: mmap */
	CHECK(buf != NULL);
	memset(buf, 0x5a, 1 << 20);
	char path[] = "/tmp/dtl-user-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, buf, 1 << 20), 1 << 20);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, 1 << 20);
	CHECK_EQ(read(fd, buf, 1 << 20), 1 << 20);
	CHECK(buf[12345] == 0x5a);
	close(fd);
	unlink(path);
	free(buf);

	/* memory the program maps after entering is usable at once */
	int *m = mmap(NULL, 3 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	for (int i = 0; i < (3 << 20) / 4; i += 1024)
		m[i] = i;
	CHECK_EQ(munmap(m, 3 << 20), 0);
	CHECK(syscalls - before >= 8);
	printf("ring 3 with libc: %d system calls through the ring-0 handler\n", syscalls);
	return 0;
}
