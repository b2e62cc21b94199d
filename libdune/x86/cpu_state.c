// SPDX-License-Identifier: MIT
/*
 * The processor state of the 64-bit kernel a vCPU starts as (SDM Vol. 3A
 * §9.8.5 for what long mode needs): control registers, EFER and the
 * SYSCALL MSRs. Backends load these values however their API wants.
 */
#include "x86/x86.h"

#include "runtime.h"

#include <cpuid.h>
#include <dune/dune.h>

bool dune_x86_has_xsave(void)
{
	unsigned a, b, c, d;
	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE);
}

static bool has_fsgsbase(void)
{
	unsigned a, b, c, d;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & 1);
}

void dune_x86_long_mode_control(struct dune_x86_control *c)
{
	c->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM |
	         X86_CR0_PG;
	c->cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	if (has_fsgsbase())
		c->cr4 |= X86_CR4_FSGSBASE;
	if (dune_x86_has_xsave())
		c->cr4 |= X86_CR4_OSXSAVE;
	c->efer = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
}

/*
 * SYSCALL/SYSRET: kernel CS 0x10 (SS 0x18); SYSRET to CS 0x33, SS 0x2b
 * (STAR[63:48] + 16 and + 8, SDM Vol. 2B SYSRET). SFMASK clears TF, IF, DF,
 * IOPL, NT and AC on entry. KERNEL_GS_BASE mirrors the thread's GS base: the
 * runtime never uses GS or SWAPGS, and PVM swaps the two on every SYSRETQ
 * (backend/kvm/pvm.c).
 */
void dune_x86_syscall_msrs(struct dune_x86_msr m[DUNE_X86_SYSCALL_MSRS], uint64_t gs_base)
{
	m[0] = (struct dune_x86_msr){X86_MSR_STAR, ((uint64_t)DUNE_USER32_CS << 48) |
	                                               ((uint64_t)DUNE_KERNEL_CS << 32)};
	m[1] = (struct dune_x86_msr){X86_MSR_LSTAR, (uint64_t)dune_syscall_entry};
	m[2] = (struct dune_x86_msr){X86_MSR_CSTAR, 0};
	m[3] = (struct dune_x86_msr){X86_MSR_SFMASK, 0x47700};
	m[4] = (struct dune_x86_msr){X86_MSR_KERNEL_GS_BASE, gs_base};
}
