/* SPDX-License-Identifier: MIT */
/* The ring-0 side of dtrace-lite (tracer/capture.c). */
#ifndef DTL_CAPTURE_H
#define DTL_CAPTURE_H

/* Record every system call (and signal) of this process as records of the
 * event stream in the ring mapped at @ring_memory (struct dtl_ring, checked
 * with dtl_ring_valid()). Called by the tracer's runtime (runtime.c) once
 * the process runs inside the VM. Returns 0, or -1 if the memory is not a
 * ring. */
int dtl_capture_start(void *ring_memory);

#endif
