// SPDX-License-Identifier: MIT
/*
 * fork, and clones without CLONE_VM, from inside the VM. The monitor runs
 * the call natively; the child is a new process whose memory is a copy of
 * the parent's, but whose backend state (KVM's descriptors, say) still names
 * the parent's VM, which is tied to the parent's address space. So the child
 * builds a VM of its own (the backend's fork_child): the same guest-physical
 * layout (the run table was copied), the same page tables (copied too:
 * guest-physical addresses are unchanged), one vCPU for the forking thread,
 * started from exactly the registers and extended state the parent's vCPU
 * had at the host call.
 */
#include "monitor.h"

#include <dune/hook.h>

#include <errno.h>
#include <linux/sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define XSAVE_MAX (64 << 10)

static int rebuild_vm(void)
{
	dune_state.nr_free = 0; /* the parent's other threads do not exist here */
	return dune_backend->fork_child();
}

long dune_fork(struct dune_percpu *pc, long nr, const uint64_t *args)
{
	struct dune_tf start;
	/* mapped per fork, not static TLS: glibc carves a thread's static TLS
	 * out of its stack, and 64 KiB there would change what every thread
	 * of the program sees */
	uint8_t *xsave = (uint8_t *)dune_raw_syscall6(
	    SYS_mmap, 0, XSAVE_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((long)xsave < 0 && (long)xsave > -4096)
		return (long)xsave;

	/* the vCPU as it is now, in dune_hostcall after the host-call
	 * instruction: the child resumes there */
	int r = dune_backend->get_regs(pc, &start);
	if (r == 0)
		r = dune_backend->get_xsave(pc, xsave, XSAVE_MAX);
	if (r) {
		dune_raw_syscall6(SYS_munmap, (long)xsave, XSAVE_MAX, 0, 0, 0, 0);
		return r;
	}

	/* A stack the program gives its child is the guest's: the host side of
	 * the child (this code) goes on on a copy of its own stack, as after
	 * fork, and the guest frame gets the program's below. */
	uint64_t child_sp = 0;
	struct clone_args ca;
	long ret;
	/* (a size the kernel refuses goes to it as it is: EINVAL, E2BIG) */
	if (nr == SYS_clone3 && args[1] >= 64 && args[1] <= 4096) {
		memset(&ca, 0, sizeof(ca));
		if (!dune_read_user(&ca, (const void *)args[0],
		                    args[1] < sizeof(ca) ? args[1] : sizeof(ca))) {
			dune_raw_syscall6(SYS_munmap, (long)xsave, XSAVE_MAX, 0, 0, 0, 0);
			return -EFAULT;
		}
		if (ca.stack)
			child_sp = ca.stack + ca.stack_size;
		ca.stack = ca.stack_size = 0;
		ret = dune_program_syscall6(nr, (long)&ca, sizeof(ca), 0, 0, 0, 0);
	} else {
		if (nr == SYS_clone)
			child_sp = args[1];
		ret = dune_program_syscall6(nr, (long)args[0], nr == SYS_clone ? 0 : (long)args[1],
		                            (long)args[2], (long)args[3], (long)args[4],
		                            (long)args[5]);
	}
	if (ret != 0) {
		/* the parent, or an error */
		dune_raw_syscall6(SYS_munmap, (long)xsave, XSAVE_MAX, 0, 0, 0, 0);
		return ret;
	}

	/* the child: its VM's descriptors, even when the program holds every
	 * number below its limit */
	dune_fd_room_open();
	r = rebuild_vm();
	if (r == 0)
		r = dune_backend->vcpu_create(pc);
	dune_fd_room_close();
	if (r == 0)
		r = dune_backend->vcpu_reset(pc);
	if (r == 0)
		r = dune_backend->set_xsave(pc, xsave);
	dune_raw_syscall6(SYS_munmap, (long)xsave, XSAVE_MAX, 0, 0, 0, 0);
	if (r) {
		dune_printf("dune: the child of a fork cannot build its VM: %s\n", strerror(-r));
		dune_raw_syscall6(SYS_exit_group, 127, 0, 0, 0, 0, 0);
	}
	/* a new process: its own counters (DUNE_STATS), one thread */
	memset(&dune_state.totals, 0, sizeof(dune_state.totals));
	dune_state.live_threads = 1;
	pc->own_process = 0;
	/* a clone with a new stack: the program's frame gets it */
	if (child_sp && pc->syscall_tf)
		pc->syscall_tf->rsp = child_sp;

	/* resume after the host call, with the call's result 0 */
	pc->hc.ret = 0;
	pc->last_syscall_result = 0; /* what dune_last_syscall_result() tells the child */
	start.cs = DUNE_KERNEL_CS;
	start.ss = DUNE_KERNEL_DS;
	pc->vcpu_start = DUNE_VCPU_FORK;
	dune_monitor_resume(pc, &start);
}
