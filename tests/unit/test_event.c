// SPDX-License-Identifier: MIT
/*
 * Records of the event stream (tracer/event.c): a staged call encoded as a
 * record and read back as the view the formatter uses, -y paths included;
 * signal records; records that are not events, or malformed.
 */
#define _GNU_SOURCE
#include <dtl/event.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static union {
	struct dtl_rec hdr;
	char bytes[DTL_REC_MAX + 1024];
} buf;

static struct dtl_event staged, view;

static void add_blob(struct dtl_event *ev, int arg, unsigned sub, unsigned flags, const char *s)
{
	struct dtl_blob *b = &ev->blobs[ev->nblobs];
	uint16_t off =
	    ev->nblobs ? ev->blobs[ev->nblobs - 1].offset + ev->blobs[ev->nblobs - 1].len : 0;
	*b = (struct dtl_blob){.arg = (uint8_t)arg,
	                       .flags = (uint8_t)flags,
	                       .sub = (uint16_t)sub,
	                       .len = (uint16_t)strlen(s),
	                       .offset = off};
	memcpy(ev->data + off, s, strlen(s));
	ev->nblobs++;
}

static void stage_openat(void)
{
	memset(&staged, 0, sizeof(staged));
	staged.type = DTL_EV_SYSCALL;
	staged.pid = 100;
	staged.tid = 101;
	staged.ts_enter_ns = 1000;
	staged.ts_ns = 2500;
	staged.nr = 257;
	uint64_t args[6] = {(uint64_t)-100, 0x1234, 0x80000, 0, 5, 6};
	memcpy(staged.args, args, sizeof(args));
	staged.ret = 3;
	add_blob(&staged, 1, DTL_SUB_OBJECT, DTL_BLOB_ENTRY, "/etc/hostname");
	add_blob(&staged, 2, DTL_SUB_ELEM(1), DTL_BLOB_TRUNCATED, "xyz");
}

static void encode(uint16_t type, const char *const paths[2], const uint16_t lens[2])
{
	memset(&buf, 0xa5, sizeof(buf));
	uint32_t size = dtl_rec_syscall_size(&staged, lens);
	assert_int_equal(size % DTL_REC_ALIGN, 0);
	assert_true(size <= DTL_REC_MAX);
	dtl_rec_syscall_encode((struct dtl_rec_syscall *)&buf.hdr, &staged, paths, lens);
	buf.hdr.size = size;
	buf.hdr.type = type;
	buf.hdr.flags = 0;
}

static void test_syscall_round_trip(void **state)
{
	(void)state;
	stage_openat();
	encode(DTL_REC_SYSCALL, NULL, NULL);
	/* fixed part, two blob descriptors, 16 bytes of data */
	assert_int_equal(buf.hdr.size, 104 + 2 * 8 + 16);
	assert_int_equal(dtl_event_from_record(&view, &buf.hdr), 0);
	assert_int_equal(view.type, DTL_EV_SYSCALL);
	assert_int_equal(view.pid, 100);
	assert_int_equal(view.tid, 101);
	assert_int_equal(view.ts_ns, 2500);
	assert_int_equal(view.ts_enter_ns, 1000);
	assert_int_equal(view.nr, 257);
	assert_memory_equal(view.args, staged.args, sizeof(view.args));
	assert_int_equal(view.ret, 3);
	assert_int_equal(view.nblobs, 2);
	const struct dtl_blob *b = dtl_blob_find(&view, 1, DTL_SUB_OBJECT, true);
	assert_non_null(b);
	assert_int_equal(b->len, 13);
	assert_memory_equal(view.data + b->offset, "/etc/hostname", 13);
	b = dtl_blob_find(&view, 2, DTL_SUB_ELEM(1), false);
	assert_non_null(b);
	assert_int_equal(b->flags, DTL_BLOB_TRUNCATED);
	assert_memory_equal(view.data + b->offset, "xyz", 3);
	assert_null(dtl_blob_find(&view, DTL_BLOB_ARG_FD_PATH, 0, false));
}

static void test_entry_record(void **state)
{
	(void)state;
	stage_openat();
	staged.type = DTL_EV_ENTER;
	staged.ret = 0;
	staged.nblobs = 1;
	encode(DTL_REC_SYSCALL_ENTER, NULL, NULL);
	assert_int_equal(buf.hdr.size, 104 + 8 + 16); /* 13 bytes, aligned */
	assert_int_equal(dtl_event_from_record(&view, &buf.hdr), 0);
	assert_int_equal(view.type, DTL_EV_ENTER);
	assert_int_equal(view.nblobs, 1);
}

/* -y: a typed part of the record; in the view, the blobs the front-end's
 * descriptor table reads */
static void test_fd_paths(void **state)
{
	(void)state;
	stage_openat();
	const char *paths[2] = {"pipe:[1]", "pipe:[22]"};
	uint16_t lens[2] = {8, 9};
	encode(DTL_REC_SYSCALL, paths, lens);
	assert_int_equal(buf.hdr.size, 104 + 2 * 8 + 16 + 17 + 7);
	assert_int_equal(dtl_event_from_record(&view, &buf.hdr), 0);
	assert_int_equal(view.nblobs, 4);
	for (unsigned i = 0; i < 2; i++) {
		const struct dtl_blob *b = dtl_blob_find(&view, DTL_BLOB_ARG_FD_PATH, i, false);
		assert_non_null(b);
		assert_int_equal(b->len, lens[i]);
		assert_memory_equal(view.data + b->offset, paths[i], lens[i]);
	}
	/* the call's own blobs are untouched */
	const struct dtl_blob *b = dtl_blob_find(&view, 1, DTL_SUB_OBJECT, true);
	assert_memory_equal(view.data + b->offset, "/etc/hostname", 13);
	/* only the second descriptor's path */
	lens[0] = 0;
	encode(DTL_REC_SYSCALL, paths, lens);
	assert_int_equal(dtl_event_from_record(&view, &buf.hdr), 0);
	assert_int_equal(view.nblobs, 3);
	assert_null(dtl_blob_find(&view, DTL_BLOB_ARG_FD_PATH, 0, false));
	assert_non_null(dtl_blob_find(&view, DTL_BLOB_ARG_FD_PATH, 1, false));
}

static void test_signal_record(void **state)
{
	(void)state;
	struct dtl_rec_signal rec = {.hdr = {.size = sizeof(rec),
	                                     .type = DTL_REC_SIGNAL,
	                                     .pid = 5,
	                                     .tid = 6,
	                                     .time_ns = 777},
	                             .signo = 11,
	                             .fatal = 1};
	for (unsigned i = 0; i < sizeof(rec.siginfo); i++)
		rec.siginfo[i] = (uint8_t)i;
	assert_int_equal(dtl_event_from_record(&view, &rec.hdr), 0);
	assert_int_equal(view.type, DTL_EV_SIGNAL);
	assert_int_equal(view.pid, 5);
	assert_int_equal(view.tid, 6);
	assert_int_equal(view.ts_ns, 777);
	assert_int_equal(view.ts_enter_ns, 777);
	assert_int_equal(view.nr, -1);
	assert_int_equal(view.args[0], 11);
	assert_int_equal(view.args[1], 1);
	const struct dtl_blob *b = dtl_blob_find(&view, 0, 0, true);
	assert_non_null(b);
	assert_int_equal(b->len, 128);
	assert_memory_equal(view.data + b->offset, rec.siginfo, 128);
}

static void test_not_events(void **state)
{
	(void)state;
	struct dtl_rec_loss loss = {.hdr = {.size = sizeof(loss), .type = DTL_REC_LOSS},
	                            .count = 3};
	assert_int_equal(dtl_event_from_record(&view, &loss.hdr), -1);
	struct dtl_rec_page_fault pf = {.hdr = {.size = sizeof(pf), .type = DTL_REC_PAGE_FAULT}};
	assert_int_equal(dtl_event_from_record(&view, &pf.hdr), -1);
	/* a record shorter than what it says it holds */
	stage_openat();
	encode(DTL_REC_SYSCALL, NULL, NULL);
	buf.hdr.size = 104 + 8;
	assert_int_equal(dtl_event_from_record(&view, &buf.hdr), -1);
	/* a blob that points past the data */
	encode(DTL_REC_SYSCALL, NULL, NULL);
	((struct dtl_rec_syscall *)&buf.hdr)->blobs[1].len = 200;
	assert_int_equal(dtl_event_from_record(&view, &buf.hdr), -1);
}

/* The biggest call the capture can stage fits the view again. */
static void test_largest_record(void **state)
{
	(void)state;
	memset(&staged, 0, sizeof(staged));
	staged.type = DTL_EV_SYSCALL;
	uint16_t per = DTL_EVENT_DATA / DTL_EVENT_MAX_BLOBS;
	for (int i = 0; i < DTL_EVENT_MAX_BLOBS; i++) {
		staged.blobs[i] = (struct dtl_blob){.arg = 1,
		                                    .sub = (uint16_t)DTL_SUB_ELEM(i),
		                                    .len = per,
		                                    .offset = (uint16_t)(i * per)};
	}
	staged.nblobs = DTL_EVENT_MAX_BLOBS;
	encode(DTL_REC_SYSCALL, NULL, NULL);
	assert_int_equal(buf.hdr.size, DTL_REC_MAX);
	assert_int_equal(dtl_event_from_record(&view, &buf.hdr), 0);
	assert_int_equal(view.nblobs, DTL_EVENT_MAX_BLOBS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syscall_round_trip), cmocka_unit_test(test_entry_record),
	    cmocka_unit_test(test_fd_paths),           cmocka_unit_test(test_signal_record),
	    cmocka_unit_test(test_not_events),         cmocka_unit_test(test_largest_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
