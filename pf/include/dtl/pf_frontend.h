/* SPDX-License-Identifier: MIT */
/*
 * The fault profiler in the front-end (--pf): the records of the stream
 * (DTL_REC_PAGE_FAULT, DTL_REC_MAPPING) into the model (dtl/pf_model.h),
 * and the outputs made from it when the program has ended.
 */
#ifndef DTL_PF_FRONTEND_H
#define DTL_PF_FRONTEND_H

#include <dtl/event.h>
#include <dtl/pf_heatmap.h>
#include <dtl/pf_model.h>
#include <stdbool.h>
#include <stdio.h>

struct dtl_symbolizer;
struct dtl_pf_fe;

/* @sym names the faulting instructions and tells objects from data files
 * (shared with the watchpoints); @command is the program's command line
 * (for titles). NULL when out of memory. */
struct dtl_pf_fe *dtl_pf_fe_new(struct dtl_symbolizer *sym, const char *command);
void dtl_pf_fe_free(struct dtl_pf_fe *fe);

/* The program started now (CLOCK_REALTIME, ns): the model's time 0. */
void dtl_pf_fe_start(struct dtl_pf_fe *fe, uint64_t now_ns);
/* --json: each first touch also as one JSON object on @out, as it comes. */
void dtl_pf_fe_json(struct dtl_pf_fe *fe, FILE *out);
/* Counter tracks (--perfetto): @fn gets each process's "touched pages"
 * (first touches so far, at most every 10 ms and at the end) and, with an
 * access scan, its "working set pages" and "dirty pages" per interval, at
 * CLOCK_REALTIME @time_ns. */
typedef void (*dtl_pf_counter_fn)(void *arg, int pid, const char *name, uint64_t time_ns,
                                  uint64_t value);
void dtl_pf_fe_counters(struct dtl_pf_fe *fe, dtl_pf_counter_fn fn, void *arg);
/* The access scan's interval (--access-scan), for the outputs. */
void dtl_pf_fe_scan_interval(struct dtl_pf_fe *fe, uint64_t interval_ns);
/* A record of the stream: true when it was the profiler's. */
bool dtl_pf_fe_record(struct dtl_pf_fe *fe, const struct dtl_rec *rec);
/* The program ended now. */
void dtl_pf_fe_finish(struct dtl_pf_fe *fe, uint64_t now_ns);

const struct dtl_pf_model *dtl_pf_fe_model(const struct dtl_pf_fe *fe);

/* ---- outputs (pf/report.c) ---- */

/* The table at exit: first touches per mapping and per function, pages
 * touched over time, faults per second. */
void dtl_pf_report_summary(struct dtl_pf_fe *fe, FILE *out);
/* --pf-csv: one row per first touch (columns in the README). 0, or -1
 * with errno (the write failed). */
int dtl_pf_report_csv(struct dtl_pf_fe *fe, FILE *out);
/* --pf-folded: "outer;...;inner COUNT" lines (--pf-bt's call stacks), for
 * flame-graph tools. 0, or -1 with errno. */
int dtl_pf_report_folded(const struct dtl_pf_fe *fe, FILE *out);

/* "WxH" (--heatmap-size): 0, or -1 with a reason in @err. */
int dtl_pf_parse_size(const char *s, unsigned *w, unsigned *h, char *err, size_t errlen);
/* "MS" (--access-scan), milliseconds from 1 to an hour, decimals allowed:
 * 0, or -1 with a reason in @err. */
int dtl_pf_parse_interval(const char *s, uint64_t *ns, char *err, size_t errlen);
/* "LO-HI" or "LO+LEN" in hex or decimal (--pf-range): 0, or -1. */
int dtl_pf_parse_range(const char *s, uint64_t *lo, uint64_t *hi, char *err, size_t errlen);

/* ---- the command line (pf/outputs.c) ---- */

struct dtl_pf_opts {
	bool on;                     /* --pf (or any option below) */
	const char *png;             /* --heatmap FILE */
	bool text;                   /* --heatmap-text */
	const char *csv;             /* --pf-csv FILE */
	bool json;                   /* --json: the objects, no table at the end */
	bool stacks;                 /* --pf-bt (and --pf-folded) */
	const char *folded;          /* --pf-folded FILE */
	unsigned width, height;      /* --heatmap-size WxH: the plot area */
	uint64_t range_lo, range_hi; /* --pf-range */
	uint64_t scan_ns;            /* --access-scan, in ns; 0 without */
	FILE *csv_out, *folded_out;  /* opened by dtl_pf_opts_check */
};

/* Before the program starts: every output can be written (the PNG's
 * directory, the CSV opened). 0, or -1 after saying why on stderr. */
int dtl_pf_opts_check(struct dtl_pf_opts *o);
/* At the end: the summary on @out, and the outputs asked for. 0, or -1
 * when one could not be written (said on stderr). */
int dtl_pf_outputs(struct dtl_pf_fe *fe, struct dtl_pf_opts *o, FILE *out);

#endif
