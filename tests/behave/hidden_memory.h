/* SPDX-License-Identifier: MIT */
/*
 * Every mapping a program's /proc/self/maps does not show: each gap between
 * the mappings it sees is claimed with MAP_FIXED_NOREPLACE, which fails
 * with EEXIST where anything is mapped, and bisected down to where it is.
 * Natively there is none; inside Dune the runtime's memory is such memory.
 * For the tests that go looking for it (map_over_runtime, hostile_ring).
 */
#ifndef DTL_TEST_HIDDEN_MEMORY_H
#define DTL_TEST_HIDDEN_MEMORY_H

#include <stdio.h>
#include <sys/mman.h>

#define HIDDEN_PAGE     4096UL
#define HIDDEN_USER_TOP (1UL << 47)

typedef void (*hidden_range_fn)(unsigned long lo, unsigned long hi);

/* [lo, hi) lies in a gap of the maps the program sees: @found for what is
 * mapped in there (a whole range at once where mincore says all of it is) */
static inline void hidden_probe(unsigned long lo, unsigned long hi, hidden_range_fn found)
{
	static unsigned char vec[1 << 18]; /* mincore of up to 1 GiB */
	if (lo >= hi)
		return;
	void *p = mmap((void *)lo, hi - lo, PROT_NONE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != MAP_FAILED) {
		munmap(p, hi - lo);
		if (p == (void *)lo)
			return; /* free */
	}
	if (hi - lo == HIDDEN_PAGE ||
	    (hi - lo <= sizeof(vec) * HIDDEN_PAGE && mincore((void *)lo, hi - lo, vec) == 0)) {
		found(lo, hi);
		return;
	}
	unsigned long mid = lo + ((hi - lo) / 2 & ~(HIDDEN_PAGE - 1));
	hidden_probe(lo, mid, found);
	hidden_probe(mid, hi, found);
}

/* @found for every range of memory mapped outside /proc/self/maps */
static inline void hidden_memory(hidden_range_fn found)
{
	static unsigned long maps[4096][2];
	int n = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && n < 4096 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &maps[n][0], &maps[n][1]) == 2)
			n++;
	if (f)
		fclose(f);
	unsigned long prev = 0x10000; /* vm.mmap_min_addr's default */
	for (int i = 0; i < n && maps[i][0] < HIDDEN_USER_TOP; i++) {
		hidden_probe(prev, maps[i][0], found);
		prev = maps[i][1];
	}
}

#endif
