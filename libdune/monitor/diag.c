// SPDX-License-Identifier: MIT
/* Readable names for the diagnostics of an unhandled exception. */
#include "monitor.h"

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
