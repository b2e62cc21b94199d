/* SPDX-License-Identifier: MIT */
/*
 * x86-64 specifics of the guest, whatever the backend: the descriptor
 * tables (GDT, TSS, IDT), the control-register and MSR values of the 64-bit
 * kernel that a vCPU starts as, and the bits they are made of.
 */
#ifndef DUNE_X86_H
#define DUNE_X86_H

#include <stdbool.h>
#include <stdint.h>

/* Control registers (SDM Vol. 3A §2.5) and EFER (§2.2.1). */
#define X86_CR0_PE         (1u << 0)
#define X86_CR0_MP         (1u << 1)
#define X86_CR0_ET         (1u << 4)
#define X86_CR0_NE         (1u << 5)
#define X86_CR0_WP         (1u << 16)
#define X86_CR0_AM         (1u << 18)
#define X86_CR0_PG         (1u << 31)
#define X86_CR4_PAE        (1u << 5)
#define X86_CR4_OSFXSR     (1u << 9)
#define X86_CR4_OSXMMEXCPT (1u << 10)
#define X86_CR4_TSD        (1u << 2)
#define X86_CR4_UMIP       (1u << 11)
#define X86_CR4_FSGSBASE   (1u << 16)
#define X86_CR4_OSXSAVE    (1u << 18)
#define X86_EFER_SCE       (1u << 0)
#define X86_EFER_LME       (1u << 8)
#define X86_EFER_LMA       (1u << 10)
#define X86_EFER_NXE       (1u << 11)

/* MSRs of SYSCALL/SYSRET (SDM Vol. 4 Table 2-2) */
#define X86_MSR_STAR           0xc0000081
#define X86_MSR_LSTAR          0xc0000082
#define X86_MSR_CSTAR          0xc0000083
#define X86_MSR_SFMASK         0xc0000084
#define X86_MSR_KERNEL_GS_BASE 0xc0000102

/* Sizes of the tables in the per-vCPU block and the IDT's limit */
#define X86_GDT_LIMIT 0xff  /* 32 descriptors */
#define X86_TSS_LIMIT 0x67  /* the 64-bit TSS without an I/O bitmap */
#define X86_IDT_LIMIT 0xfff /* 256 16-byte gates */

/* The control state of the 64-bit kernel a vCPU starts as. */
struct dune_x86_control {
	uint64_t cr0, cr4, efer;
};

struct dune_x86_msr {
	uint32_t index;
	uint64_t value;
};

#define DUNE_X86_SYSCALL_MSRS 5

/* gdt_tss.c */
void dune_x86_write_gdt(uint64_t *gdt, uint64_t tss);
void dune_x86_write_tss(uint8_t *tss, uintptr_t percpu);

/* cpu_state.c */
bool dune_x86_has_xsave(void);
void dune_x86_long_mode_control(struct dune_x86_control *c);
void dune_x86_syscall_msrs(struct dune_x86_msr msrs[DUNE_X86_SYSCALL_MSRS], uint64_t gs_base);

/* idt.c */
void dune_idt_init(uint64_t *idt);

#endif
