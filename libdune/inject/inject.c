// SPDX-License-Identifier: MIT
/*
 * libdune-inject.so: LD_PRELOAD it into a dynamically linked program and the
 * program runs in ring 3 inside the VM from before main: this constructor
 * runs after libc's and before the program's own, and continues in ring 3.
 *
 * Protocol with the runner (cmd/dune-run.c): DUNE_INJECT_FD names a pipe;
 * the constructor writes "ok\n" once in the VM, or "error: <why>\n" and
 * exits 127 when it cannot enter. The variable is removed so that children
 * do not write to it; LD_PRELOAD stays, and the monitor keeps it in the
 * environment of every execve so that new images are injected too.
 */
#include "monitor.h"

#include <dtl/capture.h>
#include <dtl/ring.h>
#include <dune/dune.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void tell_runner(int fd, const char *msg)
{
	if (fd < 0)
		return;
	ssize_t unused = write(fd, msg, strlen(msg));
	(void)unused;
	close(fd);
}

__attribute__((constructor)) static void dune_inject(void)
{
	const char *fd_env = getenv("DUNE_INJECT_FD");
	int fd = fd_env ? atoi(fd_env) : -1;
	char msg[700];
	void *trace_ring = NULL;

	unsetenv("DUNE_INJECT_FD");
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	dune_inject_remember_preload(getenv("LD_PRELOAD"));
	/* dtrace-lite: the event ring, shared with the front-end and with
	 * every process of the traced tree (the descriptor survives exec) */
	const char *ring_env = getenv("DTL_TRACE_FD");
	if (ring_env) {
		void *ring = mmap(NULL, dtl_ring_size(), PROT_READ | PROT_WRITE, MAP_SHARED,
		                  atoi(ring_env), 0);
		if (ring == MAP_FAILED || ((struct dtl_ring *)ring)->magic != DTL_RING_MAGIC) {
			fprintf(stderr, "dtrace-lite: the event ring (fd %s) is not usable\n",
			        ring_env);
			_exit(127);
		}
		dune_procfs_hide_range((uintptr_t)ring, dtl_ring_size());
		dune_fd_protect(atoi(ring_env));
		/* images this process execs are traced too, whatever their
		 * environment */
		char keep[64];
		snprintf(keep, sizeof(keep), "DTL_TRACE_FD=%d", atoi(ring_env));
		dune_inject_keep_env(keep);
		trace_ring = ring;
	}
	if (dune_init() || dune_enter_user()) {
		snprintf(msg, sizeof(msg), "error: %s\n", dune_last_error());
		if (fd >= 0)
			tell_runner(fd, msg);
		else
			fprintf(stderr, "dune: cannot run this program inside Dune: %s\n",
			        dune_last_error());
		_exit(127);
	}
	tell_runner(fd, "ok\n");
	/* from here on, every system call is the program's own */
	if (trace_ring)
		dtl_capture_start(trace_ring);
}
