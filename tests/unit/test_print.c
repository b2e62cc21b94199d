// SPDX-License-Identifier: MIT
/*
 * The formatter's printing layer (tracer/print.h) and the per-call decoder
 * table (tracer/decode_calls.c): every primitive prints what strace would,
 * and every decoder the catalogue names has something to do.
 */
#define _GNU_SOURCE
#include "../../tracer/decode_families.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static char *text;
static size_t text_len;

static FILE *begin(void)
{
	free(text);
	text = NULL;
	FILE *m = open_memstream(&text, &text_len);
	assert_non_null(m);
	return m;
}

static const char *end(FILE *m)
{
	fclose(m);
	return text;
}

static void addresses_and_numbers(void **state)
{
	(void)state;
	FILE *m = begin();
	dtl_print_addr(m, 0);
	fputc(' ', m);
	dtl_print_addr(m, 0x7ffd1000);
	fputc(' ', m);
	dtl_print_hex(m, 0);
	fputc(' ', m);
	dtl_print_hex(m, 64);
	assert_string_equal(end(m), "NULL 0x7ffd1000 0 0x40");
}

static const struct dtl_flag_name colours[] = {XN(1, "RED"), XN(2, "GREEN"), XN(6, "CYAN")};

static void named_values_and_flags(void **state)
{
	(void)state;
	assert_string_equal(dtl_xlookup(2, colours, DTL_N(colours)), "GREEN");
	assert_null(dtl_xlookup(3, colours, DTL_N(colours)));

	FILE *m = begin();
	dtl_print_xval(m, 1, colours, DTL_N(colours), "C_???");
	fputc(' ', m);
	dtl_print_xval(m, 9, colours, DTL_N(colours), "C_???");
	assert_string_equal(end(m), "RED 0x9 /* C_??? */");

	m = begin();
	dtl_print_flags(m, 1 | 2 | 0x40, colours, DTL_N(colours), "0");
	fputc(' ', m);
	dtl_print_flags(m, 0, colours, DTL_N(colours), "NONE");
	fputc(' ', m);
	dtl_print_flags(m, 0x40, colours, DTL_N(colours), NULL);
	assert_string_equal(end(m), "RED|GREEN|0x40 NONE 0x40");

	/* no known bit: hex with a comment; else the names in table order,
	 * each taking its bits (CYAN needs GREEN's bit too), then the rest */
	m = begin();
	dtl_print_xflags(m, 0x40, colours, DTL_N(colours), "0", "C_???");
	fputc(' ', m);
	dtl_print_xflags(m, 0, colours, DTL_N(colours), NULL, "C_???");
	fputc(' ', m);
	dtl_print_xflags(m, 6 | 0x40, colours, DTL_N(colours), "0", "C_???");
	assert_string_equal(end(m), "0x40 /* C_??? */ 0 GREEN|0x44");
}

static void quoted_strings(void **state)
{
	(void)state;
	FILE *m = begin();
	dtl_print_quoted(m,
	                 "a\"\\\n\t\0"
	                 "7\377x",
	                 9, false);
	fputc(' ', m);
	dtl_print_quoted(m, "abc", 3, true);
	fputc(' ', m);
	dtl_print_hex_quoted(m, (const uint8_t *)"\x01\xff", 2, true);
	assert_string_equal(end(m), "\"a\\\"\\\\\\n\\t\\0007\\377x\" \"abc\"... \"\\x01\\xff\"...");
}

static void structs_and_arrays(void **state)
{
	(void)state;
	FILE *m = begin();
	bool first = true;
	fputc('{', m);
	dtl_print_field(m, &first, "a");
	fputc('1', m);
	dtl_print_field(m, &first, "b");
	fputc('2', m);
	fputs("} [1", m);
	dtl_print_array_end(m, 1, 3, false);
	fputs(" [", m);
	dtl_print_array_end(m, 0, 2, false);
	fputs(" [1, 2", m);
	dtl_print_array_end(m, 2, 2, false);
	fputs(" [1", m);
	dtl_print_array_end(m, 1, 1, true);
	assert_string_equal(end(m), "{a=1, b=2} [1, ...] [...] [1, 2] [1, ...]");
}

/* The guarded read: the copy when it is there and long enough, else the
 * address. */
static void guarded_reads(void **state)
{
	(void)state;
	static struct dtl_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.nblobs = 2;
	ev.blobs[0] = (struct dtl_blob){.arg = 1, .flags = DTL_BLOB_ENTRY, .len = 8, .offset = 0};
	ev.blobs[1] = (struct dtl_blob){.arg = 2, .flags = DTL_BLOB_FAULT, .len = 0, .offset = 8};
	memcpy(ev.data, "12345678", 8);

	FILE *m = begin();
	const uint8_t *p = dtl_print_guard(m, &ev, 1, DTL_SUB_OBJECT, true, 8, 0x1000);
	assert_ptr_equal(p, (const uint8_t *)ev.data);
	assert_null(dtl_print_guard(m, &ev, 1, DTL_SUB_OBJECT, true, 9, 0x1000)); /* too short */
	fputc(' ', m);
	assert_null(dtl_print_guard(m, &ev, 1, DTL_SUB_OBJECT, false, 1, 0x2000)); /* not at exit */
	fputc(' ', m);
	assert_null(dtl_print_guard(m, &ev, 2, DTL_SUB_OBJECT, false, 0, 0x3000)); /* a fault */
	assert_string_equal(end(m), "0x1000 0x2000 0x3000");
	assert_int_equal(u32_at((const uint8_t *)"\x01\x02\x03\x04", 0), 0x04030201);
}

/* Every decoder the catalogue names is in the table and has a hook, and the
 * calls without one get the empty decoder. */
static void every_decoder_does_something(void **state)
{
	(void)state;
	for (int k = 0; k < DTL_DECODER_COUNT; k++) {
		struct dtl_syscall_desc d = {.name = "x", .decoder = (uint8_t)k};
		struct dtl_decoder_ctx c = {.d = &d};
		const struct dtl_call_decoder *h = dtl_call_decoder(&c);
		assert_non_null(h);
		bool any = h->arg_order || h->leading || h->scalar_arg || h->memory_arg ||
		           h->buffer || h->ret || h->ret_memory;
		if (any != (k != DTL_DECODER_KINDS))
			fail_msg("decoder %d: %s", k, any ? "has hooks" : "has no hook");
	}
	struct dtl_syscall_desc bad = {.name = "x", .decoder = DTL_DECODER_COUNT};
	struct dtl_decoder_ctx c = {.d = &bad};
	struct dtl_syscall_desc none = {.name = "x"};
	struct dtl_decoder_ctx k = {.d = &none};
	assert_ptr_equal(dtl_call_decoder(&c), dtl_call_decoder(&k));
}

static int teardown(void **state)
{
	(void)state;
	free(text);
	text = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(addresses_and_numbers), cmocka_unit_test(named_values_and_flags),
	    cmocka_unit_test(quoted_strings),        cmocka_unit_test(structs_and_arrays),
	    cmocka_unit_test(guarded_reads),         cmocka_unit_test(every_decoder_does_something),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
