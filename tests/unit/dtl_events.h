/* SPDX-License-Identifier: MIT */
/*
 * Synthetic events for the session and sink tests: what the ring-0 capture
 * would have published for a call, built by hand.
 */
#ifndef DTL_TEST_EVENTS_H
#define DTL_TEST_EVENTS_H

#include <dtl/ring.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A call of @tid (process @pid) at @ts_ns: DTL_EV_SYSCALL completed at
 * @ts_ns + 1 ms, or DTL_EV_ENTER. Free it with free(). */
static inline struct dtl_event *test_event(uint32_t type, int pid, int tid, long nr, long ret,
                                           uint64_t ts_ns)
{
	struct dtl_event *ev = calloc(1, sizeof(*ev));
	if (!ev)
		abort();
	ev->type = type;
	ev->pid = pid;
	ev->tid = tid;
	ev->nr = nr;
	ev->ret = type == DTL_EV_SYSCALL ? ret : 0;
	ev->ts_enter_ns = ts_ns;
	ev->ts_ns = type == DTL_EV_SYSCALL ? ts_ns + 1000000 : ts_ns;
	return ev;
}

static inline struct dtl_event *test_args(struct dtl_event *ev, uint64_t a0, uint64_t a1,
                                          uint64_t a2)
{
	ev->args[0] = a0;
	ev->args[1] = a1;
	ev->args[2] = a2;
	return ev;
}

/* Memory the capture copied: piece @sub of argument @arg, at entry or exit. */
static inline struct dtl_event *test_blob(struct dtl_event *ev, int arg, uint16_t sub, bool entry,
                                          const void *p, size_t len)
{
	uint16_t off = 0;
	for (int i = 0; i < ev->nblobs; i++)
		off = (uint16_t)(ev->blobs[i].offset + ev->blobs[i].len);
	struct dtl_blob *b = &ev->blobs[ev->nblobs++];
	*b = (struct dtl_blob){.arg = (uint8_t)arg,
	                       .flags = entry ? DTL_BLOB_ENTRY : 0,
	                       .sub = sub,
	                       .len = (uint16_t)len,
	                       .offset = off};
	memcpy(ev->data + off, p, len);
	return ev;
}

/* A copy of @ev as it would be at its entry (only the entry blobs). */
static inline struct dtl_event *test_entry_of(const struct dtl_event *ev)
{
	struct dtl_event *e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	*e = *ev;
	e->type = DTL_EV_ENTER;
	e->ret = 0;
	e->ts_ns = ev->ts_enter_ns;
	e->nblobs = 0;
	for (int i = 0; i < ev->nblobs; i++)
		if (ev->blobs[i].flags & DTL_BLOB_ENTRY)
			e->blobs[e->nblobs++] = ev->blobs[i];
	return e;
}

#endif
