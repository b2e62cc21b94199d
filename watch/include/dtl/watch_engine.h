/* SPDX-License-Identifier: MIT */
/*
 * The watch engine in the traced process (watch/engine.c): watchpoints by
 * page protection, the accesses to them found in ring 0 and written to the
 * trace as DTL_REC_WATCH_HIT records (dtl/event.h).
 *
 * A watched page is restricted through libdune's protection overlay: its
 * writes fault (a write watchpoint) or every access does (read and access
 * watchpoints). The #PF is handled in ring 0 without leaving the guest: the
 * bytes of every watchpoint on the page are copied, the page is opened in
 * this vCPU's private view (the other threads still fault on it), the
 * instruction runs once under the trap flag, and at its #DB the bytes are
 * compared, the hit recorded and the view closed. One such step at a time
 * in the process, so that the old and new values of concurrent writers
 * follow one another; several threads never miss each other's accesses.
 */
#ifndef DTL_WATCH_ENGINE_H
#define DTL_WATCH_ENGINE_H

#include <dtl/watch_spec.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hook priority: before the default tools, after the tracer's capture. */
#define DTL_WATCH_PRIO (-50)

/*
 * Watch [addr, addr+len) (@spec->len) for @spec->access (DTL_ACCESS_READ |
 * DTL_ACCESS_WRITE) as watchpoint @spec->id, with its condition, by a debug
 * register or by page protection (@spec->how:
 * DTL_WATCH_HW, DTL_WATCH_PAGE, or 0 for the engine to choose: a debug
 * register where one fits and they fire on the platform). Recorded from
 * the runtime's init; armed in ring 0 once the engine runs, and said in
 * the trace (DTL_REC_WATCH_STATE, also when it fails). 0, or -ENOSPC (no
 * room in the table), -EINVAL (an empty or impossible range).
 */
int dtl_watch_arm(const struct dtl_watch_spec *spec, uintptr_t addr);

/* Watchpoint @id could not be armed in this image (@error: -ENOENT, its
 * symbol is not there; -EEXIST, several statics of that name): said in
 * the trace. */
void dtl_watch_unresolved(uint32_t id, int error);

/* The objects of this image, for the front-end's symbolizer: recorded
 * again by a forked child. At most 64 objects are remembered. */
void dtl_watch_note_image(uintptr_t base, const char *path);

/* --control: the mailbox of changes made while the program runs
 * (dtl/watch_live.h), or NULL. Before the engine starts. */
struct dtl_watch_mailbox;
void dtl_watch_use_mailbox(struct dtl_watch_mailbox *mb);

/* --watch-bt: each hit carries the thread's registers and the top of its
 * stack (DTL_HIT_STACK). Before the engine starts. */
void dtl_watch_set_backtraces(bool on);

/* Once inside the VM (the runtime's start, ring 3): the #PF, #DB,
 * syscall-entry and vCPU-create hooks, and the arming. 0, or -1 when a
 * chain is full. */
int dtl_watch_engine_start(void);

#endif
