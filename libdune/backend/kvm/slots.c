// SPDX-License-Identifier: MIT
/*
 * Host side: the KVM memory slots behind the guest-physical layout.
 *
 * Memory-slot scheme, chosen by measurement (PVM host, 2026-11-21):
 * one slot per layout run (2 MiB-aligned, covering a host mapping when it
 * first needs to be visible), never resized or removed.
 *   - A few huge slots: a slot over mostly unmapped address space costs KVM
 *     ~10 bytes of kernel memory per 4 KiB of slot on a shadow-paging host
 *     (reverse maps are allocated eagerly): 64 GiB took 31-39 ms and 164 MiB,
 *     1 TiB 2.1 s and 2.6 GB; all of user space (2^47) would need ~330 GB.
 *     And a compressed layout cannot use one identity slot anyway.
 *   - A slot per host mapping, removed on munmap: creating a 4 KiB slot took
 *     37-45 us and deleting one 8-18 us, while deletion also zaps the shadow
 *     pages of every vCPU. Per-run slots are created once per new 2 MiB
 *     region and never deleted, and exit costs did not grow with 32,764
 *     slots (KVM_CAP_NR_MEMSLOTS here).
 * A run that outlives its host mapping costs nothing: KVM's MMU notifiers
 * drop the stale translations when the host unmaps, and a guest access to an
 * unmapped host address fails in KVM_RUN, which the monitor reports.
 */
#include "kvm.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

int dune_kvm_map_run(const struct dune_layout_run *r)
{
	struct kvm_userspace_memory_region region = {
	    .guest_phys_addr = r->gpa,
	    .memory_size = r->len,
	    .userspace_addr = r->hva,
	};

	dune_spin_lock(&dune_kvm.slot_lock);
	if (dune_kvm.max_slots && dune_kvm.next_slot >= dune_kvm.max_slots) {
		dune_spin_unlock(&dune_kvm.slot_lock);
		dune_set_error("out of KVM memory slots (%d): the process has too many "
		               "separate mappings",
		               dune_kvm.max_slots);
		return -ENOSPC;
	}
	region.slot = (uint32_t)dune_kvm.next_slot++;
	dune_spin_unlock(&dune_kvm.slot_lock);
	if (ioctl(dune_kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		int e = errno;
		dune_set_error("KVM refused memory slot %u (guest-physical %#llx, %llu KiB at "
		               "%#llx): %s",
		               region.slot, (unsigned long long)region.guest_phys_addr,
		               (unsigned long long)region.memory_size >> 10,
		               (unsigned long long)region.userspace_addr, strerror(e));
		return -e;
	}
	return 0;
}

/*
 * Every slot change waits for an SRCU grace period (kvm_swap_active_memslots
 * -> synchronize_srcu_expedited), which took 20 us to 3 ms each on a loaded
 * PVM host (2026-12-03, bench/results/pvm-2026-12-03-forkexec.md): the child
 * of a fork re-registering the parent's runs one slot each spent most of its
 * start-up asleep there. Runs adjacent in both host-virtual and
 * guest-physical space share one slot; the guest sees the same memory.
 */
int dune_kvm_map_runs_merged(const struct dune_layout_run *runs, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		struct dune_layout_run slot = runs[i++];
		while (i < n && runs[i].hva == slot.hva + slot.len &&
		       runs[i].gpa == slot.gpa + slot.len)
			slot.len += runs[i++].len;
		int r = dune_kvm_map_run(&slot);
		if (r)
			return r;
	}
	return 0;
}
