/* SPDX-License-Identifier: MIT */
/*
 * The typed event stream: variable-length records, each sized by what it
 * carries, that the traced program's tool runtimes (ring 0, the monitor)
 * write into the shared ring (dtl/ring.h) and the front-end reads in order.
 *
 * Every record starts with struct dtl_rec and is a multiple of 8 bytes. Its
 * first 8 bytes (size, type, flags) are the commit word: zero until the
 * producer publishes the record, so the consumer can tell a record being
 * written from one that is complete.
 */
#ifndef DTL_EVENT_H
#define DTL_EVENT_H

#include <dtl/event_view.h>

#include <stdint.h>

enum dtl_rec_type {
	DTL_REC_PAD = 1,       /* skip: fills the ring's end where a record did not fit */
	DTL_REC_SYSCALL_ENTER, /* struct dtl_rec_syscall: a call's entry (before it runs) */
	DTL_REC_SYSCALL,       /* struct dtl_rec_syscall: a completed call */
	DTL_REC_SIGNAL,        /* struct dtl_rec_signal */
	DTL_REC_LOSS,          /* struct dtl_rec_loss: records dropped before this one */
	DTL_REC_WATCH_HIT,     /* struct dtl_rec_watch_hit (reserved: watchpoints) */
	DTL_REC_PAGE_FAULT,    /* struct dtl_rec_page_fault (reserved: fault sampling) */
};
#define DTL_REC_TYPE_MAX DTL_REC_PAGE_FAULT

#define DTL_REC_ALIGN 8

struct dtl_rec {
	/* the commit word: written last, with release ordering */
	union {
		struct {
			uint32_t size; /* bytes of the whole record, a multiple of 8 */
			uint16_t type; /* enum dtl_rec_type */
			uint16_t flags;
		};
		uint64_t commit;
	};
	int32_t pid, tid;
	uint64_t time_ns; /* CLOCK_REALTIME when it happened (a call: entry or completion) */
};

/*
 * A system call's entry (DTL_REC_SYSCALL_ENTER: only what was copied at
 * entry; ret 0) or completion (DTL_REC_SYSCALL). Followed by @nblobs struct
 * dtl_blob (offsets into the data that follows them), @data_len bytes of
 * captured memory, and then, for -y, the paths of the descriptors the call
 * created (@fd_path_len bytes each, without NUL): the returned descriptor
 * or fds[0] of pipe/socketpair, then fds[1].
 */
struct dtl_rec_syscall {
	struct dtl_rec hdr;
	int32_t nr;
	uint16_t nblobs;
	uint16_t data_len;
	uint64_t args[6];
	int64_t ret;
	uint64_t enter_ns; /* CLOCK_REALTIME at entry */
	uint16_t fd_path_len[2];
	uint32_t reserved;
	struct dtl_blob blobs[];
};

/* A signal delivered to the program, or a fault that kills it (@fatal). */
struct dtl_rec_signal {
	struct dtl_rec hdr;
	int32_t signo;
	uint8_t fatal;
	uint8_t reserved[3];
	uint8_t siginfo[128]; /* siginfo_t */
};

/*
 * Records dropped because the ring was full (DTL_RING_DROP) since the
 * previous loss record: it stands where they would have been, its header
 * time when the loss was reported, @first_ns when the first was dropped.
 */
struct dtl_rec_loss {
	struct dtl_rec hdr;
	uint64_t count;
	uint64_t first_ns;
};

/* Reserved for the watchpoint engine: an access to a watched range. */
#define DTL_ACCESS_READ  1
#define DTL_ACCESS_WRITE 2
#define DTL_ACCESS_EXEC  4
struct dtl_rec_watch_hit {
	struct dtl_rec hdr;
	uint64_t addr; /* the watched address that was accessed */
	uint64_t rip;  /* the instruction that accessed it */
	uint64_t old_value, new_value;
	uint32_t len;    /* bytes watched at @addr (1, 2, 4, 8) */
	uint32_t access; /* DTL_ACCESS_* */
};

/* Reserved for the fault profiler: one sampled page fault. */
struct dtl_rec_page_fault {
	struct dtl_rec hdr;
	uint64_t addr;       /* the faulting address (CR2) */
	uint64_t rip;        /* where */
	uint32_t error_code; /* the #PF error code (SDM Vol. 3A 4.7) */
	uint32_t mapping_id; /* which mapping of the process, front-end's numbering */
};

_Static_assert(sizeof(struct dtl_rec) == 24, "record header");
_Static_assert(sizeof(struct dtl_blob) == 8, "blob descriptor");
_Static_assert(sizeof(struct dtl_rec_syscall) == 104, "syscall record, fixed part");
_Static_assert(sizeof(struct dtl_rec_signal) == 160, "signal record");
_Static_assert(sizeof(struct dtl_rec_loss) == 40, "loss record");
_Static_assert(sizeof(struct dtl_rec_watch_hit) == 64, "watchpoint record");
_Static_assert(sizeof(struct dtl_rec_page_fault) == 48, "page-fault sample: tens of bytes");

static inline uint32_t dtl_rec_align(size_t n)
{
	return (uint32_t)((n + DTL_REC_ALIGN - 1) & ~(size_t)(DTL_REC_ALIGN - 1));
}

/* The longest record the capture writes: a call with every blob and all of
 * its data area. */
#define DTL_REC_MAX                                                                       \
	(sizeof(struct dtl_rec_syscall) + DTL_EVENT_MAX_BLOBS * sizeof(struct dtl_blob) + \
	 DTL_EVENT_DATA)

/*
 * A syscall event (@ev: DTL_EV_SYSCALL or DTL_EV_ENTER, staged by the
 * capture) with the -y paths @fd_path[i] of @fd_path_len[i] bytes (NULL
 * and 0 when there are none) as a record. The size it takes:
 */
uint32_t dtl_rec_syscall_size(const struct dtl_event *ev, const uint16_t fd_path_len[2]);
/* ... and writing it at @rec (which has that much room); the commit word
 * (size, type) is left to the caller (dtl_ring_publish). */
void dtl_rec_syscall_encode(struct dtl_rec_syscall *rec, const struct dtl_event *ev,
                            const char *const fd_path[2], const uint16_t fd_path_len[2]);

/*
 * The view of a syscall or signal record (@rec published, @rec->size bytes)
 * for the formatter. Returns 0, or -1 for a record of another type or one
 * that is malformed (then @ev is not filled).
 */
int dtl_event_from_record(struct dtl_event *ev, const struct dtl_rec *rec);

#endif
