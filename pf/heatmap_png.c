// SPDX-License-Identifier: MIT
/*
 * The PNG heatmap (--pf-png, see dtl/pf_heatmap.h): the layout drawn as two
 * panels side by side with the same bands, reads (with exec) on the left
 * and writes on the right, or with an access scan the pages accessed and
 * dirty with the first touches marked on them. Colour is on a log scale
 * (plasma, dark blue for one to orange for the most); the legend to the
 * right says what each colour counts. Written with libpng to a temporary
 * file next to the target, renamed once complete.
 */
#define _GNU_SOURCE
#include <dtl/pf_heatmap.h>

#include "heatmap_canvas.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_BAND   12 /* a band's least rows: room for one line of label */
#define LABEL_PAD  10 /* between a label and its panel */
#define TICK_GAP   72 /* the least pixels between two time ticks */
#define LEGEND_BAR 14 /* the colour bar's width */

static const struct dtl_rgb white = {255, 255, 255}, ink = {32, 32, 40}, grey = {110, 110, 120},
                            rule = {165, 165, 175}, mark = {0, 200, 80};
static const struct dtl_rgb shade[2] = {{246, 246, 246}, {233, 233, 240}};

/* plasma, cut before its yellow end that white would swallow */
static const struct dtl_rgb ramp[] = {
    {13, 8, 135}, {106, 0, 168}, {177, 42, 144}, {225, 100, 98}, {252, 166, 54},
};

static struct dtl_rgb colour(double level)
{
	const size_t n = sizeof(ramp) / sizeof(ramp[0]);
	double pos;
	size_t i;
	if (level < 0)
		level = 0;
	if (level > 1)
		level = 1;
	pos = level * (double)(n - 1);
	i = (size_t)pos;
	if (i >= n - 1)
		return ramp[n - 1];
	pos -= (double)i;
	return (struct dtl_rgb){
	    (uint8_t)(ramp[i].r + (ramp[i + 1].r - ramp[i].r) * pos + 0.5),
	    (uint8_t)(ramp[i].g + (ramp[i + 1].g - ramp[i].g) * pos + 0.5),
	    (uint8_t)(ramp[i].b + (ramp[i + 1].b - ramp[i].b) * pos + 0.5),
	};
}

/* "7", "1k", "12.5k", "3M": a legend's tick */
static void short_count(char *buf, size_t len, uint64_t v)
{
	static const char unit[] = " kMG";
	double d = (double)v;
	int u = 0;
	while (d >= 1000 && u < 3) {
		d /= 1000;
		u++;
	}
	if (!u)
		snprintf(buf, len, "%" PRIu64, v);
	else if (d < 10 && d != (double)(uint64_t)d)
		snprintf(buf, len, "%.1f%c", d, unit[u]);
	else
		snprintf(buf, len, "%.0f%c", d, unit[u]);
}

/* @s cut to @px pixels at @scale, "..." at the end when cut */
static void text_fit(struct dtl_canvas *c, long x, long y, const char *s, long px, unsigned scale,
                     struct dtl_rgb col)
{
	char buf[512];
	size_t chars = px > 0 ? (size_t)(px + 1) / (DTL_FONT_ADVANCE * scale) : 0;
	size_t len = strnlen(s, sizeof(buf) - 1);
	memcpy(buf, s, len);
	buf[len] = 0;
	if (strlen(buf) > chars) {
		if (chars < 3)
			return;
		strcpy(buf + chars - 3, "...");
	}
	dtl_canvas_text(c, x, y, buf, scale, col);
}

struct picture {
	struct dtl_canvas c;
	const struct dtl_heatmap *h;
	long px[2], py; /* the panels' top left corners */
	bool ranged;    /* --pf-range */
};

static void draw_panel(struct picture *p, int side)
{
	const struct dtl_heatmap *h = p->h;
	const uint32_t *grid =
	    h->scan ? (side ? h->dirty : h->accessed) : (side ? h->writes : h->reads);
	uint32_t max = h->scan ? h->max_scan : h->max_touch;
	uint8_t kind = side ? DTL_PF_WRITE : DTL_PF_READ;
	for (unsigned y = 0; y < h->height; y++) {
		int b = h->band_of_row[y];
		if (b < 0) {
			/* between two bands: the separator */
			if (y && y + 1 < h->height && h->band_of_row[y - 1] >= 0)
				dtl_canvas_fill(&p->c, p->px[side], p->py + y, h->width, 1, rule);
			continue;
		}
		for (unsigned x = 0; x < h->width; x++) {
			size_t i = (size_t)y * h->width + x;
			struct dtl_rgb col = shade[b & 1];
			if (grid[i])
				col = colour(dtl_heatmap_level(grid[i], max));
			if (h->scan && (h->first[i] & kind))
				col = mark;
			dtl_canvas_put(&p->c, p->px[side] + x, p->py + y, col);
		}
	}
	dtl_canvas_frame(&p->c, p->px[side] - 1, p->py - 1, h->width + 2, h->height + 2, grey);
}

/* each band's name and range in the left margin, with a bracket of its rows;
 * returns how many labels found no room */
static size_t draw_labels(struct picture *p)
{
	const struct dtl_heatmap *h = p->h;
	unsigned chars = (DTL_HEATMAP_PNG_LEFT - LABEL_PAD - 8) / DTL_FONT_ADVANCE;
	long free_from = p->py - 2, right = p->px[0] - LABEL_PAD;
	size_t skipped = 0;
	for (size_t i = 0; i < h->nbands; i++) {
		const struct dtl_heatmap_band *b = &h->bands[i];
		char lines[2][DTL_HEATMAP_LABEL_MAX];
		unsigned n =
		    dtl_heatmap_label_lines(b, chars, b->rows >= 2 * DTL_FONT_LINE ? 2 : 1, lines);
		long bottom = p->py + (long)b->y0 + b->rows;
		long top =
		    p->py + b->y0 + ((long)b->rows - ((long)(n - 1) * DTL_FONT_LINE + 7)) / 2;
		dtl_canvas_fill(&p->c, right + 4, p->py + b->y0, 2, b->rows, grey);
		if (top < free_from)
			top = free_from;
		if (top > bottom - 4) {
			skipped++; /* no room near its band: the bracket alone */
			continue;
		}
		for (unsigned l = 0; l < n; l++)
			dtl_canvas_text(&p->c, right - dtl_canvas_text_width(lines[l], 1),
			                top + (long)l * DTL_FONT_LINE, lines[l], 1, l ? grey : ink);
		free_from = top + (long)n * DTL_FONT_LINE;
	}
	return skipped;
}

static void draw_time_axis(struct picture *p, int side)
{
	const struct dtl_heatmap *h = p->h;
	struct dtl_heatmap_tick t[64];
	size_t n = dtl_heatmap_ticks(h, TICK_GAP, t, 64);
	long y = p->py + h->height + 1, x0 = p->px[side], last = x0 - 1000;
	const char *title = "time since start (s)";
	for (size_t i = 0; i < n; i++) {
		long x = x0 + t[i].x, w = dtl_canvas_text_width(t[i].label, 1), lx = x - w / 2;
		dtl_canvas_fill(&p->c, x, y, 1, 5, grey);
		if (lx < x0 - 4)
			lx = x0 - 4;
		if (lx + w > x0 + (long)h->width)
			lx = x0 + h->width - w;
		if (lx < last + 8)
			continue;
		dtl_canvas_text(&p->c, lx, y + 7, t[i].label, 1, ink);
		last = lx + w;
	}
	dtl_canvas_text(&p->c, x0 + ((long)h->width - dtl_canvas_text_width(title, 1)) / 2, y + 21,
	                title, 1, grey);
}

static void draw_legend(struct picture *p)
{
	const struct dtl_heatmap *h = p->h;
	uint32_t max = h->scan ? h->max_scan : h->max_touch;
	long x = p->px[1] + h->width + 16, y0 = p->py, bar = h->height < 256 ? h->height : 256;
	long lx = x + LEGEND_BAR + 6, last = -1000;
	char buf[32];
	if (bar < 2)
		bar = 2;
	dtl_canvas_text(&p->c, x, y0 - DTL_FONT_LINE - 4, h->scan ? "pages/cell" : "touches/cell",
	                1, ink);
	/* the most at the top, 1 at the bottom */
	for (long j = 0; j < bar; j++)
		dtl_canvas_fill(&p->c, x, y0 + j, LEGEND_BAR, 1,
		                colour(max > 1 ? 1.0 - (double)j / (double)(bar - 1) : 0.0));
	dtl_canvas_frame(&p->c, x - 1, y0 - 1, LEGEND_BAR + 2, bar + 2, grey);
	/* ticks: the most, then 1, 10, 100... from the bottom while they have room */
	if (max <= 1) {
		dtl_canvas_text(&p->c, lx, y0 + bar / 2 - 3, "1", 1, ink);
	} else {
		short_count(buf, sizeof(buf), max);
		dtl_canvas_fill(&p->c, x + LEGEND_BAR, y0, 3, 1, ink);
		dtl_canvas_text(&p->c, lx, y0 - 3, buf, 1, ink);
		last = y0 - 3;
		for (uint64_t v = 1; v < max; v *= 10) {
			long y =
			    y0 + (long)((1.0 - dtl_heatmap_level((uint32_t)v, max)) * (bar - 1));
			if (y - 3 < last + DTL_FONT_LINE)
				continue;
			short_count(buf, sizeof(buf), v);
			dtl_canvas_fill(&p->c, x + LEGEND_BAR, y, 3, 1, ink);
			dtl_canvas_text(&p->c, lx, y - 3, buf, 1, ink);
		}
	}
	/* what the other colours mean */
	long y = y0 + bar + 12;
	dtl_canvas_fill(&p->c, x, y, LEGEND_BAR, 9, shade[0]);
	dtl_canvas_frame(&p->c, x - 1, y - 1, LEGEND_BAR + 2, 11, grey);
	dtl_canvas_text(&p->c, lx, y + 1, "none", 1, ink);
	if (h->scan) {
		y += 16;
		dtl_canvas_fill(&p->c, x, y, LEGEND_BAR, 9, mark);
		dtl_canvas_text(&p->c, lx, y + 1, "first", 1, ink);
		dtl_canvas_text(&p->c, lx, y + 1 + DTL_FONT_LINE, "touch", 1, ink);
	}
	y += 20 + (h->scan ? DTL_FONT_LINE : 0);
	dtl_canvas_text(&p->c, x, y, "log scale", 1, grey);
}

static void draw_titles(struct picture *p, const struct dtl_pf_model *m)
{
	const struct dtl_heatmap *h = p->h;
	char buf[600];
	long width = p->c.width - 16;
	uint64_t reads = 0, writes = 0, acc = 0, dirty = 0;
	for (size_t i = 0; i < h->nbands; i++) {
		reads += h->bands[i].reads;
		writes += h->bands[i].writes;
		acc += h->bands[i].accessed;
		dirty += h->bands[i].dirty;
	}
	snprintf(buf, sizeof(buf), "page faults: %s", m->command[0] ? m->command : "(no command)");
	text_fit(&p->c, 8, 6, buf, width, 2, ink);
	if (h->scan)
		snprintf(
		    buf, sizeof(buf),
		    "pages the access scan saw per cell (each %.3g ms interval); first touches in "
		    "green; time ->, address down, one band per mapping",
		    (double)m->interval_ns / 1e6);
	else
		snprintf(buf, sizeof(buf),
		         "first touches of pages per cell; time ->, address down, one band per "
		         "mapping (height ~ sqrt of its size)");
	text_fit(&p->c, 8, 30, buf, width, 1, grey);
	if (h->scan)
		snprintf(buf, sizeof(buf), "accessed: %" PRIu64 " page-intervals", acc);
	else
		snprintf(buf, sizeof(buf), "reads and exec: %" PRIu64 " first touches", reads);
	text_fit(&p->c, p->px[0], p->py - DTL_FONT_LINE - 4, buf, h->width, 1, ink);
	if (h->scan)
		snprintf(buf, sizeof(buf), "dirty: %" PRIu64 " page-intervals", dirty);
	else
		snprintf(buf, sizeof(buf), "writes: %" PRIu64 " first touches", writes);
	text_fit(&p->c, p->px[1], p->py - DTL_FONT_LINE - 4, buf, h->width, 1, ink);
	snprintf(buf, sizeof(buf), "mapping (address range)");
	text_fit(&p->c, 8, p->py - DTL_FONT_LINE - 4, buf, DTL_HEATMAP_PNG_LEFT - 20, 1, grey);
}

/* what the picture leaves out, at the bottom */
static void draw_notes(struct picture *p, size_t unlabelled)
{
	const struct dtl_heatmap *h = p->h;
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64 " first touches in %zu bands", h->nshown,
	                 h->nbands);
	if (h->nout_of_range)
		n += snprintf(buf + n, sizeof(buf) - n, "; %" PRIu64 " outside --pf-range",
		              h->nout_of_range);
	if (h->nunmapped)
		n += snprintf(buf + n, sizeof(buf) - n, "; %" PRIu64 " in no known mapping",
		              h->nunmapped);
	if (h->nhidden_bands)
		n += snprintf(buf + n, sizeof(buf) - n,
		              "; %zu mappings (%" PRIu64
		              " first touches) left out: too many for the "
		              "height",
		              h->nhidden_bands, h->nhidden);
	if (unlabelled)
		snprintf(buf + n, sizeof(buf) - n,
		         "; %zu bands too thin for a label: raise the height", unlabelled);
	text_fit(&p->c, 8, p->c.height - DTL_FONT_LINE - 2, buf, p->c.width - 16, 1, grey);
	if (!h->nbands) {
		const char *none = p->ranged ? "no page faults in --pf-range" : "no page faults";
		for (int side = 0; side < 2; side++)
			dtl_canvas_text(&p->c,
			                p->px[side] +
			                    ((long)h->width - dtl_canvas_text_width(none, 1)) / 2,
			                p->py + (long)h->height / 2 - 4, none, 1, grey);
	}
}

struct png_ctx {
	char msg[200];
};

static void png_fail(png_structp png, png_const_charp msg)
{
	struct png_ctx *ctx = png_get_error_ptr(png);
	snprintf(ctx->msg, sizeof(ctx->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* @c into @f as an 8-bit RGB PNG; 0, or -1 with libpng's message in @ctx */
static int encode(FILE *f, const struct dtl_canvas *c, const char *title, struct png_ctx *ctx)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx, png_fail, png_warn);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	png_text text[2] = {
	    {.compression = PNG_TEXT_COMPRESSION_NONE, .key = "Title", .text = (char *)title},
	    {.compression = PNG_TEXT_COMPRESSION_NONE, .key = "Software", .text = "dtrace-lite"},
	};
	if (!png || !info) {
		snprintf(ctx->msg, sizeof(ctx->msg), "out of memory");
		png_destroy_write_struct(png ? &png : NULL, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, c->width, c->height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_text(png, info, text, 2);
	png_write_info(png, info);
	for (unsigned y = 0; y < c->height; y++)
		png_write_row(png, c->px + (size_t)y * c->width * 3);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return 0;
}

/* @c to @path by way of a temporary file next to it */
static int save(const struct dtl_canvas *c, const char *path, const char *title, char *err,
                size_t errlen)
{
	char tmp[4096];
	struct png_ctx ctx = {{0}};
	int fd = -1, e;
	FILE *f;
	for (int i = 0; i < 100 && fd < 0; i++) {
		if (snprintf(tmp, sizeof(tmp), "%s.%d.%d.tmp", path, (int)getpid(), i) >=
		    (int)sizeof(tmp)) {
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(ENAMETOOLONG));
			return -1;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	f = fdopen(fd, "wb");
	if (!f) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (encode(f, c, title, &ctx) < 0) {
		fclose(f);
		unlink(tmp);
		snprintf(err, errlen, "cannot write %s: libpng: %s", path, ctx.msg);
		return -1;
	}
	if (fflush(f) || ferror(f)) {
		e = errno ? errno : EIO;
		fclose(f);
		goto fail;
	}
	if (fclose(f)) {
		e = errno;
		goto fail;
	}
	if (rename(tmp, path)) {
		e = errno;
		goto fail;
	}
	return 0;
fail:
	unlink(tmp);
	snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
	return -1;
}

void dtl_heatmap_png_size(const struct dtl_heatmap_opts *o, unsigned *width, unsigned *height)
{
	*width = DTL_HEATMAP_PNG_LEFT + 2 * o->width + DTL_HEATMAP_PNG_GAP + DTL_HEATMAP_PNG_RIGHT;
	*height = DTL_HEATMAP_PNG_TOP + o->height + DTL_HEATMAP_PNG_BOTTOM;
}

int dtl_heatmap_png(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o,
                    const char *path, char *err, size_t errlen)
{
	struct dtl_heatmap_opts lo = *o;
	struct dtl_heatmap h;
	struct picture p = {.h = &h, .ranged = o->range_lo || o->range_hi};
	unsigned w, ht;
	size_t unlabelled;
	char title[300];
	int ret;
	if (!o->width || !o->height || o->width > DTL_HEATMAP_MAX_SIZE ||
	    o->height > DTL_HEATMAP_MAX_SIZE) {
		snprintf(err, errlen,
		         "cannot write %s: heatmap size %ux%u: width and height must be 1 to %u",
		         path, o->width, o->height, DTL_HEATMAP_MAX_SIZE);
		return -1;
	}
	if (lo.min_band < MIN_BAND)
		lo.min_band = MIN_BAND;
	if (lo.band_gap < 1)
		lo.band_gap = 1;
	if (dtl_heatmap_layout(m, &lo, &h) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		         errno == EINVAL ? "empty address range" : strerror(errno));
		return -1;
	}
	dtl_heatmap_png_size(o, &w, &ht);
	if (dtl_canvas_init(&p.c, w, ht, white) < 0) {
		dtl_heatmap_free(&h);
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(ENOMEM));
		return -1;
	}
	p.px[0] = DTL_HEATMAP_PNG_LEFT;
	p.px[1] = DTL_HEATMAP_PNG_LEFT + o->width + DTL_HEATMAP_PNG_GAP;
	p.py = DTL_HEATMAP_PNG_TOP;
	draw_titles(&p, m);
	for (int side = 0; side < 2; side++) {
		draw_panel(&p, side);
		draw_time_axis(&p, side);
	}
	unlabelled = draw_labels(&p);
	draw_legend(&p);
	draw_notes(&p, unlabelled);
	snprintf(title, sizeof(title), "page faults: %s", m->command);
	ret = save(&p.c, path, title, err, errlen);
	dtl_canvas_free(&p.c);
	dtl_heatmap_free(&h);
	return ret;
}
