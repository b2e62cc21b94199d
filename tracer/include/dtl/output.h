/* SPDX-License-Identifier: MIT */
/*
 * The trace's output files and their write errors. A trace that cannot be
 * written (-o /dev/full, a full disk, an I/O error) is never lost silently:
 * the first failure of each file is reported on stderr with the file's name
 * and the reason, as strace does, and the run ends with a line saying which
 * outputs are incomplete. The program's own exit status is kept.
 */
#ifndef DTL_OUTPUT_H
#define DTL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

/* @f is a trace output called @name in messages ("stderr" for the default). */
void dtl_output_watch(FILE *f, const char *name);
/* Flush @f; a write error, now or since the last check, is reported once. */
int dtl_output_flush(FILE *f);
/* Flush and close @f, reporting as dtl_output_flush(). */
int dtl_output_close(FILE *f);
/* Print, on stderr, one line per output that lost lines; true if any did. */
bool dtl_output_report_incomplete(void);

#endif
