// SPDX-License-Identifier: MIT
/* The -c / -C sink: strace's per-call table (see dtl/sink.h). */
#define _GNU_SOURCE
#include <dtl/catalogue.h>
#include <dtl/filter.h>
#include <dtl/sink.h>

#include <stdint.h>
#include <stdlib.h>

struct call_stats {
	uint64_t calls, errors, ns;
};

struct summary_sink {
	FILE *out;
	struct call_stats stats[DTL_MAX_NR];
};

void *dtl_summary_sink_new(FILE *out)
{
	struct summary_sink *sum = calloc(1, sizeof(*sum));
	if (sum)
		sum->out = out;
	return sum;
}

/* Count a completed call: the time inside it from entry to completion. */
static void summary_call(void *sink, struct dtl_session *s, const struct dtl_task *t,
                         const struct dtl_event *ev, enum dtl_call_shape shape)
{
	struct summary_sink *sum = sink;
	(void)s;
	(void)t;
	(void)shape;
	/* like strace -c: completed calls only (exit_group never completes) */
	if (ev->type != DTL_EV_SYSCALL || ev->nr < 0 || ev->nr >= DTL_MAX_NR)
		return;
	struct call_stats *st = &sum->stats[ev->nr];
	st->calls++;
	if (ev->ret < 0 && ev->ret >= -4095)
		st->errors++;
	if (ev->ts_ns > ev->ts_enter_ns)
		st->ns += ev->ts_ns - ev->ts_enter_ns;
}

/* most time first, then by number */
static int by_time(const void *a, const void *b, void *arg)
{
	const struct call_stats *stats = arg;
	long x = *(const long *)a, y = *(const long *)b;
	if (stats[x].ns != stats[y].ns)
		return stats[x].ns < stats[y].ns ? 1 : -1;
	return x < y ? -1 : 1;
}

/* "% time     seconds  usecs/call     calls    errors syscall" ... "total" */
static void summary_finish(void *sink, struct dtl_session *s, int status)
{
	struct summary_sink *sum = sink;
	const struct call_stats *stats = sum->stats;
	FILE *out = sum->out;
	long order[DTL_MAX_NR];
	int n = 0;
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	(void)s;
	(void)status;
	for (long nr = 0; nr < DTL_MAX_NR; nr++)
		if (stats[nr].calls) {
			order[n++] = nr;
			total_ns += stats[nr].ns;
			total_calls += stats[nr].calls;
			total_errors += stats[nr].errors;
		}
	qsort_r(order, (size_t)n, sizeof(order[0]), by_time, sum->stats);
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n"
	             "------ ----------- ----------- --------- --------- ----------------\n");
	for (int i = 0; i < n; i++) {
		long nr = order[i];
		fprintf(out, "%6.2f %11.6f %11lu %9lu ",
		        total_ns ? 100.0 * (double)stats[nr].ns / (double)total_ns : 0,
		        (double)stats[nr].ns / 1e9,
		        (unsigned long)(stats[nr].ns / 1000 / stats[nr].calls),
		        (unsigned long)stats[nr].calls);
		if (stats[nr].errors)
			fprintf(out, "%9lu ", (unsigned long)stats[nr].errors);
		else
			fprintf(out, "%9s ", "");
		fprintf(out, "%s\n", dtl_syscall_by_nr(nr)->name);
	}
	fprintf(out, "------ ----------- ----------- --------- --------- ----------------\n");
	fprintf(out, "100.00 %11.6f %11lu %9lu %9lu total\n", (double)total_ns / 1e9,
	        (unsigned long)(total_calls ? total_ns / 1000 / total_calls : 0),
	        (unsigned long)total_calls, (unsigned long)total_errors);
	fflush(out);
}

const struct dtl_sink_ops dtl_summary_sink_ops = {
    .call = summary_call,
    .finish = summary_finish,
    .destroy = free,
};
