// SPDX-License-Identifier: MIT
/*
 * The fault profiler's heatmaps (pf/heatmap_*.c) on synthetic models: the
 * layout's bands and counts, the range, the PNG as libpng reads it back and
 * its errors, and the terminal rendering.
 */
#define _GNU_SOURCE
#include <dtl/pf_heatmap.h>

#include <dirent.h>
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define PAGE DTL_HEATMAP_PAGE

static struct dtl_pf_model *model_new(const char *command)
{
	struct dtl_pf_model *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	snprintf(m->command, sizeof(m->command), "%s", command);
	return m;
}

static void model_free(struct dtl_pf_model *m)
{
	free(m->samples);
	free(m->mappings);
	free(m->scans);
	free(m);
}

static uint32_t add_mapping(struct dtl_pf_model *m, int pid, uint64_t lo, uint64_t pages,
                            enum dtl_pf_kind kind, const char *name)
{
	m->mappings = realloc(m->mappings, (m->nmappings + 1) * sizeof(*m->mappings));
	assert_non_null(m->mappings);
	struct dtl_pf_mapping *mp = &m->mappings[m->nmappings];
	memset(mp, 0, sizeof(*mp));
	mp->pid = pid;
	mp->lo = lo;
	mp->hi = lo + pages * PAGE;
	mp->kind = kind;
	snprintf(mp->name, sizeof(mp->name), "%s", name);
	return (uint32_t)m->nmappings++;
}

static void add_sample(struct dtl_pf_model *m, uint64_t t_ns, uint64_t addr, uint32_t mapping,
                       uint8_t access)
{
	m->samples = realloc(m->samples, (m->nsamples + 1) * sizeof(*m->samples));
	assert_non_null(m->samples);
	m->samples[m->nsamples++] = (struct dtl_pf_sample){
	    .t_ns = t_ns,
	    .addr = addr,
	    .mapping = mapping,
	    .pid = mapping < m->nmappings ? m->mappings[mapping].pid : 1,
	    .access = access,
	};
	if (t_ns >= m->end_ns)
		m->end_ns = t_ns + 1;
}

static void add_scan(struct dtl_pf_model *m, uint64_t t_ns, uint64_t addr, uint32_t mapping,
                     bool dirty)
{
	m->scans = realloc(m->scans, (m->nscans + 1) * sizeof(*m->scans));
	assert_non_null(m->scans);
	m->scans[m->nscans++] =
	    (struct dtl_pf_scan){.t0_ns = t_ns > m->interval_ns ? t_ns - m->interval_ns : 0,
	                         .t_ns = t_ns,
	                         .addr = addr,
	                         .mapping = mapping,
	                         .accessed = true,
	                         .dirty = dirty};
}

/* the sum of @grid over @b's rows */
static uint64_t band_sum(const struct dtl_heatmap *h, const uint32_t *grid,
                         const struct dtl_heatmap_band *b)
{
	uint64_t sum = 0;
	for (unsigned y = b->y0; y < b->y0 + b->rows; y++)
		for (unsigned x = 0; x < h->width; x++)
			sum += grid[(size_t)y * h->width + x];
	return sum;
}

static uint64_t grid_sum(const struct dtl_heatmap *h, const uint32_t *grid)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < (size_t)h->width * h->height; i++)
		sum += grid[i];
	return sum;
}

/* A sweep over N pages, one page after the other: a diagonal. */
static void test_sweep_diagonal(void **state)
{
	enum { N = 1000, W = 50, H = 100 };
	struct dtl_pf_model *m = model_new("sweep");
	struct dtl_heatmap_opts o = {.width = W, .height = H};
	struct dtl_heatmap h;
	uint32_t map = add_mapping(m, 7, 0x10000000, N, DTL_PF_ANON, "[anon]");
	(void)state;
	for (unsigned i = 0; i < N; i++)
		add_sample(m, (uint64_t)i * 1000, 0x10000000 + (uint64_t)i * PAGE + 8, map,
		           DTL_PF_READ);
	m->end_ns = (uint64_t)N * 1000;
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 1);
	assert_int_equal(h.bands[0].y0, 0);
	assert_int_equal(h.bands[0].rows, H);
	assert_int_equal(h.bands[0].pages, N);
	assert_int_equal(h.bands[0].reads, N);
	assert_int_equal(h.nshown, N);
	assert_int_equal(grid_sum(&h, h.reads), N);
	assert_int_equal(grid_sum(&h, h.writes), 0);
	assert_int_equal(h.max_touch, N / H); /* 10 pages a row, 20 a column */
	/* every column holds the rows after those of the column before */
	int last_hi = -1;
	for (unsigned x = 0; x < W; x++) {
		int lo = -1, hi = -1;
		for (unsigned y = 0; y < H; y++) {
			if (!h.reads[(size_t)y * W + x])
				continue;
			if (lo < 0)
				lo = (int)y;
			hi = (int)y;
		}
		assert_true(lo >= 0);
		assert_true(lo >= last_hi);
		assert_true(hi >= lo);
		last_hi = hi;
	}
	assert_int_equal(last_hi, H - 1);
	assert_true(h.reads[0] > 0);
	dtl_heatmap_free(&h);
	model_free(m);
}

/* Two mappings touched in turn: a band each, in address order, each with its own. */
static void test_two_mappings_alternating(void **state)
{
	struct dtl_pf_model *m = model_new("two");
	struct dtl_heatmap_opts o = {.width = 40, .height = 60, .band_gap = 2, .min_band = 4};
	struct dtl_heatmap h;
	/* the higher one first in the model: bands go by address */
	uint32_t lib = add_mapping(m, 1, 0x7f0000000000, 400, DTL_PF_DATA, "libc.so.6 data");
	uint32_t text = add_mapping(m, 1, 0x400000, 16, DTL_PF_TEXT, "a.out text");
	(void)state;
	for (unsigned i = 0; i < 32; i++) {
		if (i % 2)
			add_sample(m, i * 100, 0x7f0000000000 + i * PAGE, lib, DTL_PF_WRITE);
		else
			add_sample(m, i * 100, 0x400000 + (i / 2) * PAGE, text, DTL_PF_EXEC);
	}
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 2);
	assert_string_equal(h.bands[0].name, "a.out text");
	assert_string_equal(h.bands[0].range, "0x400000-0x410000");
	assert_string_equal(h.bands[0].label, "a.out text 0x400000-0x410000");
	assert_string_equal(h.bands[1].name, "libc.so.6 data");
	assert_int_equal(h.bands[0].reads, 16);
	assert_int_equal(h.bands[0].writes, 0);
	assert_int_equal(h.bands[1].reads, 0);
	assert_int_equal(h.bands[1].writes, 16);
	/* the rows: all of them, the gap between, the bigger mapping taller */
	assert_int_equal(h.bands[0].y0, 0);
	assert_int_equal(h.bands[1].y0, h.bands[0].rows + 2);
	assert_int_equal(h.bands[0].rows + h.bands[1].rows + 2, 60);
	assert_true(h.bands[1].rows > h.bands[0].rows);
	assert_true(h.bands[0].rows >= 4);
	assert_int_equal(h.band_of_row[h.bands[0].rows], -1);
	assert_int_equal(h.band_of_row[h.bands[0].rows + 1], -1);
	assert_int_equal(band_sum(&h, h.reads, &h.bands[1]), 0);
	assert_int_equal(band_sum(&h, h.writes, &h.bands[0]), 0);
	assert_true(band_sum(&h, h.reads, &h.bands[0]) >= 16);
	assert_int_equal(band_sum(&h, h.writes, &h.bands[1]), 16);
	dtl_heatmap_free(&h);
	model_free(m);
}

/* Same-name neighbours of one process become one band unless told otherwise; other pids never. */
static void test_merge(void **state)
{
	struct dtl_pf_model *m = model_new("merge");
	struct dtl_heatmap_opts o = {.width = 10, .height = 20};
	struct dtl_heatmap h;
	uint32_t a = add_mapping(m, 1, 0x10000, 4, DTL_PF_DATA, "libc.so.6 data");
	uint32_t b = add_mapping(m, 1, 0x14000, 4, DTL_PF_DATA, "libc.so.6 data");
	uint32_t c = add_mapping(m, 2, 0x14000, 4, DTL_PF_DATA, "libc.so.6 data");
	(void)state;
	add_sample(m, 0, 0x10000, a, DTL_PF_READ);
	add_sample(m, 1, 0x15000, b, DTL_PF_WRITE);
	add_sample(m, 2, 0x15000, c, DTL_PF_WRITE);
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 2);
	assert_int_equal(h.bands[0].nmappings, 2);
	assert_int_equal(h.bands[0].lo, 0x10000);
	assert_int_equal(h.bands[0].hi, 0x18000);
	assert_int_equal(h.bands[0].reads + h.bands[0].writes, 2);
	/* two processes: the pid in the names */
	assert_string_equal(h.bands[0].name, "pid 1 libc.so.6 data");
	assert_string_equal(h.bands[1].name, "pid 2 libc.so.6 data");
	dtl_heatmap_free(&h);
	o.no_merge = true;
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 3);
	dtl_heatmap_free(&h);
	model_free(m);
}

/* --pf-range: samples outside it are counted as such and drawn nowhere. */
static void test_range(void **state)
{
	struct dtl_pf_model *m = model_new("range");
	struct dtl_heatmap_opts o = {.width = 10, .height = 10};
	struct dtl_heatmap h;
	uint32_t heap = add_mapping(m, 1, 0x500000, 100, DTL_PF_HEAP, "heap");
	uint32_t stack = add_mapping(m, 1, 0x7ffd00000000, 10, DTL_PF_STACK, "stack");
	(void)state;
	add_sample(m, 0, 0x500000, heap, DTL_PF_WRITE);
	add_sample(m, 10, 0x520000, heap, DTL_PF_WRITE);
	add_sample(m, 20, 0x7ffd00001000, stack, DTL_PF_WRITE);
	add_sample(m, 30, 0x900000, DTL_PF_NO_MAPPING, DTL_PF_READ);
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 2);
	assert_int_equal(h.nshown, 3);
	assert_int_equal(h.nunmapped, 1);
	assert_int_equal(h.nout_of_range, 0);
	dtl_heatmap_free(&h);

	/* half the heap: the stack and one heap page out, the band clipped to the range */
	o.range_lo = 0x500000;
	o.range_hi = 0x510000;
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 1);
	assert_string_equal(h.bands[0].name, "heap");
	assert_int_equal(h.bands[0].lo, 0x500000);
	assert_int_equal(h.bands[0].hi, 0x510000);
	assert_int_equal(h.bands[0].pages, 16);
	assert_int_equal(h.nshown, 1);
	assert_int_equal(h.nout_of_range, 3);
	assert_int_equal(grid_sum(&h, h.writes), 1);
	dtl_heatmap_free(&h);

	/* an empty range is an error */
	o.range_lo = 0x510000;
	o.range_hi = 0x500000;
	errno = 0;
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), -1);
	assert_int_equal(errno, EINVAL);
	o.range_lo = o.range_hi = 0;
	o.width = 0;
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), -1);
	assert_int_equal(errno, EINVAL);
	model_free(m);
}

/* Reads and exec in the reads grid, writes in the writes grid, in the cell of their time and page.
 */
static void test_reads_writes(void **state)
{
	struct dtl_pf_model *m = model_new("rw");
	struct dtl_heatmap_opts o = {.width = 4, .height = 8};
	struct dtl_heatmap h;
	uint32_t map = add_mapping(m, 1, 0x1000000, 8, DTL_PF_ANON, "[anon]");
	(void)state;
	add_sample(m, 0, 0x1000000, map, DTL_PF_READ);                  /* column 0, row 0 */
	add_sample(m, 250, 0x1001000, map, DTL_PF_EXEC);                /* column 1, row 1 */
	add_sample(m, 500, 0x1007fff, map, DTL_PF_WRITE);               /* column 2, row 7 */
	add_sample(m, 999, 0x1004000, map, DTL_PF_WRITE | DTL_PF_READ); /* column 3, row 4 */
	m->end_ns = 1000;
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 1);
	assert_int_equal(h.bands[0].rows, 8);
	assert_int_equal(dtl_heatmap_row_of(&h.bands[0], 0x1007fff), 7);
	assert_int_equal(dtl_heatmap_row_of(&h.bands[0], 0x1008000), -1);
	assert_int_equal(dtl_heatmap_column_of(&h, 999), 3);
	assert_int_equal(h.reads[0 * 4 + 0], 1);
	assert_int_equal(h.reads[1 * 4 + 1], 1);
	assert_int_equal(h.writes[7 * 4 + 2], 1);
	assert_int_equal(h.writes[4 * 4 + 3], 1);
	assert_int_equal(grid_sum(&h, h.reads), 2);
	assert_int_equal(grid_sum(&h, h.writes), 2);
	assert_int_equal(h.first[0], DTL_PF_READ);
	assert_int_equal(h.first[7 * 4 + 2], DTL_PF_WRITE);
	assert_int_equal(h.bands[0].reads, 2);
	assert_int_equal(h.bands[0].writes, 2);
	assert_null(h.accessed);
	uint64_t lo, hi;
	dtl_heatmap_row_range(&h.bands[0], 3, &lo, &hi);
	assert_int_equal(lo, 0x1003000);
	assert_int_equal(hi, 0x1004000);
	dtl_heatmap_free(&h);
	model_free(m);
}

/* Bands smaller than their pages, and more rows than pages: rows cover pages contiguously. */
static void test_rows_cover_pages(void **state)
{
	struct dtl_heatmap_band b = {.lo = 0x10000, .hi = 0x10000 + 10 * PAGE, .pages = 10};
	(void)state;
	for (unsigned rows = 1; rows <= 25; rows++) {
		uint64_t next = b.lo;
		b.rows = rows;
		for (unsigned r = 0; r < rows; r++) {
			uint64_t lo, hi;
			dtl_heatmap_row_range(&b, r, &lo, &hi);
			assert_true(lo < hi);
			/* contiguous, or the same page again */
			assert_true(lo == next || (rows > 10 && hi == next));
			next = hi;
			for (uint64_t a = lo; a < hi; a += PAGE) {
				int first = dtl_heatmap_row_of(&b, a);
				assert_true(first >= 0 && (unsigned)first <= r);
				if (rows <= 10)
					assert_int_equal(first, r);
			}
		}
		assert_int_equal(next, b.hi);
	}
}

/* More mappings than rows: the busiest kept, the rest counted. */
static void test_too_many_bands(void **state)
{
	struct dtl_pf_model *m = model_new("many");
	struct dtl_heatmap_opts o = {.width = 8, .height = 5, .band_gap = 1, .min_band = 3};
	struct dtl_heatmap h;
	(void)state;
	for (unsigned i = 0; i < 8; i++) {
		char name[16];
		snprintf(name, sizeof(name), "lib%u.so text", i);
		uint32_t map = add_mapping(m, 1, 0x100000 * (i + 1), 4, DTL_PF_TEXT, name);
		for (unsigned k = 0; k <= i; k++)
			add_sample(m, k, 0x100000 * (i + 1) + (k % 4) * PAGE, map, DTL_PF_EXEC);
	}
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 5);
	assert_int_equal(h.nhidden_bands, 3);
	assert_int_equal(h.nhidden, 1 + 2 + 3);
	assert_string_equal(h.bands[0].name, "lib3.so text");
	for (size_t i = 0; i < h.nbands; i++) {
		assert_int_equal(h.bands[i].rows, 1);
		assert_int_equal(h.bands[i].y0, i);
	}
	dtl_heatmap_free(&h);
	model_free(m);
}

/* An access scan: pages per cell over the columns of each interval, first touches marked. */
static void test_scan(void **state)
{
	struct dtl_pf_model *m = model_new("scan");
	struct dtl_heatmap_opts o = {.width = 10, .height = 8};
	struct dtl_heatmap h;
	uint32_t map = add_mapping(m, 1, 0x200000, 4, DTL_PF_HEAP, "heap");
	uint32_t other = add_mapping(m, 1, 0x300000, 4, DTL_PF_ANON, "[anon]");
	(void)state;
	m->interval_ns = 200;
	m->end_ns = 1000;
	add_sample(m, 50, 0x200000, map, DTL_PF_WRITE);
	add_scan(m, 200, 0x200000, map, true);  /* columns 0-1 */
	add_scan(m, 400, 0x201000, map, false); /* columns 2-3 */
	add_scan(m, 400, 0x300000, other, false);
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_true(h.scan);
	assert_int_equal(h.nbands, 2); /* [anon]: scanned, never first touched */
	assert_int_equal(h.bands[0].accessed, 2);
	assert_int_equal(h.bands[0].dirty, 1);
	assert_int_equal(h.bands[1].accessed, 1);
	const struct dtl_heatmap_band *b = &h.bands[0];
	int r0 = dtl_heatmap_row_of(b, 0x200000), r1 = dtl_heatmap_row_of(b, 0x201000);
	unsigned y0 = b->y0 + (unsigned)r0, y1 = b->y0 + (unsigned)r1;
	assert_int_equal(h.accessed[y0 * 10 + 0], 1);
	assert_int_equal(h.accessed[y0 * 10 + 1], 1);
	assert_int_equal(h.accessed[y0 * 10 + 2], 0);
	assert_int_equal(h.dirty[y0 * 10 + 0], 1);
	assert_int_equal(h.accessed[y1 * 10 + 2], 1);
	assert_int_equal(h.accessed[y1 * 10 + 3], 1);
	assert_int_equal(h.dirty[y1 * 10 + 2], 0);
	assert_int_equal(h.first[y0 * 10 + 0], DTL_PF_WRITE);
	assert_int_equal(h.max_scan, 1);
	dtl_heatmap_free(&h);
	/* without the scan: only the first touches' band */
	o.no_scan = true;
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_false(h.scan);
	assert_int_equal(h.nbands, 1);
	dtl_heatmap_free(&h);
	model_free(m);
}

/* The log scale and its steps agree with each other. */
static void test_scale(void **state)
{
	(void)state;
	assert_true(dtl_heatmap_level(0, 100) < 0);
	assert_true(dtl_heatmap_level(1, 100) == 0);
	assert_true(dtl_heatmap_level(100, 100) == 1);
	assert_true(dtl_heatmap_level(10, 100) > 0.49 && dtl_heatmap_level(10, 100) < 0.51);
	assert_int_equal(dtl_heatmap_step(1, 1, 9), 0);
	assert_int_equal(dtl_heatmap_step(2, 2, 9), 8);
	assert_int_equal(dtl_heatmap_step(0, 1, 9), -1);
	for (uint32_t max = 1; max < 3000; max = max * 3 + 1) {
		for (unsigned s = 0; s < 9; s++) {
			uint32_t lo = dtl_heatmap_step_min(s, max, 9);
			if (!lo)
				continue;
			assert_int_equal(dtl_heatmap_step(lo, max, 9), s);
			if (lo > 1)
				assert_true(dtl_heatmap_step(lo - 1, max, 9) < (int)s);
		}
		assert_int_equal(dtl_heatmap_step_min(0, max, 9), 1);
		assert_int_equal(dtl_heatmap_step(max, max, 9), max > 1 ? 8 : 0);
	}
}

static void test_ticks(void **state)
{
	struct dtl_heatmap h = {.width = 100, .height = 1, .t_end_ns = 1000000000};
	struct dtl_heatmap_tick t[32];
	(void)state;
	size_t n = dtl_heatmap_ticks(&h, 10, t, 32);
	assert_int_equal(n, 10);
	assert_string_equal(t[0].label, "0.0");
	assert_string_equal(t[3].label, "0.3");
	assert_int_equal(t[3].x, 30);
	h.t_end_ns = 42ull * 1000000000;
	n = dtl_heatmap_ticks(&h, 20, t, 32);
	assert_int_equal(n, 5);
	assert_string_equal(t[1].label, "10");
	assert_int_equal(t[1].x, 23);
}

/* a model with a few bands and both kinds of touches */
static struct dtl_pf_model *busy_model(void)
{
	struct dtl_pf_model *m = model_new("./bench --size 64M");
	uint32_t text = add_mapping(m, 1, 0x555555554000, 40, DTL_PF_TEXT, "bench text");
	uint32_t libc = add_mapping(m, 1, 0x7ffff7c28000, 400, DTL_PF_TEXT, "libc.so.6 text");
	uint32_t heap = add_mapping(m, 1, 0x555555600000, 16384, DTL_PF_HEAP, "heap");
	uint32_t stack = add_mapping(m, 1, 0x7ffffffde000, 33, DTL_PF_STACK, "stack");
	for (unsigned i = 0; i < 40; i++)
		add_sample(m, i * 1000, 0x555555554000 + i * PAGE, text, DTL_PF_EXEC);
	for (unsigned i = 0; i < 300; i++)
		add_sample(m, 5000 + i * 997, 0x7ffff7c28000 + ((i * 7) % 400) * PAGE, libc,
		           DTL_PF_EXEC);
	for (unsigned i = 0; i < 16384; i++)
		add_sample(m, 100000 + (uint64_t)i * 50000, 0x555555600000 + (uint64_t)i * PAGE,
		           heap, i % 3 ? DTL_PF_WRITE : DTL_PF_READ);
	for (unsigned i = 0; i < 8; i++)
		add_sample(m, i * 3000, 0x7fffffffe000 - i * PAGE, stack, DTL_PF_WRITE);
	m->end_ns = 1000000000;
	return m;
}

static char *temp_dir(void)
{
	char *dir = strdup("/tmp/test_pf_heatmap.XXXXXX");
	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* The PNG as libpng reads it back: the promised size, not one colour. */
static void test_png_roundtrip(void **state)
{
	struct dtl_pf_model *m = busy_model();
	struct dtl_heatmap_opts o = {.width = 300, .height = 200};
	char *dir = temp_dir(), path[256], err[256] = "";
	unsigned w, h;
	png_image img;
	(void)state;
	snprintf(path, sizeof(path), "%s/heat.png", dir);
	assert_int_equal(dtl_heatmap_png(m, &o, path, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	dtl_heatmap_png_size(&o, &w, &h);
	assert_int_equal(w, DTL_HEATMAP_PNG_LEFT + 2 * 300 + DTL_HEATMAP_PNG_GAP +
	                        DTL_HEATMAP_PNG_RIGHT);
	assert_int_equal(h, DTL_HEATMAP_PNG_TOP + 200 + DTL_HEATMAP_PNG_BOTTOM);

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_file(&img, path));
	assert_int_equal(img.width, w);
	assert_int_equal(img.height, h);
	img.format = PNG_FORMAT_RGB;
	uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
	assert_non_null(px);
	assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
	/* the plot's first row, over the reads panel: some cells coloured (not white, not grey) */
	size_t coloured = 0;
	for (unsigned y = DTL_HEATMAP_PNG_TOP; y < DTL_HEATMAP_PNG_TOP + 200; y++)
		for (unsigned x = DTL_HEATMAP_PNG_LEFT; x < DTL_HEATMAP_PNG_LEFT + 300; x++) {
			const uint8_t *p = px + ((size_t)y * w + x) * 3;
			if (p[0] != p[1] || p[1] != p[2])
				coloured++;
		}
	assert_true(coloured > 100);
	free(px);
	/* the file alone: no temporary left */
	assert_int_equal(dir_entries(dir), 1);

	/* with a scan too */
	m->interval_ns = 100000000;
	for (unsigned k = 1; k <= 10; k++)
		for (unsigned i = 0; i < 16384; i += 37)
			add_scan(m, k * 100000000, 0x555555600000 + (uint64_t)i * PAGE, 2, i % 2);
	assert_int_equal(dtl_heatmap_png(m, &o, path, err, sizeof(err)), 0);
	assert_int_equal(dir_entries(dir), 1);
	unlink(path);
	rmdir(dir);
	free(dir);
	model_free(m);
}

static void test_png_errors(void **state)
{
	struct dtl_pf_model *m = busy_model();
	struct dtl_heatmap_opts o = {.width = 100, .height = 50};
	char err[256] = "";
	char *dir = temp_dir(), path[256];
	(void)state;
	assert_int_equal(dtl_heatmap_png(m, &o, "/nonexistent/dir/x.png", err, sizeof(err)), -1);
	assert_string_equal(err, "cannot write /nonexistent/dir/x.png: No such file or directory");

	snprintf(path, sizeof(path), "%s/zero.png", dir);
	o.width = 0;
	assert_int_equal(dtl_heatmap_png(m, &o, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "width and height must be"));
	assert_non_null(strstr(err, "0x50"));
	o.width = 100;
	o.height = 0;
	assert_int_equal(dtl_heatmap_png(m, &o, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "100x0"));
	assert_int_equal(dir_entries(dir), 0);

	/* a directory where the file should go: nothing left behind */
	o.height = 50;
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(dtl_heatmap_png(m, &o, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot write"));
	assert_non_null(strstr(err, "Is a directory"));
	assert_int_equal(dir_entries(dir), 1);
	rmdir(path);
	rmdir(dir);
	free(dir);
	model_free(m);
}

static char *render_text(const struct dtl_pf_model *m, const struct dtl_heatmap_opts *o,
                         bool colour)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(dtl_heatmap_text(m, o, f, colour), 0);
	fclose(f);
	return buf;
}

static void test_text(void **state)
{
	struct dtl_pf_model *m = busy_model();
	struct dtl_heatmap_opts o = {.width = 60, .height = 24};
	struct dtl_heatmap h;
	(void)state;
	char *s = render_text(m, &o, false);
	assert_int_equal(dtl_heatmap_layout(m, &o, &h), 0);
	assert_int_equal(h.nbands, 4);
	for (size_t i = 0; i < h.nbands; i++) {
		assert_non_null(strstr(s, h.bands[i].name));
		assert_non_null(strstr(s, h.bands[i].range));
	}
	assert_non_null(strstr(s, "libc.so.6 text 0x7ffff7c28000-0x7ffff7db8000"));
	assert_non_null(strstr(s, "page faults: ./bench --size 64M\n"));
	assert_non_null(strstr(s, "reads and exec: 5802 first touches\n"));
	assert_non_null(strstr(s, "writes: 10930 first touches\n"));
	assert_non_null(strstr(s, "\nscale (first touches per cell, log): ' ' none, '.' 1"));
	assert_non_null(strstr(s, "0.0s"));
	assert_null(strchr(s, '\033'));
	/* every plot row the same width */
	size_t rows = 0;
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		char *bar = strchr(line, '|');
		if (!bar || strncmp(line, "scale", 5) == 0)
			continue;
		assert_int_equal(strlen(bar), 60 + 2);
		rows++;
	}
	assert_int_equal(rows, 2 * 24);
	free(s);

	s = render_text(m, &o, true);
	assert_non_null(strstr(s, "\033[48;5;"));
	assert_non_null(strstr(s, "scale (first touches per cell, log): none, "));
	for (size_t i = 0; i < h.nbands; i++) {
		assert_non_null(strstr(s, h.bands[i].name));
		assert_non_null(strstr(s, h.bands[i].range));
	}
	free(s);
	dtl_heatmap_free(&h);

	o.height = 0;
	errno = 0;
	assert_int_equal(dtl_heatmap_text(m, &o, stdout, false), -1);
	assert_int_equal(errno, EINVAL);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sweep_diagonal), cmocka_unit_test(test_two_mappings_alternating),
	    cmocka_unit_test(test_merge),          cmocka_unit_test(test_range),
	    cmocka_unit_test(test_reads_writes),   cmocka_unit_test(test_rows_cover_pages),
	    cmocka_unit_test(test_too_many_bands), cmocka_unit_test(test_scan),
	    cmocka_unit_test(test_scale),          cmocka_unit_test(test_ticks),
	    cmocka_unit_test(test_png_roundtrip),  cmocka_unit_test(test_png_errors),
	    cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
