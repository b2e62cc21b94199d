/* SPDX-License-Identifier: MIT */
/*
 * State shared by the guest runtime, the host-side monitor and the
 * backends: backend-neutral (a backend keeps its own state behind
 * backend/backend.h and struct dune_percpu.vcpu). Not public.
 *
 * Declarations by layer: runtime.h (guest ring 0), monitor.h (host side),
 * util.h (below both), ../backend/backend.h (the backend operations).
 */
#ifndef DUNE_INTERNAL_H
#define DUNE_INTERNAL_H

#include "percpu.h"
#include "util.h"

#include <dune/dune.h>
#include <dune/layout.h>
#include <dune/vm.h>
#include <stdbool.h>
#include <stdint.h>

#define DUNE_MAX_VCPUS DUNE_VCPU_MAX /* dune.h */

/* The runtime region: one mapping, supervisor-only in the guest. */
#define RT_LAYOUT_OFF   0x0
#define RT_IDT_OFF      0x80000
#define RT_PERCPU_OFF   0x100000
/* the first RT_PERCPU_VCPUS per-vCPU blocks; the others in chunks of as
 * many, mapped when threads first need them (monitor/vcpu.c) */
#define RT_PERCPU_VCPUS 1024
#define RT_PERCPU_SIZE  ((uint64_t)RT_PERCPU_VCPUS * PERCPU_SIZE)
#define RT_POOL_OFF     (RT_PERCPU_OFF + RT_PERCPU_SIZE)
#define RT_POOL_SIZE    (256ULL << 20)
/* the protection overlay's ranges (mm/overlay.c): touched as they fill */
#define RT_OVERLAY_OFF  (RT_POOL_OFF + RT_POOL_SIZE)
#define RT_OVERLAY_SIZE ((uint64_t)DUNE_OVERLAY_RANGES * 32)
#define RT_SIZE         (RT_OVERLAY_OFF + RT_OVERLAY_SIZE)

struct dune_state {
	bool initialised;
	/* first-touch mode (dune_first_touch_enable): the program's pages are
	 * mapped 4 KiB at a time, each present from its first access */
	bool first_touch;
	bool debug; /* DUNE_DEBUG: trace exits to stderr */
	/* an access scan is due: the next vCPU stopped in ring 3 makes it
	 * (monitor/access_scan.c) */
	int scan_wanted;
	bool xsave; /* XSAVE available (else FXSAVE) */
	unsigned phys_bits;
	uintptr_t rt_base;
	struct dune_layout *layout;
	struct dune_page_pool pool;
	struct dune_pt pt;
	uint64_t *idt;
	int nr_vcpus;
	int max_vcpus; /* what the backend allows, at most DUNE_MAX_VCPUS */
	/* threads of this process inside the VM (monitor/loop.c, SYS_exit) */
	int live_threads;
	/* vCPUs of threads that exited, for reuse (KVM cannot destroy a vCPU) */
	dune_spinlock_t free_lock;
	int nr_free;
	struct dune_percpu *free_vcpus[DUNE_MAX_VCPUS];
	uintptr_t stack_lo, stack_hi; /* the main thread's stack and its growth room */
	/* bytes of static TLS below the thread pointer (monitor/init.c) */
	size_t static_tls_below;
	/* process-wide counters (all vCPUs, past and present) and where
	 * DUNE_STATS wants them written when the process ends or execs */
	struct dune_stats totals;
	char stats_path[256];
	/* "LD_PRELOAD=..." that injected this process, as it saw it */
	char preload_env[1024];
	/* what is kept in every execve (monitor/loop.c): the library's path
	 * (an inherited /proc/self/fd link resolved), and a descriptor of it
	 * for an image whose credentials no longer reach that path */
	char preload_path[1024];
	bool has_preload_fd;
	int preload_fd;
	/* other NAME=value assignments an injected process keeps across execve
	 * (dune_inject_keep_env: a tool runtime's own variables) */
	char keep_env[4][128];
	int nkeep_env;
	/* dune_inject_keep_fd: a tool's descriptor and its keep_env entry */
	bool has_keep_fd;
	int keep_fd, keep_fd_env;
};

extern struct dune_state dune_state;

/* Thread-local: the vCPU of this thread (NULL outside the VM). entry.S reads
 * it through dune_tls_percpu_offset, its distance from the thread pointer. */
extern __thread struct dune_percpu *dune_tls_percpu __attribute__((tls_model("initial-exec")));
extern long dune_tls_percpu_offset;
/* true while this thread's vCPU runs the guest */
extern __thread bool dune_tls_in_guest __attribute__((tls_model("initial-exec")));
/* This thread's counters: in TLS, so that ring 3 can read them too (the
 * per-vCPU block is supervisor-only). */
extern __thread struct dune_stats dune_tls_stats __attribute__((tls_model("initial-exec")));

static inline struct dune_percpu *dune_this_cpu(void)
{
	return dune_tls_percpu;
}

#endif
