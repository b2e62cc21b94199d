/* SPDX-License-Identifier: MIT */
/*
 * The fault profiler's model in the front-end (--pf): every first touch of
 * a page the traced processes made, and the mappings those pages belong to,
 * as the ring-0 profiler (pf/engine.c) reported them on the event stream.
 * The outputs (summary table, CSV, folded stacks, PNG and terminal heatmaps)
 * read it at the end. Ordinary front-end code, never ring 0.
 */
#ifndef DTL_PF_MODEL_H
#define DTL_PF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a mapping is, from /proc/PID/maps as the process had it. */
enum dtl_pf_kind {
	DTL_PF_ANON,  /* anonymous memory nobody named */
	DTL_PF_HEAP,  /* [heap]: brk */
	DTL_PF_STACK, /* [stack] of the main thread, or a thread's stack */
	DTL_PF_TEXT,  /* an object's executable segment */
	DTL_PF_DATA,  /* an object's writable (or read-only) file-backed data */
	DTL_PF_BSS,   /* the anonymous memory right after an object's data */
	DTL_PF_FILE,  /* any other file mapping */
	DTL_PF_OTHER, /* [vdso], [vvar], shared memory... */
};

#define DTL_PF_NAME_MAX 160

struct dtl_pf_mapping {
	int pid;
	uint64_t lo, hi; /* page aligned; hi exclusive */
	enum dtl_pf_kind kind;
	int tid;                    /* DTL_PF_STACK of a thread: its id; else 0 */
	char name[DTL_PF_NAME_MAX]; /* "heap", "stack", "stack of thread 1234",
	                             * "libc.so.6 text", "data.bin", "[anon]" */
};

/* Access kinds of a sample (bit set). */
#define DTL_PF_READ  0x1
#define DTL_PF_WRITE 0x2
#define DTL_PF_EXEC  0x4

#define DTL_PF_NO_MAPPING UINT32_MAX

/* One first touch: the first access to a page of the program. */
struct dtl_pf_sample {
	uint64_t t_ns;    /* since the model's start */
	uint64_t addr;    /* the faulting address */
	uint64_t rip;     /* the instruction (0: not known) */
	uint32_t mapping; /* index into the model's mappings, or DTL_PF_NO_MAPPING */
	int32_t pid, tid;
	uint8_t access; /* DTL_PF_READ, DTL_PF_WRITE or DTL_PF_EXEC */
	bool kernel;    /* reached first by the kernel or the runtime, in a call */
};

/* One page seen in one interval of an access scan (--access-scan MS). */
struct dtl_pf_scan {
	uint64_t t0_ns; /* the start of the interval, since the model's start */
	uint64_t t_ns;  /* the end of the interval, since the model's start */
	uint64_t addr;  /* the page */
	uint32_t mapping;
	int32_t pid;
	bool accessed, dirty;
};

/* One scan of one process: the interval it covers and what it saw. */
struct dtl_pf_interval {
	uint64_t t0_ns, t_ns; /* since the model's start */
	int32_t pid;
	uint32_t seq;
	uint64_t accessed, dirty; /* pages: the working set, and what of it was written */
	uint64_t walked, took_ns; /* what the scan cost */
	uint64_t dropped;         /* accessed pages the scan could not keep */
};

struct dtl_pf_model {
	struct dtl_pf_sample *samples;
	size_t nsamples, samples_cap;
	struct dtl_pf_mapping *mappings;
	size_t nmappings, mappings_cap;
	struct dtl_pf_scan *scans;
	size_t nscans, scans_cap;
	struct dtl_pf_interval *intervals;
	size_t nintervals, intervals_cap;
	uint64_t interval_ns; /* the access scan's interval; 0 without a scan */
	uint64_t start_ns;    /* CLOCK_REALTIME of the model's time 0 */
	uint64_t end_ns;      /* the run's length, since start_ns */
	char command[256];    /* the command line, for titles */
};

#endif
