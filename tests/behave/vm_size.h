/* SPDX-License-Identifier: MIT */
/* VmSize of /proc/self/status in KiB, or -1: for tests that check that
 * something done many times leaves the address space as it was. */
#ifndef DTL_TEST_VM_SIZE_H
#define DTL_TEST_VM_SIZE_H

#include <stdio.h>
#include <string.h>

static inline long vm_size_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmSize:", 7))
			sscanf(line + 7, "%ld", &kib);
	if (f)
		fclose(f);
	return kib;
}

#endif
