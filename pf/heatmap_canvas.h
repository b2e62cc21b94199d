/* SPDX-License-Identifier: MIT */
/*
 * The PNG heatmap's drawing surface (heatmap_canvas.c): an RGB picture in
 * memory with rectangles, lines and text in the built-in bitmap font
 * (heatmap_font.c: 5x7 ASCII glyphs with two rows of descenders). Private to
 * pf/; everything drawn is clipped to the picture.
 */
#ifndef DTL_HEATMAP_CANVAS_H
#define DTL_HEATMAP_CANVAS_H

#include <stdint.h>

#define DTL_FONT_W       5  /* a glyph's columns */
#define DTL_FONT_H       9  /* its rows: 7 above the baseline, 2 below */
#define DTL_FONT_ADVANCE 6  /* from one character to the next, at scale 1 */
#define DTL_FONT_LINE    11 /* from one line to the next, at scale 1 */

/* @c's DTL_FONT_H rows, bit 4 the leftmost column; '?' outside ' '..'~'. */
const uint8_t *dtl_font_glyph(char c);

struct dtl_rgb {
	uint8_t r, g, b;
};

struct dtl_canvas {
	unsigned width, height;
	uint8_t *px; /* width * height * 3, rows from the top */
};

/* A @width x @height canvas filled with @bg; -1 when out of memory. */
int dtl_canvas_init(struct dtl_canvas *c, unsigned width, unsigned height, struct dtl_rgb bg);
void dtl_canvas_free(struct dtl_canvas *c);

void dtl_canvas_put(struct dtl_canvas *c, long x, long y, struct dtl_rgb col);
void dtl_canvas_fill(struct dtl_canvas *c, long x, long y, long w, long h, struct dtl_rgb col);
/* a one-pixel outline of the rectangle */
void dtl_canvas_frame(struct dtl_canvas *c, long x, long y, long w, long h, struct dtl_rgb col);

/* Text: @x is its left edge, @y the top of its capitals; @scale multiplies
 * every pixel. Returns its width in pixels. */
long dtl_canvas_text(struct dtl_canvas *c, long x, long y, const char *s, unsigned scale,
                     struct dtl_rgb col);
long dtl_canvas_text_width(const char *s, unsigned scale);

#endif
