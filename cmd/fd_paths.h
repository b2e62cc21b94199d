/* SPDX-License-Identifier: MIT */
/*
 * dtrace-lite -y: the path behind each descriptor of each traced process,
 * followed through the trace itself (open, dup, close...), since lines are
 * printed a little after the calls happened and a descriptor may already be
 * closed or reused by then. Descriptors the trace did not see created
 * (inherited ones) are looked up in /proc/PID/fd.
 */
#ifndef DTL_FD_PATHS_H
#define DTL_FD_PATHS_H

#include <dtl/ring.h>

/* Before printing @ev: learn the descriptors it created. */
void fd_paths_before(const struct dtl_event *ev);
/* After printing @ev: forget the descriptors it closed. */
void fd_paths_after(const struct dtl_event *ev);

/* The traced program @pid at its start: our working directory and the
 * descriptors it inherited from us. */
void fd_paths_seed(int pid);
/* A child process @child of @parent starts with a copy of its table. */
void fd_paths_fork(int parent, int child);

/* The dtl_format_opts.fd_path callback. */
const char *fd_paths_lookup(const struct dtl_event *ev, int fd, void *unused);

#endif
