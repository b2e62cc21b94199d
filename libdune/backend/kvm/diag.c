// SPDX-License-Identifier: MIT
/* Readable diagnostics of a vCPU that stopped for a reason we cannot handle. */
#include "internal.h"

#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

const char *dune_exit_reason_name(unsigned reason)
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

const char *dune_vector_name(uint64_t vector)
{
	static const char *const names[] = {
	    "#DE divide error",
	    "#DB debug",
	    "NMI",
	    "#BP breakpoint",
	    "#OF overflow",
	    "#BR bound range",
	    "#UD invalid opcode",
	    "#NM no FPU",
	    "#DF double fault",
	    "coprocessor overrun",
	    "#TS invalid TSS",
	    "#NP segment not present",
	    "#SS stack fault",
	    "#GP general protection",
	    "#PF page fault",
	    "reserved",
	    "#MF x87 error",
	    "#AC alignment check",
	    "#MC machine check",
	    "#XM SIMD error",
	    "#VE virtualization",
	    "#CP control protection",
	};
	if (vector == DUNE_VEC_SYSCALL)
		return "syscall";
	if (vector < sizeof(names) / sizeof(names[0]))
		return names[vector];
	return "interrupt";
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

/* Print the 16 bytes at @rip, read without risking a fault here. */
void dune_dump_code(uint64_t rip)
{
	uint8_t code[16];
	struct iovec local = {code, sizeof(code)}, remote = {(void *)rip, sizeof(code)};
	long pid = dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	long n = dune_raw_syscall6(SYS_process_vm_readv, pid, (long)&local, 1, (long)&remote, 1, 0);
	if (n <= 0) {
		dune_printf("  code at %#lx: unreadable\n", (unsigned long)rip);
		return;
	}
	char line[80];
	int off = dune_snprintf(line, sizeof(line), "  code at %#lx:", (unsigned long)rip);
	for (long i = 0; i < n && off < (int)sizeof(line) - 4; i++)
		off += dune_snprintf(line + off, sizeof(line) - (size_t)off, " %02x", code[i]);
	dune_printf("%s\n", line);
}

void dune_monitor_dump(struct dune_percpu *pc, const char *why)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	dune_printf("dune: vCPU %d stopped: %s (exit reason %u %s)\n", pc->index, why,
	            pc->run->exit_reason, dune_exit_reason_name(pc->run->exit_reason));
	if (ioctl(pc->vcpu_fd, KVM_GET_REGS, &r) == 0) {
		struct dune_tf tf;
		dune_tf_from_kvm_regs(&tf, &r);
		if (ioctl(pc->vcpu_fd, KVM_GET_SREGS, &s) == 0) {
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
