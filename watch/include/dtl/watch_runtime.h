/* SPDX-License-Identifier: MIT */
/*
 * The watchpoints' part of the tracer's runtime in the traced process
 * (watch/runtime.c): before the process enters the VM, read the
 * watchpoints from the ring's configuration, resolve each in this image
 * (its symbol in the program or a library, at the load address of this
 * run), arm them, and name the image's objects in the trace for the
 * front-end's symbolizer. An image exec'd later does the same by name.
 */
#ifndef DTL_WATCH_RUNTIME_H
#define DTL_WATCH_RUNTIME_H

#include <dtl/ring.h>
#include <stdbool.h>
#include <stddef.h>

/* Ordinary code, once the ring is usable by dtl_capture_claim. Returns
 * whether there are watchpoints (then call dtl_watch_engine_start once in
 * the VM). */
bool dtl_watch_runtime_init(const struct dtl_ring *ring, size_t mapped);

/* Only name the image's objects in the trace (another tool, the fault
 * profiler, attributes to them without watchpoints). */
void dtl_watch_note_images(void);

#endif
