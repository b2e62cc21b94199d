// SPDX-License-Identifier: MIT
/*
 * KVM's own counters of the vCPUs (binary statistics, KVM_GET_STATS_FD,
 * Documentation/virt/kvm/api.rst "KVM_GET_STATS_FD"): "exits" counts every
 * exit from the guest to the host kernel, also those KVM handles without
 * returning to the monitor (shadow-paging faults on PVM, host interrupts),
 * which the monitor's own count cannot see. Monitor context (DUNE_STATS at
 * exit or exec): raw system calls and the stack only.
 */
#include "kvm.h"

#include <linux/kvm.h>
#include <string.h>
#include <sys/syscall.h>

static long sys_pread(int fd, void *buf, size_t len, uint64_t off)
{
	return dune_raw_syscall6(SYS_pread64, fd, (long)buf, (long)len, (long)off, 0, 0);
}

/* The 64-bit counter @name of the statistics file @fd, or 0. */
static uint64_t stat_value(int fd, const char *name)
{
	struct kvm_stats_header h;
	if (sys_pread(fd, &h, sizeof(h), 0) != (long)sizeof(h) || h.name_size == 0 ||
	    h.name_size > 256)
		return 0;
	size_t desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	for (uint32_t i = 0; i < h.num_desc; i++) {
		union {
			struct kvm_stats_desc d;
			char bytes[sizeof(struct kvm_stats_desc) + 256];
		} u;
		if (sys_pread(fd, &u, desc_size, h.desc_offset + i * desc_size) != (long)desc_size)
			return 0;
		u.bytes[desc_size - 1] = '\0';
		if (strcmp(u.d.name, name) != 0)
			continue;
		uint64_t v = 0;
		if (u.d.size != 1 ||
		    sys_pread(fd, &v, sizeof(v), h.data_offset + u.d.offset) != (long)sizeof(v))
			return 0;
		return v;
	}
	return 0;
}

/* Guest exits to the host kernel, summed over this process's vCPUs. */
uint64_t dune_kvm_kernel_exits(void)
{
	uint64_t sum = 0;
	for (int i = 0; i < dune_state.nr_vcpus && i < DUNE_MAX_VCPUS; i++) {
		int vcpu = dune_kvm.vcpus[i].fd;
		if (vcpu <= 0)
			continue;
		int fd = (int)dune_raw_syscall6(SYS_ioctl, vcpu, KVM_GET_STATS_FD, 0, 0, 0, 0);
		if (fd < 0)
			continue;
		sum += stat_value(fd, "exits");
		dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
	}
	return sum;
}
