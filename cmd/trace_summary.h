/* SPDX-License-Identifier: MIT */
/* dtrace-lite -c / -C: strace's per-call summary table. */
#ifndef DTL_TRACE_SUMMARY_H
#define DTL_TRACE_SUMMARY_H

#include <dtl/ring.h>
#include <stdio.h>

/* Count a completed call (time inside it from entry to completion). */
void trace_summary_count(const struct dtl_event *ev);

/* "% time     seconds  usecs/call     calls    errors syscall" ... "total" */
void trace_summary_print(FILE *out);

#endif
