// SPDX-License-Identifier: MIT
/*
 * PVM hosts (/dev/kvm from kvm_pvm, no VT-x/AMD-V): the same guest runtime
 * with the differences measured in shared/platform/pvm.md. Each quirk is
 * decided here; the code paths that honour it say so.
 *
 *  1. A vCPU starts in an emulated mode (every ring-0 instruction ~1 us);
 *     writing the VIF page's guest-physical address to MSR 0x4b564d10 from
 *     the guest switches it to native execution. The host cannot write it.
 *     -> pc->vif_msr, written by dune_guest_boot (entry.S).
 *  2. With flag bit 4 in that MSR value the hypervisor stores CR2 at VIF+8 on
 *     a page fault; "mov %cr2" would trap (~30 us).
 *     -> dune_read_cr2 (trap.c).
 *  3. IRETQ to ring 3 is not seen by the hypervisor, which then keeps treating
 *     the vCPU as supervisor; SYSRETQ is. Returns to ring 3 from an exception
 *     go through SYSRETQ and a three-instruction ring-3 stub.
 *     -> pc->sysret_stub, .Lret_stub (entry.S).
 *  4. Every SYSRETQ exchanges GS.base and KERNEL_GS_BASE (SYSCALL does not),
 *     measured 2026-11-21. The runtime never uses GS, and KERNEL_GS_BASE is
 *     kept equal to the thread's GS base on every platform, so the exchange is
 *     a no-op. -> dune_x86_syscall_msrs (x86/cpu_state.c),
 *     dune_kvm_set_segment_bases (vcpu.c).
 *  5. Supervisor-only pages (U=0) cannot be accessed by the guest in native
 *     supervisor mode: the first load from one restarts forever inside
 *     KVM_RUN (RIP unchanged, RFLAGS.RF set; seen 2026-11-21 with 4 KiB and
 *     2 MiB pages). So on PVM the runtime's pages are mapped U=1, and ring 3
 *     could read or write them; dune_has_capability(DUNE_CAP_SUPERVISOR_PAGES)
 *     says so. -> dune_pvm_has_capability; the monitor's memory model
 *     (monitor/memory.c) then maps the runtime U=1.
 *  6. KVM_RUN never reports ready_for_interrupt_injection, and asking for an
 *     interrupt window never exits; yet KVM_INTERRUPT is accepted while the
 *     guest has IF set and the vector is delivered through the guest IDT
 *     (seen 2026-11-21: SIGALRM delivery into a ring-3 loop).
 *     -> dune_pvm_injects_when_not_ready, dune_kvm_inject_interrupt (run.c).
 *  7. Hardware data watchpoints (DR0-DR3 with DR7 R/W bits) never fire; single
 *     step (TF) does. -> dune_has_capability.
 */
#include "kvm.h"

#include "runtime.h"

void dune_pvm_prepare_vcpu(struct dune_percpu *pc)
{
	if (!dune_kvm.pvm) {
		pc->vif_msr = 0;
		pc->sysret_stub = 0;
		return;
	}
	uint64_t vif_pa = dune_va_to_pa((uintptr_t)pc + PERCPU_VIF);
	/* DUNE_PVM_EMULATED keeps the vCPU in the emulated start-up mode, for
	 * measuring it (bench/): exits are cheaper there, ring-0 code is not */
	pc->vif_msr = dune_kvm.pvm_emulated ? 0 : vif_pa | PVM_VIF_CR2_FLAG;
	pc->sysret_stub = (uint64_t)dune_pvm_user_stub;
}

bool dune_pvm_injects_when_not_ready(void)
{
	return dune_kvm.pvm;
}

bool dune_pvm_has_capability(enum dune_capability cap, bool *answer)
{
	if (!dune_kvm.pvm)
		return false;
	switch (cap) {
	case DUNE_CAP_HW_DATA_WATCHPOINTS:
	case DUNE_CAP_SUPERVISOR_PAGES:
		*answer = false;
		return true;
	default:
		return false;
	}
}
