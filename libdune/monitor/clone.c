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
 *
 * A CLONE_VM child without CLONE_SETTLS that runs beside its parent (not a
 * vfork) would share the parent's thread pointer, and with it the TLS
 * through which the monitor and the guest's entry code find the thread's
 * vCPU: both would take the other's. It gets a copy of the parent's static
 * TLS and thread control block instead (child_tls): the program sees the
 * same values, in memory of its own.
 */
#include "monitor.h"

#include <dune/hook.h>

#include <errno.h>
#include <signal.h>
#include <linux/sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define CHILD_MONITOR_STACK (256 << 10)
/* what of the thread control block (glibc's struct pthread, about 2.3 KiB
 * on x86-64) a copy of a thread's TLS takes */
#define TCB_COPY            4096

/* Has the host thread that last ran on a vCPU's kept memory ended? Until
 * the kernel has released it, it may still be on its monitor stack. It
 * gave the vCPU back on its way out, and a joiner wakes before the kernel
 * has unhashed it (the tid is cleared first): wait for that, a few
 * milliseconds at most, rather than leave the memory behind (under QEMU
 * TCG about 1 thread in 50 of a make-and-join loop was still there). A
 * thread stopped in between keeps its memory. */
static bool host_thread_gone(const struct dune_host_kept *k)
{
	if (!k->tid)
		return true;
	for (int i = 0; i < 200; i++) {
		if (dune_raw_syscall6(SYS_tgkill, k->pid, k->tid, 0, 0, 0, 0) == -ESRCH)
			return true;
		if (i < 100) {
			dune_raw_syscall6(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
		} else {
			struct timespec pause = {0, 100000};
			dune_raw_syscall6(SYS_nanosleep, (long)&pause, 0, 0, 0, 0, 0);
		}
	}
	return false;
}

/* The monitor stack for a thread on @child: the one its vCPU's last thread
 * ran on, once that thread is gone, or a new one. */
static void *child_stack(struct dune_percpu *child)
{
	struct dune_host_kept *k = &child->host_kept;
	if (k->stack && host_thread_gone(k))
		return k->stack;
	/* (one still in use stays with its thread: the vCPU forgets it) */
	k->stack = NULL;
	k->tls = 0;
	void *stack = mmap(NULL, CHILD_MONITOR_STACK, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return NULL;
	dune_procfs_hide_range((uintptr_t)stack, CHILD_MONITOR_STACK);
	return stack;
}

static void free_child_stack(struct dune_percpu *child, void *stack)
{
	child->host_kept.stack = NULL;
	dune_procfs_unhide_range((uintptr_t)stack, CHILD_MONITOR_STACK);
	munmap(stack, CHILD_MONITOR_STACK);
}

/* A copy of this thread's static TLS and TCB: the thread pointer for a
 * child that would otherwise share this thread's. 0 if there is no memory.
 * Kept with the child's vCPU for the next thread on it (child_stack
 * checked that the last one is gone). */
static uintptr_t child_tls(struct dune_percpu *child)
{
	struct dune_host_kept *k = &child->host_kept;
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	size_t below = (dune_state.static_tls_below + 63) & ~(size_t)63;
	size_t size = (below + TCB_COPY + DUNE_PAGE_SIZE - 1) & ~(size_t)(DUNE_PAGE_SIZE - 1);
	if (!k->tls || k->tls_size != size) {
		void *m =
		    mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return 0;
		/* the runtime's before it is mapped in the guest: in first-touch
		 * mode the program's new memory starts untouched, and the entry
		 * code's first read through FS, in the #PF handler itself, would
		 * fault again for ever */
		dune_procfs_hide_range((uintptr_t)m, size);
		/* the guest reaches it through FS, from ring 3 and from the entry
		 * code */
		if (dune_mem_add_host_range((uintptr_t)m, size,
		                            DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U) < 0) {
			dune_procfs_unhide_range((uintptr_t)m, size);
			munmap(m, size);
			return 0;
		}
		k->tls = (uintptr_t)m;
		k->tls_size = size;
	}
	uintptr_t new_tp = k->tls + below;
	/* the TCB may end before TCB_COPY where its mapping does */
	dune_read_user((void *)k->tls, (const void *)(tp - below), below);
	for (size_t off = 0; off < TCB_COPY; off += 256)
		if (!dune_read_user((void *)(new_tp + off), (const void *)(tp + off), 256))
			break;
	/* the TCB's pointers to itself (tcbhead_t: tcb, self) */
	((uintptr_t *)new_tp)[0] = new_tp;
	((uintptr_t *)new_tp)[2] = new_tp;
	return new_tp;
}

struct clone_ctx {
	struct dune_tf start;
	struct dune_percpu *vcpu; /* the child's, made by its parent */
};

void dune_clone_child_main(struct clone_ctx *ctx)
{
	struct dune_percpu *pc;
	struct dune_tf start = ctx->start;

	/* This TLS is the child's own (CLONE_SETTLS, or a copy) or, for vfork,
	 * the parent's, which is suspended until this child execs or exits. */
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

	uint64_t flags = nr == SYS_vfork ? CLONE_VM | CLONE_VFORK : args[0];
	if (nr == SYS_clone3) {
		/* the program's pointer (loop.c read its flags already) */
		memset(&ca, 0, sizeof(ca));
		if (!dune_read_user(&ca, (const void *)args[0],
		                    args[1] < sizeof(ca) ? args[1] : sizeof(ca)))
			return -EFAULT;
		flags = ca.flags;
	}
	struct clone_ctx *ctx = dune_page_alloc(&dune_state.pool);
	if (!ctx)
		return -ENOMEM;
	struct dune_percpu *child;
	int r = dune_vcpu_alloc(&child, dune_tf_from_user(tf));
	if (r < 0) {
		dune_page_free(&dune_state.pool, ctx);
		return r == -EAGAIN ? -EAGAIN : -ENOMEM;
	}
	void *stack = child_stack(child);
	uintptr_t tls = 0;
	if (!stack || (!(flags & (CLONE_SETTLS | CLONE_VFORK)) && !(tls = child_tls(child)))) {
		if (stack)
			free_child_stack(child, stack);
		dune_vcpu_release(child);
		dune_page_free(&dune_state.pool, ctx);
		return -ENOMEM;
	}
	child->host_kept.stack = stack;
	uint64_t host_sp = (uint64_t)stack + CHILD_MONITOR_STACK;
	bool lent = (flags & CLONE_VFORK) && !(flags & CLONE_THREAD);
	if (lent)
		__atomic_store_n(&child->lent, 1, __ATOMIC_RELEASE);
	/* a thread counts among this process's (SYS_exit, loop.c); another
	 * process sharing the memory does not */
	child->own_process = !(flags & CLONE_THREAD);
	/* the dispositions: shared with CLONE_SIGHAND, else a copy */
	dune_signal_clone_actions(pc, child, flags & CLONE_SIGHAND);
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
		ret = dune_program_clone(SYS_clone, (long)(args[0] | (tls ? CLONE_SETTLS : 0)),
		                         (long)host_sp, (long)args[2], (long)args[3],
		                         (long)(tls ? tls : args[4]), ctx);
		break;
	case SYS_clone3:
		if (ca.stack)
			ctx->start.rsp = ca.stack + ca.stack_size;
		ca.stack = (uint64_t)stack;
		ca.stack_size = CHILD_MONITOR_STACK;
		if (tls) {
			ca.flags |= CLONE_SETTLS;
			ca.tls = tls;
		}
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
	if (ret < 0 || lent) {
		/* no child, or one done with its monitor stack as with its vCPU */
		free_child_stack(child, stack);
		child->host_kept.tid = 0;
		__atomic_store_n(&child->lent, 0, __ATOMIC_RELEASE);
		dune_vcpu_release(child);
	}
	if (ret < 0)
		dune_page_free(&dune_state.pool, ctx);
	return ret;
}
