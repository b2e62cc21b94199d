// SPDX-License-Identifier: MIT
/*
 * Every offset and constant that runtime/entry.S (and the per-vCPU layout it
 * walks) takes from percpu.h, checked against the C structs and public
 * constants at compile time: a field moved in C fails the build here
 * instead of corrupting a frame in ring 0. No code.
 */
#include "internal.h"

#include <stddef.h>

#define CHECK_OFFSET(type, field, value) \
	_Static_assert(offsetof(type, field) == (value), #type "." #field " is not at " #value)

/* struct dune_percpu: the header entry.S reads and writes */
CHECK_OFFSET(struct dune_percpu, self, PC_SELF);
CHECK_OFFSET(struct dune_percpu, in_user, PC_IN_USER);
CHECK_OFFSET(struct dune_percpu, scratch, PC_SCRATCH);
CHECK_OFFSET(struct dune_percpu, sysret_stub, PC_SYSRET_STUB);
CHECK_OFFSET(struct dune_percpu, vif_msr, PC_VIF_MSR);
CHECK_OFFSET(struct dune_percpu, boot_tf, PC_BOOT_TF);
CHECK_OFFSET(struct dune_percpu, user_jmp, PC_USER_JMP);
/* PC_USER_JMP + 0..72: rbx rbp r12-r15 rsp rip, then the frame and the
 * active flag, which trap.c reads as user_jmp[8] and user_jmp[9] */
_Static_assert(sizeof(((struct dune_percpu *)0)->user_jmp) == 10 * 8, "user_jmp is 10 words");
CHECK_OFFSET(struct dune_percpu, hc, PC_HC);
_Static_assert(sizeof(struct dune_hostcall) <= 0x48, "the host-call mailbox outgrew 0x48");
CHECK_OFFSET(struct dune_percpu, cont_rip, PC_CONT_RIP);
CHECK_OFFSET(struct dune_percpu, cont_rsp, PC_CONT_RSP);
CHECK_OFFSET(struct dune_percpu, cont_rbx, PC_CONT_RBX);
CHECK_OFFSET(struct dune_percpu, cont_rbp, PC_CONT_RBP);
CHECK_OFFSET(struct dune_percpu, cont_r12, PC_CONT_R12);
CHECK_OFFSET(struct dune_percpu, cont_r13, PC_CONT_R13);
CHECK_OFFSET(struct dune_percpu, cont_r14, PC_CONT_R14);
CHECK_OFFSET(struct dune_percpu, cont_r15, PC_CONT_R15);
CHECK_OFFSET(struct dune_percpu, monitor_stack_top, PC_MONITOR_STACK_TOP);
_Static_assert(sizeof(struct dune_percpu) <= PERCPU_GDT, "struct dune_percpu overlaps the GDT");

/* struct dune_tf: entry.S pushes the GPRs in this order (PUSH_GPRS_FROM_RCX
 * and POP_GPRS) and the CPU pushes rip..ss (SDM Vol. 3A §6.14.2) */
CHECK_OFFSET(struct dune_tf, r15, TF_R15);
CHECK_OFFSET(struct dune_tf, r14, TF_R15 + 0x08);
CHECK_OFFSET(struct dune_tf, r13, TF_R15 + 0x10);
CHECK_OFFSET(struct dune_tf, r12, TF_R15 + 0x18);
CHECK_OFFSET(struct dune_tf, r11, TF_R11);
CHECK_OFFSET(struct dune_tf, r10, TF_R11 + 0x08);
CHECK_OFFSET(struct dune_tf, r9, TF_R11 + 0x10);
CHECK_OFFSET(struct dune_tf, r8, TF_R11 + 0x18);
CHECK_OFFSET(struct dune_tf, rbp, TF_R11 + 0x20);
CHECK_OFFSET(struct dune_tf, rdi, TF_R11 + 0x28);
CHECK_OFFSET(struct dune_tf, rsi, TF_R11 + 0x30);
CHECK_OFFSET(struct dune_tf, rdx, TF_R11 + 0x38);
CHECK_OFFSET(struct dune_tf, rcx, TF_RCX);
CHECK_OFFSET(struct dune_tf, rbx, TF_RCX + 0x08);
CHECK_OFFSET(struct dune_tf, rax, TF_RAX);
CHECK_OFFSET(struct dune_tf, vector, TF_VECTOR);
CHECK_OFFSET(struct dune_tf, error_code, TF_ERR);
CHECK_OFFSET(struct dune_tf, rip, TF_RIP);
CHECK_OFFSET(struct dune_tf, cs, TF_CS);
CHECK_OFFSET(struct dune_tf, rflags, TF_RFLAGS);
CHECK_OFFSET(struct dune_tf, rsp, TF_RSP);
CHECK_OFFSET(struct dune_tf, ss, TF_SS);
_Static_assert(sizeof(struct dune_tf) == TF_SIZE, "struct dune_tf is not TF_SIZE bytes");
/* exception_common copies vector..ss as 7 words */
_Static_assert(TF_SS - TF_VECTOR == 6 * 8, "vector..ss are not 7 contiguous words");

/* the selectors and vector entry.S pushes */
_Static_assert(ASM_KERNEL_CS == DUNE_KERNEL_CS, "ASM_KERNEL_CS");
_Static_assert(ASM_KERNEL_DS == DUNE_KERNEL_DS, "ASM_KERNEL_DS");
_Static_assert(ASM_USER_CS == DUNE_USER_CS, "ASM_USER_CS");
_Static_assert(ASM_USER_DS == DUNE_USER_DS, "ASM_USER_DS");
_Static_assert(ASM_VEC_SYSCALL == DUNE_VEC_SYSCALL, "ASM_VEC_SYSCALL");

/* the per-vCPU block: entry.S finds it by masking a kernel-stack or IST
 * address with ~(PERCPU_SIZE - 1), so blocks must be PERCPU_SIZE-aligned in
 * an aligned runtime region, and every stack must lie inside the block */
_Static_assert((PERCPU_SIZE & (PERCPU_SIZE - 1)) == 0, "PERCPU_SIZE is not a power of two");
_Static_assert(RT_PERCPU_OFF % PERCPU_SIZE == 0, "per-vCPU blocks are not PERCPU_SIZE-aligned");
_Static_assert(DUNE_LAYOUT_GRANULE % PERCPU_SIZE == 0, "the runtime region is under-aligned");
_Static_assert(PERCPU_IST1_TOP <= PERCPU_IST2_TOP - 0x1000 && PERCPU_IST4_TOP <= PERCPU_KSTACK_LO,
               "the IST stacks overlap");
_Static_assert(PERCPU_KSTACK_LO < PERCPU_KSTACK_TOP && PERCPU_KSTACK_TOP <= PERCPU_XSAVE,
               "the kernel stack overlaps the XSAVE area");
_Static_assert(PERCPU_XSAVE % 64 == 0, "XSAVE needs a 64-byte aligned area");
_Static_assert(PERCPU_SIGACT + 64 * 32 <= PERCPU_SIZE, "the signal tables overflow the block");
_Static_assert(PERCPU_TOOL + PERCPU_TOOL_SIZE <= PERCPU_SIZE, "the tools' data overflow the block");
