// SPDX-License-Identifier: MIT
/* The fault profiler's text outputs: the summary table and the CSV. */
#include "pf_private.h"

#include "json_writer.h"

#include <dtl/symbolize.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* @s's instruction as "function" and "function+0x12 (file.c:7)", named
 * once per (process, address). */
static const struct pf_where *where_of(struct dtl_pf_fe *fe, const struct dtl_pf_sample *s)
{
	static const struct pf_where kernel = {.function = "[in a system call]",
	                                       .where = "[in a system call]"};
	if (s->kernel || !s->rip)
		return &kernel;
	if (!fe->where) {
		fe->where_cap = 4096;
		fe->where = calloc(fe->where_cap, sizeof(*fe->where));
		if (!fe->where)
			return &kernel;
	}
	size_t i =
	    (size_t)((s->rip * 0x9e3779b97f4a7c15ULL ^ (uint64_t)s->pid) >> 40) % fe->where_cap;
	struct pf_where *w = &fe->where[i];
	if (w->rip == s->rip && w->pid == s->pid && w->where[0])
		return w;
	w->rip = s->rip;
	w->pid = s->pid;
	w->function[0] = w->where[0] = 0;
	if (fe->sym)
		dtl_symbolize(fe->sym, s->pid, s->rip, w->where, sizeof(w->where), w->function,
		              sizeof(w->function));
	if (!w->where[0])
		snprintf(w->where, sizeof(w->where), "%#" PRIx64, s->rip);
	if (!w->function[0])
		snprintf(w->function, sizeof(w->function), "?");
	return w;
}

static const char *name_of(const struct dtl_pf_fe *fe, uint32_t mapping)
{
	return mapping == DTL_PF_NO_MAPPING ? "[unknown]" : fe->m.mappings[mapping].name;
}

static const char *mapping_name(const struct dtl_pf_fe *fe, const struct dtl_pf_sample *s)
{
	return name_of(fe, s->mapping);
}

/* ---- folded stacks ---- */

static int by_count(const void *a, const void *b)
{
	const struct pf_stack *x = *(const struct pf_stack *const *)a;
	const struct pf_stack *y = *(const struct pf_stack *const *)b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->folded, y->folded);
}

/* The stacks, most first touches first (NULL when none or no memory). */
static const struct pf_stack **sorted_stacks(const struct dtl_pf_fe *fe)
{
	const struct pf_stack **v = fe->nstacks ? calloc(fe->nstacks, sizeof(*v)) : NULL;
	if (!v)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < fe->stacks_cap; i++)
		if (fe->stacks[i].folded)
			v[n++] = &fe->stacks[i];
	qsort(v, n, sizeof(*v), by_count);
	return v;
}

/* ---- the summary ---- */

struct row {
	int pid;
	char name[DTL_PF_NAME_MAX];
	uint64_t touches, reads, writes, execs, kernel;
	uint64_t first_ns, last_ns;
};

static int by_touches(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->touches != y->touches)
		return x->touches < y->touches ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* the row of (@pid, @name) in @rows (@n of them), added if new */
static struct row *row_of(struct row **rows, size_t *n, size_t *cap, int pid, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if ((*rows)[i].pid == pid && !strcmp((*rows)[i].name, name))
			return &(*rows)[i];
	if (*n == *cap) {
		size_t more = *cap ? 2 * *cap : 64;
		struct row *p = realloc(*rows, more * sizeof(*p));
		if (!p)
			return NULL;
		*rows = p;
		*cap = more;
	}
	struct row *r = &(*rows)[(*n)++];
	*r = (struct row){.pid = pid, .first_ns = UINT64_MAX};
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

static void count(struct row *r, const struct dtl_pf_sample *s)
{
	r->touches++;
	r->reads += s->access == DTL_PF_READ;
	r->writes += s->access == DTL_PF_WRITE;
	r->execs += s->access == DTL_PF_EXEC;
	r->kernel += s->kernel;
	if (s->t_ns < r->first_ns)
		r->first_ns = s->t_ns;
	if (s->t_ns > r->last_ns)
		r->last_ns = s->t_ns;
}

static void print_rows(FILE *out, struct row *rows, size_t n, size_t max, bool several,
                       const char *what)
{
	qsort(rows, n, sizeof(*rows), by_touches);
	fprintf(out, "%9s %8s %8s %7s %9s %9s  %s\n", "touches", "reads", "writes", "exec",
	        "first(s)", "last(s)", what);
	for (size_t i = 0; i < n && i < max; i++) {
		const struct row *r = &rows[i];
		fprintf(out, "%9" PRIu64 " %8" PRIu64 " %8" PRIu64 " %7" PRIu64 " %9.3f %9.3f  %s",
		        r->touches, r->reads, r->writes, r->execs, r->first_ns / 1e9,
		        r->last_ns / 1e9, r->name);
		if (several)
			fprintf(out, " [pid %d]", r->pid);
		fputc('\n', out);
	}
	if (n > max)
		fprintf(out, "%9s (%zu more)\n", "", n - max);
}

static void print_rate(FILE *out, const struct dtl_pf_model *m)
{
	enum { BINS = 10, BAR = 40 };
	uint64_t bins[BINS] = {0}, top = 0;
	uint64_t span = m->end_ns ? m->end_ns : 1;
	for (size_t i = 0; i < m->nsamples; i++) {
		size_t b = (size_t)(m->samples[i].t_ns * BINS / (span + 1));
		bins[b < BINS ? b : BINS - 1]++;
	}
	for (int b = 0; b < BINS; b++)
		top = bins[b] > top ? bins[b] : top;
	double width = span / 1e9 / BINS;
	fprintf(out, "first touches per second, in %d intervals of %.3f s:\n", BINS, width);
	for (int b = 0; b < BINS; b++) {
		int bar = top ? (int)((bins[b] * BAR + top - 1) / top) : 0;
		fprintf(out, "  %8.3f s %12.0f/s  %.*s\n", b * width,
		        width > 0 ? bins[b] / width : 0, bar,
		        "########################################");
	}
}

static double mib(uint64_t pages)
{
	return pages * 4096.0 / (1 << 20);
}

/* pages a scan saw, per mapping: accessed (summed over the intervals) and
 * written */
static void print_scan_mappings(struct dtl_pf_fe *fe, FILE *out, bool several)
{
	const struct dtl_pf_model *m = &fe->m;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < m->nscans; i++) {
		const struct dtl_pf_scan *s = &m->scans[i];
		struct row *r = row_of(&rows, &n, &cap, s->pid, name_of(fe, s->mapping));
		if (!r)
			continue;
		r->touches++;
		r->writes += s->dirty;
		r->reads += !s->dirty;
		if (s->t0_ns < r->first_ns)
			r->first_ns = s->t0_ns;
		if (s->t_ns > r->last_ns)
			r->last_ns = s->t_ns;
	}
	qsort(rows, n, sizeof(*rows), by_touches);
	fprintf(out, "%9s %8s %8s %9s %9s  %s\n", "accessed", "read", "dirty", "first(s)",
	        "last(s)", "mapping (pages per interval, summed)");
	for (size_t i = 0; i < n && i < 20; i++) {
		const struct row *r = &rows[i];
		fprintf(out, "%9" PRIu64 " %8" PRIu64 " %8" PRIu64 " %9.3f %9.3f  %s", r->touches,
		        r->reads, r->writes, r->first_ns / 1e9, r->last_ns / 1e9, r->name);
		if (several)
			fprintf(out, " [pid %d]", r->pid);
		fputc('\n', out);
	}
	if (n > 20)
		fprintf(out, "%9s (%zu more)\n", "", n - 20);
	free(rows);
}

/* --access-scan: the working set over time, its peak and its end, and
 * what the scans cost */
static void print_scans(struct dtl_pf_fe *fe, FILE *out, bool several)
{
	const struct dtl_pf_model *m = &fe->m;
	const struct dtl_pf_interval *peak = NULL, *peak_dirty = NULL, *last = NULL;
	uint64_t walked = 0, took = 0, dropped = 0;
	for (size_t i = 0; i < m->nintervals; i++) {
		const struct dtl_pf_interval *v = &m->intervals[i];
		if (!peak || v->accessed > peak->accessed)
			peak = v;
		if (!peak_dirty || v->dirty > peak_dirty->dirty)
			peak_dirty = v;
		if (v->pid == m->intervals[0].pid)
			last = v;
		walked += v->walked;
		took += v->took_ns;
		dropped += v->dropped;
	}
	fprintf(out, "access scan (--access-scan %.3g ms): %zu scans", m->interval_ns / 1e6,
	        m->nintervals);
	if (!m->nintervals) {
		fprintf(out, " (the program ended before the first)\n");
		return;
	}
	fprintf(out, ", %.1f us each on average for %.0f pages looked at (%.2f us per 1000)\n",
	        took / 1e3 / m->nintervals, (double)walked / m->nintervals,
	        walked ? took / 1e3 / (walked / 1000.0) : 0.0);
	fprintf(out,
	        "working set (pages accessed in an interval): peak %" PRIu64
	        " (%.1f MiB) in %.3f-%.3f s, final %" PRIu64 " (%.1f MiB)\n",
	        peak->accessed, mib(peak->accessed), peak->t0_ns / 1e9, peak->t_ns / 1e9,
	        last->accessed, mib(last->accessed));
	fprintf(out,
	        "dirty (pages written in an interval): peak %" PRIu64 " (%.1f MiB) in %.3f-%.3f s, "
	        "final %" PRIu64 "\n",
	        peak_dirty->dirty, mib(peak_dirty->dirty), peak_dirty->t0_ns / 1e9,
	        peak_dirty->t_ns / 1e9, last->dirty);
	if (dropped)
		fprintf(out, "(%" PRIu64 " accessed pages not kept: a scan keeps 65536 runs)\n",
		        dropped);
	print_scan_mappings(fe, out, several);
	/* the intervals themselves, at most 10 of them evenly picked */
	fprintf(out, "%9s %8s %8s  %s\n", "accessed", "dirty", "walked", "interval (s)");
	size_t step = m->nintervals > 10 ? (m->nintervals + 9) / 10 : 1;
	for (size_t i = 0; i < m->nintervals; i += step) {
		const struct dtl_pf_interval *v = &m->intervals[i];
		fprintf(out, "%9" PRIu64 " %8" PRIu64 " %8" PRIu64 "  %.3f-%.3f", v->accessed,
		        v->dirty, v->walked, v->t0_ns / 1e9, v->t_ns / 1e9);
		if (several)
			fprintf(out, " [pid %d]", v->pid);
		fputc('\n', out);
	}
}

void dtl_pf_report_summary(struct dtl_pf_fe *fe, FILE *out)
{
	const struct dtl_pf_model *m = &fe->m;
	struct row *maps = NULL, *funcs = NULL;
	size_t nmaps = 0, maps_cap = 0, nfuncs = 0, funcs_cap = 0;
	uint64_t kernel = 0;
	int pid0 = m->nsamples ? m->samples[0].pid : 0;
	bool several = false;

	for (size_t i = 0; i < m->nsamples; i++) {
		const struct dtl_pf_sample *s = &m->samples[i];
		several |= s->pid != pid0;
		kernel += s->kernel;
		struct row *r = row_of(&maps, &nmaps, &maps_cap, s->pid, mapping_name(fe, s));
		if (r)
			count(r, s);
		r = row_of(&funcs, &nfuncs, &funcs_cap, s->pid, where_of(fe, s)->function);
		if (r)
			count(r, s);
	}
	fprintf(out,
	        "page faults (--pf): %zu first touches, %zu pages (%.1f MiB) touched in %.3f s",
	        m->nsamples, m->nsamples, m->nsamples * 4096.0 / (1 << 20), m->end_ns / 1e9);
	if (kernel)
		fprintf(out, "; %" PRIu64 " reached first in system calls", kernel);
	fputc('\n', out);
	if (fe->dropped)
		fprintf(out, "(%" PRIu64 " more not kept: the front-end ran out of memory)\n",
		        fe->dropped);
	if (m->nsamples) {
		fprintf(out, "by mapping:\n");
		print_rows(out, maps, nmaps, 40, several, "mapping");
		fprintf(out, "by function:\n");
		print_rows(out, funcs, nfuncs, 20, several, "function");
		print_rate(out, m);
	}
	if (m->interval_ns)
		print_scans(fe, out, several);
	const struct pf_stack **v = sorted_stacks(fe);
	if (v) {
		fprintf(out, "by call stack (--pf-bt), outermost first:\n");
		for (size_t i = 0; i < fe->nstacks && i < 10; i++)
			fprintf(out, "%9" PRIu64 "  %s\n", v[i]->count, v[i]->folded);
		free(v);
	}
	free(maps);
	free(funcs);
}

/* ---- JSON ---- */

static const char *const access_names[] = {
    [DTL_PF_READ] = "read", [DTL_PF_WRITE] = "write", [DTL_PF_EXEC] = "exec"};

void dtl_pf_report_json(struct dtl_pf_fe *fe, const struct dtl_pf_sample *s, uint64_t time_ns,
                        FILE *out)
{
	const struct pf_where *w = where_of(fe, s);
	const char *mapping = mapping_name(fe, s);
	fprintf(out,
	        "{\"ts\":%lu.%06lu,\"pid\":%d,\"tid\":%d,\"type\":\"page_fault\","
	        "\"addr\":\"%#" PRIx64 "\",\"access\":\"%s\",\"rip\":\"%#" PRIx64 "\",\"mapping\":",
	        (unsigned long)(time_ns / 1000000000), (unsigned long)(time_ns / 1000 % 1000000),
	        s->pid, s->tid, s->addr, access_names[s->access], s->rip);
	dtl_json_string(out, mapping, strlen(mapping));
	fputs(",\"function\":", out);
	dtl_json_string(out, w->function, strlen(w->function));
	fputs(",\"where\":", out);
	dtl_json_string(out, w->where, strlen(w->where));
	fputs("}\n", out);
}

void dtl_pf_report_json_scan(struct dtl_pf_fe *fe, const struct dtl_rec_access_scan *r,
                             const struct dtl_scan_run *run, uint32_t mapping, FILE *out)
{
	uint64_t t = r->hdr.time_ns, t0 = r->start_ns;
	const char *name = name_of(fe, mapping);
	fprintf(out,
	        "{\"ts\":%lu.%06lu,\"pid\":%d,\"type\":\"access_scan\",\"start\":%lu.%06lu,"
	        "\"addr\":\"%#" PRIx64 "\",\"pages\":%u,\"dirty\":%s,\"mapping\":",
	        (unsigned long)(t / 1000000000), (unsigned long)(t / 1000 % 1000000), r->hdr.pid,
	        (unsigned long)(t0 / 1000000000), (unsigned long)(t0 / 1000 % 1000000), run->addr,
	        run->pages & ~DTL_SCAN_DIRTY, run->pages & DTL_SCAN_DIRTY ? "true" : "false");
	dtl_json_string(out, name, strlen(name));
	fputs("}\n", out);
}

/* ---- CSV ---- */

/* a field of text, quoted where it needs to be (RFC 4180) */
static void csv_text(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int dtl_pf_report_csv(struct dtl_pf_fe *fe, FILE *out)
{
	const struct dtl_pf_model *m = &fe->m;
	fprintf(out, "time_s,pid,tid,address,page,access,by,mapping,mapping_start,function,where,"
	             "interval_start_s\n");
	for (size_t i = 0; i < m->nsamples; i++) {
		const struct dtl_pf_sample *s = &m->samples[i];
		const struct pf_where *w = where_of(fe, s);
		fprintf(out, "%.9f,%d,%d,%#" PRIx64 ",%#" PRIx64 ",%s,%s,", s->t_ns / 1e9, s->pid,
		        s->tid, s->addr, s->addr & ~(uint64_t)4095, access_names[s->access],
		        s->kernel ? "kernel" : "program");
		csv_text(out, mapping_name(fe, s));
		fprintf(out, ",%#" PRIx64 ",",
		        s->mapping == DTL_PF_NO_MAPPING ? 0 : m->mappings[s->mapping].lo);
		csv_text(out, w->function);
		fputc(',', out);
		csv_text(out, w->where);
		fputs(",\n", out);
	}
	/* the access scan: a row per page and interval, at the interval's end */
	for (size_t i = 0; i < m->nscans; i++) {
		const struct dtl_pf_scan *s = &m->scans[i];
		fprintf(out, "%.9f,%d,,%#" PRIx64 ",%#" PRIx64 ",%s,scan,", s->t_ns / 1e9, s->pid,
		        s->addr, s->addr, s->dirty ? "dirty" : "accessed");
		csv_text(out, name_of(fe, s->mapping));
		fprintf(out, ",%#" PRIx64 ",,,%.9f\n",
		        s->mapping == DTL_PF_NO_MAPPING ? 0 : m->mappings[s->mapping].lo,
		        s->t0_ns / 1e9);
	}
	return fflush(out) || ferror(out) ? -1 : 0;
}

int dtl_pf_report_folded(const struct dtl_pf_fe *fe, FILE *out)
{
	const struct pf_stack **v = sorted_stacks(fe);
	for (size_t i = 0; v && i < fe->nstacks; i++)
		fprintf(out, "%s %" PRIu64 "\n", v[i]->folded, v[i]->count);
	free(v);
	return fflush(out) || ferror(out) ? -1 : 0;
}

/* ---- options ---- */

int dtl_pf_parse_interval(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	double ms = strtod(s, &end);
	if (errno || end == s || *end || !(ms >= 1 && ms <= 3600000)) {
		snprintf(err, errlen,
		         "--access-scan %s: the interval is in milliseconds, from 1 to 3600000", s);
		return -1;
	}
	*ns = (uint64_t)(ms * 1e6);
	return 0;
}

int dtl_pf_parse_size(const char *s, unsigned *w, unsigned *h, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	unsigned long a = strtoul(s, &end, 10);
	if (!errno && (*end == 'x' || *end == 'X') && end > s) {
		const char *hs = end + 1;
		unsigned long b = strtoul(hs, &end, 10);
		if (!errno && !*end && end > hs && a >= 1 && b >= 1 && a <= 16384 && b <= 16384) {
			*w = (unsigned)a;
			*h = (unsigned)b;
			return 0;
		}
	}
	snprintf(err, errlen,
	         "--heatmap-size %s: not WIDTHxHEIGHT with both from 1 to 16384 (e.g. 800x600)", s);
	return -1;
}

int dtl_pf_parse_range(const char *s, uint64_t *lo, uint64_t *hi, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	unsigned long long a = strtoull(s, &end, 0);
	if (!errno && end > s && (*end == '-' || *end == '+')) {
		char sep = *end;
		const char *bs = end + 1;
		unsigned long long b = strtoull(bs, &end, 0);
		if (sep == '+')
			b = a + b < a ? 0 : a + b;
		if (!errno && !*end && end > bs && b > a) {
			*lo = a;
			*hi = b;
			return 0;
		}
	}
	snprintf(
	    err, errlen,
	    "--pf-range %s: not LO-HI or LO+LEN with LO < HI (e.g. 0x7f0000000000-0x7f0001000000)",
	    s);
	return -1;
}
