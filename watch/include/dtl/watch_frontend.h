/* SPDX-License-Identifier: MIT */
/*
 * The watchpoints in the dtrace-lite front-end: the user's expressions,
 * checked and handed to the runtime through the ring's configuration, and
 * the records the engine writes (DTL_REC_IMAGE, DTL_REC_WATCH_STATE,
 * DTL_REC_WATCH_HIT) turned into watch events for the session's sinks:
 * values printed, the instruction disassembled, its place named.
 */
#ifndef DTL_WATCH_FRONTEND_H
#define DTL_WATCH_FRONTEND_H

#include <dtl/event.h>
#include <dtl/session.h>
#include <dtl/watch_live.h>

#include <stdbool.h>
#include <stdio.h>

struct dtl_watch_fe;

/* @notices: where "armed"/"not armed" messages go (NULL: nowhere). */
struct dtl_watch_fe *dtl_watch_fe_new(FILE *notices);
/* Its symbolizer, fed with the images of the stream: shared with the
 * other tools' attribution (the fault profiler). */
struct dtl_symbolizer *dtl_watch_fe_symbolizer(struct dtl_watch_fe *fe);
void dtl_watch_fe_free(struct dtl_watch_fe *fe);

/* --watch (DTL_ACCESS_WRITE), --rwatch (READ), --awatch (both) @expr of
 * the program at @program (a file), by @how (0: the engine chooses;
 * DTL_WATCH_HW, DTL_WATCH_PAGE: --watch-mode). 0, or -1 after saying why
 * on stderr. */
int dtl_watch_fe_add(struct dtl_watch_fe *fe, const char *program, const char *expr, uint8_t access,
                     uint8_t how);
int dtl_watch_fe_count(const struct dtl_watch_fe *fe);
/* --watch-bt: each hit with its call stack. */
void dtl_watch_fe_set_backtraces(struct dtl_watch_fe *fe, bool on);

/* The ring configuration's text for the runtime (a malloc'ed string, or
 * NULL when out of memory). */
char *dtl_watch_fe_config(const struct dtl_watch_fe *fe);

/* --control: the mailbox in the ring's memfd (dtl/watch_live.h) through
 * which watchpoints change while the program runs. */
struct dtl_watch_mailbox;
void dtl_watch_fe_use_mailbox(struct dtl_watch_fe *fe, struct dtl_watch_mailbox *mb);

/*
 * A control command (dtrace-lite ctl): "watch|rwatch|awatch EXPR",
 * "delete|disable|enable N", "list". The answer, "ok: ..." or "error: ...",
 * and for list one line per watchpoint, into @reply.
 */
void dtl_watch_fe_command(struct dtl_watch_fe *fe, const char *program, const char *line,
                          char *reply, size_t len);

/* A record of the watch engine: decoded into @s; false for another type. */
bool dtl_watch_fe_record(struct dtl_watch_fe *fe, struct dtl_session *s, const struct dtl_rec *rec);

/* -c: hits per watchpoint and per function, accesses beside it. */
void dtl_watch_fe_summary(const struct dtl_watch_fe *fe, FILE *out);

#endif
