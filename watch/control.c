// SPDX-License-Identifier: MIT
/* The control socket and its client (dtl/watch_control.h). */
#define _GNU_SOURCE
#include <dtl/watch_control.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define REPLY_MAX 16384

static int address(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		fprintf(stderr,
		        "dtrace-lite: %s: too long for a socket's path (%zu bytes at most)\n", path,
		        sizeof(sa->sun_path) - 1);
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

int dtl_watch_control_open(const char *path)
{
	struct sockaddr_un sa;
	if (address(path, &sa))
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		perror("dtrace-lite: socket");
		return -1;
	}
	/* a socket file left by a run that is gone: nobody answers there */
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
		    errno == ECONNREFUSED)
			unlink(path);
		if (probe >= 0)
			close(probe);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8)) {
		fprintf(stderr, "dtrace-lite: --control %s: %s%s\n", path, strerror(errno),
		        errno == EADDRINUSE ? " (another dtrace-lite listens there)" : "");
		close(fd);
		return -1;
	}
	return fd;
}

static void answer(int c, struct dtl_watch_fe *fe, const char *program)
{
	char line[1024];
	size_t n = 0;
	/* one line, within a second */
	while (n < sizeof(line) - 1) {
		struct pollfd p = {.fd = c, .events = POLLIN};
		if (poll(&p, 1, 1000) <= 0)
			return;
		ssize_t r = read(c, line + n, sizeof(line) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(line, '\n', n))
			break;
	}
	line[n] = 0;
	static char reply[REPLY_MAX];
	dtl_watch_fe_command(fe, program, line, reply, sizeof(reply));
	size_t len = strlen(reply), off = 0;
	while (off < len) {
		ssize_t w = write(c, reply + off, len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

void dtl_watch_control_serve(int fd, struct dtl_watch_fe *fe, const char *program)
{
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			return; /* EAGAIN: nobody waiting */
		answer(c, fe, program);
		close(c);
	}
}

int dtl_watch_ctl_main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: dtrace-lite ctl PATH watch|rwatch|awatch EXPR\n"
		                "       dtrace-lite ctl PATH delete|disable|enable N\n"
		                "       dtrace-lite ctl PATH list\n");
		return 2;
	}
	struct sockaddr_un sa;
	if (address(argv[2], &sa))
		return 2;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "dtrace-lite ctl: %s: %s (is dtrace-lite --control %s running?)\n",
		        argv[2], strerror(errno), argv[2]);
		return 2;
	}
	char line[1024];
	size_t n = 0;
	for (int i = 3; i < argc && n < sizeof(line) - 2; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - 1 - n, "%s%s", i > 3 ? " " : "",
		                      argv[i]);
	line[n++] = '\n';
	if (write(fd, line, n) != (ssize_t)n) {
		perror("dtrace-lite ctl: write");
		return 2;
	}
	shutdown(fd, SHUT_WR);
	char buf[4096];
	ssize_t r;
	int status = -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (status < 0)
			status = r >= 3 && !memcmp(buf, "ok:", 3) ? 0 : 1;
		fwrite(buf, 1, (size_t)r, stdout);
	}
	close(fd);
	return status < 0 ? 1 : status;
}
