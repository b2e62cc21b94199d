/* SPDX-License-Identifier: MIT */
/*
 * long dune_clone_trampoline(long nr, long a0, long a1, long a2, long a3,
 *                            long a4, struct clone_ctx *ctx)
 * Executes clone/clone3 with the given arguments (the child's host stack is
 * among them). The parent returns the result; the child, on its new stack,
 * calls dune_clone_child_main(ctx), which never returns. The child inherits
 * R12 from the parent (clone copies the registers), which carries ctx.
 */
	.text
	.globl	dune_clone_trampoline
	.hidden	dune_clone_trampoline
	.type	dune_clone_trampoline, @function
dune_clone_trampoline:
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
	call	dune_clone_child_main
	ud2
	.size	dune_clone_trampoline, . - dune_clone_trampoline

	.section .note.GNU-stack, "", @progbits
