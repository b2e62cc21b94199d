/* SPDX-License-Identifier: MIT */
/*
 * The fault profiler in the traced process (pf/engine.c): with --pf the
 * program's memory is in libdune's first-touch mode, and each page's first
 * access, a #PF handled in ring 0 without leaving the guest, becomes a
 * DTL_REC_PAGE_FAULT record (dtl/event.h), with the mapping it falls in
 * described once in a DTL_REC_MAPPING record (one host call per mapping).
 */
#ifndef DTL_PF_ENGINE_H
#define DTL_PF_ENGINE_H

#include <dtl/ring.h>
#include <stdbool.h>
#include <stddef.h>

/* "pf\t1" in the ring's configuration: profile this process. */
#define DTL_PF_KEY      "pf"
/* "pf-bt\t1": each first touch carries the registers and the top of the
 * stack (struct dtl_hit_stack), for call stacks */
#define DTL_PF_BT_KEY   "pf-bt"
/* "pf-scan\tNS": an access scan every NS nanoseconds (--access-scan), a
 * DTL_REC_ACCESS_SCAN record per scan and up to DTL_SCAN_RUNS_MAX runs */
#define DTL_PF_SCAN_KEY "pf-scan"

/* Hook priority: after the tracer's capture, before the watch engine. */
#define DTL_PF_PRIO (-60)

/* Before dune_init (the runtime's init): true when the configuration of
 * the ring (@mapped bytes) asks for the profiler, which is then set up
 * (first-touch mode); false otherwise. */
bool dtl_pf_runtime_init(const struct dtl_ring *ring, size_t mapped);

/* Once inside the VM: the hooks. 0, or -1 when a chain is full. */
int dtl_pf_engine_start(void);

#endif
