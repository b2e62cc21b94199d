/* SPDX-License-Identifier: MIT */
/*
 * The in-memory view of one event, as the formatter, the decoders and the
 * front-end read it: a system call (entry or completion) or a signal, with
 * the memory the capture copied as blobs in one data area. The stream
 * carries it compactly (dtl/event.h); dtl_event_from_record() (tracer/
 * event.c) unpacks a record into this view.
 */
#ifndef DTL_EVENT_VIEW_H
#define DTL_EVENT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTL_EVENT_DATA      3840 /* bytes of captured memory per event */
#define DTL_EVENT_MAX_BLOBS 32

enum dtl_event_type {
	/* a completed system call: args, ret, and the memory copied at entry
	 * (blobs with DTL_BLOB_ENTRY) and at exit */
	DTL_EV_SYSCALL = 1,
	/* a call's entry, published before the call runs when the front-end
	 * asks for entries (DTL_RING_ENTRY_EVENTS: -f, where other threads'
	 * lines may come between entry and exit), and always for calls after
	 * which the caller may be gone (exit, exit_group, execve, the kill
	 * family). Only the entry copies are present; ret is 0. */
	DTL_EV_ENTER,
	/* a signal delivered to the program: args[0] = signo, args[1] = 1 if
	 * it is a fault that kills the process (no handler); one blob (arg 0,
	 * sub 0) holding the siginfo_t (128 bytes) */
	DTL_EV_SIGNAL,
};

/*
 * One piece of memory copied from the program. Which piece of argument @arg
 * it is (@sub):
 *   DTL_SUB_OBJECT   what the argument points at: the string, the buffer,
 *                    the struct, the array (of structs, of struct iovec, of
 *                    string pointers), the struct msghdr, the fd_set bits.
 *                    For DTL_ARG_ENVP and DTL_ARG_DIRENT64_OUT it is instead
 *                    one uint32_t: the number of variables / of entries.
 *   DTL_SUB_ELEM(i)  the data of iov[i] (IOVEC kinds, and the msg_iov of a
 *                    msghdr); the string argv[i] (DTL_ARG_ARGV)
 *   DTL_SUB_MSG_NAME, DTL_SUB_MSG_CONTROL, DTL_SUB_MSG_IOV
 *                    a msghdr's msg_name, msg_control and msg_iov array
 * An argument copied both at entry and at exit (DTL_DIR_INOUT) has two
 * blobs for the same piece; the entry one carries DTL_BLOB_ENTRY.
 */
struct dtl_blob {
	uint8_t arg;     /* argument index */
	uint8_t flags;   /* DTL_BLOB_* */
	uint16_t sub;    /* DTL_SUB_* */
	uint16_t len;    /* bytes in data[] */
	uint16_t offset; /* into data[] */
};
#define DTL_BLOB_TRUNCATED 1 /* the object was longer than what was copied (-s limit) */
#define DTL_BLOB_FAULT     2 /* the address could not be read (printed as such) */
#define DTL_BLOB_ENTRY     4 /* copied at syscall entry (else at exit) */

/* DTL_RING_FD_PATHS: the path of a descriptor the call created, read from
 * /proc/self/fd right after it. In the stream it is a typed part of the
 * syscall record (dtl/event.h); in this view, for the front-end's -y table,
 * a blob of arg DTL_BLOB_ARG_FD_PATH, sub 0 (the returned descriptor, or
 * fds[0] of pipe/socketpair), sub 1 (fds[1]). */
#define DTL_BLOB_ARG_FD_PATH 6

#define DTL_SUB_OBJECT      0
#define DTL_SUB_ELEM(i)     ((uint16_t)(1 + (i)))
#define DTL_SUB_MSG_NAME    0xff00
#define DTL_SUB_MSG_CONTROL 0xff01
#define DTL_SUB_MSG_IOV     0xff02

struct dtl_event {
	uint32_t type;
	int32_t pid, tid;
	int32_t nblobs;
	uint64_t ts_ns;       /* CLOCK_REALTIME at completion (at entry for DTL_EV_ENTER) */
	uint64_t ts_enter_ns; /* CLOCK_REALTIME at entry */
	int64_t nr;
	uint64_t args[6];
	int64_t ret;
	struct dtl_blob blobs[DTL_EVENT_MAX_BLOBS];
	char data[DTL_EVENT_DATA];
};

/* The blob for piece @sub of argument @arg copied at entry (@entry) or at
 * exit, or NULL if there is none. */
static inline const struct dtl_blob *dtl_blob_find(const struct dtl_event *ev, int arg,
                                                   unsigned sub, bool entry)
{
	for (int i = 0; i < ev->nblobs && i < DTL_EVENT_MAX_BLOBS; i++) {
		const struct dtl_blob *b = &ev->blobs[i];
		if (b->arg == arg && b->sub == sub && !!(b->flags & DTL_BLOB_ENTRY) == entry)
			return b;
	}
	return 0;
}

#endif
