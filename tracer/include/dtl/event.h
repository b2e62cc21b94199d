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
	DTL_REC_WATCH_HIT,     /* struct dtl_rec_watch_hit: an access to a watched range */
	DTL_REC_PAGE_FAULT,    /* struct dtl_rec_page_fault: a page's first touch (--pf) */
	DTL_REC_IMAGE,         /* struct dtl_rec_image: an object loaded in a process */
	DTL_REC_WATCH_STATE,   /* struct dtl_rec_watch_state: a watchpoint armed or not */
	DTL_REC_WATCH_COUNT,   /* struct dtl_rec_watch_count: a process's counts at its end */
	DTL_REC_MAPPING,       /* struct dtl_rec_mapping: a mapping that faults fall in (--pf) */
	DTL_REC_ACCESS_SCAN,   /* struct dtl_rec_access_scan: pages used in an interval
	                          (--access-scan) */
};
#define DTL_REC_TYPE_MAX DTL_REC_ACCESS_SCAN

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

/*
 * An access to a watched range (watch/engine.c): the instruction at @rip
 * touched the watched page at @addr (CR2), and its access overlapped the
 * watchpoint's range, or may have (DTL_HIT_OVERLAP_UNSURE: it began before
 * the range, and only its operand size, which the front-end's disassembler
 * knows from @insn, tells). Followed by @value_len bytes of the range at
 * @value_addr as they were before the access, then as they were after.
 */
#define DTL_ACCESS_READ        1
#define DTL_ACCESS_WRITE       2
#define DTL_ACCESS_EXEC        4
#define DTL_HIT_CHANGED        1 /* the bytes changed */
#define DTL_HIT_OVERLAP_UNSURE 2 /* began before the range: overlap by operand size */
#define DTL_HIT_REPEATED       4 /* a rep string instruction: @reps iterations together */
/* a debug register's: @rip is the instruction after the access (a data
 * breakpoint traps once the access is done, SDM Vol. 3B 18.2.4), @insn
 * the bytes before it, and the old value the one seen at the last hit */
#define DTL_HIT_TRAP_AFTER     8
/* written by the kernel in the system call @reps (its number) made by the
 * syscall instruction at @rip: no instruction of the program's touched it */
#define DTL_HIT_KERNEL         16
/* followed, after the old and new bytes, by struct dtl_hit_stack (--watch-bt) */
#define DTL_HIT_STACK          32
#define DTL_HIT_INSN_MAX       15 /* the longest x86 instruction (SDM Vol. 2A 2.3.11) */
struct dtl_rec_watch_hit {
	struct dtl_rec hdr;
	uint64_t addr;       /* the watched byte the access faulted on (CR2) */
	uint64_t rip;        /* the instruction that accessed it */
	uint64_t value_addr; /* where the old and new bytes start */
	uint32_t watch_id;
	uint32_t reps;      /* DTL_HIT_REPEATED: iterations; DTL_HIT_KERNEL: the call */
	uint16_t value_len; /* bytes of the old and of the new value that follow */
	uint8_t access;     /* DTL_ACCESS_READ, _WRITE or _EXEC */
	uint8_t flags;      /* DTL_HIT_* */
	uint8_t insn_len;   /* bytes of @insn copied (fewer where the code ends) */
	uint8_t reserved[3];
	uint8_t insn[16];
	uint8_t data[]; /* old[value_len], new[value_len] */
};
#define DTL_HIT_VALUE_MAX 64 /* bytes of a larger range: the ones around the access */

/* DTL_HIT_STACK: the thread's registers after the access, in DWARF's
 * numbering for x86-64 (rax rdx rcx rbx rsi rdi rbp rsp r8-r15 rip), and
 * @len bytes of its stack from rsp, for the front-end's unwinder. */
#define DTL_HIT_REGS      17
#define DTL_HIT_STACK_MAX 4096
struct dtl_hit_stack {
	uint64_t regs[DTL_HIT_REGS];
	uint32_t len;
	uint32_t reserved;
};

/* An object mapped in process @hdr.pid at load bias @base (the program
 * itself, its libraries): the front-end's symbolizer needs it to name code
 * addresses. Followed by @path_len bytes of its path (no NUL). */
struct dtl_rec_image {
	struct dtl_rec hdr;
	uint64_t base;
	uint32_t path_len;
	uint32_t reserved;
	char path[];
};

/* Watchpoint @watch_id in process @hdr.pid: armed on [addr, addr + len)
 * (@error 0) @how, or not (@error a negative errno: -ENOENT, no such
 * symbol in this image; -EEXIST, several statics of that name; -ENOSPC, no
 * room; -EINVAL, not memory of the program; -EFAULT, the program unmapped
 * it; and where a debug register was required (DTL_WATCH_HW): -ENODEV,
 * they do not fire on this platform; -E2BIG, not 1, 2, 4 or 8 aligned
 * bytes; -EBUSY, all four in use; -EPROTO, reads alone). */
#define DTL_WATCH_PAGE 1 /* by page protection */
/* FUNC:LOCAL: a breakpoint on the function's entry at @addr; the @len
 * bytes of the local in each activation, by page protection or debug
 * register, while it lives (not said one by one) */
#define DTL_WATCH_FUNC 3
#define DTL_WATCH_HW   2 /* by a debug register */
struct dtl_rec_watch_state {
	struct dtl_rec hdr;
	uint64_t addr, len;
	uint32_t watch_id;
	int32_t error;
	uint32_t how;  /* DTL_WATCH_PAGE, DTL_WATCH_HW */
	uint32_t slot; /* DTL_WATCH_HW: which of DR0-DR3 */
};

/*
 * The fault profiler (--pf, pf/engine.c): the first touch of a page by
 * thread @hdr.tid. @error_code is the #PF's (SDM Vol. 3A 4.7): PF_ERR_W a
 * write, PF_ERR_ID an instruction fetch, else a read; without PF_ERR_U
 * ring-0 code reached the page first on the program's behalf (reading a
 * system call's memory) and @rip is 0. With --pf-bt a longer record is
 * followed by struct dtl_hit_stack (the registers at the access) and the
 * stack's bytes, for the front-end's unwinder.
 */
struct dtl_rec_page_fault {
	struct dtl_rec hdr;
	uint64_t addr;       /* the faulting address (CR2) */
	uint64_t rip;        /* the instruction, or 0 */
	uint32_t error_code; /* the #PF error code */
	uint32_t mapping_id; /* its struct dtl_rec_mapping in this process */
};

/*
 * A mapping of process @hdr.pid that first touches fall in, as
 * /proc/PID/maps had it when the first of them came (@id: this process's
 * number for it, in its page-fault records). A mapping described again
 * (grown, or replaced) gets a new number. @path: the file, "[heap]",
 * "[stack]" or another bracketed name, "" for anonymous memory; for
 * anonymous memory right after a file's writable mapping (an object's bss)
 * that file, with DTL_MAP_AFTER_FILE. @tid: anonymous memory that holds the
 * stack pointer of thread @tid when it was described (a thread's stack).
 */
#define DTL_MAP_R          0x01
#define DTL_MAP_W          0x02
#define DTL_MAP_X          0x04
#define DTL_MAP_SHARED     0x08
#define DTL_MAP_AFTER_FILE 0x10
struct dtl_rec_mapping {
	struct dtl_rec hdr;
	uint64_t lo, hi, offset;
	uint32_t id;
	uint16_t flags; /* DTL_MAP_* */
	uint16_t path_len;
	int32_t tid;
	uint32_t reserved;
	char path[];
};

/*
 * Pages of process @hdr.pid that an access scan found accessed in the
 * interval [@start_ns, @hdr.time_ns) (CLOCK_REALTIME), as runs of
 * consecutive pages in one mapping (its struct dtl_rec_mapping), each
 * all written (DTL_SCAN_DIRTY in @pages) or only read. One scan takes as
 * many records as its runs need, numbered @seq, the last with
 * DTL_SCAN_LAST; that one also says what the scan cost: @walked pages
 * looked at in @took_ns, and @dropped accessed pages beyond what a scan
 * keeps.
 */
#define DTL_SCAN_DIRTY    0x80000000u /* in dtl_scan_run.pages */
#define DTL_SCAN_LAST     0x1         /* in dtl_rec_access_scan.flags */
#define DTL_SCAN_RUNS_MAX 256         /* runs in one record */
struct dtl_scan_run {
	uint64_t addr;
	uint32_t mapping_id;
	uint32_t pages; /* and DTL_SCAN_DIRTY */
};
struct dtl_rec_access_scan {
	struct dtl_rec hdr;
	uint64_t start_ns;
	uint64_t walked, dropped;
	uint32_t took_ns;
	uint32_t seq;
	uint32_t nruns;
	uint32_t flags;
	struct dtl_scan_run runs[];
};

/* Watchpoint @watch_id in process @hdr.pid as the image ends (exit, exec):
 * accesses reported, and accesses beside its range on its pages, which
 * cost a step each and are not reported one by one. */
struct dtl_rec_watch_count {
	struct dtl_rec hdr;
	uint32_t watch_id;
	uint32_t reserved;
	uint64_t hits, beside;
};

_Static_assert(sizeof(struct dtl_rec) == 24, "record header");
_Static_assert(sizeof(struct dtl_blob) == 8, "blob descriptor");
_Static_assert(sizeof(struct dtl_rec_syscall) == 104, "syscall record, fixed part");
_Static_assert(sizeof(struct dtl_rec_signal) == 160, "signal record");
_Static_assert(sizeof(struct dtl_rec_loss) == 40, "loss record");
_Static_assert(sizeof(struct dtl_rec_watch_hit) == 80, "watchpoint record, fixed part");
_Static_assert(sizeof(struct dtl_rec_image) == 40, "image record, fixed part");
_Static_assert(sizeof(struct dtl_rec_watch_state) == 56, "watchpoint state record");
_Static_assert(sizeof(struct dtl_rec_watch_count) == 48, "watchpoint count record");
_Static_assert(sizeof(struct dtl_rec_page_fault) == 48, "page-fault sample: tens of bytes");
_Static_assert(sizeof(struct dtl_rec_mapping) == 64, "mapping record, fixed part");
_Static_assert(sizeof(struct dtl_rec_access_scan) == 64, "access-scan record, fixed part");
_Static_assert(sizeof(struct dtl_scan_run) == 16, "a scan's run");

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
