/* SPDX-License-Identifier: MIT */
/*
 * The session's -y table: the path behind each descriptor of each traced
 * process, followed through the trace itself (open, dup, close, chdir,
 * fork...), since lines are printed a little after the calls happened and a
 * descriptor may already be closed or reused by then. Descriptors the trace
 * did not see created (inherited ones) are looked up in /proc/PID/fd.
 */
#ifndef DTL_SESSION_FDTABLE_H
#define DTL_SESSION_FDTABLE_H

#include <dtl/ring.h>

struct dtl_fdtable;

/* NULL when out of memory. */
struct dtl_fdtable *dtl_fdtable_new(void);
void dtl_fdtable_free(struct dtl_fdtable *t);

/* Before the sinks see @ev: learn the descriptors it created. */
void dtl_fdtable_before(struct dtl_fdtable *t, const struct dtl_event *ev);
/* After the sinks saw @ev: forget the descriptors it closed, follow chdir. */
void dtl_fdtable_after(struct dtl_fdtable *t, const struct dtl_event *ev);

/* The traced program @pid at its start: our working directory and the
 * descriptors it inherited from us (those not close-on-exec). */
void dtl_fdtable_seed(struct dtl_fdtable *t, int pid);
/* A child process @child of @parent starts with a copy of its table. */
void dtl_fdtable_fork(struct dtl_fdtable *t, int parent, int child);

/* The path behind @fd of process @pid (AT_FDCWD: its working directory),
 * or NULL. Valid until the table changes. */
const char *dtl_fdtable_lookup(struct dtl_fdtable *t, int pid, int fd);

#endif
