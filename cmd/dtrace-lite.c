// SPDX-License-Identifier: MIT
/*
 * dtrace-lite: strace-style system-call tracing of an unmodified program
 * that runs inside Dune; its calls are captured in ring 0 (tracer/capture.c)
 * into a shared ring and formatted here.
 *
 *   dtrace-lite [-c] [-f] [-o FILE] [-s N] [-e trace=SET] PROG [ARGS...]
 *
 * Exits with the program's status (or dies by the same signal).
 */
#define _GNU_SOURCE
#include "launch.h"

#include <dtl/catalogue.h>
#include <dtl/format.h>
#include <dtl/ring.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NR 1024

static bool traced[MAX_NR];

static void usage(FILE *f)
{
	fprintf(f, "usage: dtrace-lite [-c] [-f] [-o FILE] [-s N] [-e trace=SET] PROG [ARGS...]\n"
	           "  -c           count calls, errors and time per call; print a summary\n"
	           "  -f           follow threads and forked processes (prefix [pid N])\n"
	           "  -o FILE      write the trace to FILE instead of stderr\n"
	           "  -s N         print at most N bytes of each string (default 32)\n"
	           "  -e trace=SET only these calls: names and classes (%%file, %%process,\n"
	           "               %%network, %%signal, %%memory, %%desc...), ! negates\n"
	           "  -h           this help\n");
}

/* "-e trace=a,b,%class" or "-e trace=!a,b" */
static int parse_trace(const char *spec)
{
	if (strncmp(spec, "trace=", 6) != 0) {
		fprintf(stderr, "dtrace-lite: -e %s: only trace=... is supported\n", spec);
		return -1;
	}
	spec += 6;
	bool negate = *spec == '!';
	if (negate)
		spec++;
	bool set[MAX_NR] = {false};
	char *copy = strdup(spec), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t bits;
		if (!strcmp(tok, "all")) {
			for (int nr = 0; nr < MAX_NR; nr++)
				set[nr] = dtl_syscall_by_nr(nr) != NULL;
		} else if (tok[0] == '%' || dtl_syscall_by_name(tok) < 0) {
			if (dtl_trace_class_by_name(tok, &bits) < 0) {
				fprintf(stderr, "dtrace-lite: invalid system call or class '%s'\n",
				        tok);
				free(copy);
				return -1;
			}
			for (int nr = 0; nr < MAX_NR; nr++) {
				const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
				if (d && (d->classes & bits))
					set[nr] = true;
			}
		} else {
			set[dtl_syscall_by_name(tok)] = true;
		}
	}
	free(copy);
	for (int nr = 0; nr < MAX_NR; nr++)
		traced[nr] = negate ? !set[nr] : set[nr];
	return 0;
}

/*
 * Calls reported at entry (DTL_EV_ENTER: the caller may not come back) wait
 * here for their completion; a call that never completes is printed with
 * "= ?", a successful execve with "= 0" when the new image shows up.
 */
/* -c: per-call counts and time inside the call (entry to completion) */
static bool summary_only;
static struct {
	uint64_t calls, errors, ns;
} stats[MAX_NR];

static void count(const struct dtl_event *ev)
{
	/* like strace -c: completed calls only (exit_group never completes) */
	if (ev->type != DTL_EV_SYSCALL || ev->nr < 0 || ev->nr >= MAX_NR || !traced[ev->nr])
		return;
	stats[ev->nr].calls++;
	if (ev->type == DTL_EV_SYSCALL && ev->ret < 0 && ev->ret >= -4095)
		stats[ev->nr].errors++;
	if (ev->ts_ns > ev->ts_enter_ns)
		stats[ev->nr].ns += ev->ts_ns - ev->ts_enter_ns;
}

static int by_time(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	if (stats[x].ns != stats[y].ns)
		return stats[x].ns < stats[y].ns ? 1 : -1;
	return x < y ? -1 : 1;
}

/* strace -c's table */
static void print_summary(FILE *out)
{
	long order[MAX_NR];
	int n = 0;
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	for (long nr = 0; nr < MAX_NR; nr++)
		if (stats[nr].calls) {
			order[n++] = nr;
			total_ns += stats[nr].ns;
			total_calls += stats[nr].calls;
			total_errors += stats[nr].errors;
		}
	qsort(order, (size_t)n, sizeof(order[0]), by_time);
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n"
	             "------ ----------- ----------- --------- --------- ----------------\n");
	for (int i = 0; i < n; i++) {
		long nr = order[i];
		fprintf(out, "%6.2f %11.6f %11lu %9lu ",
		        total_ns ? 100.0 * stats[nr].ns / total_ns : 0, stats[nr].ns / 1e9,
		        (unsigned long)(stats[nr].ns / 1000 / stats[nr].calls),
		        (unsigned long)stats[nr].calls);
		if (stats[nr].errors)
			fprintf(out, "%9lu ", (unsigned long)stats[nr].errors);
		else
			fprintf(out, "%9s ", "");
		fprintf(out, "%s\n", dtl_syscall_by_nr(nr)->name);
	}
	fprintf(out, "------ ----------- ----------- --------- --------- ----------------\n");
	fprintf(out, "100.00 %11.6f %11lu %9lu %9lu total\n", total_ns / 1e9,
	        (unsigned long)(total_calls ? total_ns / 1000 / total_calls : 0),
	        (unsigned long)total_calls, (unsigned long)total_errors);
}

#define MAX_PENDING 64
static struct dtl_event pending[MAX_PENDING];
static int npending;

static void print_event(FILE *out, const struct dtl_event *ev, struct dtl_format_opts *opts,
                        pid_t first, bool follow)
{
	bool mine = !first || ev->tid == first;
	if (summary_only) {
		if (mine || follow)
			count(ev);
		return;
	}
	if ((mine || follow) && ev->nr >= 0 && ev->nr < MAX_NR && traced[ev->nr]) {
		if (!mine)
			opts->pid_prefix = true;
		dtl_format_event(out, ev, opts);
	}
}

static void flush_pending(FILE *out, int i, long ret, bool completed, struct dtl_format_opts *opts,
                          pid_t first, bool follow)
{
	struct dtl_event ev = pending[i];
	pending[i] = pending[--npending];
	if (completed) {
		ev.type = DTL_EV_SYSCALL;
		ev.ret = ret;
	}
	print_event(out, &ev, opts, first, follow);
}

/* Print what the ring holds (see print_event for -f). */
static void drain(struct dtl_ring *ring, FILE *out, struct dtl_format_opts *opts, pid_t first,
                  bool follow)
{
	const struct dtl_event *ev;
	while ((ev = dtl_ring_peek(ring))) {
		int p = -1;
		for (int i = 0; i < npending; i++)
			if (pending[i].tid == ev->tid)
				p = i;
		if (p >= 0 && ev->type == DTL_EV_SYSCALL && ev->nr == pending[p].nr) {
			/* the call came back: its complete line replaces the entry */
			pending[p] = pending[--npending];
			print_event(out, ev, opts, first, follow);
		} else {
			if (p >= 0) /* a new image after execve, or a call that did not return */
				flush_pending(out, p, 0,
				              pending[p].nr == SYS_execve ||
				                  pending[p].nr == SYS_execveat,
				              opts, first, follow);
			const struct dtl_syscall_desc *d = dtl_syscall_by_nr(ev->nr);
			bool never_returns = d && d->ret == DTL_RET_NONE; /* exit, exit_group */
			if (ev->type == DTL_EV_ENTER && !never_returns && npending < MAX_PENDING)
				pending[npending++] = *ev;
			else
				print_event(out, ev, opts, first, follow);
		}
		dtl_ring_release(ring);
	}
	fflush(out);
}

/* The traced processes are gone: what is still pending never returned. */
static void flush_all_pending(FILE *out, struct dtl_format_opts *opts, pid_t first, bool follow)
{
	while (npending)
		flush_pending(out, npending - 1, 0, false, opts, first, follow);
}

int main(int argc, char **argv)
{
	struct dtl_format_opts opts = {.strsize = 32};
	FILE *out = stderr;
	bool follow = false;
	int opt;

	dtl_prog_name = "dtrace-lite";
	for (int nr = 0; nr < MAX_NR; nr++)
		traced[nr] = true;
	while ((opt = getopt(argc, argv, "+cfho:s:e:")) != -1) {
		switch (opt) {
		case 'c':
			summary_only = true;
			break;
		case 'f':
			follow = true;
			break;
		case 'o':
			out = fopen(optarg, "we");
			if (!out) {
				fprintf(stderr, "dtrace-lite: %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			break;
		case 's':
			opts.strsize = (unsigned)atoi(optarg);
			if (opts.strsize > DTL_EVENT_DATA / 2)
				opts.strsize = DTL_EVENT_DATA / 2;
			break;
		case 'e':
			if (parse_trace(optarg) < 0)
				return 2;
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
		usage(stderr);
		return 2;
	}

	/* the ring: inherited by the program and everything it starts */
	int fd = memfd_create("dtl-ring", 0);
	if (fd < 0 || ftruncate(fd, (off_t)dtl_ring_size()) < 0) {
		perror("dtrace-lite: memfd");
		return 127;
	}
	/* out of the way of the program's own descriptor numbers (it inherits
	 * this one); the injected runtime protects it from close() */
	int high = fcntl(fd, F_DUPFD, 900);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	struct dtl_ring *ring =
	    mmap(NULL, dtl_ring_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED) {
		perror("dtrace-lite: mmap");
		return 127;
	}
	ring->magic = DTL_RING_MAGIC;
	ring->strsize = opts.strsize;
	char fdstr[16];
	snprintf(fdstr, sizeof(fdstr), "%d", fd);

	int r = dtl_launch(argv + optind, "DTL_TRACE_FD", fdstr);
	drain(ring, out, &opts, 0, follow);
	if (r)
		return r;
	pid_t first = dtl_child;
	int status = 0;
	for (;;) {
		drain(ring, out, &opts, first, follow);
		pid_t w = waitpid(dtl_child, &status, WNOHANG);
		if (w == dtl_child)
			break;
		if (w < 0 && errno != EINTR) {
			perror("dtrace-lite: waitpid");
			return 127;
		}
		usleep(500);
	}
	drain(ring, out, &opts, first, follow);
	flush_all_pending(out, &opts, first, follow);
	if (summary_only)
		print_summary(out);
	fflush(out);
	if (WIFSIGNALED(status)) {
		if (!summary_only)
			fprintf(out, "+++ killed by SIG%s +++\n", sigabbrev_np(WTERMSIG(status)));
		fflush(out);
		dtl_die_like(WTERMSIG(status));
	}
	if (!summary_only)
		fprintf(out, "+++ exited with %d +++\n", WEXITSTATUS(status));
	fflush(out);
	return WEXITSTATUS(status);
}
