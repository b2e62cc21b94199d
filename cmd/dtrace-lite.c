// SPDX-License-Identifier: MIT
/*
 * dtrace-lite: strace-style system-call tracing of an unmodified program
 * that runs inside Dune; its calls are captured in ring 0 (tracer/capture.c)
 * into the event stream of a shared ring, read here (tracer/stream.c) and
 * printed (trace_output.c).
 *
 * Exits with the program's status (or dies by the same signal).
 */
#define _GNU_SOURCE
#include "launch.h"
#include "fd_paths.h"
#include "trace_filter.h"
#include "trace_output.h"

#include <dtl/format.h>
#include <dtl/ring.h>
#include <dtl/stream.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: dtrace-lite [-cCfqrtTy] [-o FILE] [-s N] [-e EXPR]... [--json]\n"
	        "                   [--perfetto FILE] [--drop] PROG [ARGS...]\n"
	        "Trace the system calls of PROG, which runs inside Dune (a virtual machine\n"
	        "of its own); its calls are recorded in the guest's ring 0, not by ptrace.\n"
	        "\n"
	        "  -o FILE         write the trace to FILE (default: stderr)\n"
	        "  -f              follow threads and child processes ([pid N] prefixes)\n"
	        "  -ff             with -o: one file per thread, FILE.TID\n"
	        "  -e trace=SET    only these calls: names, classes (%%file %%desc %%memory\n"
	        "                  %%process %%network %%signal %%ipc %%creds %%clock %%stat...),\n"
	        "                  all, none; a leading ! negates\n"
	        "  -e signal=SET   only these signals in --- SIGx --- lines\n"
	        "  -c              count time, calls and errors per call; print only the summary\n"
	        "  -C              like -c, and print the trace too\n"
	        "  -s N            print at most N bytes of strings and buffers (default 32)\n"
	        "  -t, -tt, -ttt   time of day, with microseconds, as seconds since the epoch\n"
	        "  -r              time since the previous line\n"
	        "  -T              time spent in each call\n"
	        "  -y              print the paths behind file descriptors\n"
	        "  -q, -qq         quieter: no 'attached' messages; -qq: no exit lines\n"
	        "  --json          one JSON object per event instead of text\n"
	        "  --perfetto FILE also write a Chrome/Perfetto trace (open in ui.perfetto.dev)\n"
	        "  --drop          when the event ring is full, drop (and count) events\n"
	        "                  instead of making the program wait\n"
	        "  -h, --help      this help\n");
}

enum { OPT_JSON = 256, OPT_PERFETTO, OPT_DROP };

static const struct option long_options[] = {
    {"json", no_argument, 0, OPT_JSON},
    {"perfetto", required_argument, 0, OPT_PERFETTO},
    {"drop", no_argument, 0, OPT_DROP},
    {"help", no_argument, 0, 'h'},
    {"output", required_argument, 0, 'o'},
    {"follow-forks", no_argument, 0, 'f'},
    {"summary-only", no_argument, 0, 'c'},
    {"summary", no_argument, 0, 'C'},
    {"string-limit", required_argument, 0, 's'},
    {"expr", required_argument, 0, 'e'},
    {0, 0, 0, 0},
};

static struct trace_filter filter;

/* The ring every process of the program writes into: a memfd they inherit
 * (its number is passed in DTL_TRACE_FD). */
static struct dtl_ring *make_ring(unsigned strsize, uint32_t flags, int *fd_out)
{
	size_t size = dtl_ring_size(DTL_RING_DATA_SIZE);
	int fd = memfd_create("dtl-ring", 0);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		perror("dtrace-lite: memfd");
		return NULL;
	}
	/* out of the way of the program's own descriptor numbers; the injected
	 * runtime protects it from close() */
	int high = fcntl(fd, F_DUPFD, 900);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	struct dtl_ring *ring = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED) {
		perror("dtrace-lite: mmap");
		return NULL;
	}
	dtl_ring_init(ring, DTL_RING_DATA_SIZE, strsize, flags, getpid());
	*fd_out = fd;
	return ring;
}

#define WAIT_MS 5 /* for a record before looking at the program's processes again */

static struct dtl_stream stream;

static void handle(const struct dtl_rec *rec)
{
	static struct dtl_event view;
	if (rec->type == DTL_REC_LOSS)
		trace_output_lost(((const struct dtl_rec_loss *)rec)->count);
	else if (dtl_event_from_record(&view, rec) == 0)
		trace_output_event(&view);
	dtl_stream_release(&stream, rec);
}

static void drain(void)
{
	const struct dtl_rec *rec;
	while ((rec = dtl_stream_next(&stream, 0)))
		handle(rec);
}

int main(int argc, char **argv)
{
	struct trace_output_opts o = {.out = stderr, .lines = true, .fmt = {.strsize = 32}};
	const char *perfetto_name = NULL;
	bool drop = false;
	int opt;

	dtl_prog_name = "dtrace-lite";
	trace_filter_init(&filter);
	o.filter = &filter;
	while ((opt = getopt_long(argc, argv, "+cCfhqrtTyo:s:e:", long_options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o.summary = true;
			o.lines = false;
			break;
		case 'C':
			o.summary = true;
			break;
		case 'f':
			o.follow++;
			break;
		case 'q':
			o.quiet++;
			break;
		case 'r':
			o.relative = true;
			break;
		case 't':
			o.timestamps++;
			break;
		case 'T':
			o.fmt.syscall_time = true;
			break;
		case 'y':
			o.fmt.fd_path = fd_paths_lookup;
			break;
		case 'o':
			o.out_name = optarg;
			break;
		case 's': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 0) {
				fprintf(stderr, "dtrace-lite: -s %s: not a number of bytes\n",
				        optarg);
				return 2;
			}
			o.fmt.strsize = n > DTL_EVENT_DATA / 2 ? DTL_EVENT_DATA / 2 : (unsigned)n;
			break;
		}
		case 'e':
			if (trace_filter_parse(&filter, optarg) < 0)
				return 2;
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_PERFETTO:
			perfetto_name = optarg;
			break;
		case OPT_DROP:
			drop = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "dtrace-lite: must have PROG [ARGS]\n");
		usage(stderr);
		return 2;
	}
	if (o.follow > 2)
		o.follow = 2;
	if (o.out_name && !(o.follow == 2 && !o.json)) {
		o.out = fopen(o.out_name, "we");
		if (!o.out) {
			fprintf(stderr, "dtrace-lite: %s: %s\n", o.out_name, strerror(errno));
			return 2;
		}
	}
	if (perfetto_name) {
		o.perfetto = fopen(perfetto_name, "we");
		if (!o.perfetto) {
			fprintf(stderr, "dtrace-lite: %s: %s\n", perfetto_name, strerror(errno));
			return 2;
		}
	}

	int fd;
	uint32_t flags = (o.follow ? DTL_RING_ENTRY_EVENTS : 0) | (drop ? DTL_RING_DROP : 0) |
	                 (o.fmt.fd_path ? DTL_RING_FD_PATHS : 0);
	struct dtl_ring *ring = make_ring(o.fmt.strsize, flags, &fd);
	if (!ring)
		return 127;
	dtl_stream_init(&stream, ring);
	char fdstr[16];
	snprintf(fdstr, sizeof(fdstr), "%d", fd);

	/* -f: like strace, trace until every process of the program is gone,
	 * also those that outlive it (orphans are reparented to us) */
	if (o.follow)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	int r = dtl_launch(argv + optind, "libdtl-inject.so", "DTL_TRACE_FD", fdstr);
	if (r)
		return r;
	trace_output_start(&o, dtl_child, argv[optind]);
	int status = 0;
	bool main_done = false;
	for (;;) {
		drain();
		fflush(o.out);
		int st;
		pid_t w = waitpid(o.follow ? -1 : dtl_child, &st, WNOHANG);
		if (w == dtl_child) {
			status = st;
			main_done = true;
			if (!o.follow)
				break;
		} else if (w < 0 && errno == ECHILD && main_done) {
			break;
		} else if (w < 0 && errno != EINTR) {
			perror("dtrace-lite: waitpid");
			return 127;
		}
		if (w > 0)
			continue;
		/* asleep on the doorbell while the program is quiet */
		const struct dtl_rec *rec = dtl_stream_next(&stream, WAIT_MS);
		if (rec)
			handle(rec);
	}
	drain();
	trace_output_finish(status);
	if (stream.lost)
		fprintf(stderr, "dtrace-lite: %lu events lost in all: the ring was full (--drop)\n",
		        (unsigned long)stream.lost);
	if (WIFSIGNALED(status))
		dtl_die_like(WTERMSIG(status));
	return WEXITSTATUS(status);
}
