/* SPDX-License-Identifier: MIT */
/* The ring-0 side of dtrace-lite (tracer/capture.c). */
#ifndef DTL_CAPTURE_H
#define DTL_CAPTURE_H

/* Record every system call of this process into the ring mapped at
 * @ring_memory (struct dtl_ring). Call before dune_enter_user(). Returns 0,
 * or -1 if the memory is not a ring. */
int dtl_capture_start(void *ring_memory);

#endif
