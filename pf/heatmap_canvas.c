// SPDX-License-Identifier: MIT
/* The PNG heatmap's drawing surface: rectangles and text on an RGB picture (heatmap_canvas.h). */
#include "heatmap_canvas.h"

#include <stdlib.h>
#include <string.h>

int dtl_canvas_init(struct dtl_canvas *c, unsigned width, unsigned height, struct dtl_rgb bg)
{
	c->width = width;
	c->height = height;
	c->px = malloc((size_t)width * height * 3);
	if (!c->px)
		return -1;
	for (size_t i = 0; i < (size_t)width * height; i++) {
		c->px[3 * i] = bg.r;
		c->px[3 * i + 1] = bg.g;
		c->px[3 * i + 2] = bg.b;
	}
	return 0;
}

void dtl_canvas_free(struct dtl_canvas *c)
{
	free(c->px);
	c->px = NULL;
}

void dtl_canvas_put(struct dtl_canvas *c, long x, long y, struct dtl_rgb col)
{
	uint8_t *p;
	if (x < 0 || y < 0 || x >= (long)c->width || y >= (long)c->height)
		return;
	p = c->px + ((size_t)y * c->width + (size_t)x) * 3;
	p[0] = col.r;
	p[1] = col.g;
	p[2] = col.b;
}

void dtl_canvas_fill(struct dtl_canvas *c, long x, long y, long w, long h, struct dtl_rgb col)
{
	long x1 = x + w, y1 = y + h;
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x1 > (long)c->width)
		x1 = c->width;
	if (y1 > (long)c->height)
		y1 = c->height;
	for (long j = y; j < y1; j++)
		for (long i = x; i < x1; i++)
			dtl_canvas_put(c, i, j, col);
}

void dtl_canvas_frame(struct dtl_canvas *c, long x, long y, long w, long h, struct dtl_rgb col)
{
	dtl_canvas_fill(c, x, y, w, 1, col);
	dtl_canvas_fill(c, x, y + h - 1, w, 1, col);
	dtl_canvas_fill(c, x, y, 1, h, col);
	dtl_canvas_fill(c, x + w - 1, y, 1, h, col);
}

long dtl_canvas_text_width(const char *s, unsigned scale)
{
	size_t n = strlen(s);
	return n ? (long)(n * DTL_FONT_ADVANCE - 1) * scale : 0;
}

long dtl_canvas_text(struct dtl_canvas *c, long x, long y, const char *s, unsigned scale,
                     struct dtl_rgb col)
{
	for (const char *p = s; *p; p++, x += DTL_FONT_ADVANCE * scale) {
		const uint8_t *g = dtl_font_glyph(*p);
		for (int row = 0; row < DTL_FONT_H; row++)
			for (int bit = 0; bit < DTL_FONT_W; bit++)
				if (g[row] & (0x10 >> bit))
					dtl_canvas_fill(c, x + bit * (long)scale,
					                y + row * (long)scale, scale, scale, col);
	}
	return dtl_canvas_text_width(s, scale);
}
