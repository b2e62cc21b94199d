// SPDX-License-Identifier: MIT
/* The -c / -C sink: strace's per-call table of the session's counts (see dtl/sink.h). */
#define _GNU_SOURCE
#include <dtl/catalogue.h>
#include <dtl/output.h>
#include <dtl/filter.h>
#include <dtl/sink.h>

#include <stdint.h>
#include <stdlib.h>

struct summary_sink {
	FILE *out;
};

void *dtl_summary_sink_new(FILE *out)
{
	struct summary_sink *sum = calloc(1, sizeof(*sum));
	if (sum)
		sum->out = out;
	return sum;
}

struct row {
	long nr;
	struct dtl_call_counts c;
};

/* most time first, then by number */
static int by_time(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->c.ns != y->c.ns)
		return x->c.ns < y->c.ns ? 1 : -1;
	return x->nr < y->nr ? -1 : 1;
}

/* "% time     seconds  usecs/call     calls    errors syscall" ... "total" */
static void summary_finish(void *sink, struct dtl_session *s, int status)
{
	struct summary_sink *sum = sink;
	FILE *out = sum->out;
	struct row *rows = calloc(DTL_MAX_NR, sizeof(*rows));
	size_t n = 0;
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	(void)status;
	if (!rows)
		return;
	for (long nr = 0; nr < DTL_MAX_NR; nr++) {
		struct dtl_call_counts c = dtl_session_counts(s, nr);
		if (!c.calls)
			continue;
		rows[n++] = (struct row){.nr = nr, .c = c};
		total_ns += c.ns;
		total_calls += c.calls;
		total_errors += c.errors;
	}
	qsort(rows, n, sizeof(rows[0]), by_time);
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n"
	             "------ ----------- ----------- --------- --------- ----------------\n");
	for (size_t i = 0; i < n; i++) {
		const struct dtl_call_counts *c = &rows[i].c;
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(rows[i].nr);
		fprintf(out, "%6.2f %11.6f %11lu %9lu ",
		        total_ns ? 100.0 * (double)c->ns / (double)total_ns : 0,
		        (double)c->ns / 1e9, (unsigned long)(c->ns / 1000 / c->calls),
		        (unsigned long)c->calls);
		if (c->errors)
			fprintf(out, "%9lu ", (unsigned long)c->errors);
		else
			fprintf(out, "%9s ", "");
		if (d)
			fprintf(out, "%s\n", d->name);
		else
			fprintf(out, "syscall_%#lx\n", rows[i].nr);
	}
	fprintf(out, "------ ----------- ----------- --------- --------- ----------------\n");
	fprintf(out, "100.00 %11.6f %11lu %9lu %9lu total\n", (double)total_ns / 1e9,
	        (unsigned long)(total_calls ? total_ns / 1000 / total_calls : 0),
	        (unsigned long)total_calls, (unsigned long)total_errors);
	dtl_output_flush(out);
	free(rows);
}

const struct dtl_sink_ops dtl_summary_sink_ops = {
    .finish = summary_finish,
    .destroy = free,
};
