// SPDX-License-Identifier: MIT
/*
 * The heatmaps' layout (see dtl/pf_heatmap.h): which mappings get a band,
 * how tall each is, and the counts of every (row, column) cell. Shared by
 * the PNG and the terminal renderers; no I/O.
 */
#define _GNU_SOURCE
#include <dtl/pf_heatmap.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

/* Mappings that may become one band: a run of the same process and name. */
struct group {
	int pid;
	uint64_t lo, hi; /* clipped to the range; lo == hi: none of it is in the range */
	size_t first, n; /* in the sorted mapping order */
	uint64_t hits;   /* first touches and scanned pages in it */
	uint64_t touches;
	int band; /* index into the bands, or -1 */
};

/* model indices by (pid, lo) */
static int by_pid_lo(const void *a, const void *b, void *model)
{
	const struct dtl_pf_model *m = model;
	const struct dtl_pf_mapping *x = &m->mappings[*(const size_t *)a];
	const struct dtl_pf_mapping *y = &m->mappings[*(const size_t *)b];
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

/* group indices: the most hits first, then the earlier group */
static int by_hits(const void *a, const void *b, void *groups)
{
	const struct group *x = (const struct group *)groups + *(const size_t *)a;
	const struct group *y = (const struct group *)groups + *(const size_t *)b;
	if (x->hits != y->hits)
		return x->hits > y->hits ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static uint64_t page_down(uint64_t a)
{
	return a & ~(uint64_t)(DTL_HEATMAP_PAGE - 1);
}

static uint64_t page_up(uint64_t a)
{
	if (a > UINT64_MAX - (DTL_HEATMAP_PAGE - 1))
		return page_down(UINT64_MAX);
	return page_down(a + DTL_HEATMAP_PAGE - 1);
}

/* The groups of mappings, sorted; @group_of: each model mapping's group. */
static struct group *make_groups(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o,
                                 uint64_t rlo, uint64_t rhi, size_t *ngroups, size_t *group_of)
{
	size_t *order = malloc((m->nmappings ? m->nmappings : 1) * sizeof(*order));
	struct group *g = calloc(m->nmappings ? m->nmappings : 1, sizeof(*g));
	size_t n = 0;
	if (!order || !g) {
		free(order);
		free(g);
		return NULL;
	}
	for (size_t i = 0; i < m->nmappings; i++)
		order[i] = i;
	qsort_r(order, m->nmappings, sizeof(*order), by_pid_lo, (void *)m);
	for (size_t i = 0; i < m->nmappings; i++) {
		const struct dtl_pf_mapping *mp = &m->mappings[order[i]];
		struct group *last = n ? &g[n - 1] : NULL;
		const struct dtl_pf_mapping *prev = i ? &m->mappings[order[i - 1]] : NULL;
		if (last && !o->no_merge && prev->pid == mp->pid && prev->hi == mp->lo &&
		    !strcmp(prev->name, mp->name)) {
			last->hi = mp->hi;
			last->n++;
		} else {
			g[n++] = (struct group){.pid = mp->pid,
			                        .lo = mp->lo,
			                        .hi = mp->hi,
			                        .first = i,
			                        .n = 1,
			                        .band = -1};
		}
		group_of[order[i]] = n - 1;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = g[i].lo > rlo ? g[i].lo : rlo, hi = g[i].hi < rhi ? g[i].hi : rhi;
		lo = page_down(lo);
		hi = page_up(hi);
		g[i].lo = lo < hi ? lo : 0;
		g[i].hi = lo < hi ? hi : 0;
	}
	/* first of each group in the sorted order, as a model index */
	for (size_t i = 0; i < n; i++)
		g[i].first = order[g[i].first];
	free(order);
	*ngroups = n;
	return g;
}

/* Is @addr of @mapping (model index) in the range and in that mapping? Its group, or -1. */
static long group_for(const struct dtl_pf_model *m, const struct group *g, const size_t *group_of,
                      uint32_t mapping, uint64_t addr)
{
	const struct group *gr;
	if (mapping == DTL_PF_NO_MAPPING || mapping >= m->nmappings)
		return -1;
	if (addr < m->mappings[mapping].lo || addr >= m->mappings[mapping].hi)
		return -1;
	gr = &g[group_of[mapping]];
	if (addr < gr->lo || addr >= gr->hi)
		return -1;
	return (long)group_of[mapping];
}

/*
 * Heights for @n bands of @weight, each within [lo, hi[i]], summing to
 * @avail (which the bounds allow): the scale s with sum clamp(s * w) ==
 * avail, found by bisection, then the rows left by rounding down to the
 * largest remainders.
 */
static void share_rows(size_t n, const double *weight, unsigned lo, const unsigned *hi,
                       unsigned avail, unsigned *rows)
{
	double s_lo = 0, s_hi = 1, *want = malloc(n * sizeof(*want));
	unsigned used = 0;
	if (!want) {
		for (size_t i = 0; i < n; i++)
			rows[i] = lo;
		return;
	}
	for (int k = 0; k < 200; k++) {
		double sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += fmin(fmax(s_hi * weight[i], lo), hi[i]);
		if (sum >= avail)
			break;
		s_hi *= 2;
	}
	for (int k = 0; k < 100; k++) {
		double s = (s_lo + s_hi) / 2, sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += fmin(fmax(s * weight[i], lo), hi[i]);
		if (sum > avail)
			s_hi = s;
		else
			s_lo = s;
	}
	for (size_t i = 0; i < n; i++) {
		want[i] = fmin(fmax(s_lo * weight[i], lo), hi[i]);
		rows[i] = (unsigned)want[i];
		if (rows[i] < lo)
			rows[i] = lo;
		used += rows[i];
	}
	while (used < avail) {
		size_t best = n;
		double frac = -1;
		for (size_t i = 0; i < n; i++) {
			double f = want[i] - rows[i];
			if (rows[i] < hi[i] && f > frac) {
				frac = f;
				best = i;
			}
		}
		if (best == n)
			break;
		rows[best]++;
		want[best] = rows[best]; /* its remainder is spent */
		used++;
	}
	while (used > avail) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (rows[i] > lo && (best == n || rows[i] > rows[best]))
				best = i;
		if (best == n)
			break;
		rows[best]--;
		used--;
	}
	free(want);
}

static void fit(char *dst, size_t dstlen, const char *s, unsigned chars)
{
	size_t len = strlen(s);
	if (chars >= dstlen)
		chars = (unsigned)dstlen - 1;
	if (len <= chars) {
		memcpy(dst, s, len + 1);
	} else if (chars < 4) {
		memcpy(dst, s, chars);
		dst[chars] = 0;
	} else {
		/* the head and the tail ("libc.so.6 text" keeps " text") */
		unsigned head = (chars - 2) / 2, tail = chars - 2 - head;
		memcpy(dst, s, head);
		memcpy(dst + head, "..", 2);
		memcpy(dst + head + 2, s + len - tail, tail + 1);
	}
}

unsigned dtl_heatmap_label_lines(const struct dtl_heatmap_band *b, unsigned chars,
                                 unsigned maxlines, char lines[][DTL_HEATMAP_LABEL_MAX])
{
	char one[DTL_HEATMAP_LABEL_MAX];
	if (!maxlines)
		return 0;
	if (strlen(b->label) <= chars || maxlines < 2) {
		if (strlen(b->label) > chars)
			snprintf(one, sizeof(one), "%s 0x%" PRIx64, b->name, b->lo);
		if (strlen(b->label) <= chars)
			fit(lines[0], DTL_HEATMAP_LABEL_MAX, b->label, chars);
		else if (strlen(one) <= chars)
			fit(lines[0], DTL_HEATMAP_LABEL_MAX, one, chars);
		else
			fit(lines[0], DTL_HEATMAP_LABEL_MAX, b->name, chars);
		return 1;
	}
	fit(lines[0], DTL_HEATMAP_LABEL_MAX, b->name, chars);
	fit(lines[1], DTL_HEATMAP_LABEL_MAX, b->range, chars);
	return 2;
}

/* Row r covers pages [r * P / R, max(that + 1, (r + 1) * P / R)). */
static uint64_t row_page(const struct dtl_heatmap_band *b, unsigned r)
{
	return (uint64_t)((u128)r * b->pages / b->rows);
}

void dtl_heatmap_row_range(const struct dtl_heatmap_band *b, unsigned r, uint64_t *lo, uint64_t *hi)
{
	uint64_t p = row_page(b, r), q = r + 1 < b->rows ? row_page(b, r + 1) : b->pages;
	if (q < p + 1)
		q = p + 1;
	*lo = b->lo + p * DTL_HEATMAP_PAGE;
	*hi = b->lo + q * DTL_HEATMAP_PAGE;
}

/* ceil(a * b / c) */
static uint64_t mul_div_up(uint64_t a, uint64_t b, uint64_t c)
{
	return (uint64_t)(((u128)a * b + c - 1) / c);
}

/* The rows [*first, *last] of @b showing page @p. */
static void page_rows(const struct dtl_heatmap_band *b, uint64_t p, unsigned *first, unsigned *last)
{
	uint64_t l = mul_div_up(p + 1, b->rows, b->pages) - 1, f = mul_div_up(p, b->rows, b->pages);
	if (l >= b->rows)
		l = b->rows - 1;
	*first = (unsigned)(f < l ? f : l);
	*last = (unsigned)l;
}

int dtl_heatmap_row_of(const struct dtl_heatmap_band *b, uint64_t addr)
{
	unsigned f, l;
	if (addr < b->lo || addr >= b->hi || !b->rows)
		return -1;
	page_rows(b, (addr - b->lo) / DTL_HEATMAP_PAGE, &f, &l);
	return (int)f;
}

unsigned dtl_heatmap_column_of(const struct dtl_heatmap *h, uint64_t t_ns)
{
	uint64_t x = (uint64_t)((u128)t_ns * h->width / h->t_end_ns);
	return x < h->width ? (unsigned)x : h->width - 1;
}

/* Adds one to @grid's cells of @addr in @b over the columns [x0, x1]; the largest cell to @max. */
static void add(struct dtl_heatmap *h, uint32_t *grid, uint8_t mark,
                const struct dtl_heatmap_band *b, uint64_t addr, unsigned x0, unsigned x1,
                uint32_t *max)
{
	unsigned f, l;
	page_rows(b, (addr - b->lo) / DTL_HEATMAP_PAGE, &f, &l);
	for (unsigned r = f; r <= l; r++) {
		size_t row = (size_t)(b->y0 + r) * h->width;
		for (unsigned x = x0; x <= x1; x++) {
			if (grid && grid[row + x] < UINT32_MAX && ++grid[row + x] > *max)
				*max = grid[row + x];
			h->first[row + x] |= mark;
		}
	}
}

/* Keeps the @h->height bands with the most hits when there are more; returns how many are kept. */
static size_t drop_bands(struct group *g, size_t *band_groups, size_t nb, unsigned height,
                         struct dtl_heatmap *h)
{
	size_t *by = malloc(nb * sizeof(*by));
	size_t kept = 0;
	if (!by)
		return 0;
	for (size_t i = 0; i < nb; i++)
		by[i] = band_groups[i];
	qsort_r(by, nb, sizeof(*by), by_hits, g);
	for (size_t i = height; i < nb; i++) {
		g[by[i]].band = -2;
		h->nhidden += g[by[i]].touches;
		h->nhidden_bands++;
	}
	for (size_t i = 0; i < nb; i++)
		if (g[band_groups[i]].band != -2)
			band_groups[kept++] = band_groups[i];
	free(by);
	return kept;
}

static void name_band(const struct dtl_pf_model *m, struct dtl_heatmap_band *b,
                      const struct group *g, bool pids)
{
	const struct dtl_pf_mapping *mp = &m->mappings[g->first];
	if (pids)
		snprintf(b->name, sizeof(b->name), "pid %d %s", mp->pid, mp->name);
	else
		snprintf(b->name, sizeof(b->name), "%s", mp->name);
	snprintf(b->range, sizeof(b->range), "0x%" PRIx64 "-0x%" PRIx64, b->lo, b->hi);
	snprintf(b->label, sizeof(b->label), "%s %s", b->name, b->range);
}

/* Bands for the groups with hits, with their rows; -1 when out of memory. */
static int place_bands(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o,
                       struct group *g, size_t ng, struct dtl_heatmap *h)
{
	size_t *bg = malloc((ng ? ng : 1) * sizeof(*bg)), nb = 0;
	unsigned gap = o->band_gap, min = o->min_band ? o->min_band : 1, avail, *hi, *rows;
	double *w;
	bool pids = false;
	int ret = -1;
	if (!bg)
		return -1;
	for (size_t i = 0; i < ng; i++)
		if (g[i].hits)
			bg[nb++] = i;
	if (nb > h->height)
		nb = drop_bands(g, bg, nb, h->height, h);
	if (!nb) {
		free(bg);
		return 0;
	}
	if (gap && (nb - 1) * (size_t)gap + nb > h->height)
		gap = 0;
	avail = h->height - (unsigned)(nb - 1) * gap;
	if (min > avail / nb)
		min = (unsigned)(avail / nb);
	h->bands = calloc(nb, sizeof(*h->bands));
	w = calloc(nb, sizeof(*w));
	hi = calloc(nb, sizeof(*hi));
	rows = calloc(nb, sizeof(*rows));
	if (!h->bands || !w || !hi || !rows)
		goto out;
	for (size_t i = 0; i < nb; i++) {
		const struct group *gr = &g[bg[i]];
		struct dtl_heatmap_band *b = &h->bands[i];
		b->pid = gr->pid;
		b->kind = m->mappings[gr->first].kind;
		b->lo = gr->lo;
		b->hi = gr->hi;
		b->pages = (gr->hi - gr->lo) / DTL_HEATMAP_PAGE;
		b->nmappings = gr->n;
		w[i] = sqrt((double)b->pages);
		hi[i] = avail;
		if (b->pid != h->bands[0].pid)
			pids = true;
	}
	share_rows(nb, w, min, hi, avail, rows);
	for (size_t i = 0, y = 0; i < nb; i++) {
		struct dtl_heatmap_band *b = &h->bands[i];
		b->y0 = (unsigned)y;
		b->rows = rows[i];
		for (unsigned r = 0; r < b->rows && y + r < h->height; r++)
			h->band_of_row[y + r] = (int)i;
		y += rows[i] + gap;
		g[bg[i]].band = (int)i;
		name_band(m, b, &g[bg[i]], pids);
	}
	h->nbands = nb;
	ret = 0;
out:
	free(bg);
	free(w);
	free(hi);
	free(rows);
	return ret;
}

static uint64_t end_of_run(const struct dtl_pf_model *m, bool scan)
{
	uint64_t end = m->end_ns;
	for (size_t i = 0; i < m->nsamples; i++)
		if (m->samples[i].t_ns >= end)
			end = m->samples[i].t_ns + 1;
	for (size_t i = 0; scan && i < m->nscans; i++)
		if (m->scans[i].t_ns > end)
			end = m->scans[i].t_ns;
	return end ? end : 1000000000; /* nothing at all: a second of it */
}

/*
 * The columns of the scan interval [t0, t1): those that start in it, so
 * that each column counts the one interval it starts in and the cells show
 * no seams; the column of t0 when none starts in it.
 */
static void scan_columns(const struct dtl_heatmap *h, uint64_t t0, uint64_t t1, unsigned *x0,
                         unsigned *x1)
{
	uint64_t a = mul_div_up(t0, h->width, h->t_end_ns),
	         b = mul_div_up(t1, h->width, h->t_end_ns);
	if (b > h->width)
		b = h->width;
	if (a >= b) {
		*x0 = *x1 = dtl_heatmap_column_of(h, t0);
		return;
	}
	*x0 = (unsigned)a;
	*x1 = (unsigned)b - 1;
}

/* Each sample and scanned page into its band's cells. */
static void count(const struct dtl_pf_model *m, const struct group *g, const size_t *group_of,
                  uint64_t rlo, uint64_t rhi, struct dtl_heatmap *h)
{
	for (size_t i = 0; i < m->nsamples; i++) {
		const struct dtl_pf_sample *s = &m->samples[i];
		long gi;
		unsigned x;
		bool w = s->access & DTL_PF_WRITE;
		if (s->addr < rlo || s->addr >= rhi) {
			h->nout_of_range++;
			continue;
		}
		gi = group_for(m, g, group_of, s->mapping, s->addr);
		if (gi < 0) {
			h->nunmapped++;
			continue;
		}
		if (g[gi].band < 0)
			continue; /* hidden: counted in nhidden */
		struct dtl_heatmap_band *b = &h->bands[g[gi].band];
		x = dtl_heatmap_column_of(h, s->t_ns);
		add(h, w ? h->writes : h->reads, w ? DTL_PF_WRITE : DTL_PF_READ, b, s->addr, x, x,
		    &h->max_touch);
		if (w)
			b->writes++;
		else
			b->reads++;
		h->nshown++;
	}
	for (size_t i = 0; h->scan && i < m->nscans; i++) {
		const struct dtl_pf_scan *s = &m->scans[i];
		long gi;
		unsigned x0, x1;
		if (s->addr < rlo || s->addr >= rhi || (!s->accessed && !s->dirty))
			continue;
		gi = group_for(m, g, group_of, s->mapping, s->addr);
		if (gi < 0 || g[gi].band < 0)
			continue;
		struct dtl_heatmap_band *b = &h->bands[g[gi].band];
		scan_columns(h, s->t0_ns, s->t_ns, &x0, &x1);
		add(h, h->accessed, 0, b, s->addr, x0, x1, &h->max_scan);
		b->accessed++;
		if (s->dirty) {
			add(h, h->dirty, 0, b, s->addr, x0, x1, &h->max_scan);
			b->dirty++;
		}
	}
}

/* The hits of each group: what decides which mappings get a band. */
static void count_hits(const struct dtl_pf_model *m, struct group *g, const size_t *group_of,
                       uint64_t rlo, uint64_t rhi, bool scan)
{
	for (size_t i = 0; i < m->nsamples; i++) {
		const struct dtl_pf_sample *s = &m->samples[i];
		long gi;
		if (s->addr < rlo || s->addr >= rhi)
			continue;
		gi = group_for(m, g, group_of, s->mapping, s->addr);
		if (gi >= 0) {
			g[gi].hits++;
			g[gi].touches++;
		}
	}
	for (size_t i = 0; scan && i < m->nscans; i++) {
		const struct dtl_pf_scan *s = &m->scans[i];
		long gi;
		if (s->addr < rlo || s->addr >= rhi || (!s->accessed && !s->dirty))
			continue;
		gi = group_for(m, g, group_of, s->mapping, s->addr);
		if (gi >= 0)
			g[gi].hits++;
	}
}

int dtl_heatmap_layout(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o,
                       struct dtl_heatmap *h)
{
	uint64_t rlo = o->range_lo, rhi = o->range_hi ? o->range_hi : UINT64_MAX;
	size_t cells, ng = 0, *group_of = NULL;
	struct group *g = NULL;
	memset(h, 0, sizeof(*h));
	if (!o->width || !o->height || o->width > DTL_HEATMAP_MAX_SIZE ||
	    o->height > DTL_HEATMAP_MAX_SIZE || rlo >= rhi) {
		errno = EINVAL;
		return -1;
	}
	h->width = o->width;
	h->height = o->height;
	h->scan = m->nscans && !o->no_scan;
	h->t_end_ns = end_of_run(m, h->scan);
	cells = (size_t)h->width * h->height;
	h->reads = calloc(cells, sizeof(*h->reads));
	h->writes = calloc(cells, sizeof(*h->writes));
	h->first = calloc(cells, sizeof(*h->first));
	h->band_of_row = malloc(h->height * sizeof(*h->band_of_row));
	if (h->scan) {
		h->accessed = calloc(cells, sizeof(*h->accessed));
		h->dirty = calloc(cells, sizeof(*h->dirty));
	}
	group_of = malloc((m->nmappings ? m->nmappings : 1) * sizeof(*group_of));
	if (!h->reads || !h->writes || !h->first || !h->band_of_row || !group_of ||
	    (h->scan && (!h->accessed || !h->dirty)))
		goto nomem;
	for (unsigned y = 0; y < h->height; y++)
		h->band_of_row[y] = -1;
	g = make_groups(m, o, rlo, rhi, &ng, group_of);
	if (!g)
		goto nomem;
	count_hits(m, g, group_of, rlo, rhi, h->scan);
	if (place_bands(m, o, g, ng, h) < 0)
		goto nomem;
	count(m, g, group_of, rlo, rhi, h);
	free(g);
	free(group_of);
	return 0;
nomem:
	free(g);
	free(group_of);
	dtl_heatmap_free(h);
	errno = ENOMEM;
	return -1;
}

void dtl_heatmap_free(struct dtl_heatmap *h)
{
	free(h->bands);
	free(h->band_of_row);
	free(h->reads);
	free(h->writes);
	free(h->first);
	free(h->accessed);
	free(h->dirty);
	memset(h, 0, sizeof(*h));
}
