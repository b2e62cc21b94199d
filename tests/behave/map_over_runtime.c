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

#include "hidden_memory.h"

#define PAGE HIDDEN_PAGE

static int found, attempts, refused;

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

int main(void)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	hidden_memory(try_to_take);
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
