/* SPDX-License-Identifier: MIT */
/*
 * The guest-physical layout: which guest-physical address backs each
 * host-virtual address of the process.
 *
 * Guest-virtual always equals host-virtual. Guest-physical equals
 * host-virtual too when the CPU's physical-address width covers every user
 * address (48 bits or more). Many CPUs have only 36-46 physical bits while user
 * mappings (mmap area, stack) sit near 2^47, so otherwise the process's
 * mappings are packed into guest-physical space in 2 MiB-aligned runs, handed
 * out in the order they are first needed (the "compressed" layout).
 *
 * Each run becomes one KVM memory slot. Runs are never moved or shrunk: a
 * slot cannot be resized while vCPUs may be using it, and a slot over host
 * addresses that were unmapped costs nothing until touched.
 */
#ifndef DUNE_LAYOUT_H
#define DUNE_LAYOUT_H

#include <dune/spinlock.h>
#include <stdbool.h>
#include <stdint.h>

#define DUNE_LAYOUT_GRANULE         (2ULL << 20) /* a run's alignment: one large page */
#define DUNE_LAYOUT_MAX_RUNS        8192
#define DUNE_LAYOUT_COMPRESSED_BASE (4ULL << 30) /* below: legacy MMIO holes, APIC */
#define DUNE_BAD_PA                 (~0ULL)

struct dune_layout_run {
	uint64_t hva, len, gpa;
};

struct dune_layout {
	unsigned phys_bits;
	bool identity; /* GPA == HVA */
	uint64_t gpa_next, gpa_limit;
	dune_spinlock_t lock;
	uint32_t nruns;
	struct dune_layout_run runs[DUNE_LAYOUT_MAX_RUNS]; /* sorted by hva, disjoint */
};

/* End of the user address space on x86-64 with 4-level paging: Linux's
 * TASK_SIZE_MAX, 2^47 less one guard page. KVM refuses memory slots that
 * reach beyond it (access_ok). */
#define DUNE_USER_VA_END ((1ULL << 47) - 4096)

void dune_layout_init(struct dune_layout *l, unsigned phys_bits);

/*
 * Make [hva, hva+len) translatable. Runs created for it are copied to
 * @new_runs (at most @max_new) so the caller can register them as memory
 * slots. Returns how many were created, -ENOSPC when guest-physical space or
 * the run table is exhausted, -EINVAL for addresses outside user space.
 */
int dune_layout_cover(struct dune_layout *l, uint64_t hva, uint64_t len,
                      struct dune_layout_run *new_runs, int max_new);

/* The guest-physical address of @hva, or DUNE_BAD_PA if it is not covered. */
uint64_t dune_layout_hva_to_gpa(struct dune_layout *l, uint64_t hva);

/* The host-virtual address of @gpa, or DUNE_BAD_PA. */
uint64_t dune_layout_gpa_to_hva(struct dune_layout *l, uint64_t gpa);

#endif
