// SPDX-License-Identifier: MIT
/*
 * fork, and clones without CLONE_VM, from inside the VM. The monitor runs
 * the call natively; the child is a new process whose memory is a copy of
 * the parent's, but whose KVM file descriptors still name the parent's VM,
 * which KVM ties to the parent's address space. So the child builds a VM of
 * its own: the same guest-physical layout (the run table was copied), the
 * same page tables (copied too: guest-physical addresses are unchanged), one
 * vCPU for the forking thread, started from exactly the registers and
 * extended state the parent's vCPU had at the host call.
 */
#include "internal.h"

#include <dune/hook.h>

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define XSAVE_MAX (64 << 10)

static int rebuild_vm(void)
{
	/* drop the parent's vCPUs (other threads do not exist here) and VM */
	for (int i = 0; i < dune_state.nr_vcpus; i++) {
		struct dune_percpu *other =
		    (struct dune_percpu *)(dune_state.rt_base + RT_PERCPU_OFF +
		                           (uint64_t)i * PERCPU_SIZE);
		if (other->vcpu_fd > 0) {
			munmap(other->run, (size_t)dune_state.run_size);
			dune_fd_release(other->vcpu_fd);
			other->vcpu_fd = -1;
		}
	}
	dune_state.nr_free = 0;
	int vm = ioctl(dune_state.kvm_fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		return -errno;
	/* at the parent's VM's number, which this closes */
	if (dune_fd_replace(dune_state.vm_fd, vm) < 0)
		return -EBADF;
	dune_state.next_slot = 0;
	for (uint32_t i = 0; i < dune_state.layout->nruns; i++) {
		const struct dune_layout_run *r = &dune_state.layout->runs[i];
		struct kvm_userspace_memory_region region = {
		    .slot = (uint32_t)dune_state.next_slot++,
		    .guest_phys_addr = r->gpa,
		    .memory_size = r->len,
		    .userspace_addr = r->hva,
		};
		if (ioctl(dune_state.vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
			return -errno;
	}
	return 0;
}

long dune_fork(struct dune_percpu *pc, long nr, const uint64_t *args)
{
	struct kvm_regs regs;
	/* mapped per fork, not static TLS: glibc carves a thread's static TLS
	 * out of its stack, and 64 KiB there would change what every thread
	 * of the program sees */
	uint8_t *xsave = (uint8_t *)dune_raw_syscall6(
	    SYS_mmap, 0, XSAVE_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((long)xsave < 0 && (long)xsave > -4096)
		return (long)xsave;

	/* the vCPU as it is now, in dune_hostcall: the child resumes there */
	int r = ioctl(pc->vcpu_fd, KVM_GET_REGS, &regs) < 0 ? -errno : 0;
	if (r == 0)
		r = dune_vcpu_get_xsave(pc, xsave, XSAVE_MAX);
	if (r) {
		dune_raw_syscall6(SYS_munmap, (long)xsave, XSAVE_MAX, 0, 0, 0, 0);
		return r;
	}

	long ret = dune_raw_syscall6(nr, (long)args[0], (long)args[1], (long)args[2], (long)args[3],
	                             (long)args[4], (long)args[5]);
	if (ret != 0) {
		/* the parent, or an error */
		dune_raw_syscall6(SYS_munmap, (long)xsave, XSAVE_MAX, 0, 0, 0, 0);
		return ret;
	}

	/* the child */
	r = rebuild_vm();
	if (r == 0)
		r = dune_vcpu_setup(pc);
	if (r == 0)
		r = dune_vcpu_setup_registers(pc);
	if (r == 0)
		r = dune_vcpu_set_xsave(pc, xsave);
	dune_raw_syscall6(SYS_munmap, (long)xsave, XSAVE_MAX, 0, 0, 0, 0);
	if (r) {
		dune_printf("dune: the child of a fork cannot build its VM: %s\n", strerror(-r));
		dune_raw_syscall6(SYS_exit_group, 127, 0, 0, 0, 0, 0);
	}
	/* a new process: its own counters (DUNE_STATS) */
	memset(&dune_state.totals, 0, sizeof(dune_state.totals));
	/* a clone with a new stack: the program's frame gets it */
	if (nr == SYS_clone && args[1] && pc->syscall_tf)
		pc->syscall_tf->rsp = args[1];

	/* resume after the OUT of the host call (outb %al, $imm8: e6 d0), with
	 * the call's result 0. KVM completes a port write on the next KVM_RUN,
	 * so RIP may still point at it. */
	pc->hc.ret = 0;
	pc->last_syscall_result = 0; /* what dune_last_syscall_result() tells the child */
	if (*(const uint16_t *)regs.rip == (0xe6 | (DUNE_HC_PORT << 8)))
		regs.rip += 2;
	struct dune_tf start;
	dune_tf_from_kvm_regs(&start, &regs);
	start.cs = DUNE_KERNEL_CS;
	start.ss = DUNE_KERNEL_DS;
	pc->vcpu_start = DUNE_VCPU_FORK;
	dune_monitor_resume(pc, &start);
}
