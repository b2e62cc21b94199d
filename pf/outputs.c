// SPDX-License-Identifier: MIT
/* The fault profiler's options and outputs (dtl/pf_frontend.h). */
#define _GNU_SOURCE
#include "pf_private.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Default plot area of each heatmap panel. */
#define PNG_W  640
#define PNG_H  480
#define TEXT_W 72
#define TEXT_H 24

/* Can @path be created or replaced (the PNG is written next to it and
 * renamed at the end)? */
static int check_writable(const char *what, const char *path)
{
	struct stat st;
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	const char *d = dirname(dir);
	if (!path[0] || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
		fprintf(stderr, "dtrace-lite: %s %s: a file name is needed, not a directory\n",
		        what, path);
		return -1;
	}
	if (access(d, W_OK | X_OK)) {
		fprintf(stderr, "dtrace-lite: %s %s: cannot write in %s: %s\n", what, path, d,
		        strerror(errno));
		return -1;
	}
	return 0;
}

int dtl_pf_opts_check(struct dtl_pf_opts *o)
{
	if (!o->on)
		return 0;
	if (o->png && check_writable("--heatmap", o->png))
		return -1;
	if (o->folded) {
		o->folded_out = fopen(o->folded, "we");
		if (!o->folded_out) {
			fprintf(stderr, "dtrace-lite: --pf-folded %s: %s\n", o->folded,
			        strerror(errno));
			return -1;
		}
	}
	if (o->csv) {
		o->csv_out = fopen(o->csv, "we");
		if (!o->csv_out) {
			fprintf(stderr, "dtrace-lite: --pf-csv %s: %s\n", o->csv, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static struct dtl_heatmap_opts heatmap_opts(const struct dtl_pf_opts *o, unsigned w, unsigned h)
{
	return (struct dtl_heatmap_opts){.width = o->width ? o->width : w,
	                                 .height = o->height ? o->height : h,
	                                 .range_lo = o->range_lo,
	                                 .range_hi = o->range_hi};
}

int dtl_pf_outputs(struct dtl_pf_fe *fe, struct dtl_pf_opts *o, FILE *out)
{
	int r = 0;
	if (!o->on)
		return 0;
	if (!o->json)
		dtl_pf_report_summary(fe, out);
	if (o->text) {
		struct dtl_heatmap_opts h = heatmap_opts(o, TEXT_W, TEXT_H);
		if (dtl_heatmap_text(&fe->m, &h, out, isatty(fileno(out))) < 0) {
			fprintf(stderr, "dtrace-lite: --heatmap-text: %s\n", strerror(errno));
			r = -1;
		}
	}
	if (o->png) {
		struct dtl_heatmap_opts h = heatmap_opts(o, PNG_W, PNG_H);
		char err[512];
		if (dtl_heatmap_png(&fe->m, &h, o->png, err, sizeof(err)) < 0) {
			fprintf(stderr, "dtrace-lite: --heatmap: %s\n", err);
			r = -1;
		}
	}
	if (o->csv_out) {
		int e = dtl_pf_report_csv(fe, o->csv_out);
		if (fclose(o->csv_out) || e) {
			fprintf(stderr, "dtrace-lite: --pf-csv %s: %s\n", o->csv, strerror(errno));
			r = -1;
		}
		o->csv_out = NULL;
	}
	if (o->folded_out) {
		int e = dtl_pf_report_folded(fe, o->folded_out);
		if (fclose(o->folded_out) || e) {
			fprintf(stderr, "dtrace-lite: --pf-folded %s: %s\n", o->folded,
			        strerror(errno));
			r = -1;
		}
		o->folded_out = NULL;
	}
	return r;
}
