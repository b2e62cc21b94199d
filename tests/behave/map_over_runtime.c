// SPDX-License-Identifier: MIT
/* A program that changes memory it does not know is taken gets an error,
 * never a crash (issue 11, item 28). It finds every mapping its
 * /proc/self/maps does not show: each gap between the mappings it sees is
 * claimed with MAP_FIXED_NOREPLACE, which fails with EEXIST where anything
 * is mapped, and bisected down to the page where it does. On each such
 * mapping it tries mprotect, MAP_FIXED and munmap. Natively there is none;
 * inside Dune the runtime's memory (its region, monitor stacks, the vCPUs'
 * run areas, a tracer's ring) is such memory, and every attempt must fail
 * with ENOMEM (a note on stderr, which this program sends to /dev/null, says
 * why). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE     4096UL
#define USER_TOP (1UL << 47)

static unsigned long ranges[4096][2];
static int nranges;
static int found, attempts, refused;
static unsigned char vec[1 << 18]; /* mincore of up to 1 GiB */

static void read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	while (f && nranges < 4096 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &ranges[nranges][0], &ranges[nranges][1]) == 2)
			nranges++;
	if (f)
		fclose(f);
}

static void try_to_take(unsigned long lo, unsigned long hi)
{
	found++;
	attempts += 4;
	refused += mprotect((void *)lo, PAGE, PROT_NONE) < 0 && errno == ENOMEM;
	refused += mprotect((void *)lo, hi - lo, PROT_READ) < 0 && errno == ENOMEM;
	refused += mmap((void *)lo, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
	                0) == MAP_FAILED &&
	           errno == ENOMEM;
	refused += munmap((void *)lo, PAGE) < 0 && errno == ENOMEM;
}

/* [lo, hi) lies in a gap of the maps the program sees */
static void probe(unsigned long lo, unsigned long hi)
{
	if (lo >= hi)
		return;
	void *p = mmap((void *)lo, hi - lo, PROT_NONE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != MAP_FAILED) {
		munmap(p, hi - lo);
		if (p == (void *)lo)
			return; /* free */
	}
	/* something is mapped in there: all of it, or bisect */
	if (hi - lo == PAGE ||
	    (hi - lo <= sizeof(vec) * PAGE && mincore((void *)lo, hi - lo, vec) == 0)) {
		try_to_take(lo, hi);
		return;
	}
	unsigned long mid = lo + ((hi - lo) / 2 & ~(PAGE - 1));
	probe(lo, mid);
	probe(mid, hi);
}

int main(void)
{
	read_maps();
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	unsigned long prev = 0x10000; /* vm.mmap_min_addr's default */
	for (int i = 0; i < nranges && ranges[i][0] < USER_TOP; i++) {
		probe(prev, ranges[i][0]);
		prev = ranges[i][1];
	}
	dup2(saved, 2);
	printf("every attempt on memory outside /proc/self/maps refused: %s\n",
	       attempts == refused ? "yes" : "no");
	const char *way = getenv("DTL_BEHAVE");
	if (way && strcmp(way, "native") != 0 && !found)
		printf("found none of the runtime's memory: the probe is broken\n");
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(p, "the program's own memory still works");
	printf("%s\n", p);
	return 0;
}
