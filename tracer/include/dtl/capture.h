/* SPDX-License-Identifier: MIT */
/* The ring-0 side of dtrace-lite (tracer/capture.c). */
#ifndef DTL_CAPTURE_H
#define DTL_CAPTURE_H

#include <dtl/ring.h>
#include <dune/hook.h>

/*
 * The priority of the capture's hooks on libdune's chains (dune/hook.h):
 * before the tools at DUNE_HOOK_PRIO_DEFAULT, so that its entry hook records
 * a call as the program made it, before such a tool changes its arguments
 * or handles it, and its exit hook, which runs after theirs, the result the
 * program gets back. Every call from ring 3 is in the trace with that
 * result, whoever handled it; a call that a tool before this priority
 * handles is recorded from the registers after the call (its entry hook did
 * not run): arguments as they are then, memory read after the call, and a
 * signal delivered as it returns comes before it in the trace.
 */
#define DTL_CAPTURE_PRIO (DUNE_HOOK_PRIO_DEFAULT - 100)

/* Record every system call (and signal) of this process as records of the
 * event stream in the ring mapped at @ring_memory (struct dtl_ring, checked
 * with dtl_ring_valid()): hooks on the syscall entry and exit, signal and
 * vCPU-create chains, at DTL_CAPTURE_PRIO. Called by the tracer's runtime
 * (runtime.c) once the process runs inside the VM, with a ring it has
 * checked (dtl_ring_valid). Returns 0, or -1 if a chain is full. */
int dtl_capture_start(void *ring_memory);

/*
 * For the other tools of the runtime (the watch engine): a record of @size
 * bytes (a multiple of 8) in the same ring, claimed as this thread from
 * ring 0 (@ring0) or from ordinary code of the process (the runtime's init,
 * the monitor's hooks), with its header filled (pid, tid, time). NULL when
 * dropped (counted) or when there is no ring. The caller fills the rest and
 * publishes it with dtl_capture_publish(). Usable before dtl_capture_start
 * once dtl_capture_use_ring() has named the ring.
 */
struct dtl_capture_claim {
	struct dtl_rec *rec;
	struct dtl_ring_producer p;
};
void dtl_capture_use_ring(void *ring_memory);
struct dtl_rec *dtl_capture_claim(struct dtl_capture_claim *c, uint32_t size, bool ring0);
void dtl_capture_publish(struct dtl_capture_claim *c, uint16_t type, uint32_t size);

#endif
