// SPDX-License-Identifier: MIT
/*
 * A process inside Dune that makes itself a tracee (PTRACE_TRACEME, as a
 * debugger's or a test suite's forked child does before it stops itself)
 * would show its tracer the monitor: the host thread's registers, and its
 * KVM_RUN ioctls at every system-call stop. It leaves the VM instead, as
 * an image that starts under a tracer never enters (inject.c): at its next
 * system call that reaches the monitor, the host thread takes the guest's
 * registers, FPU state, dispositions, caught signals and RLIMIT_AS and
 * re-executes that call natively. The tracer sees what it would natively; the trace
 * of that process ends with the ptrace call.
 *
 * Only a single-threaded process of its own, entered in ring 3, and not
 * under a seccomp filter of its own (whose calls the runtime relays)
 * leaves; others stay inside as before.
 */
#define _GNU_SOURCE
#include "hooks.h"
#include "monitor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>

#define UC_FP_XSTATE         0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

#define XSAVE_BUF (32 << 10)

/* rt_sigreturn reads the frame at the stack pointer minus the return
 * address (arch/x86/kernel/signal_64.c) */
struct leave_frame {
	uint64_t pretcode;
	ucontext_t uc;
};

static unsigned char xsave_image[XSAVE_BUF + 64] __attribute__((aligned(64)));

bool dune_leave_wanted(struct dune_percpu *pc, long nr, const uint64_t *args, long ret)
{
	return nr == SYS_ptrace && args[0] == PTRACE_TRACEME && ret == 0 && pc->user_mode_entry &&
	       pc->syscall_passthrough && !pc->own_process && !pc->lent &&
	       !dune_seccomp_filtered() &&
	       __atomic_load_n(&dune_state.live_threads, __ATOMIC_ACQUIRE) == 1;
}

/* The guest's FPU/SSE/AVX state as the kernel's signal frame carries it,
 * or NULL when the vCPU cannot give it */
static void *guest_fpstate(struct dune_percpu *pc)
{
	return dune_state.xsave && dune_signal_fpstate(pc, xsave_image, XSAVE_BUF) ? xsave_image
	                                                                           : NULL;
}

void dune_leave_vm(struct dune_percpu *pc, long nr)
{
	const struct dune_tf *tf = pc->syscall_tf;
	static struct leave_frame frame;
	int program_errno = errno; /* the same TLS as ours (monitor/loop.c) */
	mcontext_t *mc = &frame.uc.uc_mcontext;

	memset(&frame, 0, sizeof(frame));
	/* the system call again, natively: back over SYSCALL (0f 05) */
	dune_signal_mcontext(mc, tf, (uint64_t)nr, tf->rip - 2);
	mc->fpregs = guest_fpstate(pc);
	frame.uc.uc_flags =
	    UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (mc->fpregs ? UC_FP_XSTATE : 0);
	/* rt_sigreturn sets the mask and the alternate stack from the frame:
	 * the thread's own */
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&frame.uc.uc_sigmask, 8, 0, 0);
	dune_kick_leave((uint64_t *)&frame.uc.uc_sigmask);
	dune_raw_syscall6(SYS_sigaltstack, 0, (long)&frame.uc.uc_stack, 0, 0, 0, 0);

	/* said only with DUNE_DEBUG: the program's stderr is its own, and a
	 * program and its tracer must see under dune-run what they see
	 * natively */
	if (dune_state.debug) {
		char comm[32] = "";
		dune_raw_syscall6(SYS_prctl, PR_GET_NAME, (long)comm, 0, 0, 0, 0);
		dune_printf("dune: %s made itself a tracee (ptrace PTRACE_TRACEME): it runs "
		            "outside Dune from here on\n",
		            comm);
	}
	/* the process leaves for good, as at its end, for the tools */
	dune_hooks_vcpu_exit(true);
	dune_write_totals("left for a tracer");
	dune_signal_hand_back(pc);
	dune_rlimit_as_hand_back();
	dune_tls_percpu = NULL;
	errno = program_errno;
	__asm__ volatile("mov %0, %%rsp\n\t"
	                 "mov $15, %%eax\n\t" /* rt_sigreturn */
	                 "syscall\n\t"
	                 "ud2"
	                 :
	                 : "r"(&frame.uc)
	                 : "memory");
	__builtin_unreachable();
}
