// SPDX-License-Identifier: MIT
/*
 * The terminal heatmap (--pf-heatmap, see dtl/pf_heatmap.h), for a session
 * without a picture viewer: the reads panel above the writes panel (with a
 * scan: accessed above dirty), one row per layout row, each band's label to
 * the left of its first rows. A cell is a character of the ramp " .:-=+*#%@"
 * or, in colour, an ANSI 256-colour background, both on a log scale that
 * the "scale:" line spells out. With a scan, first touches show as 'o'
 * (or a green '+' in colour) over the density.
 */
#define _GNU_SOURCE
#include <dtl/pf_heatmap.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MAX 48 /* the widest label column */
#define TICK_GAP  10 /* the least characters between two time ticks */

static const char ramp[] = ".:-=+*#%@"; /* 1 .. the most; ' ' is none */
#define RAMP_STEPS (sizeof(ramp) - 1)

/* the 256-colour palette's nearest to plasma, dark blue to orange */
static const unsigned char palette[] = {19, 55, 91, 127, 163, 168, 203, 209, 215, 221};
#define PALETTE_STEPS sizeof(palette)

#define MARK_CHAR   'o'
#define MARK_COLOUR 46 /* bright green */

struct text {
	FILE *out;
	const struct dtl_heatmap *h;
	bool colour;
	unsigned label_w;
	/* each plot row's label text, "" for none */
	char (*labels)[DTL_HEATMAP_LABEL_MAX];
};

/* each band's label lines on its first rows */
static int make_labels(struct text *t)
{
	const struct dtl_heatmap *h = t->h;
	t->labels = calloc(h->height, sizeof(*t->labels));
	if (!t->labels)
		return -1;
	t->label_w = 8;
	for (size_t i = 0; i < h->nbands; i++) {
		const struct dtl_heatmap_band *b = &h->bands[i];
		unsigned n =
		    dtl_heatmap_label_lines(b, LABEL_MAX, b->rows >= 2 ? 2 : 1, &t->labels[b->y0]);
		for (unsigned l = 0; l < n; l++)
			if (strlen(t->labels[b->y0 + l]) > t->label_w)
				t->label_w = (unsigned)strlen(t->labels[b->y0 + l]);
	}
	return 0;
}

static void cell(struct text *t, uint32_t count, uint32_t max, bool first, int *bg)
{
	unsigned steps = t->colour ? PALETTE_STEPS : RAMP_STEPS;
	int s = dtl_heatmap_step(count, max, steps);
	if (!t->colour) {
		fputc(first ? MARK_CHAR : s < 0 ? ' ' : ramp[s], t->out);
		return;
	}
	int want = s < 0 ? -1 : palette[s];
	if (want != *bg) {
		if (want < 0)
			fputs("\033[0m", t->out);
		else
			fprintf(t->out, "\033[48;5;%dm", want);
		*bg = want;
	}
	if (first)
		fprintf(t->out, "\033[38;5;%dm+\033[39m", MARK_COLOUR);
	else
		fputc(' ', t->out);
}

static void border(struct text *t, const struct dtl_heatmap_tick *ticks, size_t nticks)
{
	size_t k = 0;
	fprintf(t->out, "%*s +", (int)t->label_w, "");
	for (unsigned x = 0; x < t->h->width; x++) {
		bool tick = k < nticks && ticks[k].x == x;
		while (k < nticks && ticks[k].x <= x)
			k++;
		fputc(tick ? '^' : '-', t->out);
	}
	fputs("+\n", t->out);
}

/* the seconds under the ticks, each where it fits */
static void time_axis(struct text *t, const struct dtl_heatmap_tick *ticks, size_t nticks)
{
	char line[DTL_HEATMAP_MAX_SIZE + 32];
	size_t len = 0;
	unsigned w = t->h->width + 2;
	memset(line, ' ', w + 8);
	for (size_t i = 0; i < nticks; i++) {
		char lab[40];
		size_t n = (size_t)snprintf(lab, sizeof(lab), "%ss", ticks[i].label);
		size_t at = ticks[i].x + 1;
		if (at < len + (len ? 1 : 0) || at + n > w + 8)
			continue;
		memcpy(line + at, lab, n);
		len = at + n;
	}
	fprintf(t->out, "%*s %.*s\n", (int)t->label_w, "", (int)len, line);
}

static void panel(struct text *t, int side, const char *title)
{
	const struct dtl_heatmap *h = t->h;
	const uint32_t *grid =
	    h->scan ? (side ? h->dirty : h->accessed) : (side ? h->writes : h->reads);
	uint32_t max = h->scan ? h->max_scan : h->max_touch;
	uint8_t kind = side ? DTL_PF_WRITE : DTL_PF_READ;
	struct dtl_heatmap_tick ticks[256];
	size_t nticks = dtl_heatmap_ticks(h, TICK_GAP, ticks, 256);
	unsigned top = h->nbands ? h->bands[0].y0 : 0;
	unsigned end = h->nbands ? h->bands[h->nbands - 1].y0 + h->bands[h->nbands - 1].rows : 0;
	fprintf(t->out, "%s\n", title);
	border(t, NULL, 0);
	for (unsigned y = 0; y < h->height; y++) {
		int bg = -1;
		if (h->band_of_row[y] < 0 && y > top && y < end) {
			/* between two bands */
			fprintf(t->out, "%*s +", (int)t->label_w, "");
			for (unsigned x = 0; x < h->width; x++)
				fputc('-', t->out);
			fputs("+\n", t->out);
			continue;
		}
		fprintf(t->out, "%*s |", (int)t->label_w, t->labels[y]);
		for (unsigned x = 0; x < h->width; x++) {
			size_t i = (size_t)y * h->width + x;
			if (h->band_of_row[y] < 0)
				fputc(' ', t->out);
			else
				cell(t, grid[i], max, h->scan && (h->first[i] & kind), &bg);
		}
		if (bg >= 0)
			fputs("\033[0m", t->out);
		fputs("|\n", t->out);
	}
	border(t, ticks, nticks);
	time_axis(t, ticks, nticks);
}

/* "scale (first touches per cell, log): ' ' none, '.' 1, ':' 2-3, ..." */
static void scale(struct text *t)
{
	const struct dtl_heatmap *h = t->h;
	uint32_t max = h->scan ? h->max_scan : h->max_touch;
	unsigned steps = t->colour ? PALETTE_STEPS : RAMP_STEPS;
	fprintf(t->out, "scale (%s per cell, log): ", h->scan ? "pages seen" : "first touches");
	if (t->colour)
		fputs("none", t->out);
	else
		fputs("' ' none", t->out);
	for (unsigned s = 0; s < steps; s++) {
		uint32_t lo = dtl_heatmap_step_min(s, max ? max : 1, steps), hi = max ? max : 1;
		if (!lo)
			continue;
		for (unsigned n = s + 1; n < steps; n++) {
			uint32_t next = dtl_heatmap_step_min(n, max ? max : 1, steps);
			if (next) {
				hi = next - 1;
				break;
			}
		}
		if (t->colour)
			fprintf(t->out, ", \033[48;5;%dm  \033[0m ", palette[s]);
		else
			fprintf(t->out, ", '%c' ", ramp[s]);
		if (lo == hi)
			fprintf(t->out, "%" PRIu32, lo);
		else
			fprintf(t->out, "%" PRIu32 "-%" PRIu32, lo, hi);
	}
	if (h->scan && t->colour)
		fprintf(t->out, "; \033[38;5;%dm+\033[39m first touch", MARK_COLOUR);
	else if (h->scan)
		fprintf(t->out, "; '%c' first touch", MARK_CHAR);
	fputc('\n', t->out);
}

static void notes(struct text *t)
{
	const struct dtl_heatmap *h = t->h;
	fprintf(t->out, "%" PRIu64 " first touches in %zu bands", h->nshown, h->nbands);
	if (h->nout_of_range)
		fprintf(t->out, "; %" PRIu64 " outside --pf-range", h->nout_of_range);
	if (h->nunmapped)
		fprintf(t->out, "; %" PRIu64 " in no known mapping", h->nunmapped);
	if (h->nhidden_bands)
		fprintf(t->out,
		        "; %zu mappings (%" PRIu64 " first touches) left out: too many for %u rows",
		        h->nhidden_bands, h->nhidden, h->height);
	fputc('\n', t->out);
}

int dtl_heatmap_text(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o, FILE *out,
                     bool colour)
{
	struct dtl_heatmap h;
	struct text t = {.out = out, .h = &h, .colour = colour};
	uint64_t n[4] = {0};
	char title[2][96];
	if (dtl_heatmap_layout(m, o, &h) < 0)
		return -1;
	if (make_labels(&t) < 0) {
		dtl_heatmap_free(&h);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < h.nbands; i++) {
		n[0] += h.bands[i].reads;
		n[1] += h.bands[i].writes;
		n[2] += h.bands[i].accessed;
		n[3] += h.bands[i].dirty;
	}
	fprintf(out, "page faults: %s\n", m->command[0] ? m->command : "(no command)");
	if (h.scan) {
		fprintf(out,
		        "pages the access scan saw per cell (each %.3g ms interval); time ->, "
		        "address down, one band per mapping\n",
		        (double)m->interval_ns / 1e6);
		snprintf(title[0], sizeof(title[0]), "accessed: %" PRIu64 " page-intervals", n[2]);
		snprintf(title[1], sizeof(title[1]), "dirty: %" PRIu64 " page-intervals", n[3]);
	} else {
		fprintf(out, "first touches of pages per cell; time ->, address down, one band per "
		             "mapping\n");
		snprintf(title[0], sizeof(title[0]), "reads and exec: %" PRIu64 " first touches",
		         n[0]);
		snprintf(title[1], sizeof(title[1]), "writes: %" PRIu64 " first touches", n[1]);
	}
	panel(&t, 0, title[0]);
	panel(&t, 1, title[1]);
	scale(&t);
	notes(&t);
	free(t.labels);
	dtl_heatmap_free(&h);
	if (ferror(out)) {
		errno = EIO;
		return -1;
	}
	return 0;
}
