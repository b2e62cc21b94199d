// SPDX-License-Identifier: MIT
/* The guest IDT: one gate per vector to the stubs in runtime/entry.S. */
#include "x86/x86.h"

#include "runtime.h"

/* 64-bit interrupt gates (SDM Vol. 3A §6.14.1). #DF, NMI and #MC have IST
 * stacks of their own, every other vector IST1 (entry.S explains why). #BP
 * and #OF have DPL 3 so that int3/into work from ring 3. */
void dune_idt_init(uint64_t *idt)
{
	for (int v = 0; v < 256; v++) {
		uint64_t h = (uint64_t)dune_idt_stubs + 16 * (uint64_t)v;
		uint64_t dpl = (v == 3 || v == 4) ? 3 : 0;
		uint64_t ist = v == 8 ? 2 : v == 2 ? 3 : v == 18 ? 4 : 1;
		idt[2 * v] = (h & 0xffff) | ((uint64_t)DUNE_KERNEL_CS << 16) | (ist << 32) |
		             ((0x8eULL | (dpl << 5)) << 40) | (((h >> 16) & 0xffff) << 48);
		idt[2 * v + 1] = h >> 32;
	}
}
