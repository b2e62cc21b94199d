// SPDX-License-Identifier: MIT
/*
 * copyfile: an ordinary program (no libdune in it) for `make demo` to trace:
 * copies a file to stdout, then tries a file that does not exist. It counts
 * what it copied in a global, which `make demo` watches.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

long bytes_copied;

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/etc/hostname";
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(1, buf, (size_t)n) != n)
			return 1;
		bytes_copied += n;
	}
	close(fd);
	if (open("/nonexistent/file", O_RDONLY) < 0)
		perror("/nonexistent/file");
	return 0;
}
