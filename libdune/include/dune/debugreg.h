/* SPDX-License-Identifier: MIT */
/*
 * The debug registers (SDM Vol. 3B §18.2): DR0-DR3 hold linear addresses,
 * DR7 enables them and says what each watches, DR6 says which one fired.
 * Reading and writing them is privileged: ring 0 of the guest only.
 */
#ifndef DUNE_DEBUGREG_H
#define DUNE_DEBUGREG_H

#include <stdbool.h>
#include <stdint.h>

#define X86_DR_COUNT 4 /* DR0-DR3 */

/* DR7 R/Wn: what breakpoint n watches (SDM Vol. 3B §18.2.4) */
enum dune_x86_dr_kind {
	DUNE_DR_EXEC = 0,  /* instruction fetch (length must be 1) */
	DUNE_DR_WRITE = 1, /* data writes */
	DUNE_DR_IO = 2,    /* I/O, with CR4.DE only */
	DUNE_DR_RW = 3,    /* data reads and writes, not fetches */
};

/* DR6 (SDM Vol. 3B §18.2.3) */
#define X86_DR6_B(n) (1ULL << (n)) /* breakpoint n's condition was met */
#define X86_DR6_BD   (1ULL << 13)  /* a debug-register access with GD set */
#define X86_DR6_BS   (1ULL << 14)  /* single step */
#define X86_DR6_INIT 0xffff0ff0ULL /* the value with no condition recorded */

/* DR7 bits (SDM Vol. 3B §18.2.4) */
#define X86_DR7_L(n)  (1ULL << (2 * (n))) /* local enable of breakpoint n */
#define X86_DR7_FIXED (1ULL << 10)        /* reads as 1 */

/*
 * DR7 with breakpoint @n set to watch @len bytes (1, 2, 4 or 8) of kind
 * @kind, other breakpoints as in @dr7. Returns false, leaving *@out alone,
 * for an invalid combination.
 */
bool dune_x86_dr7_set(uint64_t dr7, int n, enum dune_x86_dr_kind kind, int len, uint64_t *out);
/* DR7 with breakpoint @n disabled and its fields cleared. */
uint64_t dune_x86_dr7_clear(uint64_t dr7, int n);

/* Ring 0 only: read or write DR0-DR3, DR6 or DR7 (@n 0-3, 6 or 7). */
uint64_t dune_x86_read_dr(int n);
void dune_x86_write_dr(int n, uint64_t value);

#endif
