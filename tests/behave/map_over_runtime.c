// SPDX-License-Identifier: MIT
/* A program that changes memory it does not know is taken gets an error,
 * never a crash (issue 11, item 28). It looks for mapped memory that its
 * /proc/self/maps does not show (mincore, in 2 MiB steps across 32 GiB
 * around libc) and tries mprotect, MAP_FIXED and munmap
 * there. Natively there is none; inside Dune the runtime's memory is such
 * memory, and every attempt must fail with ENOMEM (a note on stderr, which
 * this program sends to /dev/null, says why). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define STEP (2UL << 20)

static unsigned long ranges[4096][2];
static int nranges;

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

static int in_maps(unsigned long a)
{
	for (int i = 0; i < nranges; i++)
		if (a >= ranges[i][0] && a < ranges[i][1])
			return 1;
	return 0;
}

int main(void)
{
	read_maps();
	/* the mmap area, where the kernel put libc and everything else mapped
	 * without an address: 16 GiB on either side of libc */
	unsigned long libc = (unsigned long)&printf & ~(STEP - 1);
	unsigned long top = libc + (16UL << 30);
	if (top > (1UL << 47) - STEP)
		top = (1UL << 47) - STEP;
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	int attempts = 0, refused = 0;
	unsigned char vec;
	for (unsigned long a = top & ~(STEP - 1); a > libc - (16UL << 30); a -= STEP) {
		if (mincore((void *)a, 4096, &vec) != 0 || in_maps(a))
			continue;
		/* mapped, and not the program's: try to take it */
		attempts += 3;
		refused += mprotect((void *)a, 4096, PROT_NONE) < 0 && errno == ENOMEM;
		refused += mmap((void *)a, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		                -1, 0) == MAP_FAILED &&
		           errno == ENOMEM;
		refused += munmap((void *)a, 4096) < 0 && errno == ENOMEM;
	}
	dup2(saved, 2);
	printf("every attempt on memory outside /proc/self/maps refused: %s\n",
	       attempts == refused ? "yes" : "no");
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(p, "the program's own memory still works");
	printf("%s\n", p);
	return 0;
}
