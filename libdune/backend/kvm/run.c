// SPDX-License-Identifier: MIT
/*
 * Running a vCPU: KVM_RUN, its exit reasons as the monitor's exit kinds,
 * interrupt injection and guest debugging. Interrupt context (DESIGN.md).
 */
#include "kvm.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

void dune_kvm_run(struct dune_percpu *pc, struct dune_exit *exit)
{
	struct kvm_run *run = pc->vcpu->run;

	memset(exit, 0, sizeof(*exit));
	/* not libc's ioctl: its errno is the program's (the same TLS), which
	 * a signal that ends KVM_RUN must not change (monitor/loop.c) */
	long r = dune_raw_syscall6(SYS_ioctl, pc->vcpu->fd, KVM_RUN, 0, 0, 0, 0);
	if (r < 0) {
		exit->error = (int)-r;
		exit->kind =
		    (r == -EINTR || r == -EAGAIN) ? DUNE_EXIT_INTERRUPTED : DUNE_EXIT_RUN_ERROR;
		return;
	}
	exit->name = dune_kvm_exit_name(run->exit_reason);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (run->io.port == DUNE_HC_PORT && run->io.direction == KVM_EXIT_IO_OUT) {
			exit->kind = DUNE_EXIT_HOSTCALL;
			return;
		}
		exit->kind = DUNE_EXIT_UNKNOWN;
		exit->what = "port I/O from the guest";
		return;
	case KVM_EXIT_MMIO:
		exit->kind = DUNE_EXIT_MMIO;
		exit->mmio.gpa = run->mmio.phys_addr;
		exit->mmio.len = run->mmio.len;
		exit->mmio.write = run->mmio.is_write;
		return;
	case KVM_EXIT_INTR: /* a host signal, after an exit KVM handled itself */
	case KVM_EXIT_IRQ_WINDOW_OPEN:
		exit->kind = DUNE_EXIT_INTERRUPT_WINDOW;
		return;
	case KVM_EXIT_SHUTDOWN:
		exit->kind = DUNE_EXIT_SHUTDOWN;
		return;
	case KVM_EXIT_FAIL_ENTRY:
		exit->kind = DUNE_EXIT_FAILED_ENTRY;
		exit->detail = run->fail_entry.hardware_entry_failure_reason;
		return;
	case KVM_EXIT_INTERNAL_ERROR:
		exit->kind = DUNE_EXIT_INTERNAL_ERROR;
		exit->detail = run->internal.suberror;
		return;
	case KVM_EXIT_DEBUG:
		exit->kind = DUNE_EXIT_DEBUG;
		exit->debug.vector = run->debug.arch.exception;
		exit->debug.rip = run->debug.arch.pc;
		exit->debug.dr6 = run->debug.arch.dr6;
		exit->debug.dr7 = run->debug.arch.dr7;
		return;
	default:
		exit->kind = DUNE_EXIT_UNKNOWN;
		exit->what = "unexpected exit";
		return;
	}
}

/* Userspace interrupt injection (KVM API: KVM_INTERRUPT, "interrupt
 * window"); only with the guest's IF set, that is in ring 3. */
bool dune_kvm_inject_interrupt(struct dune_percpu *pc, uint8_t vector)
{
	struct kvm_run *run = pc->vcpu->run;

	if ((run->ready_for_interrupt_injection || dune_pvm_injects_when_not_ready()) &&
	    run->if_flag) {
		struct kvm_interrupt irq = {.irq = vector};
		ioctl(pc->vcpu->fd, KVM_INTERRUPT, &irq);
		run->request_interrupt_window = 0;
		return true;
	}
	run->request_interrupt_window = 1;
	return false;
}

/* KVM_SET_SIGNAL_MASK (KVM API 4.35): the mask the thread has while
 * KVM_RUN runs the guest; the kernel's sigset_t is 8 bytes on x86-64,
 * right after the 4-byte length (struct kvm_signal_mask: __u8 sigset[],
 * unaligned; a uint64_t member there would start 4 bytes late). */
int dune_kvm_set_run_signal_mask(struct dune_percpu *pc, uint64_t mask)
{
	union {
		struct kvm_signal_mask head;
		uint8_t bytes[sizeof(struct kvm_signal_mask) + 8];
	} m;
	m.head.len = 8;
	memcpy(m.head.sigset, &mask, 8);
	return ioctl(pc->vcpu->fd, KVM_SET_SIGNAL_MASK, &m) < 0 ? -errno : 0;
}

void dune_kvm_cancel_interrupt_window(struct dune_percpu *pc)
{
	pc->vcpu->run->request_interrupt_window = 0;
}

/* KVM_SET_GUEST_DEBUG (KVM API 4.59): debug registers and single step
 * intercepted by the host, reported as KVM_EXIT_DEBUG. */
int dune_kvm_set_guest_debug(struct dune_percpu *pc, const struct dune_guest_debug *dbg)
{
	struct kvm_guest_debug g;

	memset(&g, 0, sizeof(g));
	if (dbg->enable) {
		g.control = KVM_GUESTDBG_ENABLE;
		if (dbg->single_step)
			g.control |= KVM_GUESTDBG_SINGLESTEP;
		if (dbg->hw_breakpoints)
			g.control |= KVM_GUESTDBG_USE_HW_BP;
		for (int i = 0; i < 4; i++)
			g.arch.debugreg[i] = dbg->dr[i];
		g.arch.debugreg[7] = dbg->dr7;
	}
	return ioctl(pc->vcpu->fd, KVM_SET_GUEST_DEBUG, &g) < 0 ? -errno : 0;
}
