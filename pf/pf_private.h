/* SPDX-License-Identifier: MIT */
/* The fault profiler's front-end, inside pf/ (frontend.c, report.c). */
#ifndef DTL_PF_PRIVATE_H
#define DTL_PF_PRIVATE_H

#include <dtl/pf_frontend.h>
#include <dune/dune.h>

/* a process's mapping number -> the model's index */
struct pf_id {
	bool used;
	int pid;
	uint32_t id, index;
};

/* a faulting instruction, named once */
struct pf_where {
	int pid;
	uint64_t rip;
	char function[128];
	char where[256];
};

/* a call stack, folded ("outer;inner"), and its first touches */
struct pf_stack {
	char *folded;
	uint64_t count;
};

/* a process's running totals, for the counters */
struct pf_proc {
	int pid;
	uint64_t touched;         /* first touches so far */
	uint64_t emitted_ns;      /* when its touched-pages counter last went out */
	uint64_t accessed, dirty; /* the scan being read */
};

struct dtl_pf_fe {
	struct dtl_pf_model m;
	struct dtl_symbolizer *sym;
	struct pf_id *ids;
	size_t nids, ids_cap;
	struct pf_where *where; /* a direct-mapped cache */
	size_t where_cap;
	uint64_t dropped;        /* samples the front-end had no memory for */
	FILE *json;              /* --json */
	struct pf_stack *stacks; /* --pf-bt: an open-addressing table */
	size_t nstacks, stacks_cap;
	struct pf_proc *procs;
	size_t nprocs, procs_cap;
	dtl_pf_counter_fn counter; /* --perfetto's counter tracks */
	void *counter_arg;
};

/* --json: a scan's run of pages as one line on @out. */
void dtl_pf_report_json_scan(struct dtl_pf_fe *fe, const struct dtl_rec_access_scan *r,
                             const struct dtl_scan_run *run, uint32_t mapping, FILE *out);

/* --json: sample @s (at CLOCK_REALTIME @time_ns) as one line on @out. */
void dtl_pf_report_json(struct dtl_pf_fe *fe, const struct dtl_pf_sample *s, uint64_t time_ns,
                        FILE *out);

/* "outer;...;inner" from the unwinder's " > function+0xOFF (...) [0x...]"
 * lines, innermost first, into @out. */
void dtl_pf_fold(const char *lines, char *out, size_t len);

/* The name and kind of mapping @m from its record: @path, DTL_MAP_*
 * @flags, the thread whose stack it holds, and whether @path is one of the
 * process's objects (text/data rather than a data file). */
void dtl_pf_name_mapping(struct dtl_pf_mapping *m, const char *path, unsigned flags, int tid,
                         bool object);

#endif
