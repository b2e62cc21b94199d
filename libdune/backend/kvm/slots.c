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

static int no_slot_left(void)
{
	dune_set_error("out of KVM memory slots (%d): the process has too many separate mappings",
	               dune_kvm.max_slots);
	return -ENOSPC;
}

static int set_slot(int vm, int fd, int slot, const struct dune_layout_run *r)
{
	struct kvm_userspace_memory_region region = {
	    .slot = (uint32_t)slot,
	    .guest_phys_addr = r->gpa,
	    .memory_size = r->len,
	    .userspace_addr = r->hva,
	};

	if (ioctl(fd, KVM_SET_USER_MEMORY_REGION, &region) == 0)
		return 0;
	int e = errno;
	/* a VM made after the run entered the layout has it already, perhaps
	 * merged with a neighbour (dune_kvm_map_layout): the same memory */
	if (e == EEXIST && vm > 0)
		return 0;
	dune_set_error("KVM refused memory slot %d (guest-physical %#llx, %llu KiB at %#llx): %s",
	               slot, (unsigned long long)region.guest_phys_addr,
	               (unsigned long long)region.memory_size >> 10,
	               (unsigned long long)region.userspace_addr, strerror(e));
	return -e;
}

/* @r in every VM of the process: the VMs and their slot numbers are taken
 * under vm_lock, which a VM being made holds until it has every run of the
 * layout, so each run reaches each VM. */
int dune_kvm_map_run(const struct dune_layout_run *r)
{
	int fds[DUNE_KVM_MAX_VMS], slots[DUNE_KVM_MAX_VMS];

	dune_spin_lock(&dune_kvm.vm_lock);
	for (int vm = 0; vm < DUNE_KVM_MAX_VMS; vm++) {
		fds[vm] = dune_kvm.vm_fd[vm];
		if (fds[vm] < 0)
			continue;
		if (dune_kvm.max_slots && dune_kvm.next_slot[vm] >= dune_kvm.max_slots) {
			dune_spin_unlock(&dune_kvm.vm_lock);
			return no_slot_left();
		}
		slots[vm] = dune_kvm.next_slot[vm]++;
	}
	dune_spin_unlock(&dune_kvm.vm_lock);
	for (int vm = 0; vm < DUNE_KVM_MAX_VMS; vm++) {
		int err = fds[vm] < 0 ? 0 : set_slot(vm, fds[vm], slots[vm], r);
		if (err)
			return err;
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
int dune_kvm_map_layout(int vm, int fd)
{
	struct dune_layout *l = dune_state.layout;
	int r = 0;

	/* the runs as they stand: another thread may be inserting one (its
	 * own dune_kvm_map_run then reaches this VM too, vm_lock) */
	dune_spin_lock(&l->lock);
	for (uint32_t i = 0; i < l->nruns && r == 0;) {
		struct dune_layout_run slot = l->runs[i++];
		while (i < l->nruns && l->runs[i].hva == slot.hva + slot.len &&
		       l->runs[i].gpa == slot.gpa + slot.len)
			slot.len += l->runs[i++].len;
		if (dune_kvm.max_slots && dune_kvm.next_slot[vm] >= dune_kvm.max_slots)
			r = no_slot_left();
		else
			r = set_slot(vm, fd, dune_kvm.next_slot[vm]++, &slot);
	}
	dune_spin_unlock(&l->lock);
	return r;
}
