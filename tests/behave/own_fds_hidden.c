// SPDX-License-Identifier: MIT
/* The runtime's descriptors (/dev/kvm, the VM, the vCPUs, the tracer's
 * event ring) are not the program's: every call naming one fails as for a
 * descriptor that is not open, and /proc/self/fd or /dev/fd cannot reopen
 * them, and listing /proc/self/fd, /proc/self/fdinfo or /dev/fd shows them
 * not (issue 11, item 25). Natively, a program run with only 0-2 open
 * finds nothing above 2 but the listed directory itself. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LAST_FD 2048

int main(void)
{
	int found[9] = {0};
	alarm(60);
	for (int fd = 3; fd < LAST_FD; fd++) {
		struct stat st;
		char path[64];
		int n = 0;
		found[n++] += fcntl(fd, F_GETFD) >= 0;
		found[n++] += fstat(fd, &st) == 0;
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		found[n++] += p != MAP_FAILED;
		found[n++] += ftruncate(fd, 0) == 0;
		found[n++] += lseek(fd, 0, SEEK_CUR) >= 0;
		int d = dup(fd);
		found[n++] += d >= 0;
		int avail;
		found[n++] += ioctl(fd, FIONREAD, &avail) == 0;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		int o = open(path, O_RDONLY);
		found[n++] += o >= 0;
		snprintf(path, sizeof(path), "/dev/fd/%d", fd);
		int o2 = open(path, O_RDONLY);
		found[n++] += o2 >= 0;
		if (d >= 0)
			close(d);
		if (o >= 0)
			close(o);
		if (o2 >= 0)
			close(o2);
	}
	static const char *what[9] = {"fcntl", "fstat", "mmap",          "ftruncate", "lseek",
	                              "dup",   "ioctl", "/proc/self/fd", "/dev/fd"};
	for (int i = 0; i < 9; i++)
		printf("%s: %d descriptors above 2 answer\n", what[i], found[i]);
	static const char *const dirs[] = {"/proc/self/fd", "/proc/self/fdinfo", "/dev/fd"};
	for (int i = 0; i < 3; i++) {
		DIR *dir = opendir(dirs[i]);
		struct dirent *e;
		int above = 0;
		while (dir && (e = readdir(dir)))
			above += e->d_name[0] != '.' && atoi(e->d_name) > 2 &&
			         atoi(e->d_name) != dirfd(dir);
		if (dir)
			closedir(dir);
		printf("%s lists %d descriptors above 2\n", dirs[i], above);
	}
	return 0;
}
