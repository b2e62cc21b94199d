// SPDX-License-Identifier: MIT
/* Descriptors passed in memory name none of the runtime's (issue 11, item
 * 25): natively every descriptor that is not open fails as EBADF when sent
 * with SCM_RIGHTS (sendmsg, and sendmmsg after the messages before it),
 * registered with an io_uring, or taken with pidfd_getfd from the process's
 * own pidfd. Inside Dune the runtime's descriptors are open but not the
 * program's: they must fail the same, or the program could send the
 * tracer's ring to itself and map it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static int sock[2];

/* A message of one byte carrying @fd. */
static void rights_message(struct msghdr *m, struct iovec *iov, char *ctl, size_t ctl_len, int fd)
{
	static char byte = 'x';
	memset(m, 0, sizeof(*m));
	iov->iov_base = &byte;
	iov->iov_len = 1;
	m->msg_iov = iov;
	m->msg_iovlen = 1;
	m->msg_control = ctl;
	m->msg_controllen = ctl_len;
	struct cmsghdr *c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
}

/* Read what was sent, closing any descriptor that came along. */
static void drain(void)
{
	char buf[64], ctl[CMSG_SPACE(sizeof(int) * 4)];
	for (;;) {
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr m = {.msg_iov = &iov,
		                   .msg_iovlen = 1,
		                   .msg_control = ctl,
		                   .msg_controllen = sizeof(ctl)};
		if (recvmsg(sock[1], &m, MSG_DONTWAIT) <= 0)
			return;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_type == SCM_RIGHTS) {
				int got;
				memcpy(&got, CMSG_DATA(c), sizeof(got));
				close(got);
			}
	}
}

struct counts {
	int closed, sendmsg, sendmmsg, uring, getfd;
};

static void try_fd(int fd, int pidfd, int ring, struct counts *n)
{
	if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
		return; /* open: not what this is about */
	n->closed++;
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov;
	struct msghdr m;
	rights_message(&m, &iov, ctl, sizeof(ctl), fd);
	n->sendmsg += sendmsg(sock[0], &m, MSG_DONTWAIT) < 0 && errno == EBADF;
	drain();
	/* a plain message, then one passing @fd: the first goes */
	struct mmsghdr v[2];
	static char plain = 'p';
	struct iovec piov = {&plain, 1};
	memset(v, 0, sizeof(v));
	v[0].msg_hdr.msg_iov = &piov;
	v[0].msg_hdr.msg_iovlen = 1;
	char ctl2[CMSG_SPACE(sizeof(int))];
	struct iovec iov2;
	rights_message(&v[1].msg_hdr, &iov2, ctl2, sizeof(ctl2), fd);
	n->sendmmsg += sendmmsg(sock[0], v, 2, MSG_DONTWAIT) == 1;
	drain();
	if (ring >= 0) {
		int r = (int)syscall(SYS_io_uring_register, ring, IORING_REGISTER_FILES, &fd, 1);
		n->uring += r < 0 && errno == EBADF;
		if (r == 0)
			syscall(SYS_io_uring_register, ring, IORING_UNREGISTER_FILES, NULL, 0);
	}
	if (pidfd >= 0) {
		int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		n->getfd += got < 0 && errno == EBADF;
		if (got >= 0)
			close(got);
	}
}

int main(void)
{
	alarm(120);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sock) < 0)
		return 1;
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	int ring = (int)syscall(SYS_io_uring_setup, 4, &p);
	printf("pidfd_open: %s, io_uring: %s\n", pidfd >= 0 ? "yes" : "no",
	       ring >= 0 ? "yes" : "no");
	struct counts n = {0};
	for (int fd = 3; fd < 2048; fd++)
		try_fd(fd, pidfd, ring, &n);
	/* where the runtime keeps its own when there is room above the limit */
	struct rlimit lim;
	getrlimit(RLIMIT_NOFILE, &lim);
	if (lim.rlim_cur > 2048 && lim.rlim_cur < (1u << 20))
		for (int fd = (int)lim.rlim_cur; fd < (int)lim.rlim_cur + 1100; fd++)
			try_fd(fd, pidfd, ring, &n);
	printf("descriptors not open: EBADF from sendmsg %s, sendmmsg sent the one "
	       "before %s, io_uring_register %s, pidfd_getfd %s\n",
	       n.sendmsg == n.closed ? "all" : "NOT ALL",
	       n.sendmmsg == n.closed ? "all" : "NOT ALL",
	       ring < 0 || n.uring == n.closed ? "all" : "NOT ALL",
	       pidfd < 0 || n.getfd == n.closed ? "all" : "NOT ALL");
	return 0;
}
