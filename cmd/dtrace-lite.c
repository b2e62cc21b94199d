// SPDX-License-Identifier: MIT
/*
 * dtrace-lite: strace-style system-call tracing of an unmodified program
 * that runs inside Dune; its calls are captured in ring 0 (tracer/capture.c)
 * into the event stream of a shared ring, read here (tracer/stream.c) and
 * fed into a session (tracer/session.c) whose sinks (tracer/sinks/) write
 * the trace. With --watch and its kin, the watch engine (watch/) reports
 * the accesses to watched memory into the same stream; with --pf the fault
 * profiler (pf/) each page's first touch.
 *
 * Exits with the program's status (or dies by the same signal).
 */
#define _GNU_SOURCE
#include "launch.h"

#include <dtl/filter.h>
#include <dtl/output.h>
#include <dtl/format.h>
#include <dtl/pf_engine.h>
#include <dtl/pf_frontend.h>
#include <dtl/grow.h>
#include <dtl/ring.h>
#include <dtl/session.h>
#include <dtl/sink.h>
#include <dtl/stream.h>
#include <dtl/symbolize.h>
#include <dtl/watch_control.h>
#include <dtl/watch_frontend.h>
#include <dtl/watch_live.h>
#include <dtl/watch_spec.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* CLOCK_REALTIME, as the records' times */
static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "PROG ARGS..." for titles, cut at 255 bytes */
static const char *command_line(int argc, char **argv)
{
	static char line[256];
	size_t at = 0;
	for (int i = 0; i < argc && at + 1 < sizeof(line); i++)
		at += (size_t)snprintf(line + at, sizeof(line) - at, "%s%s", i ? " " : "", argv[i]);
	return line;
}

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
	        "  --watch EXPR    report every write to EXPR: a variable (NAME, LIB:NAME),\n"
	        "                  NAME+OFF:LEN, NAME:LEN or 0xADDR:LEN; repeatable\n"
	        "  --rwatch EXPR   report every read of EXPR\n"
	        "  --awatch EXPR   report every read and write of EXPR\n"
	        "  --watch-bt      each hit with its call stack (DWARF CFI, as strace -k)\n"
	        "  --control PATH  a socket to change watchpoints while PROG runs:\n"
	        "                  dtrace-lite ctl PATH watch|rwatch|awatch EXPR,\n"
	        "                  dtrace-lite ctl PATH delete|disable|enable N, ... list\n"
	        "  --watch-mode=hw|page  by debug registers (at most 4, of 1, 2, 4 or 8\n"
	        "                  aligned bytes) or by page protection (any number and size);\n"
	        "                  default: a debug register where one fits and they work\n"
	        "  --pf            profile first touches of pages (one ring-0 #PF each):\n"
	        "                  a table per mapping and function at the end; no calls\n"
	        "                  are traced unless -e trace=... asks for them\n"
	        "  --heatmap FILE  also a PNG heatmap (time x address, a band per mapping)\n"
	        "  --heatmap-text  also the heatmap in the terminal\n"
	        "  --heatmap-size WxH  size of each heatmap panel (pixels or characters)\n"
	        "  --pf-range LO-HI    only addresses in [LO, HI) in the heatmaps\n"
	        "  --access-scan MS    every MS ms, the pages accessed and written (A/D bits)\n"
	        "  --pf-csv FILE   one CSV row per first touch\n"
	        "  --pf-bt         each first touch with its call stack (DWARF CFI)\n"
	        "  --pf-folded FILE  first touches by call stack, folded for flame graphs\n"
	        "  -h, --help      this help\n");
}

enum {
	OPT_JSON = 256,
	OPT_PERFETTO,
	OPT_DROP,
	OPT_WATCH,
	OPT_RWATCH,
	OPT_AWATCH,
	OPT_WATCH_MODE,
	OPT_WATCH_BT,
	OPT_CONTROL,
	OPT_PF,
	OPT_HEATMAP,
	OPT_HEATMAP_TEXT,
	OPT_HEATMAP_SIZE,
	OPT_PF_RANGE,
	OPT_PF_CSV,
	OPT_PF_BT,
	OPT_PF_FOLDED,
	OPT_ACCESS_SCAN,
};

static const struct option long_options[] = {
    {"json", no_argument, 0, OPT_JSON},
    {"perfetto", required_argument, 0, OPT_PERFETTO},
    {"drop", no_argument, 0, OPT_DROP},
    {"watch", required_argument, 0, OPT_WATCH},
    {"rwatch", required_argument, 0, OPT_RWATCH},
    {"awatch", required_argument, 0, OPT_AWATCH},
    {"watch-mode", required_argument, 0, OPT_WATCH_MODE},
    {"watch-bt", no_argument, 0, OPT_WATCH_BT},
    {"control", required_argument, 0, OPT_CONTROL},
    {"pf", no_argument, 0, OPT_PF},
    {"heatmap", required_argument, 0, OPT_HEATMAP},
    {"heatmap-text", no_argument, 0, OPT_HEATMAP_TEXT},
    {"heatmap-size", required_argument, 0, OPT_HEATMAP_SIZE},
    {"pf-range", required_argument, 0, OPT_PF_RANGE},
    {"pf-csv", required_argument, 0, OPT_PF_CSV},
    {"pf-bt", no_argument, 0, OPT_PF_BT},
    {"pf-folded", required_argument, 0, OPT_PF_FOLDED},
    {"access-scan", required_argument, 0, OPT_ACCESS_SCAN},
    {"help", no_argument, 0, 'h'},
    {"output", required_argument, 0, 'o'},
    {"follow-forks", no_argument, 0, 'f'},
    {"summary-only", no_argument, 0, 'c'},
    {"summary", no_argument, 0, 'C'},
    {"string-limit", required_argument, 0, 's'},
    {"expr", required_argument, 0, 'e'},
    {0, 0, 0, 0},
};

static struct dtl_filter filter;

/* --control: the engines' mailbox, this far into the ring's memfd (after
 * the records and room for the configuration) */
#define MAILBOX_GAP ((size_t)65536)
#define MAILBOX_AT  (dtl_ring_size(DTL_RING_DATA_SIZE) + MAILBOX_GAP)

/* The ring every process of the program writes into: a memfd they inherit
 * (its number is passed in DTL_TRACE_FD), with the tools' configuration
 * @config (text, or NULL) after the records. */
static struct dtl_ring *make_ring(unsigned strsize, uint32_t flags, const char *config,
                                  size_t at_least, int *fd_out)
{
	size_t config_len = config ? strlen(config) : 0;
	size_t size = dtl_ring_size(DTL_RING_DATA_SIZE) + config_len;
	if (size < at_least)
		size = at_least;
	int fd = memfd_create("dtl-ring", MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		perror("dtrace-lite: memfd");
		return NULL;
	}
	/* its size is fixed for good: nothing can shrink it under the
	 * front-end's mapping, which would then die of SIGBUS */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		perror("dtrace-lite: sealing the event ring");
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
	if (config_len) {
		memcpy((char *)ring + dtl_ring_size(DTL_RING_DATA_SIZE), config, config_len);
		ring->config_len = (uint32_t)config_len;
	}
	*fd_out = fd;
	return ring;
}

#define WAIT_MS 5 /* for a record before looking at the program's processes again */

static struct dtl_stream stream;
static uint64_t unreadable; /* records no tracer writes */
static struct dtl_watch_fe *watches;
static struct dtl_pf_fe *faults;

/* the profiler's counters (touched pages, working set) to the sinks */
static void pf_counter(void *arg, int pid, const char *name, uint64_t time_ns, uint64_t value)
{
	dtl_session_counter(arg, pid, name, time_ns, value);
}

static void handle(struct dtl_session *s, const struct dtl_rec *rec)
{
	static struct dtl_event view;
	if (watches && dtl_watch_fe_record(watches, s, rec))
		; /* a watchpoint's (and the objects' images) */
	else if (faults && dtl_pf_fe_record(faults, rec))
		; /* a first touch's */
	else if (rec->type == DTL_REC_LOSS)
		dtl_session_lost(s, ((const struct dtl_rec_loss *)rec)->count);
	else if (dtl_event_from_record(&view, rec) == 0)
		dtl_session_feed(s, &view);
	else
		unreadable++; /* no tracer wrote that */
	dtl_stream_release(&stream, rec);
}

static void drain(struct dtl_session *s)
{
	const struct dtl_rec *rec;
	while ((rec = dtl_stream_next(&stream, 0)))
		handle(s, rec);
}

/* What the command line asked for, beyond the session's own options. */
struct outputs {
	struct dtl_text_opts text;
	bool lines;     /* print the trace (not with -c alone) */
	bool summary;   /* -c, -C */
	bool json;      /* --json instead of text */
	FILE *perfetto; /* --perfetto FILE */
};

/* Add a sink made by its constructor (NULL: out of memory). */
static int add_sink(struct dtl_session *s, const struct dtl_sink_ops *ops, void *data)
{
	if (!data)
		return -1;
	int r = dtl_session_add_sink(s, ops, data);
	if (r < 0)
		ops->destroy(data);
	return r;
}

/* The sinks, in the order they write at the end: the trace's last line,
 * the Perfetto document, the -c table. */
static int add_sinks(struct dtl_session *s, const struct outputs *o)
{
	const struct dtl_session_opts *so = dtl_session_opts(s);
	int r = 0;
	/* strace's "Process N attached", on stderr unless the trace goes to a file */
	if (so->follow && so->quiet < 1 && o->lines && !o->text.out_name)
		r = add_sink(s, &dtl_notice_sink_ops, dtl_notice_sink_new(stderr));
	if (!r && o->lines && !o->json)
		r = add_sink(s, &dtl_text_sink_ops, dtl_text_sink_new(&o->text));
	/* -c --json: the calls are counted, not printed; losses still are */
	if (!r && o->json)
		r = add_sink(s, &dtl_json_sink_ops, dtl_json_sink_new(o->text.out, !o->lines));
	if (!r && o->perfetto)
		r = add_sink(s, &dtl_perfetto_sink_ops, dtl_perfetto_sink_new(o->perfetto));
	if (!r && o->summary)
		r = add_sink(s, &dtl_summary_sink_ops, dtl_summary_sink_new(o->text.out));
	return r;
}

int main(int argc, char **argv)
{
	struct dtl_session_opts so = {.fmt = {.strsize = 32}, .filter = &filter};
	struct outputs o = {.text = {.out = stderr}, .lines = true};
	const char *perfetto_name = NULL;
	bool drop = false;
	int opt;
	struct watch_arg {
		const char *expr;
		uint8_t access;
	} *watch_args = NULL;
	size_t nwatch_args = 0, watch_args_cap = 0;
	uint8_t watch_how = 0;
	const char *control_path = NULL;
	bool watch_bt = false;
	struct dtl_pf_opts pf = {0};
	bool traced_calls_chosen = false;
	char why[512];

	dtl_prog_name = "dtrace-lite";
	if (argc > 1 && !strcmp(argv[1], "ctl"))
		return dtl_watch_ctl_main(argc, argv);
	dtl_filter_init(&filter);
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
			so.follow++;
			break;
		case 'q':
			so.quiet++;
			break;
		case 'r':
			o.text.relative = true;
			break;
		case 't':
			o.text.timestamps++;
			break;
		case 'T':
			so.fmt.syscall_time = true;
			break;
		case 'y':
			so.fd_paths = true;
			break;
		case 'o':
			o.text.out_name = optarg;
			break;
		case 's': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 0) {
				fprintf(stderr, "dtrace-lite: -s %s: not a number of bytes\n",
				        optarg);
				return 2;
			}
			so.fmt.strsize = n > DTL_EVENT_DATA / 2 ? DTL_EVENT_DATA / 2 : (unsigned)n;
			break;
		}
		case 'e':
			if (dtl_filter_parse(&filter, optarg) < 0)
				return 2;
			traced_calls_chosen |= !strncmp(optarg, "trace=", 6);
			break;
		case OPT_PF:
			pf.on = true;
			break;
		case OPT_HEATMAP:
			pf.on = true;
			pf.png = optarg;
			break;
		case OPT_HEATMAP_TEXT:
			pf.on = pf.text = true;
			break;
		case OPT_PF_CSV:
			pf.on = true;
			pf.csv = optarg;
			break;
		case OPT_PF_BT:
			pf.on = pf.stacks = true;
			break;
		case OPT_PF_FOLDED:
			pf.on = pf.stacks = true;
			pf.folded = optarg;
			break;
		case OPT_HEATMAP_SIZE:
			pf.on = true;
			if (dtl_pf_parse_size(optarg, &pf.width, &pf.height, why, sizeof(why))) {
				fprintf(stderr, "dtrace-lite: %s\n", why);
				return 2;
			}
			break;
		case OPT_ACCESS_SCAN:
			pf.on = true;
			if (dtl_pf_parse_interval(optarg, &pf.scan_ns, why, sizeof(why))) {
				fprintf(stderr, "dtrace-lite: %s\n", why);
				return 2;
			}
			break;
		case OPT_PF_RANGE:
			pf.on = true;
			if (dtl_pf_parse_range(optarg, &pf.range_lo, &pf.range_hi, why,
			                       sizeof(why))) {
				fprintf(stderr, "dtrace-lite: %s\n", why);
				return 2;
			}
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
		case OPT_CONTROL:
			control_path = optarg;
			break;
		case OPT_WATCH_BT:
			watch_bt = true;
			break;
		case OPT_WATCH_MODE:
			if (!strcmp(optarg, "hw"))
				watch_how = DTL_WATCH_HW;
			else if (!strcmp(optarg, "page"))
				watch_how = DTL_WATCH_PAGE;
			else if (!strcmp(optarg, "auto"))
				watch_how = 0;
			else {
				fprintf(stderr,
				        "dtrace-lite: --watch-mode=%s: not hw, page or auto\n",
				        optarg);
				return 2;
			}
			break;
		case OPT_WATCH:
		case OPT_RWATCH:
		case OPT_AWATCH:
			if (nwatch_args >= DTL_WATCH_MAX) {
				fprintf(stderr, "dtrace-lite: at most %d watchpoints\n",
				        DTL_WATCH_MAX);
				return 2;
			}
			if (DTL_GROW(watch_args, nwatch_args, watch_args_cap)) {
				fprintf(stderr, "dtrace-lite: out of memory\n");
				return 2;
			}
			watch_args[nwatch_args].expr = optarg;
			watch_args[nwatch_args++].access = opt == OPT_WATCH ? DTL_ACCESS_WRITE
			                                   : opt == OPT_RWATCH
			                                       ? DTL_ACCESS_READ
			                                       : DTL_ACCESS_READ | DTL_ACCESS_WRITE;
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
	if (so.follow > 2)
		so.follow = 2;
	/* watchpoints: checked against the program's files before it runs (a
	 * program that is not there is the launcher's to report) */
	char *config = NULL;
	static char program[PATH_MAX];
	if (nwatch_args || control_path) {
		bool found = dtl_find_program(argv[optind], program, sizeof(program));
		watches = dtl_watch_fe_new(so.quiet ? NULL : stderr);
		if (!watches)
			return 127;
		dtl_watch_fe_set_backtraces(watches, watch_bt);
		for (size_t i = 0; found && i < nwatch_args; i++)
			if (dtl_watch_fe_add(watches, program, watch_args[i].expr,
			                     watch_args[i].access, watch_how))
				return 2;
		config = found ? dtl_watch_fe_config(watches) : NULL;
	}
	free(watch_args);
	/* --pf: a profile, not a trace of calls, unless -e asks for them */
	if (pf.on && !traced_calls_chosen)
		dtl_filter_parse(&filter, "trace=none");
	struct dtl_symbolizer *own_sym = NULL;
	if (pf.on) {
		if (dtl_pf_opts_check(&pf))
			return 2;
		struct dtl_symbolizer *sym =
		    watches ? dtl_watch_fe_symbolizer(watches) : (own_sym = dtl_symbolizer_new());
		faults =
		    sym ? dtl_pf_fe_new(sym, command_line(argc - optind, argv + optind)) : NULL;
		char *more = faults ? realloc(config, (config ? strlen(config) : 0) + 64) : NULL;
		if (!more)
			return 127;
		if (!config)
			more[0] = 0;
		config = more;
		strcat(config, DTL_PF_KEY "\t1\n");
		if (pf.stacks)
			strcat(config, DTL_PF_BT_KEY "\t1\n");
		if (pf.scan_ns) {
			sprintf(config + strlen(config), DTL_PF_SCAN_KEY "\t%llu\n",
			        (unsigned long long)pf.scan_ns);
			dtl_pf_fe_scan_interval(faults, pf.scan_ns);
		}
	}
	/* --control: a socket for dtrace-lite ctl, a mailbox to the engines
	 * after the configuration (which says where) */
	int control_fd = -1;
	size_t ring_at_least = 0;
	if (control_path && config) {
		control_fd = dtl_watch_control_open(control_path);
		if (control_fd < 0)
			return 2;
		size_t n = strlen(config);
		char *more = realloc(config, n + 64);
		if (!more || n > MAILBOX_GAP / 2)
			return 127;
		config = more;
		snprintf(config + n, 64, "%s\t%zu\n", DTL_WATCH_MAILBOX_KEY, MAILBOX_AT);
		ring_at_least = MAILBOX_AT + sizeof(struct dtl_watch_mailbox);
	}
	if (o.text.out_name && !(so.follow == 2 && !o.json)) {
		o.text.out = fopen(o.text.out_name, "we");
		if (!o.text.out) {
			fprintf(stderr, "dtrace-lite: %s: %s\n", o.text.out_name, strerror(errno));
			return 2;
		}
	}
	if (perfetto_name) {
		o.perfetto = fopen(perfetto_name, "we");
		if (!o.perfetto) {
			fprintf(stderr, "dtrace-lite: %s: %s\n", perfetto_name, strerror(errno));
			return 2;
		}
		dtl_output_watch(o.perfetto, perfetto_name);
	}
	dtl_output_watch(o.text.out, o.text.out == stderr ? "stderr" : o.text.out_name);
	/* --json: each first touch an object among the calls, in trace order */
	if (faults && o.json) {
		dtl_pf_fe_json(faults, o.text.out);
		pf.json = true;
	}

	struct dtl_session *session = dtl_session_new(&so);
	if (!session || add_sinks(session, &o) < 0) {
		fprintf(stderr, "dtrace-lite: out of memory\n");
		return 127;
	}
	if (faults)
		dtl_pf_fe_counters(faults, pf_counter, session);

	int fd;
	uint32_t flags = (so.follow ? DTL_RING_ENTRY_EVENTS : 0) | (drop ? DTL_RING_DROP : 0) |
	                 (so.fd_paths ? DTL_RING_FD_PATHS : 0);
	struct dtl_ring *ring = make_ring(so.fmt.strsize, flags, config, ring_at_least, &fd);
	if (!ring)
		return 127;
	if (control_fd >= 0) {
		struct dtl_watch_mailbox *mb = (void *)((char *)ring + MAILBOX_AT);
		mb->magic = DTL_WATCH_MAILBOX_MAGIC;
		dtl_watch_fe_use_mailbox(watches, mb);
	}
	dtl_stream_init(&stream, ring);
	char fdstr[16];
	snprintf(fdstr, sizeof(fdstr), "%d", fd);

	/* -f: like strace, trace until every process of the program is gone,
	 * also those that outlive it (orphans are reparented to us) */
	if (so.follow)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	int r = dtl_launch(argv + optind, "libdtl-inject.so", "DTL_TRACE_FD", fdstr);
	if (r)
		return r;
	dtl_session_start(session, dtl_child, argv[optind]);
	if (faults)
		dtl_pf_fe_start(faults, now_ns());
	int status = 0;
	bool main_done = false;
	for (;;) {
		drain(session);
		dtl_output_flush(o.text.out);
		int st;
		pid_t w = waitpid(so.follow ? -1 : dtl_child, &st, WNOHANG);
		if (w > 0 && WIFSTOPPED(st)) {
			/* a ptrace stop: the program made us its tracer
			 * (PTRACE_TRACEME). We are not a debugger: let it go
			 * on as if untraced, with the signal that stopped it */
			ptrace(PTRACE_DETACH, w, 0, (void *)(long)WSTOPSIG(st));
			continue;
		}
		if (w == dtl_child) {
			status = st;
			main_done = true;
			if (!so.follow)
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
		if (control_fd >= 0)
			dtl_watch_control_serve(control_fd, watches, program);
		const struct dtl_rec *rec = dtl_stream_next(&stream, WAIT_MS);
		if (rec)
			handle(session, rec);
	}
	/* -f: every process is gone: a claim not written now never will be */
	stream.producers_gone = so.follow;
	drain(session);
	/* whatever is left unread can never be read. Not silently. */
	uint64_t unread = so.follow ? dtl_ring_unread(ring) : 0;
	if (faults) /* its last counters go to the sinks */
		dtl_pf_fe_finish(faults, now_ns());
	dtl_session_finish(session, status);
	dtl_session_free(session);
	if (watches && o.summary)
		dtl_watch_fe_summary(watches, o.text.out);
	if (faults) {
		dtl_pf_outputs(faults, &pf, o.text.out); /* its failures said on stderr */
		dtl_pf_fe_free(faults);
	}
	dtl_watch_fe_free(watches);
	dtl_symbolizer_free(own_sym);
	if (control_fd >= 0) {
		close(control_fd);
		unlink(control_path);
	}
	uint64_t full = stream.lost - stream.abandoned;
	full -= full < stream.corrupt ? full : stream.corrupt;
	if (stream.corrupt + unreadable) {
		fprintf(stderr,
		        "dtrace-lite: the event ring held records no tracer writes, %lu times: "
		        "something else wrote into its memory (see README, \"Trace integrity\"); "
		        "events were lost there\n",
		        (unsigned long)(stream.corrupt + unreadable));
	}
	if (full)
		fprintf(stderr, "dtrace-lite: %lu events lost in all: the ring was full (--drop)\n",
		        (unsigned long)full);
	if (unread)
		fprintf(stderr,
		        "dtrace-lite: the trace ends early: %lu bytes of events stay unread behind "
		        "one whose writer was killed before it could say so\n",
		        (unsigned long)unread);
	if (stream.abandoned > stream.stalled)
		fprintf(stderr,
		        "dtrace-lite: %lu events lost in all: their threads were killed while "
		        "writing them\n",
		        (unsigned long)(stream.abandoned - stream.stalled));
	if (stream.stalled)
		fprintf(stderr,
		        "dtrace-lite: %lu events lost in all: each blocked the trace for %llu s "
		        "without being written (not the way a tracer writes; see README, \"Trace "
		        "integrity\")\n",
		        (unsigned long)stream.stalled, DTL_STREAM_STALL_NS / 1000000000ull);
	/* like strace: the trace's loss is said, the program's status kept */
	dtl_output_report_incomplete();
	if (WIFSIGNALED(status))
		dtl_die_like(WTERMSIG(status));
	return WEXITSTATUS(status);
}
