/* SPDX-License-Identifier: MIT */
/*
 * The event ring between the traced program (producers: the ring-0 syscall
 * handler of every thread and forked process, which share it as MAP_SHARED
 * memfd memory) and the dtrace-lite front-end (the one consumer).
 *
 * A producer claims a slot with an atomic increment of write_seq, waits
 * while the ring is full (back-pressure: nothing is dropped), fills the slot
 * and publishes it by storing seq + 1 into its ready word. The consumer reads
 * slots in order. No locks, no allocation: usable in ring 0.
 */
#ifndef DTL_RING_H
#define DTL_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTL_RING_MAGIC      0x64746c72696e6731ULL /* "dtlring1" */
#define DTL_RING_SLOTS      4096
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
 * /proc/self/fd right after it: blob arg DTL_BLOB_ARG_FD_PATH, sub 0 (the
 * returned descriptor, or fds[0] of pipe/socketpair), sub 1 (fds[1]). */
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

struct dtl_slot {
	volatile uint64_t ready; /* seq + 1 once published */
	struct dtl_event ev;
};

#define DTL_RING_ENTRY_EVENTS 1 /* publish every call's entry too (DTL_EV_ENTER) */
#define DTL_RING_DROP         2 /* a full ring drops the event (counted in .lost) instead of waiting */
#define DTL_RING_FD_PATHS     4 /* -y: record the path of each descriptor a call creates */

struct dtl_ring {
	uint64_t magic;
	uint32_t strsize;       /* -s: bytes of a string or buffer to capture */
	uint32_t flags;         /* DTL_RING_* */
	volatile uint64_t lost; /* DTL_RING_DROP: events not recorded because the ring was full */
	int32_t consumer_pid;   /* the front-end: a producer that finds it gone stops waiting */
	int32_t pad;
	volatile uint64_t write_seq __attribute__((aligned(64)));
	volatile uint64_t read_seq __attribute__((aligned(64)));
	struct dtl_slot slots[DTL_RING_SLOTS] __attribute__((aligned(64)));
};

static inline size_t dtl_ring_size(void)
{
	return sizeof(struct dtl_ring);
}

/* Producer: claim the next slot (waiting while the ring is full; @wait is
 * called between polls and returns false to give up, when the consumer is
 * gone) and return its event to fill, or NULL after giving up. */
struct dtl_event *dtl_ring_claim(struct dtl_ring *r, uint64_t *seq,
                                 bool (*wait)(struct dtl_ring *));
/* Producer, drop mode: the same without waiting; NULL (and .lost counted)
 * when the ring is full. */
struct dtl_event *dtl_ring_try_claim(struct dtl_ring *r, uint64_t *seq);
void dtl_ring_publish(struct dtl_ring *r, uint64_t seq);

/* Consumer: the next published event, or NULL if there is none yet. */
const struct dtl_event *dtl_ring_peek(struct dtl_ring *r);
void dtl_ring_release(struct dtl_ring *r);

#endif
