/* SPDX-License-Identifier: MIT */
/*
 * The fault profiler's heatmaps (--pf-png, --pf-heatmap): time on x, address
 * on y, with one band of rows per mapping rather than one sparse address
 * axis. dtl_heatmap_layout() turns the model into a grid of counts that both
 * renderers draw: dtl_heatmap_png() a picture (libpng), dtl_heatmap_text()
 * characters or ANSI colours for a terminal.
 *
 * The plot is @width columns by @height rows. Column x covers the times
 * [x * t_end / width, (x + 1) * t_end / width). Rows go down: the bands in
 * (pid, lo) order from the top, each band's addresses increasing downwards,
 * with @band_gap empty rows between bands. Only mappings with at least one
 * first touch or scanned page in the address range get a band; its height
 * grows with the square root of its page count, never below @min_band
 * rows. Row r of a band covers a contiguous run of the band's pages; when a
 * band has more rows than pages, a page spans several rows and its counts
 * repeat in each.
 */
#ifndef DTL_PF_HEATMAP_H
#define DTL_PF_HEATMAP_H

#include <dtl/pf_model.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DTL_HEATMAP_PAGE      4096u
#define DTL_HEATMAP_MAX_SIZE  16384u /* the most columns or rows of a plot */
#define DTL_HEATMAP_RANGE_MAX 40     /* "0x7f12a4c00000-0x7f12a4d96000", with NUL */
#define DTL_HEATMAP_NAME_MAX  (DTL_PF_NAME_MAX + 16)
#define DTL_HEATMAP_LABEL_MAX (DTL_HEATMAP_NAME_MAX + DTL_HEATMAP_RANGE_MAX)

struct dtl_heatmap_opts {
	unsigned width, height;      /* the plot area: columns x rows (pixels or characters) */
	uint64_t range_lo, range_hi; /* --pf-range: only addresses in [lo,hi) (0,0 = all;
	                              * hi 0 alone: no upper end) */
	unsigned min_band;           /* a band's least rows (0: the renderer's default) */
	unsigned band_gap;           /* empty rows between bands (the PNG uses at least 1) */
	bool no_merge;               /* one band per mapping, even for adjacent ones of the
	                              * same process and name */
	bool no_scan;                /* the first touches even when the model has a scan */
};

struct dtl_heatmap_band {
	char name[DTL_HEATMAP_NAME_MAX];   /* "libc.so.6 text"; "pid 1234 heap" with several pids */
	char range[DTL_HEATMAP_RANGE_MAX]; /* "0x7f12a4c00000-0x7f12a4d96000" */
	char label[DTL_HEATMAP_LABEL_MAX]; /* name, a space, range */
	int pid;
	enum dtl_pf_kind kind;
	uint64_t lo, hi;          /* what the band shows, clipped to the range */
	uint64_t pages;           /* (hi - lo) / DTL_HEATMAP_PAGE */
	size_t nmappings;         /* model mappings merged into the band */
	unsigned y0, rows;        /* its plot rows: [y0, y0 + rows) */
	uint64_t reads, writes;   /* its first touches (exec counted with reads) */
	uint64_t accessed, dirty; /* its scanned pages, one per page and interval */
};

struct dtl_heatmap {
	unsigned width, height; /* as asked */
	uint64_t t_end_ns;      /* the time at the right edge */
	bool scan;              /* @accessed and @dirty hold an access scan */
	struct dtl_heatmap_band *bands;
	size_t nbands;
	int *band_of_row; /* per plot row: an index into @bands, or -1 between bands */
	/* Per cell [y * width + x]: first touches, exec counted with reads ... */
	uint32_t *reads, *writes;
	/* ... DTL_PF_READ and/or DTL_PF_WRITE when a first touch of that kind fell
	 * in the cell ... */
	uint8_t *first;
	/* ... and with a scan, the pages seen accessed and dirty (NULL without one):
	 * a page once per scan interval, in each column that starts in the
	 * interval (or the one column it lies in, when shorter than a column). */
	uint32_t *accessed, *dirty;
	uint32_t max_touch; /* the largest cell of @reads and @writes */
	uint32_t max_scan;  /* the largest cell of @accessed and @dirty */
	/* first touches: drawn, outside the range, in no (known) mapping, and in
	 * bands left out because @height could not hold them all */
	uint64_t nshown, nout_of_range, nunmapped, nhidden;
	size_t nhidden_bands;
};

/*
 * Lays @m out as @o asks into @h (free it with dtl_heatmap_free()). Pure: no
 * I/O. Returns 0, or -1 with errno EINVAL (a size of 0 or above
 * DTL_HEATMAP_MAX_SIZE, an empty range) or ENOMEM.
 */
int dtl_heatmap_layout(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o,
                       struct dtl_heatmap *h);
void dtl_heatmap_free(struct dtl_heatmap *h);

/* The addresses [*lo, *hi) that row @r of @b covers. */
void dtl_heatmap_row_range(const struct dtl_heatmap_band *b, unsigned r, uint64_t *lo,
                           uint64_t *hi);
/* The first band row that shows @addr (a row relative to b->y0), or -1 outside @b. */
int dtl_heatmap_row_of(const struct dtl_heatmap_band *b, uint64_t addr);
/* The column that holds the time @t_ns. */
unsigned dtl_heatmap_column_of(const struct dtl_heatmap *h, uint64_t t_ns);

/*
 * The colour scale, logarithmic: 0 for @count 1 up to 1 for @max (0 for
 * all when @max is 1), or -1 for an empty cell. dtl_heatmap_step() cuts it
 * into @steps equal steps (0..steps-1, -1 when empty) and
 * dtl_heatmap_step_min() is the least count of @step (0 when no count falls
 * in it).
 */
double dtl_heatmap_level(uint32_t count, uint32_t max);
int dtl_heatmap_step(uint32_t count, uint32_t max, unsigned steps);
uint32_t dtl_heatmap_step_min(unsigned step, uint32_t max, unsigned steps);

/* A time axis' tick: at column @x, labelled in seconds ("0.00", "0.25", "12"). */
struct dtl_heatmap_tick {
	unsigned x;
	char label[32];
};
/* Round-number ticks from 0 for @h's columns, at least @min_gap columns
 * apart; returns how many (at most @max). */
size_t dtl_heatmap_ticks(const struct dtl_heatmap *h, unsigned min_gap, struct dtl_heatmap_tick *t,
                         size_t max);

/*
 * @b's label in at most @maxlines lines of at most @chars characters each
 * (@lines' strings are DTL_HEATMAP_LABEL_MAX long): the name and the range on
 * two lines when there is room, else one line of as much as fits. Returns
 * the number of lines.
 */
unsigned dtl_heatmap_label_lines(const struct dtl_heatmap_band *b, unsigned chars,
                                 unsigned maxlines, char lines[][DTL_HEATMAP_LABEL_MAX]);

/*
 * The PNG: a title, two panels of @o's width x height pixels side by side
 * (reads with exec and writes, or with a scan pages accessed and dirty),
 * band labels to the left, the colour legend to the right and the time
 * axis below. Bands are at least 12 pixels (@o->min_band if more) with a
 * 1-pixel separator. Its size is dtl_heatmap_png_size(). Written to a
 * temporary file next to @path, renamed at the end. Returns 0, or -1 with
 * a message in @err ("cannot write heat.png: Permission denied").
 */
#define DTL_HEATMAP_PNG_LEFT   264 /* band labels */
#define DTL_HEATMAP_PNG_GAP    32  /* between the two panels */
#define DTL_HEATMAP_PNG_RIGHT  120 /* the legend */
#define DTL_HEATMAP_PNG_TOP    64  /* title and panel titles */
#define DTL_HEATMAP_PNG_BOTTOM 64  /* the time axis and notes */
void dtl_heatmap_png_size(const struct dtl_heatmap_opts *o, unsigned *width, unsigned *height);
int dtl_heatmap_png(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o,
                    const char *path, char *err, size_t errlen);

/*
 * The same in characters: a title, a panel of @o's width x height for reads
 * (with exec) and one below for writes (with a scan: accessed, dirty), band
 * labels to the left of each row, the time axis in seconds below each panel
 * and the scale (which character or colour means how many); @o->band_gap
 * rows become "+----+" separators. @colour: ANSI 256-colour cells instead
 * of the " .:-=+*#%@" ramp. Returns 0, or -1 with errno (EINVAL, ENOMEM, or
 * EIO when @out failed).
 */
int dtl_heatmap_text(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o, FILE *out,
                     bool colour);

#endif
