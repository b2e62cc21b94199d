/* SPDX-License-Identifier: MIT */
/*
 * The code through which the monitor makes the program's own system calls,
 * as a template that program_calls.c copies into a page of its own. The
 * kernel sees these calls come from that page, and only these: a seccomp
 * filter of the program's (seccomp.c) is made to judge the calls whose
 * instruction pointer is in the page and to let the runtime's own calls
 * (KVM_RUN and the rest) pass. Position-independent: the only reference is
 * to the slot at the end, RIP-relative, copied with the code.
 *
 * +0  long call(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
 * +64 long clone(long nr, long a0, long a1, long a2, long a3, long a4,
 *                struct clone_ctx *ctx)
 *     Executes clone/clone3 with the given arguments (the child's host stack
 *     is among them). The parent returns the result; the child, on its new
 *     stack, calls the function in the slot with ctx, and never returns. The
 *     child inherits R12 from the parent (clone copies the registers), which
 *     carries ctx.
 */
	.section .rodata
	.balign	64
	.globl	dune_program_calls_template
	.hidden	dune_program_calls_template
dune_program_calls_template:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	syscall
	ret

	.balign	64
	push	%r12
	mov	16(%rsp), %r12		/* ctx, the 7th argument */
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	syscall
	test	%rax, %rax
	jz	1f
	pop	%r12
	ret
1:	xor	%ebp, %ebp
	and	$-16, %rsp
	mov	%r12, %rdi
	call	*2f(%rip)
	ud2

	.balign	8
2:	.quad	0			/* the child's function */
	.globl	dune_program_calls_template_end
	.hidden	dune_program_calls_template_end
dune_program_calls_template_end:

	.section .note.GNU-stack, "", @progbits
