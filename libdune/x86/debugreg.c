// SPDX-License-Identifier: MIT
/* The debug registers (debugreg.h): DR7 encoding, and ring-0 access. */
#include <dune/debugreg.h>

/* DR7 LENn encoding (SDM Vol. 3B §18.2.5): 00 1 byte, 01 2, 11 4, 10 8 */
static int len_bits(int len)
{
	switch (len) {
	case 1:
		return 0;
	case 2:
		return 1;
	case 4:
		return 3;
	case 8:
		return 2;
	default:
		return -1;
	}
}

uint64_t dune_x86_dr7_clear(uint64_t dr7, int n)
{
	dr7 &= ~(3ULL << (2 * n));        /* Ln, Gn */
	dr7 &= ~(0xfULL << (16 + 4 * n)); /* R/Wn, LENn */
	return dr7 | X86_DR7_FIXED;
}

bool dune_x86_dr7_set(uint64_t dr7, int n, enum dune_x86_dr_kind kind, int len, uint64_t *out)
{
	int lb = len_bits(len);

	if (n < 0 || n >= X86_DR_COUNT || lb < 0 || kind < DUNE_DR_EXEC || kind > DUNE_DR_RW)
		return false;
	/* an instruction breakpoint must have length 1 (§18.2.5) */
	if (kind == DUNE_DR_EXEC && len != 1)
		return false;
	dr7 = dune_x86_dr7_clear(dr7, n);
	dr7 |= X86_DR7_L(n) | ((uint64_t)kind << (16 + 4 * n)) | ((uint64_t)lb << (18 + 4 * n));
	*out = dr7;
	return true;
}

/* MOV to and from debug registers name the register in the instruction
 * (SDM Vol. 2B MOV—Move to/from Debug Registers): one case each. */
uint64_t dune_x86_read_dr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0:
		__asm__ volatile("mov %%dr0, %0" : "=r"(v));
		break;
	case 1:
		__asm__ volatile("mov %%dr1, %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("mov %%dr2, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("mov %%dr3, %0" : "=r"(v));
		break;
	case 6:
		__asm__ volatile("mov %%dr6, %0" : "=r"(v));
		break;
	case 7:
		__asm__ volatile("mov %%dr7, %0" : "=r"(v));
		break;
	default:
		break;
	}
	return v;
}

void dune_x86_write_dr(int n, uint64_t v)
{
	switch (n) {
	case 0:
		__asm__ volatile("mov %0, %%dr0" : : "r"(v));
		break;
	case 1:
		__asm__ volatile("mov %0, %%dr1" : : "r"(v));
		break;
	case 2:
		__asm__ volatile("mov %0, %%dr2" : : "r"(v));
		break;
	case 3:
		__asm__ volatile("mov %0, %%dr3" : : "r"(v));
		break;
	case 6:
		__asm__ volatile("mov %0, %%dr6" : : "r"(v));
		break;
	case 7:
		__asm__ volatile("mov %0, %%dr7" : : "r"(v));
		break;
	default:
		break;
	}
}
