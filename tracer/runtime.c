// SPDX-License-Identifier: MIT
/*
 * The tracer's runtime in the traced program: a tool of libdune's generic
 * injection (dune/inject.h), linked into libdtl-inject.so, which dtrace-lite
 * preloads. Before the process enters the VM it maps the event ring the
 * front-end passed (DTL_TRACE_FD), hides it from the program's view of its
 * memory, keeps the program from closing it and keeps the variable in the
 * environment of every image the process execs; once inside, it makes the
 * ring supervisor-only where it can and starts the ring-0 capture
 * (capture.c), with --watch the watch engine (watch/) and with --pf the
 * fault profiler (pf/).
 */
#include <dtl/capture.h>
#include <dtl/pf_engine.h>
#include <dtl/ring.h>
#include <dtl/watch_engine.h>
#include <dtl/watch_runtime.h>

#include <dune/hook.h>
#include <dune/inject.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static struct dtl_ring *ring;
static bool watching, profiling;

static int runtime_init(void)
{
	/* dtrace-lite: the event ring, shared with the front-end and with
	 * every process of the traced tree (the descriptor survives exec) */
	const char *ring_env = getenv("DTL_TRACE_FD");
	if (!ring_env)
		return 0; /* preloaded, but not traced */
	int fd = atoi(ring_env);
	/* not the program's to see (dune_inject_keep_env gives it to the
	 * images it execs) */
	unsetenv("DTL_TRACE_FD");
	struct stat st;
	size_t size = fstat(fd, &st) ? 0 : (size_t)st.st_size;
	void *mem = size ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
	if (mem == MAP_FAILED || !dtl_ring_valid(mem, size)) {
		fprintf(stderr, "dtrace-lite: the event ring (fd %d) is not usable\n", fd);
		_exit(127);
	}
	dune_procfs_hide_range((uintptr_t)mem, size);
	/* images this process execs are traced too, whatever their
	 * environment */
	if (dune_inject_keep_fd("DTL_TRACE_FD", fd) < 0) {
		fprintf(stderr, "dtrace-lite: cannot keep the event ring (fd %d) across execve\n",
		        fd);
		_exit(127);
	}
	ring = mem;
	/* watchpoints (--watch): armed now, recorded in the ring from here */
	dtl_capture_use_ring(ring);
	watching = dtl_watch_runtime_init(ring, size);
	/* --pf: first-touch mode, set before the VM maps the memory */
	profiling = dtl_pf_runtime_init(ring, size);
	if (profiling && !watching)
		dtl_watch_note_images();
	/* Out of ring 3's reach where the hardware has supervisor-only pages
	 * (VT-x, AMD-V): the program can then neither read the trace nor
	 * forge, stall or corrupt it; only the capture in ring 0 writes it.
	 * On PVM it stays reachable (README, "Trace integrity"). Recorded
	 * now, in force from the VM's first mapping of the process; from here
	 * on no ring-3 code of ours may touch the ring. */
	int tool = dune_overlay_tool(NULL, NULL);
	if (tool < 0 || dune_overlay_restrict(tool, (uintptr_t)mem, size, DUNE_DENY_USER) < 0) {
		fprintf(stderr, "dtrace-lite: cannot protect the event ring from the program\n");
		_exit(127);
	}
	return 0;
}

static void runtime_start(void)
{
	if (ring)
		dtl_capture_start(ring);
	if (watching && dtl_watch_engine_start() < 0)
		fprintf(stderr, "dtrace-lite: no room for the watch engine's hooks\n");
	if (profiling && dtl_pf_engine_start() < 0)
		fprintf(stderr, "dtrace-lite: no room for the fault profiler's hooks\n");
}

DUNE_TOOL(dtl_tool) = {.name = "dtrace-lite", .init = runtime_init, .start = runtime_start};
