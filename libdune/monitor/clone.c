// SPDX-License-Identifier: MIT
/*
 * Threads created inside the VM: a clone/clone3 with CLONE_VM (pthreads,
 * posix_spawn) or a vfork. The monitor executes the call natively, with a
 * fresh monitor stack for the child; the child's first host instructions
 * (dune_program_clone) give it a vCPU of its own, which starts from the
 * parent's guest registers at the system call, with RAX = 0, the new stack
 * and the new TLS, exactly where the kernel would start the thread.
 *
 * The child's vCPU is made (or taken from the free list) by the parent
 * before the call, in the parent's descriptor table: KVM lets any task of
 * the VM's mm run it. So a thread the VM has no vCPU for is refused the
 * way the kernel refuses one it cannot make (EAGAIN: pthread_create says
 * so), instead of a child that dies at its first instruction. And a vfork
 * child (vfork, or CLONE_VM|CLONE_VFORK without CLONE_THREAD: what
 * posix_spawn and system() do), which usually has a descriptor table of
 * its own and ends by exec or exit while its parent waits, only borrows
 * it: once the call returns in the parent, the child is done with it and it
 * goes back to the free list. A vCPU made in the child's own table would
 * be lost with it (KVM cannot destroy a vCPU), and after some 255 spawns
 * the VM would refuse every new thread.
 */
#include "monitor.h"

#include <dune/hook.h>

#include <errno.h>
#include <signal.h>
#include <linux/sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define CHILD_MONITOR_STACK (256 << 10)

struct clone_ctx {
	struct dune_tf start;
	struct dune_percpu *vcpu; /* the child's, made by its parent */
};

void dune_clone_child_main(struct clone_ctx *ctx)
{
	struct dune_percpu *pc;
	struct dune_tf start = ctx->start;

	/* This TLS is the child's own (CLONE_SETTLS) or, for vfork, the
	 * parent's, which is suspended until this child execs or exits. */
	dune_tls_percpu = NULL;
	pc = ctx->vcpu;
	dune_page_free(&dune_state.pool, ctx);
	if (dune_vcpu_reset_here(pc) < 0) {
		dune_printf("dune: a new thread's vCPU cannot be reset: %s\n", dune_last_error());
		dune_raw_syscall6(SYS_exit_group, 1, 0, 0, 0, 0, 0);
	}
	dune_tls_percpu = pc;
	pc->vcpu_start = DUNE_VCPU_THREAD;
	dune_monitor_resume(pc, &start);
}

long dune_clone_vm(struct dune_percpu *pc, long nr, const uint64_t *args)
{
	struct dune_tf *tf = pc->syscall_tf;
	struct clone_args ca;
	long ret;

	struct clone_ctx *ctx = dune_page_alloc(&dune_state.pool);
	if (!ctx)
		return -ENOMEM;
	void *stack = mmap(NULL, CHILD_MONITOR_STACK, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		dune_page_free(&dune_state.pool, ctx);
		return -ENOMEM;
	}
	uint64_t host_sp = (uint64_t)stack + CHILD_MONITOR_STACK;
	dune_procfs_hide_range((uintptr_t)stack, CHILD_MONITOR_STACK);

	uint64_t flags = nr == SYS_vfork ? CLONE_VM | CLONE_VFORK : args[0];
	if (nr == SYS_clone3) {
		/* the program's pointer (loop.c read its flags already) */
		memset(&ca, 0, sizeof(ca));
		if (!dune_read_user(&ca, (const void *)args[0],
		                    args[1] < sizeof(ca) ? args[1] : sizeof(ca))) {
			dune_procfs_unhide_range((uintptr_t)stack, CHILD_MONITOR_STACK);
			munmap(stack, CHILD_MONITOR_STACK);
			dune_page_free(&dune_state.pool, ctx);
			return -EFAULT;
		}
		flags = ca.flags;
	}
	struct dune_percpu *child;
	int r = dune_vcpu_alloc(&child, dune_tf_from_user(tf));
	if (r < 0) {
		dune_procfs_unhide_range((uintptr_t)stack, CHILD_MONITOR_STACK);
		munmap(stack, CHILD_MONITOR_STACK);
		dune_page_free(&dune_state.pool, ctx);
		return r == -EAGAIN ? -EAGAIN : -ENOMEM;
	}
	bool lent = (flags & CLONE_VFORK) && !(flags & CLONE_THREAD);
	if (lent)
		__atomic_store_n(&child->lent, 1, __ATOMIC_RELEASE);
	/* a thread counts among this process's (SYS_exit, loop.c); another
	 * process sharing the memory does not */
	child->own_process = !(flags & CLONE_THREAD);
	if (flags & CLONE_THREAD)
		__atomic_add_fetch(&dune_state.live_threads, 1, __ATOMIC_RELAXED);

	/* the child resumes the guest after the SYSCALL instruction */
	ctx->start = *tf;
	ctx->start.rax = 0;
	ctx->start.vector = 0; /* restore every register, not SYSRET's view */
	ctx->vcpu = child;

	switch (nr) {
	case SYS_clone:
		/* clone(flags, newsp, parent_tid, child_tid, tls) */
		if (args[1])
			ctx->start.rsp = args[1];
		ret = dune_program_clone(SYS_clone, (long)args[0], (long)host_sp, (long)args[2],
		                         (long)args[3], (long)args[4], ctx);
		break;
	case SYS_clone3:
		if (ca.stack)
			ctx->start.rsp = ca.stack + ca.stack_size;
		ca.stack = (uint64_t)stack;
		ca.stack_size = CHILD_MONITOR_STACK;
		ret = dune_program_clone(SYS_clone3, (long)&ca, sizeof(ca), 0, 0, 0, ctx);
		break;
	default: /* vfork */
		ret = dune_program_clone(SYS_clone, CLONE_VM | CLONE_VFORK | SIGCHLD, (long)host_sp,
		                         0, 0, 0, ctx);
		break;
	}
	/* back in the parent; a vfork child shared our TLS until now */
	dune_tls_percpu = pc;
	if (ret < 0 && (flags & CLONE_THREAD))
		__atomic_sub_fetch(&dune_state.live_threads, 1, __ATOMIC_RELAXED);
	if (lent || ret < 0) {
		/* the vfork child has exec'd or exited, or there is no child */
		__atomic_store_n(&child->lent, 0, __ATOMIC_RELEASE);
		dune_vcpu_release(child);
	}
	if (ret < 0 || lent) {
		/* no child, or one done with its monitor stack as with its vCPU */
		dune_procfs_unhide_range((uintptr_t)stack, CHILD_MONITOR_STACK);
		munmap(stack, CHILD_MONITOR_STACK);
	}
	if (ret < 0)
		dune_page_free(&dune_state.pool, ctx);
	return ret;
}
