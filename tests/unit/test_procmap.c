// SPDX-License-Identifier: MIT
#include <dune/procmap.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

static void parses_file_mapping(void **state)
{
	(void)state;
	char line[] = "55d0c8a00000-55d0c8a21000 r-xp 00002000 fe:01 1314     /usr/bin/cat\n";
	struct dune_procmap_entry e;

	assert_int_equal(dune_procmap_parse_line(line, &e), 0);
	assert_int_equal(e.begin, 0x55d0c8a00000UL);
	assert_int_equal(e.end, 0x55d0c8a21000UL);
	assert_true(e.r);
	assert_false(e.w);
	assert_true(e.x);
	assert_false(e.shared);
	assert_int_equal(e.offset, 0x2000);
	assert_int_equal(e.dev_major, 0xfe);
	assert_int_equal(e.dev_minor, 1);
	assert_int_equal(e.inode, 1314);
	assert_string_equal(e.path, "/usr/bin/cat");
	assert_int_equal(e.kind, DUNE_MAP_FILE);
}

static void parses_anonymous_and_named(void **state)
{
	(void)state;
	char anon[] = "7f1e2c000000-7f1e2c021000 rw-p 00000000 00:00 0 ";
	char shared[] = "7f1e2d000000-7f1e2d001000 rw-s 00000000 00:01 77   /memfd:ring (deleted)";
	char stack[] =
	    "7ffd1a6f2000-7ffd1a713000 rw-p 00000000 00:00 0                          [stack]";
	char vsys[] = "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0   [vsyscall]";
	char vvar[] = "7ffd1a7f0000-7ffd1a7f4000 r--p 00000000 00:00 0  [vvar]";
	char other[] = "7ffd1a7f0000-7ffd1a7f4000 r--p 00000000 00:00 0  [anon:glibc]";
	struct dune_procmap_entry e;

	assert_int_equal(dune_procmap_parse_line(anon, &e), 0);
	assert_int_equal(e.kind, DUNE_MAP_ANON);
	assert_string_equal(e.path, "");
	assert_int_equal(dune_procmap_parse_line(shared, &e), 0);
	assert_true(e.shared);
	assert_int_equal(e.kind, DUNE_MAP_FILE);
	assert_string_equal(e.path, "/memfd:ring (deleted)");
	assert_int_equal(dune_procmap_parse_line(stack, &e), 0);
	assert_int_equal(e.kind, DUNE_MAP_STACK);
	assert_int_equal(dune_procmap_parse_line(vsys, &e), 0);
	assert_int_equal(e.kind, DUNE_MAP_VSYSCALL);
	assert_false(e.r);
	assert_true(e.x);
	assert_int_equal(e.begin, 0xffffffffff600000UL);
	assert_int_equal(dune_procmap_parse_line(vvar, &e), 0);
	assert_int_equal(e.kind, DUNE_MAP_VVAR);
	assert_int_equal(dune_procmap_parse_line(other, &e), 0);
	assert_int_equal(e.kind, DUNE_MAP_OTHER);
}

static void rejects_malformed_lines(void **state)
{
	(void)state;
	const char *bad[] = {
	    "",
	    "garbage",
	    "1000-2000",
	    "1000-2000 rwxp",
	    "1000-2000 rwzp 00000000 00:00 0",
	    "2000-1000 rw-p 00000000 00:00 0",                    /* begin > end */
	    "1001-2000 rw-p 00000000 00:00 0",                    /* unaligned */
	    "1000+2000 rw-p 00000000 00:00 0",                    /* wrong separator */
	    "1000-2000 rw-p 00000000 0000 0",                     /* no ':' in the device */
	    "11112222333344445-11112222333344446 rw-p 0 00:00 0", /* over 64 bits */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char copy[128];
		struct dune_procmap_entry e;
		snprintf(copy, sizeof(copy), "%s", bad[i]);
		if (dune_procmap_parse_line(copy, &e) != -EINVAL)
			fail_msg("accepted malformed line \"%s\"", bad[i]);
	}
}

struct find_ctx {
	uintptr_t addr;
	struct dune_procmap_entry found;
	char path[256];
	int seen;
	uintptr_t last_end;
	int ordered;
};

static int find_cb(const struct dune_procmap_entry *e, void *arg)
{
	struct find_ctx *c = arg;
	c->seen++;
	if (e->begin < c->last_end)
		c->ordered = 0;
	c->last_end = e->end;
	if (c->addr >= e->begin && c->addr < e->end) {
		c->found = *e;
		snprintf(c->path, sizeof(c->path), "%s", e->path);
	}
	return 0;
}

/* The iterator must see a mapping we create, with the protection we gave it. */
static void iterates_own_mappings(void **state)
{
	(void)state;
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 3 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_ptr_not_equal(m, MAP_FAILED);
	assert_int_equal(mprotect(m + pg, pg, PROT_READ | PROT_WRITE), 0);

	struct find_ctx c = {.addr = (uintptr_t)m + pg, .ordered = 1};
	assert_int_equal(dune_procmap_iterate(find_cb, &c), 0);
	assert_true(c.seen > 3);
	assert_true(c.ordered);
	assert_int_equal(c.found.begin, (uintptr_t)m + pg);
	assert_int_equal(c.found.end, (uintptr_t)m + 2 * pg);
	assert_true(c.found.w);

	c = (struct find_ctx){.addr = (uintptr_t)&iterates_own_mappings, .ordered = 1};
	assert_int_equal(dune_procmap_iterate(find_cb, &c), 0);
	assert_true(c.found.x);
	assert_int_equal(c.found.kind, DUNE_MAP_FILE);
	assert_non_null(strstr(c.path, "test_procmap"));
	munmap(m, 3 * pg);
}

static int stop_at_third(const struct dune_procmap_entry *e, void *arg)
{
	(void)e;
	return ++*(int *)arg == 3 ? 42 : 0;
}

static void callback_can_stop(void **state)
{
	(void)state;
	int n = 0;
	assert_int_equal(dune_procmap_iterate(stop_at_third, &n), 42);
	assert_int_equal(n, 3);
}

/* Lines that straddle the reader's internal buffer are reassembled. */
static void long_paths_across_reads(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/dtl-maps-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	unlink(tmpl);
	char path[3001];
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	for (int i = 0; i < 20; i++)
		dprintf(fd, "%x000-%x000 r--p 00000000 00:00 %d %s\n", i + 1, i + 2, i, path);
	lseek(fd, 0, SEEK_SET);
	struct find_ctx c = {.addr = 0x14000, .ordered = 1};
	assert_int_equal(dune_procmap_iterate_fd(fd, find_cb, &c), 0);
	assert_int_equal(c.seen, 20);
	assert_int_equal(c.found.inode, 19);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_file_mapping),     cmocka_unit_test(parses_anonymous_and_named),
	    cmocka_unit_test(rejects_malformed_lines), cmocka_unit_test(iterates_own_mappings),
	    cmocka_unit_test(callback_can_stop),       cmocka_unit_test(long_paths_across_reads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
