// SPDX-License-Identifier: MIT
/* mlockall(MCL_CURRENT | MCL_FUTURE) locks the program's memory: a small
 * program has a few MiB locked and resident afterwards, not the runtime's
 * ~290 MiB reservation on top (issue 11, item 24). */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n))
			sscanf(line + n, ": %ld", &kb);
	if (f)
		fclose(f);
	return kb;
}

int main(void)
{
	struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
	setrlimit(RLIMIT_MEMLOCK, &unlimited); /* as root; otherwise the limit stands */
	int r = mlockall(MCL_CURRENT | MCL_FUTURE);
	long locked = status_kb("VmLck"), rss = status_kb("VmRSS");
	printf("mlockall: %s\n", r == 0 ? "ok" : "failed");
	if (r == 0)
		printf("locked under 64 MiB: %s; resident under 64 MiB: %s\n",
		       locked >= 0 && locked < 65536 ? "yes" : "no",
		       rss >= 0 && rss < 65536 ? "yes" : "no");
	munlockall();
	return 0;
}
