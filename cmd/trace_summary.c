// SPDX-License-Identifier: MIT
/* The -c table (see trace_summary.h). */
#include "trace_summary.h"

#include "trace_filter.h"

#include <dtl/catalogue.h>

#include <stdint.h>
#include <stdlib.h>

static struct {
	uint64_t calls, errors, ns;
} stats[DTL_MAX_NR];

void trace_summary_count(const struct dtl_event *ev)
{
	/* like strace -c: completed calls only (exit_group never completes) */
	if (ev->type != DTL_EV_SYSCALL || ev->nr < 0 || ev->nr >= DTL_MAX_NR)
		return;
	stats[ev->nr].calls++;
	if (ev->ret < 0 && ev->ret >= -4095)
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

void trace_summary_print(FILE *out)
{
	long order[DTL_MAX_NR];
	int n = 0;
	uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
	for (long nr = 0; nr < DTL_MAX_NR; nr++)
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
}
