// SPDX-License-Identifier: MIT
/* A deterministic sequence of system calls for the dtrace-lite vs strace
 * comparison (tests/integration/dtrace_lite.sh). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char buf[64];
	if (write(1, "BEGIN\n", 6) != 6)
		return 1;
	int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
	ssize_t n = read(fd, buf, sizeof(buf));
	lseek(fd, 0, SEEK_SET);
	close(fd);
	if (open("/nonexistent/file", O_RDONLY) >= 0)
		return 1;
	int null = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	static const char binary[] = "\0\1\377tab\there\"quote\\back\n";
	if (write(null, binary, sizeof(binary) - 1) < 0)
		return 1;
	char longer[100];
	memset(longer, 'x', sizeof(longer));
	if (write(null, longer, sizeof(longer)) < 0)
		return 1;
	close(null);
	close(12345);
	access("/etc/passwd", R_OK | W_OK);
	printf("read %zd bytes\n", n > 0 ? (ssize_t)1 : n);
	return 3;
}
