// SPDX-License-Identifier: MIT
/* What the program sees of itself is what it would see natively (issue 11,
 * items 23 and 27): its maps, smaps and numa_maps, by self, thread-self or pid, show
 * none of the runtime's mappings; its environment has neither the injected
 * library in LD_PRELOAD nor the runtime's variables; the maps file is
 * read-only (write and splice into it fail with EBADF, mode 0444); nor has
 * the block of /proc/self/environ; /proc/self/status counts its one thread
 * (not KVM's task in its thread group) and /proc/self/limits shows the
 * RLIMIT_AS it set. compare.sh's own DTL_BEHAVE is the one variable of ours
 * it may see. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* lines that name the runtime, or -1 if the file cannot be read */
static int runtime_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[4096];
	int n = 0, lines = 0;
	while (fgets(line, sizeof(line), f)) {
		lines++;
		n += strstr(line, "inject") || strstr(line, "dune") || strstr(line, "kvm") ||
		     strstr(line, "dtl");
	}
	fclose(f);
	return lines ? n : -1;
}

int main(void)
{
	char path[64];
	static const char *const views[] = {"maps", "smaps", "numa_maps"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/self/%s", views[i]);
		printf("%s: %d\n", path, runtime_lines(path));
		snprintf(path, sizeof(path), "/proc/thread-self/%s", views[i]);
		printf("/proc/thread-self/%s: %d\n", views[i], runtime_lines(path));
		snprintf(path, sizeof(path), "/proc/%d/%s", getpid(), views[i]);
		printf("/proc/PID/%s: %d\n", views[i], runtime_lines(path));
	}
	int env_runtime = 0;
	for (char **e = environ; *e; e++)
		env_runtime += (!strncmp(*e, "DTL_", 4) && strncmp(*e, "DTL_BEHAVE=", 11)) ||
		               !strncmp(*e, "DUNE_", 5) ||
		               (!strncmp(*e, "LD_PRELOAD=", 11) && strstr(*e, "inject"));
	printf("runtime variables in the environment: %d\n", env_runtime);
	FILE *f = fopen("/proc/self/environ", "r");
	char var[8192];
	size_t k = 0;
	int c, block_runtime = 0;
	while (f && (c = fgetc(f)) != EOF) {
		if (c && k < sizeof(var) - 1) {
			var[k++] = (char)c;
			continue;
		}
		var[k] = 0;
		k = 0;
		block_runtime += (!strncmp(var, "DTL_", 4) && strncmp(var, "DTL_BEHAVE=", 11)) ||
		                 !strncmp(var, "DUNE_", 5) ||
		                 (!strncmp(var, "LD_PRELOAD=", 11) && strstr(var, "inject"));
	}
	if (f)
		fclose(f);
	printf("runtime variables in /proc/self/environ: %d\n", block_runtime);
	struct rlimit as = {200UL << 20, RLIM_INFINITY};
	setrlimit(RLIMIT_AS, &as);
	char line[512];
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Threads:", 8))
			printf("status: %s", line);
	if (f)
		fclose(f);
	/* smaps_rollup's Rss is the sum of smaps' (no runtime in either: its
	 * resident part is some 440 kB under dune-run on PVM) */
	long sum = 0, rollup = 0, v;
	f = fopen("/proc/self/smaps", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Rss: %ld kB", &v) == 1)
			sum += v;
	if (f)
		fclose(f);
	f = fopen("/proc/self/smaps_rollup", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Rss: %ld kB", &v) == 1)
			rollup = v;
	if (f)
		fclose(f);
	printf("smaps_rollup Rss within 256 kB of the sum of smaps: %s\n",
	       rollup - sum < 256 && sum - rollup < 256 ? "yes" : "no");
	f = fopen("/proc/self/limits", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Max address space", 17))
			printf("limits: %s", line);
	if (f)
		fclose(f);

	int fd = open("/proc/self/maps", O_RDONLY);
	struct stat st;
	fstat(fd, &st);
	printf("maps: mode %o\n", st.st_mode & 0777);
	ssize_t w = write(fd, "x", 1);
	printf("write: %zd %s\n", w, w < 0 ? strerror(errno) : "");
	int p[2];
	if (pipe(p) == 0 && write(p[1], "abc", 3) == 3) {
		ssize_t s = splice(p[0], NULL, fd, NULL, 3, 0);
		printf("splice: %zd %s\n", s, s < 0 ? strerror(errno) : "");
	}
	return 0;
}
