// SPDX-License-Identifier: MIT
/* 10,000 system calls passed through from ring 0, each result checked. */
#include "dtl_test.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char path[] = "/tmp/dtl-storm-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	unlink(path);
	pid_t pid = getpid(), ppid = getppid();
	pid_t tid = (pid_t)syscall(SYS_gettid);

	dtl_init_or_skip();
	dtl_enter();
	struct dune_stats before, after;
	dune_get_stats(&before);
	for (int i = 0; i < 2500; i++) {
		uint32_t v = (uint32_t)i * 2654435761u, back = 0;
		CHECK_EQ(pwrite(fd, &v, sizeof(v), (off_t)i * 4), 4);
		CHECK_EQ(pread(fd, &back, sizeof(back), (off_t)i * 4), 4);
		CHECK_EQ(back, v);
		CHECK_EQ(lseek(fd, i, SEEK_SET), i);
		CHECK_EQ(syscall(SYS_getppid), ppid);
	}
	dune_get_stats(&after);
	CHECK_EQ(after.syscalls - before.syscalls, 10000);
	CHECK_EQ(getpid(), pid);
	CHECK_EQ(syscall(SYS_gettid), tid);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 2500 * 4);
	/* an error comes back as -errno through libc's errno */
	CHECK_EQ(close(12345), -1);
	CHECK_EQ(errno, EBADF);
	printf("10000 system calls passed through, %llu guest exits\n",
	       (unsigned long long)(after.exits - before.exits));
	return 0;
}
