/* SPDX-License-Identifier: MIT */
/*
 * Guest ring-0 entry and exit paths: the SYSCALL entry (LSTAR), the 256
 * exception stubs, the common return path, the boot path of a new vCPU and
 * dune_jump_to_user.
 *
 * Register frames are struct dune_tf (dune/dune.h); offsets in percpu.h.
 * The runtime never uses GS: the per-vCPU block is found from the kernel
 * stack (it lives inside the 64 KiB-aligned block) or, on a SYSCALL that
 * does not switch stacks, through a thread-local pointer (FS is the thread's
 * TLS in host, ring 0 and ring 3 alike).
 */
#include "percpu.h"

/* Bytes left untouched below an interrupted ring-0 stack pointer: the
 * SysV red zone (128) plus room for the return slots of the software return
 * (see .Lret_kernel). */
#define RING0_STACK_GAP 256
/* vm.mmap_min_addr's default: no program stack lies lower */
#define MMAP_MIN_ADDR 0x10000

	.bss
	.balign	64
odd_stack_lock:	.quad	0
odd_stack_rax:	.quad	0
odd_stack_rsp:	.quad	0

.macro PUSH_GPRS_FROM_RCX
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
.endm

.macro POP_GPRS
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
.endm

/* rax = this thread's struct dune_percpu, from TLS. Clobbers nothing else.
 * %fs:0 is the thread pointer itself (x86-64 TLS ABI). */
.macro PERCPU_FROM_TLS
	mov	dune_tls_percpu_offset(%rip), %rax
	add	%fs:0, %rax
	mov	(%rax), %rax
.endm

/*
 * With %rax = the per-vCPU block and the caller's RAX pushed on the caller's
 * stack below RING0_STACK_GAP: build a SYSCALL frame (struct dune_tf) with
 * selectors \cs/\ss at the top of the kernel stack and leave %rsp on it.
 */
.macro SYSCALL_FRAME_ON_KSTACK cs, ss
	mov	%rsp, PC_SCRATCH(%rax)
	lea	PERCPU_KSTACK_TOP(%rax), %rsp
	pushq	$\ss
	mov	PC_SCRATCH(%rax), %rax
	add	$(8 + RING0_STACK_GAP), %rax	/* the caller's RSP */
	push	%rax
	push	%r11
	pushq	$\cs
	push	%rcx
	pushq	$0
	pushq	$ASM_VEC_SYSCALL
	mov	-(8 + RING0_STACK_GAP)(%rax), %rax	/* the caller's RAX back */
	push	%rax
	push	%rbx
	PUSH_GPRS_FROM_RCX
.endm

	.text

/*
 * SYSCALL lands here (LSTAR) from ring 3 and from ring 0 alike; SYSCALL
 * saved RIP in RCX and RFLAGS in R11 and cleared IF/TF/DF/AC by SFMASK, but
 * did not switch stacks (SDM Vol. 2B, SYSCALL).
 */
	.globl	dune_syscall_entry
	.hidden	dune_syscall_entry
	.type	dune_syscall_entry, @function
	.align	16
dune_syscall_entry:
	/* An interrupted RSP that cannot take the push below (0, below the
	 * lowest page a program may map, or not a user address): the
	 * kernel's entry switches stacks first, and the program may make
	 * such a call (RFLAGS are free: SYSCALL saved them in R11). */
	cmp	$(MMAP_MIN_ADDR + RING0_STACK_GAP + 8), %rsp
	jb	.Lsys_odd_stack
	bt	$47, %rsp
	jc	.Lsys_odd_stack
	lea	-RING0_STACK_GAP(%rsp), %rsp
	push	%rax
	PERCPU_FROM_TLS
	cmpq	$0, PC_IN_USER(%rax)
	je	.Lsys_from_ring0

	/* From ring 3: build the frame on this vCPU's kernel stack. */
	movq	$0, PC_IN_USER(%rax)
	SYSCALL_FRAME_ON_KSTACK ASM_USER_CS, ASM_USER_DS
	jmp	.Lsys_dispatch

.Lsys_from_ring0:
	/*
	 * From ring 0. Runtime code already on the kernel stack keeps it (the
	 * frame goes below its stack pointer). The program's own code moves to
	 * the kernel stack like ring 3 does: its stack may be shared with a
	 * vfork child, which would overwrite a frame left there.
	 */
	push	%rbx
	mov	%rsp, %rbx
	sub	%rax, %rbx
	cmp	$PERCPU_KSTACK_LO, %rbx
	jb	.Lsys_ring0_switch
	cmp	$PERCPU_KSTACK_TOP, %rbx
	ja	.Lsys_ring0_switch
	pop	%rbx
	pop	%rax
	pushq	$ASM_KERNEL_DS
	pushq	$0			/* RSP, fixed below */
	push	%r11
	pushq	$ASM_KERNEL_CS
	push	%rcx
	pushq	$0
	pushq	$ASM_VEC_SYSCALL
	push	%rax
	push	%rbx
	PUSH_GPRS_FROM_RCX
	lea	(TF_SIZE + RING0_STACK_GAP)(%rsp), %rax
	mov	%rax, TF_RSP(%rsp)

.Lsys_ring0_switch:
	pop	%rbx
	SYSCALL_FRAME_ON_KSTACK ASM_KERNEL_CS, ASM_KERNEL_DS

.Lsys_dispatch:
	mov	%rsp, %rbx
	and	$-16, %rsp
	mov	%rbx, %rdi
	call	dune_syscall_trap
	mov	%rbx, %rsp
	jmp	dune_tf_return

	/*
	 * No stack to borrow: RAX and RSP go to memory addressed through RIP,
	 * one slot for all vCPUs, taken with a lock that needs no register,
	 * until the frame is on this vCPU's kernel stack. Only ring 3 gets
	 * here (ring-0 code always has a stack).
	 */
.Lsys_odd_stack:
	lock btsq $0, odd_stack_lock(%rip)
	jnc	1f
	pause
	jmp	.Lsys_odd_stack
1:	mov	%rax, odd_stack_rax(%rip)
	mov	%rsp, odd_stack_rsp(%rip)
	PERCPU_FROM_TLS
	lea	PERCPU_KSTACK_TOP(%rax), %rsp
	movq	$0, PC_IN_USER(%rax)
	pushq	$ASM_USER_DS
	pushq	odd_stack_rsp(%rip)
	push	%r11
	pushq	$ASM_USER_CS
	push	%rcx
	pushq	$0
	pushq	$ASM_VEC_SYSCALL
	pushq	odd_stack_rax(%rip)
	movq	$0, odd_stack_lock(%rip)
	push	%rbx
	PUSH_GPRS_FROM_RCX
	jmp	.Lsys_dispatch
	.size	dune_syscall_entry, . - dune_syscall_entry

/*
 * Exception stubs, 16 bytes each, vector i at dune_idt_stubs + 16 * i.
 * Vectors that push an error code: SDM Vol. 3A Table 6-1.
 */
	.globl	dune_idt_stubs
	.hidden	dune_idt_stubs
	.align	16
dune_idt_stubs:
	vector = 0
	.rept	256
	.align	16
	.if	(vector == 8) || (vector >= 10 && vector <= 14) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
	pushq	$vector
	.else
	pushq	$0
	pushq	$vector
	.endif
	jmp	exception_common
	vector = vector + 1
	.endr

/*
 * Every vector is delivered on IST1, a small stack of its own (the IDT gates
 * set IST=1, SDM Vol. 3A §6.14.5), so that an exception in ring 0 never
 * writes into the red zone of the interrupted code. From there the frame is
 * moved to the stack the handler will run on:
 *   - from ring 3, or from the program in ring 0: the top of the kernel stack
 *     (nothing of the runtime is live on it then);
 *   - from runtime code already on the kernel stack: below its stack pointer.
 */
exception_common:
	push	%rax
	push	%rbx
	/* stack: rbx rax vector err rip cs rflags rsp ss */
	cmpq	$8, 16(%rsp)
	je	.Lstay_on_ist
	cmpq	$2, 16(%rsp)
	je	.Lstay_on_ist
	cmpq	$18, 16(%rsp)
	je	.Lstay_on_ist
	mov	%rsp, %rbx
	and	$~(PERCPU_SIZE - 1), %rbx		/* the per-vCPU block */
	lea	PERCPU_KSTACK_TOP(%rbx), %rax
	testb	$3, 40(%rsp)
	jnz	1f
	mov	56(%rsp), %rax			/* interrupted RSP */
	sub	%rbx, %rax
	cmp	$PERCPU_KSTACK_LO, %rax
	jb	2f
	cmp	$PERCPU_KSTACK_TOP, %rax
	ja	2f
	mov	56(%rsp), %rax
	sub	$RING0_STACK_GAP, %rax
	and	$-16, %rax
	jmp	1f
2:	lea	PERCPU_KSTACK_TOP(%rbx), %rax
1:	/* copy vector..ss (7 words) to [rax - 56, rax) */
	sub	$56, %rax
	mov	16(%rsp), %rbx
	mov	%rbx, 0(%rax)
	mov	24(%rsp), %rbx
	mov	%rbx, 8(%rax)
	mov	32(%rsp), %rbx
	mov	%rbx, 16(%rax)
	mov	40(%rsp), %rbx
	mov	%rbx, 24(%rax)
	mov	48(%rsp), %rbx
	mov	%rbx, 32(%rax)
	mov	56(%rsp), %rbx
	mov	%rbx, 40(%rax)
	mov	64(%rsp), %rbx
	mov	%rbx, 48(%rax)
	mov	8(%rsp), %rbx			/* saved rax */
	mov	%rbx, -8(%rax)
	mov	0(%rsp), %rbx			/* saved rbx */
	mov	%rbx, -16(%rax)
	lea	-16(%rax), %rsp
	jmp	.Lframe_rest

.Lstay_on_ist:
	/* #DF, NMI, #MC: handled on their own IST stack; the saved rbx and rax
	 * already sit where struct dune_tf wants them */
.Lframe_rest:
	PUSH_GPRS_FROM_RCX
	mov	%rsp, %rbx
	and	$-16, %rsp
	mov	%rbx, %rdi
	call	dune_trap
	mov	%rbx, %rsp
	/* fall through */

/* Resume the context in the frame at %rsp. */
	.globl	dune_tf_return
	.hidden	dune_tf_return
dune_tf_return:
	testb	$3, TF_CS(%rsp)
	jz	.Lret_kernel

	/* To ring 3. The frame is on this vCPU's kernel stack. */
	mov	%rsp, %rax
	and	$~(PERCPU_SIZE - 1), %rax
	movq	$1, PC_IN_USER(%rax)
	cmpq	$ASM_VEC_SYSCALL, TF_VECTOR(%rsp)
	je	.Lret_sysret
	cmpq	$0, PC_SYSRET_STUB(%rax)
	jne	.Lret_stub
	POP_GPRS
	add	$16, %rsp			/* vector, error code */
	iretq

.Lret_stub:
	/*
	 * PVM: an IRETQ to ring 3 runs without the hypervisor noticing and it
	 * keeps treating the vCPU as supervisor (platform/pvm.md), so return
	 * through SYSRETQ to dune_pvm_user_stub, which restores R11, RCX and RIP
	 * from below the ring-3 red zone: [rsp-152] r11, [rsp-144] rcx,
	 * [rsp-136] rip; "ret $128" then leaves RSP at its ring-3 value.
	 */
	mov	TF_RSP(%rsp), %rbx
	sub	$152, %rbx
	mov	TF_R11(%rsp), %rcx
	mov	%rcx, 0(%rbx)
	mov	TF_RCX(%rsp), %rcx
	mov	%rcx, 8(%rbx)
	mov	TF_RIP(%rsp), %rcx
	mov	%rcx, 16(%rbx)
	mov	%rbx, TF_RSP(%rsp)
	mov	PC_SYSRET_STUB(%rax), %rcx
	mov	%rcx, TF_RIP(%rsp)
	/* fall through: SYSRETQ with RCX = stub, R11 = the ring-3 RFLAGS */

.Lret_sysret:
	POP_GPRS
	mov	16(%rsp), %rcx			/* rip */
	mov	32(%rsp), %r11			/* rflags */
	mov	40(%rsp), %rsp			/* rsp */
	sysretq

.Lret_kernel:
	/*
	 * Ring 0 to ring 0 without IRETQ: put RFLAGS and RIP just below the
	 * target's red zone, restore, and "popfq; ret $128". Nothing here is
	 * privileged, so it runs natively on every hypervisor.
	 */
	mov	TF_RSP(%rsp), %rax
	sub	$144, %rax
	mov	TF_RFLAGS(%rsp), %rbx
	mov	%rbx, 0(%rax)
	mov	TF_RIP(%rsp), %rbx
	mov	%rbx, 8(%rax)
	mov	%rax, TF_RSP(%rsp)
	POP_GPRS
	mov	(TF_RSP - TF_VECTOR)(%rsp), %rsp
	popfq
	ret	$128

/* Ring-3 half of the PVM return path (see .Lret_stub). */
	.globl	dune_pvm_user_stub
	.hidden	dune_pvm_user_stub
	.type	dune_pvm_user_stub, @function
dune_pvm_user_stub:
	pop	%r11
	pop	%rcx
	ret	$128
	.size	dune_pvm_user_stub, . - dune_pvm_user_stub

/*
 * First instructions of a new vCPU, in ring 0 on its kernel stack,
 * %rdi = its struct dune_percpu. On PVM, leave the emulated start-up mode by
 * naming the VIF page (platform/pvm.md); run the vCPU-create hooks
 * (runtime/hooks.c); then resume the entering thread from the frame the
 * monitor prepared.
 */
	.globl	dune_guest_boot
	.hidden	dune_guest_boot
dune_guest_boot:
	mov	PC_VIF_MSR(%rdi), %rax
	test	%rax, %rax
	jz	1f
	mov	%rax, %rdx
	shr	$32, %rdx
	mov	$MSR_PVM_VIF, %ecx
	wrmsr
1:	mov	PC_BOOT_TF(%rdi), %rsp
	/* the vCPU-create hooks, below the frame, before any thread code */
	mov	%rsp, %rbx
	and	$-16, %rsp
	call	dune_hooks_vcpu_boot
	mov	%rbx, %rsp
	jmp	dune_tf_return

/*
 * int __dune_enter(struct dune_percpu *pc): record the caller's
 * continuation, move to the monitor stack and run the monitor. The caller
 * resumes inside the guest, where this returns 0.
 */
	.globl	__dune_enter
	.hidden	__dune_enter
	.type	__dune_enter, @function
__dune_enter:
	mov	(%rsp), %rax
	mov	%rax, PC_CONT_RIP(%rdi)
	lea	8(%rsp), %rax
	mov	%rax, PC_CONT_RSP(%rdi)
	mov	%rbx, PC_CONT_RBX(%rdi)
	mov	%rbp, PC_CONT_RBP(%rdi)
	mov	%r12, PC_CONT_R12(%rdi)
	mov	%r13, PC_CONT_R13(%rdi)
	mov	%r14, PC_CONT_R14(%rdi)
	mov	%r15, PC_CONT_R15(%rdi)
	mov	PC_MONITOR_STACK_TOP(%rdi), %rsp
	xor	%ebp, %ebp
	call	dune_monitor_main
	ud2
	.size	__dune_enter, . - __dune_enter

/*
 * long __dune_jump_to_user(struct dune_tf *user): save this ring-0 context,
 * copy the frame to the top of the kernel stack and return to ring 3.
 */
	.globl	__dune_jump_to_user
	.hidden	__dune_jump_to_user
	.type	__dune_jump_to_user, @function
__dune_jump_to_user:
	PERCPU_FROM_TLS
	mov	%rbx, PC_USER_JMP + 0(%rax)
	mov	%rbp, PC_USER_JMP + 8(%rax)
	mov	%r12, PC_USER_JMP + 16(%rax)
	mov	%r13, PC_USER_JMP + 24(%rax)
	mov	%r14, PC_USER_JMP + 32(%rax)
	mov	%r15, PC_USER_JMP + 40(%rax)
	lea	8(%rsp), %rdx
	mov	%rdx, PC_USER_JMP + 48(%rax)
	mov	(%rsp), %rdx
	mov	%rdx, PC_USER_JMP + 56(%rax)
	mov	%rdi, PC_USER_JMP + 64(%rax)
	movq	$1, PC_USER_JMP + 72(%rax)
	lea	(PERCPU_KSTACK_TOP - TF_SIZE)(%rax), %rsp
	mov	%rdi, %rsi
	mov	%rsp, %rdi
	mov	$(TF_SIZE / 8), %ecx
	rep movsq
	jmp	dune_tf_return
	.size	__dune_jump_to_user, . - __dune_jump_to_user

/* void __dune_ret_from_user(struct dune_percpu *pc, long ret) */
	.globl	__dune_ret_from_user
	.hidden	__dune_ret_from_user
	.type	__dune_ret_from_user, @function
__dune_ret_from_user:
	movq	$0, PC_USER_JMP + 72(%rdi)
	mov	PC_USER_JMP + 0(%rdi), %rbx
	mov	PC_USER_JMP + 8(%rdi), %rbp
	mov	PC_USER_JMP + 16(%rdi), %r12
	mov	PC_USER_JMP + 24(%rdi), %r13
	mov	PC_USER_JMP + 32(%rdi), %r14
	mov	PC_USER_JMP + 40(%rdi), %r15
	mov	PC_USER_JMP + 48(%rdi), %rsp
	mov	%rsi, %rax
	jmp	*PC_USER_JMP + 56(%rdi)
	.size	__dune_ret_from_user, . - __dune_ret_from_user

	.section .note.GNU-stack, "", @progbits
