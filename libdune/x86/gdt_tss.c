// SPDX-License-Identifier: MIT
/* The GDT and the TSS of a vCPU, in its per-vCPU block (percpu.h). */
#include "x86/x86.h"

#include "percpu.h"

#include <dune/dune.h>
#include <string.h>

/* Linux's selector layout, so that SYSRET works (dune.h, SDM Vol. 2B
 * SYSRET), and a 64-bit TSS descriptor at DUNE_TSS_SEL. */
void dune_x86_write_gdt(uint64_t *gdt, uint64_t tss)
{
	memset(gdt, 0, 4096);
	gdt[1] = 0x00cf9b000000ffffULL; /* 0x08 kernel 32-bit code (unused) */
	gdt[2] = 0x00af9b000000ffffULL; /* 0x10 kernel 64-bit code */
	gdt[3] = 0x00cf93000000ffffULL; /* 0x18 kernel data */
	gdt[4] = 0x00cffb000000ffffULL; /* 0x23 user 32-bit code (SYSRET's base) */
	gdt[5] = 0x00cff3000000ffffULL; /* 0x2b user data */
	gdt[6] = 0x00affb000000ffffULL; /* 0x33 user 64-bit code */
	/* 0x40: 64-bit TSS, 16 bytes (SDM Vol. 3A §8.2.3), busy */
	gdt[8] = X86_TSS_LIMIT | ((tss & 0xffffff) << 16) | (0x8bULL << 40) |
	         (((tss >> 24) & 0xff) << 56);
	gdt[9] = tss >> 32;
}

void dune_x86_write_tss(uint8_t *tss, uintptr_t pc)
{
	memset(tss, 0, 4096);
	*(uint64_t *)(tss + 4) = pc + PERCPU_KSTACK_TOP; /* RSP0 */
	/* IST1..IST4 at 0x24, 0x2c, 0x34, 0x3c (SDM Vol. 3A Figure 8-11) */
	*(uint64_t *)(tss + 0x24) = pc + PERCPU_IST1_TOP;
	*(uint64_t *)(tss + 0x2c) = pc + PERCPU_IST2_TOP;
	*(uint64_t *)(tss + 0x34) = pc + PERCPU_IST3_TOP;
	*(uint64_t *)(tss + 0x3c) = pc + PERCPU_IST4_TOP;
	/* no I/O bitmap: every port faults in ring 3 */
	*(uint16_t *)(tss + 0x66) = X86_TSS_LIMIT + 1;
}
