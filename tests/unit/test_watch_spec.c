// SPDX-License-Identifier: MIT
/*
 * Watchpoints on their way to the runtime (watch/spec.c: the ring's
 * configuration lines) and the expressions' syntax (watch/expr.c), and the
 * ELF symbol lookup that resolves them (watch/elf_symbols.c), on this test's
 * own executable.
 */
#include <dtl/ctype.h>
#include <dtl/elf_symbols.h>
#include <dtl/event.h>
#include <dtl/watch_expr.h>
#include <dtl/watch_spec.h>

#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

int watched_global = 5;
enum mood { CALM = 1, ANGRY = 7 };
struct limits {
	short lo;
	unsigned char flag;
	enum mood mood;
	long max[3];
};
struct limits watched_limits[2] = {{.lo = -3, .flag = 'x', .mood = ANGRY, .max = {1, 2, 3}}};
static long watched_static[4] __attribute__((used));

/* a local kept in memory, for FUNC:LOCAL */
__attribute__((noinline)) long with_local(int n)
{
	volatile long tok = n;
	tok = tok + 1;
	return tok;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct dtl_watch_spec w = {.id = 3,
	                           .access = DTL_ACCESS_READ | DTL_ACCESS_WRITE,
	                           .how = DTL_WATCH_PAGE,
	                           .offset = 0x10,
	                           .len = 8},
	                      back;
	strcpy(w.object, "libfoo.so");
	strcpy(w.symbol, "cfg");
	char line[512];
	int n = dtl_watch_spec_format(&w, line, sizeof(line));
	assert_true(n > 0);
	assert_string_equal(line, "watch\t3 rw page 10 8 libfoo.so cfg\n");
	/* the value part, without the newline */
	assert_int_equal(dtl_watch_spec_parse(&back, line + 6, (size_t)n - 7), 0);
	assert_memory_equal(&w, &back, sizeof(w));

	/* an address: no object, no symbol */
	struct dtl_watch_spec a = {.id = 1, .access = DTL_ACCESS_WRITE, .offset = 0x7f00, .len = 4};
	n = dtl_watch_spec_format(&a, line, sizeof(line));
	assert_string_equal(line, "watch\t1 w auto 7f00 4 - -\n");
	assert_int_equal(dtl_watch_spec_parse(&back, line + 6, (size_t)n - 7), 0);
	assert_memory_equal(&a, &back, sizeof(a));

	/* names that would break the line are refused */
	/* a condition */
	w.cond_op = DTL_COND_LE;
	w.cond_signed = 1;
	w.cond_value = (uint64_t)-5;
	n = dtl_watch_spec_format(&w, line, sizeof(line));
	assert_string_equal(line, "watch\t3 rw page 10 8 libfoo.so cfg if le fffffffffffffffb s\n");
	assert_int_equal(dtl_watch_spec_parse(&back, line + 6, (size_t)n - 7), 0);
	assert_memory_equal(&w, &back, sizeof(w));
	/* FUNC:LOCAL: the entry in its object, the local from the CFA */
	struct dtl_watch_spec l = {.id = 4,
	                           .access = DTL_ACCESS_WRITE,
	                           .offset = 0x1139,
	                           .len = 8,
	                           .local = 1,
	                           .from_cfa = -24};
	strcpy(l.object, "/usr/bin/app");
	n = dtl_watch_spec_format(&l, line, sizeof(line));
	assert_string_equal(line, "watch\t4 w auto 1139 8 /usr/bin/app - local -24\n");
	assert_int_equal(dtl_watch_spec_parse(&back, line + 6, (size_t)n - 7), 0);
	assert_memory_equal(&l, &back, sizeof(l));
	assert_int_equal(dtl_watch_spec_parse(&back, "4 w auto 1139 8 - - local x", 27), -1);
	strcpy(w.symbol, "a b");
	assert_int_equal(dtl_watch_spec_format(&w, line, sizeof(line)), -1);
	assert_int_equal(dtl_watch_spec_format(&a, line, 10), -1); /* no room */
}

static void test_parse_rejects(void **state)
{
	(void)state;
	struct dtl_watch_spec w;
	const char *bad[] = {
	    "",
	    "0 w auto 0 4 - x",       /* id 0 */
	    "1 x auto 0 4 - x",       /* access */
	    "1 w fast 0 4 - x",       /* how */
	    "1 w auto zz 4 - x",      /* offset */
	    "1 w auto 0 0 - x",       /* empty range */
	    "1 w auto 0 4 -",         /* a field short */
	    "1 w auto 0 4 - x extra", /* one too many */
	    "-1 w auto 0 4 - x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(dtl_watch_spec_parse(&w, bad[i], strlen(bad[i])), -1);
}

static void test_parse_all(void **state)
{
	(void)state;
	const char text[] = "other\tthing\n"
	                    "watch\t1 w auto 0 4 - counter\n"
	                    "watch\tgarbage\n"
	                    "watch\t2 r hw 8 2 libc.so.6 x\n"
	                    "watchers\t3 r hw 8 2 - y\n"
	                    "watch\t4 w auto 0 4 - last"; /* no final newline */
	struct dtl_watch_spec w[8];
	assert_int_equal(dtl_watch_spec_parse_all(text, strlen(text), w, 8), 3);
	assert_string_equal(w[0].symbol, "counter");
	assert_int_equal(w[1].how, DTL_WATCH_HW);
	assert_string_equal(w[1].object, "libc.so.6");
	assert_string_equal(w[2].symbol, "last");
	assert_int_equal(dtl_watch_spec_parse_all(text, strlen(text), w, 2), 2);
}

static void test_object_names(void **state)
{
	(void)state;
	assert_true(dtl_watch_object_names("", "/usr/lib/libfoo.so.1"));
	assert_true(dtl_watch_object_names("libfoo.so", "/usr/lib/libfoo.so.1"));
	assert_true(dtl_watch_object_names("libfoo.so", "/usr/lib/libfoo.so"));
	assert_false(dtl_watch_object_names("libfoo.so", "/usr/lib/libfoo.so2"));
	assert_false(dtl_watch_object_names("libfoo", "/usr/lib/libfoobar.so"));
	assert_true(dtl_watch_object_names("/usr/lib/libfoo.so.1", "/usr/lib/libfoo.so.1"));
	assert_false(dtl_watch_object_names("/lib/libfoo.so.1", "/usr/lib/libfoo.so.1"));
}

static void test_expr_syntax(void **state)
{
	(void)state;
	struct dtl_watch_spec w;
	char err[512];
	struct dtl_watch_parsed x;

	assert_int_equal(dtl_watch_expr_parse("counter", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(w.symbol, "counter");
	assert_int_equal(x.has_len, 0);
	assert_int_equal(
	    dtl_watch_expr_parse("parse:tok.x if tok.x == 3", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(w.symbol, "parse");
	assert_string_equal(x.local, "tok");
	assert_string_equal(x.path, ".x");
	assert_true(w.local && w.cond_op == DTL_COND_EQ);
	assert_int_equal(dtl_watch_expr_parse("parse.x:tok", &w, &x, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "FUNC:LOCAL names a function, then its local"));
	assert_int_equal(dtl_watch_expr_parse("parse:tok:cnt", &w, &x, err, sizeof(err)), -1);
	assert_int_equal(dtl_watch_expr_parse("buf+16:8", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(w.symbol, "buf");
	assert_int_equal(w.offset, 16);
	assert_int_equal(w.len, 8);
	assert_int_equal(dtl_watch_expr_parse("libfoo.so:state:0x10", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(w.object, "libfoo.so");
	assert_string_equal(w.symbol, "state");
	assert_int_equal(w.len, 16);
	assert_int_equal(dtl_watch_expr_parse("0x7fff0000:4", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(w.symbol, "");
	assert_int_equal(w.offset, 0x7fff0000);
	/* a static the compiler renamed */
	assert_int_equal(dtl_watch_expr_parse("completed.0", &w, &x, err, sizeof(err)), 0);

	/* conditions on the watched value */
	assert_int_equal(dtl_watch_expr_parse("state if state == 3", &w, &x, err, sizeof(err)), 0);
	assert_int_equal(w.cond_op, DTL_COND_EQ);
	assert_int_equal(w.cond_value, 3);
	assert_int_equal(dtl_watch_expr_parse("libfoo.so:n if n >= -2", &w, &x, err, sizeof(err)),
	                 0);
	assert_int_equal(w.cond_op, DTL_COND_GE);
	assert_int_equal((int64_t)w.cond_value, -2);
	assert_int_equal(
	    dtl_watch_expr_parse("cfg.state if cfg.state != DONE", &w, &x, err, sizeof(err)), 0);
	assert_int_equal(w.cond_op, DTL_COND_NE);
	assert_string_equal(x.cond_name, "DONE");
	assert_int_equal(dtl_watch_expr_parse("a if b == 1", &w, &x, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "on the watched value itself"));
	assert_int_equal(dtl_watch_expr_parse("a if a ~ 1", &w, &x, err, sizeof(err)), -1);
	uint8_t v[8] = {0xfe, 0xff, 0xff, 0xff}; /* -2 as an int */
	assert_true(dtl_watch_cond_holds(DTL_COND_LT, true, 0, v, 4));
	assert_false(dtl_watch_cond_holds(DTL_COND_LT, false, 0, v, 4));
	assert_true(dtl_watch_cond_holds(DTL_COND_EQ, true, (uint64_t)-2, v, 4));
	assert_true(dtl_watch_cond_holds(DTL_COND_NONE, true, 0, v, 4));

	/* errors point at the place */
	assert_int_equal(dtl_watch_expr_parse("counter:x1:y", &w, &x, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "one local of one function: FUNC:LOCAL"));
	assert_int_equal(dtl_watch_expr_parse("counter+:4", &w, &x, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\n  counter+:4\n          ^"));
	assert_int_equal(dtl_watch_expr_parse("0x10", &w, &x, err, sizeof(err)), -1);
	/* paths into it, for the DWARF */
	assert_int_equal(dtl_watch_expr_parse("cfg.limits[2].max", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(w.symbol, "cfg");
	assert_string_equal(x.path, ".limits[2].max");
	assert_int_equal(dtl_watch_expr_parse("a[3", &w, &x, err, sizeof(err)), -1);
	assert_int_equal(dtl_watch_expr_parse("p->x", &w, &x, err, sizeof(err)), -1);
	assert_int_equal(dtl_watch_expr_parse("x:0", &w, &x, err, sizeof(err)), -1);
	/* the static of one source file */
	assert_int_equal(dtl_watch_expr_parse("src/f.c::x.y", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(x.cu_file, "src/f.c");
	assert_string_equal(w.symbol, "x");
	assert_string_equal(x.path, ".y");
	assert_int_equal(dtl_watch_expr_parse("libfoo.so:f.c::x", &w, &x, err, sizeof(err)), 0);
	assert_string_equal(w.object, "libfoo.so");
	assert_string_equal(x.cu_file, "f.c");
	assert_int_equal(dtl_watch_expr_parse("::x", &w, &x, err, sizeof(err)), -1);
	assert_int_equal(dtl_watch_expr_parse("x junk", &w, &x, err, sizeof(err)), -1);
}

static void test_elf_symbols(void **state)
{
	(void)state;
	struct dtl_elf_symbol sym;
	struct dtl_elf_info info;
	const char *self = "/proc/self/exe";

	assert_int_equal(dtl_elf_symbol_find(self, "watched_global", &sym, &info), 0);
	assert_int_equal(sym.type, STT_OBJECT);
	assert_int_equal(sym.bind, STB_GLOBAL);
	assert_int_equal(sym.size, sizeof(watched_global));
	assert_true(info.has_symtab);
	/* a static, from .symtab */
	assert_int_equal(dtl_elf_symbol_find(self, "watched_static", &sym, &info), 0);
	assert_int_equal(sym.bind, STB_LOCAL);
	assert_int_equal(sym.size, sizeof(watched_static));
	assert_int_equal(dtl_elf_symbol_find(self, "main", &sym, NULL), 0);
	assert_int_equal(sym.type, STT_FUNC);
	assert_int_equal(dtl_elf_symbol_find(self, "no_such_symbol_here", &sym, NULL), -ENOENT);
	assert_int_equal(dtl_elf_symbol_find("/nonexistent", "x", &sym, NULL), -ENOENT);
	watched_static[0] = 1; /* used */
}

/* The DWARF of this executable (built with -g): paths, types, values. */
static void test_ctype(void **state)
{
	(void)state;
	static struct dtl_ctype t;
	uint64_t off;
	char err[256], out[256];
	const char *self = "/proc/self/exe";

	if (dtl_ctype_lookup(self, "watched_global", "", &off, &t, err, sizeof(err)) == -ENODATA)
		skip(); /* built without debug information */
	assert_int_equal(t.kind, DTL_CT_SIGNED);
	assert_int_equal(t.size, 4);
	assert_string_equal(t.name, "int");

	assert_int_equal(
	    dtl_ctype_lookup(self, "watched_limits", "[1].max[2]", &off, &t, err, sizeof(err)), 0);
	assert_int_equal(off,
	                 sizeof(struct limits) + offsetof(struct limits, max) + 2 * sizeof(long));
	assert_int_equal(t.kind, DTL_CT_SIGNED);
	assert_int_equal(t.size, sizeof(long));

	assert_int_equal(
	    dtl_ctype_lookup(self, "watched_limits", "[0].mood", &off, &t, err, sizeof(err)), 0);
	assert_int_equal(t.kind, DTL_CT_ENUM);
	dtl_ctype_format(&t, (const uint8_t *)&watched_limits[0].mood, 4, out, sizeof(out));
	assert_string_equal(out, "ANGRY");

	assert_int_equal(
	    dtl_ctype_lookup(self, "watched_limits", "[0]", &off, &t, err, sizeof(err)), 0);
	assert_int_equal(t.kind, DTL_CT_STRUCT);
	assert_string_equal(t.name, "struct limits");
	dtl_ctype_format(&t, (const uint8_t *)&watched_limits[0], sizeof(struct limits), out,
	                 sizeof(out));
	assert_string_equal(out,
	                    "{lo = -3, flag = 120 'x', mood = 7, max = 01 00 00 00 00 00 00 00 "
	                    "02 00 00 00 00 00 00 00 03 00 00 00 00 00 00 00}");

	/* what does not fit the type is refused, with the reason */
	assert_int_equal(
	    dtl_ctype_lookup(self, "watched_limits", "[0].nosuch", &off, &t, err, sizeof(err)),
	    -EINVAL);
	assert_non_null(strstr(err, "struct limits has no member 'nosuch'"));
	assert_int_equal(
	    dtl_ctype_lookup(self, "watched_limits", "[5]", &off, &t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "beyond the array's 2 elements"));
	assert_int_equal(dtl_ctype_lookup(self, "watched_global", ".x", &off, &t, err, sizeof(err)),
	                 -EINVAL);
	assert_int_equal(dtl_ctype_lookup(self, "no_such_var", "", &off, &t, err, sizeof(err)),
	                 -ENODATA);

	/* FUNC:LOCAL: below the CFA, its type; what is not there, said */
	uint64_t entry;
	int64_t from_cfa;
	assert_int_equal(with_local(1), 2);
	assert_int_equal(
	    dtl_ctype_local(self, "with_local", "tok", "", &entry, &from_cfa, &t, err, sizeof(err)),
	    0);
	assert_true(from_cfa < 0 && from_cfa >= -4096);
	assert_true(entry != 0);
	assert_int_equal(t.kind, DTL_CT_SIGNED);
	assert_int_equal(t.size, sizeof(long));
	assert_int_equal(dtl_ctype_local(self, "with_local", "nosuch", "", &entry, &from_cfa, &t,
	                                 err, sizeof(err)),
	                 -EINVAL);
	assert_non_null(
	    strstr(err, "with_local has no local variable or parameter named 'nosuch'"));
	assert_int_equal(dtl_ctype_local(self, "no_such_function", "tok", "", &entry, &from_cfa, &t,
	                                 err, sizeof(err)),
	                 -ENODATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_parse_all),   cmocka_unit_test(test_object_names),
	    cmocka_unit_test(test_expr_syntax), cmocka_unit_test(test_elf_symbols),
	    cmocka_unit_test(test_ctype),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
