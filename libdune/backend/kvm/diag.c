// SPDX-License-Identifier: MIT
/* Readable diagnostics of a vCPU that stopped for a reason we cannot handle. */
#include "kvm.h"

#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

const char *dune_kvm_exit_name(unsigned reason)
{
	static const char *const names[] = {
	    [KVM_EXIT_UNKNOWN] = "UNKNOWN",
	    [KVM_EXIT_EXCEPTION] = "EXCEPTION",
	    [KVM_EXIT_IO] = "IO",
	    [KVM_EXIT_HYPERCALL] = "HYPERCALL",
	    [KVM_EXIT_DEBUG] = "DEBUG",
	    [KVM_EXIT_HLT] = "HLT",
	    [KVM_EXIT_MMIO] = "MMIO",
	    [KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
	    [KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	    [KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	    [KVM_EXIT_INTR] = "INTR",
	    [KVM_EXIT_SET_TPR] = "SET_TPR",
	    [KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
	    [KVM_EXIT_NMI] = "NMI",
	    [KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	    [KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	};
	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "?";
}

void dune_tf_from_kvm_regs(struct dune_tf *tf, const struct kvm_regs *r)
{
	*tf = (struct dune_tf){
	    .r15 = r->r15,
	    .r14 = r->r14,
	    .r13 = r->r13,
	    .r12 = r->r12,
	    .r11 = r->r11,
	    .r10 = r->r10,
	    .r9 = r->r9,
	    .r8 = r->r8,
	    .rbp = r->rbp,
	    .rdi = r->rdi,
	    .rsi = r->rsi,
	    .rdx = r->rdx,
	    .rcx = r->rcx,
	    .rbx = r->rbx,
	    .rax = r->rax,
	    .rip = r->rip,
	    .rflags = r->rflags,
	    .rsp = r->rsp,
	};
}

void dune_kvm_dump(struct dune_percpu *pc, const char *why)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	const struct kvm_run *run = pc->vcpu->run;

	dune_printf("dune: vCPU %d stopped: %s (exit reason %u %s)\n", pc->index, why,
	            run->exit_reason, dune_kvm_exit_name(run->exit_reason));
	if (ioctl(pc->vcpu->fd, KVM_GET_REGS, &r) == 0) {
		struct dune_tf tf;
		dune_tf_from_kvm_regs(&tf, &r);
		if (ioctl(pc->vcpu->fd, KVM_GET_SREGS, &s) == 0) {
			tf.cs = s.cs.selector;
			tf.ss = s.ss.selector;
			dune_printf("  cr0 %#llx cr2 %#llx cr3 %#llx cr4 %#llx efer %#llx\n",
			            (unsigned long long)s.cr0, (unsigned long long)s.cr2,
			            (unsigned long long)s.cr3, (unsigned long long)s.cr4,
			            (unsigned long long)s.efer);
		}
		dune_dump_tf(&tf);
		dune_dump_code(r.rip);
	}
}
