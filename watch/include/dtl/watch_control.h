/* SPDX-License-Identifier: MIT */
/*
 * The control socket of dtrace-lite --control PATH, and the client,
 * dtrace-lite ctl PATH COMMAND... (watch/control.c): one command per
 * connection, a line each way ("watch counter\n" -> "ok: ...\n").
 */
#ifndef DTL_WATCH_CONTROL_H
#define DTL_WATCH_CONTROL_H

#include <dtl/watch_frontend.h>

/* Listen at @path (a Unix socket, made there; an old socket file no one
 * listens on is replaced). The descriptor, or -1 after saying why. */
int dtl_watch_control_open(const char *path);
/* Answer every connection waiting at @fd; never blocks for long. */
void dtl_watch_control_serve(int fd, struct dtl_watch_fe *fe, const char *program);
/* dtrace-lite ctl PATH COMMAND [ARG]: the exit status (0 ok, 1 refused,
 * 2 no such control socket or bad usage). */
int dtl_watch_ctl_main(int argc, char **argv);

#endif
