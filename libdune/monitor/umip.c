// SPDX-License-Identifier: MIT
/*
 * sgdt, sidt, smsw, sldt and str from ring 3, as the kernel answers them on a
 * CPU with UMIP (arch/x86/kernel/umip.c): with CR4.UMIP set in the guest
 * (backend) they fault with #GP(0) (SDM Vol. 3A 2.5), and the monitor
 * writes what the kernel's emulation would, then steps over the
 * instruction: a GDT at 0xfffffffffffe0000 and an IDT at 0xffffffffffff0000,
 * both of limit 0, CR0 as a 64-bit kernel runs, no LDT, the TSS selector
 * 0x40. A register operand gets as many bytes as the operand size, memory
 * two (smsw, sldt, str) or ten (sgdt, sidt). Anything this decoder does not
 * take (a 32-bit address size, LOCK) stays a SIGSEGV.
 */
#define _GNU_SOURCE
#include "monitor.h"

#include "x86/x86.h"

#include <asm/prctl.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#define DUMMY_GDT_BASE 0xfffffffffffe0000ULL
#define DUMMY_IDT_BASE 0xffffffffffff0000ULL
#define DUMMY_CR0 \
	(X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_PG)
#define DUMMY_TR 0x40 /* GDT_ENTRY_TSS * 8 */

enum umip_insn { SGDT, SIDT, SMSW, SLDT, STR, NOT_UMIP };

/* ModRM's register numbers (REX extended) in the trap frame */
static uint64_t *gpr(struct dune_tf *tf, unsigned n)
{
	static const size_t off[16] = {
	    offsetof(struct dune_tf, rax), offsetof(struct dune_tf, rcx),
	    offsetof(struct dune_tf, rdx), offsetof(struct dune_tf, rbx),
	    offsetof(struct dune_tf, rsp), offsetof(struct dune_tf, rbp),
	    offsetof(struct dune_tf, rsi), offsetof(struct dune_tf, rdi),
	    offsetof(struct dune_tf, r8),  offsetof(struct dune_tf, r9),
	    offsetof(struct dune_tf, r10), offsetof(struct dune_tf, r11),
	    offsetof(struct dune_tf, r12), offsetof(struct dune_tf, r13),
	    offsetof(struct dune_tf, r14), offsetof(struct dune_tf, r15)};
	return (uint64_t *)((char *)tf + off[n & 15]);
}

static enum umip_insn which(uint8_t op, uint8_t modrm)
{
	unsigned reg = (modrm >> 3) & 7, mod = modrm >> 6;
	if (op == 0x01 && mod != 3 && reg == 0)
		return SGDT;
	if (op == 0x01 && mod != 3 && reg == 1)
		return SIDT;
	if (op == 0x01 && reg == 4)
		return SMSW;
	if (op == 0x00 && reg == 0)
		return SLDT;
	if (op == 0x00 && reg == 1)
		return STR;
	return NOT_UMIP;
}

static int32_t le32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	                 (uint32_t)p[3] << 24);
}

bool dune_umip_emulate(struct dune_tf *tf)
{
	uint8_t b[15];
	size_t have = 0;
	if (tf->vector != 13 || tf->error_code != 0 || !dune_tf_from_user(tf))
		return false;
	while (have < sizeof(b) && dune_read_user(&b[have], (const void *)(tf->rip + have), 1))
		have++;

	size_t i = 0;
	unsigned rex = 0, opnd = 4;
	uint64_t seg_base = 0;
	for (; i < have; i++) {
		if (b[i] == 0x66)
			opnd = 2;
		else if (b[i] == 0x64 || b[i] == 0x65) /* FS, GS: their bases count */
			dune_raw_syscall6(SYS_arch_prctl, b[i] == 0x64 ? ARCH_GET_FS : ARCH_GET_GS,
			                  (long)&seg_base, 0, 0, 0, 0);
		else if (b[i] != 0x26 && b[i] != 0x2e && b[i] != 0x36 && b[i] != 0x3e)
			break; /* (ES, CS, SS, DS: no base in 64-bit mode) */
	}
	if (i < have && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (rex & 8)
		opnd = 8;
	if (i + 3 > have || b[i] != 0x0f)
		return false;
	uint8_t op = b[i + 1], modrm = b[i + 2];
	enum umip_insn insn = which(op, modrm);
	if (insn == NOT_UMIP || op > 0x01)
		return false;
	size_t len = i + 3;
	unsigned mod = modrm >> 6, rm = (modrm & 7) | (rex & 1) << 3;

	uint8_t data[10] = {0};
	size_t size;
	uint64_t value = insn == SMSW ? DUMMY_CR0 : insn == STR ? DUMMY_TR : 0;
	if (insn == SGDT || insn == SIDT) {
		uint64_t base = insn == SGDT ? DUMMY_GDT_BASE : DUMMY_IDT_BASE;
		memcpy(data + 2, &base, 8); /* limit 0, then the base */
		size = 10;
	} else {
		memcpy(data, &value, 8);
		size = mod == 3 ? opnd : 2;
	}
	if (mod == 3) {
		memcpy(gpr(tf, rm), data, size); /* the low bytes, as the kernel */
		tf->rip += len;
		return true;
	}

	/* the memory operand (SDM Vol. 2A 2.1.5, 2.2.1.6) */
	uint64_t ea = 0;
	bool rip_relative = false;
	if ((modrm & 7) == 4) {
		if (len >= have)
			return false;
		uint8_t sib = b[len++];
		unsigned base = (sib & 7) | (rex & 1) << 3, index = ((sib >> 3) & 7) | (rex & 2)
		                                                                           << 2;
		if (!((sib & 7) == 5 && mod == 0))
			ea += *gpr(tf, base);
		if (index != 4)
			ea += *gpr(tf, index) << (sib >> 6);
		if ((sib & 7) == 5 && mod == 0)
			mod = 2; /* a disp32 follows */
	} else if (mod == 0 && (modrm & 7) == 5) {
		rip_relative = true;
		mod = 2;
	} else {
		ea = *gpr(tf, rm);
	}
	if (mod == 1) {
		if (len + 1 > have)
			return false;
		ea += (uint64_t)(int64_t)(int8_t)b[len++];
	} else if (mod == 2) {
		if (len + 4 > have)
			return false;
		ea += (uint64_t)(int64_t)le32(&b[len]);
		len += 4;
	}
	if (rip_relative)
		ea += tf->rip + len;
	ea += seg_base;
	if (!dune_write_user((void *)ea, data, size))
		return false;
	tf->rip += len;
	return true;
}
