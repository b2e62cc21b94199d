// SPDX-License-Identifier: MIT
/*
 * The heatmaps' scales (see dtl/pf_heatmap.h): the colour scale, log of the
 * count against the largest cell, cut into steps for the terminal's
 * characters, and the time axis' round-number ticks. No I/O.
 */
#define _GNU_SOURCE
#include <dtl/pf_heatmap.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

typedef unsigned __int128 u128;

double dtl_heatmap_level(uint32_t count, uint32_t max)
{
	if (!count)
		return -1;
	if (max <= 1)
		return 0; /* all ones: the colour of one */
	if (count >= max)
		return 1;
	return log((double)count) / log((double)max);
}

int dtl_heatmap_step(uint32_t count, uint32_t max, unsigned steps)
{
	double l = dtl_heatmap_level(count, max);
	unsigned s;
	if (l < 0 || !steps)
		return -1;
	s = (unsigned)(l * steps);
	return (int)(s < steps ? s : steps - 1);
}

uint32_t dtl_heatmap_step_min(unsigned step, uint32_t max, unsigned steps)
{
	uint32_t lo = 1, hi = max ? max : 1;
	if (dtl_heatmap_step(hi, max, steps) < (int)step)
		return 0;
	/* the least count whose step is at least @step */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (dtl_heatmap_step(mid, max, steps) >= (int)step)
			hi = mid;
		else
			lo = mid + 1;
	}
	return dtl_heatmap_step(lo, max, steps) == (int)step ? lo : 0;
}

size_t dtl_heatmap_ticks(const struct dtl_heatmap *h, unsigned min_gap, struct dtl_heatmap_tick *t,
                         size_t max)
{
	static const unsigned mult[] = {1, 2, 5};
	uint64_t step = 0, pow10 = 1;
	int exp10 = 0;
	size_t n = 0;
	/* the least 1, 2 or 5 x 10^k ns at least @min_gap columns wide */
	for (; exp10 <= 18 && !step; exp10++, pow10 *= 10) {
		for (size_t i = 0; i < 3 && !step; i++) {
			uint64_t s = mult[i] * pow10;
			if ((u128)s * h->width >= (u128)min_gap * h->t_end_ns)
				step = s;
		}
		if (step)
			break;
	}
	if (!step)
		step = pow10;
	int decimals = exp10 >= 9 ? 0 : 9 - exp10;
	for (uint64_t v = 0; n < max && v < h->t_end_ns; v += step) {
		t[n].x = dtl_heatmap_column_of(h, v);
		if (decimals) {
			uint64_t div = 1;
			for (int i = 0; i < 9 - decimals; i++)
				div *= 10;
			snprintf(t[n].label, sizeof(t[n].label), "%" PRIu64 ".%0*" PRIu64,
			         v / 1000000000, decimals, v % 1000000000 / div);
		} else {
			snprintf(t[n].label, sizeof(t[n].label), "%" PRIu64, v / 1000000000);
		}
		n++;
		if (v > UINT64_MAX - step)
			break;
	}
	return n;
}
