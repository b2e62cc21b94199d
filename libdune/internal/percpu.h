/* SPDX-License-Identifier: MIT */
/*
 * The per-vCPU block: one 128 KiB-aligned block per entered thread, in the
 * runtime region (supervisor-only in the guest). Included by C and by the
 * assembly entry code, so offsets are plain numbers checked with
 * _Static_assert in runtime/asm_offsets.c.
 *
 *   0x0000  struct dune_percpu (header, host-call mailbox, counters)
 *   0x1000  GDT of this vCPU (own TSS descriptor)
 *   0x2000  TSS
 *   0x3000  PVM VIF page (event flags, CR2)
 *   0x4000  IST1 stack, top at 0x5000: every exception arrives here first
 *   0x5000  IST2 (#DF), IST3 (NMI), IST4 (#MC): one page each; their
 *           handlers run there, since the fault may be the kernel stack's
 *   0x8000  kernel stack, top at 0x10000: handlers of syscalls from ring 3
 *           and of exceptions run here
 *  0x10000  XSAVE area: the interrupted context's FPU/SSE/AVX state while a
 *           registered handler runs (up to 32 KiB, 64-byte aligned)
 *  0x18000  siginfo of each pending signal (64 x 128 bytes)
 *  0x1a000  the disposition each pending signal was caught with (64 x 32)
 *  0x1b000  a CLONE_VM child's own dispositions, without CLONE_SIGHAND (65 x 32)
 *  0x1c000  tools' per-vCPU data (dune_vcpu_tool_reserve), 16 KiB
 */
#ifndef DUNE_PERCPU_H
#define DUNE_PERCPU_H

#define PERCPU_SIZE       0x20000
#define PERCPU_GDT        0x1000
#define PERCPU_TSS        0x2000
#define PERCPU_VIF        0x3000
#define PERCPU_IST1_TOP   0x5000
#define PERCPU_IST2_TOP   0x6000 /* #DF */
#define PERCPU_IST3_TOP   0x7000 /* NMI */
#define PERCPU_IST4_TOP   0x8000 /* #MC */
#define PERCPU_KSTACK_LO  0x8000
#define PERCPU_KSTACK_TOP 0x10000
#define PERCPU_XSAVE      0x10000
#define PERCPU_XSAVE_END  0x18000
#define PERCPU_SIGINFO    0x18000
#define PERCPU_SIGACT     0x1a000 /* the action each pending signal was caught with */
#define PERCPU_OWN_SIGACT 0x1b000 /* dispositions of a CLONE_VM child without CLONE_SIGHAND */
#define PERCPU_TOOL       0x1c000 /* tools' per-vCPU data */
#define PERCPU_TOOL_SIZE  0x4000

/* header offsets used by entry.S */
#define PC_SELF              0x00
#define PC_IN_USER           0x08 /* 1 while ring-3 code runs */
#define PC_SCRATCH           0x10
#define PC_SYSRET_STUB       0x18  /* PVM: return to ring 3 with SYSRETQ via a stub */
#define PC_VIF_MSR           0x20  /* PVM: value the guest writes to MSR_PVM_VIF at boot, or 0 */
#define PC_BOOT_TF           0x28  /* trap frame the guest starts from */
#define PC_USER_JMP          0x30  /* dune_jump_to_user: saved ring-0 context (8 words) */
#define PC_HC                0x80  /* host-call mailbox (0x48 bytes) */
#define PC_CONT_RIP          0x100 /* continuation of dune_enter */
#define PC_CONT_RSP          0x108
#define PC_CONT_RBX          0x110
#define PC_CONT_RBP          0x118
#define PC_CONT_R12          0x120
#define PC_CONT_R13          0x128
#define PC_CONT_R14          0x130
#define PC_CONT_R15          0x138
#define PC_MONITOR_STACK_TOP 0x140

/* selectors and the SYSCALL frame's vector, as entry.S pushes them
 * (DUNE_* in dune/dune.h, which the assembler cannot include) */
#define ASM_KERNEL_CS   0x10
#define ASM_KERNEL_DS   0x18
#define ASM_USER_DS     0x2b
#define ASM_USER_CS     0x33
#define ASM_VEC_SYSCALL 256

/* trap-frame offsets (struct dune_tf) */
#define TF_R15    0x00
#define TF_R11    0x20
#define TF_RCX    0x60
#define TF_RAX    0x70
#define TF_VECTOR 0x78
#define TF_ERR    0x80
#define TF_RIP    0x88
#define TF_CS     0x90
#define TF_RFLAGS 0x98
#define TF_RSP    0xa0
#define TF_SS     0xa8
#define TF_SIZE   0xb0

#define DUNE_SIGNAL_VECTOR 0xf0 /* injected to stop ring 3 for a pending signal */
#define DUNE_FLUSH_VECTOR  0xf1 /* injected to make ring 0 flush the TLB (monitor/kick.c) */

#define MSR_PVM_VIF      0x4b564d10
#define PVM_VIF_CR2_FLAG 0x10 /* the hypervisor stores CR2 at VIF+8 on #PF */

#ifndef __ASSEMBLER__
#include "hostcall.h"

#include <dune/dune.h>
#include <dune/hook.h>
#include <signal.h>
#include <stdint.h>

struct dune_vif {
	uint8_t irq_enabled, pending, pad[6];
	uint64_t cr2;
};

/* The host side of the last thread that ran on a vCPU, kept with the vCPU
 * for the next thread (monitor/clone.c). */
struct dune_host_kept {
	void *stack;     /* its monitor stack */
	uintptr_t tls;   /* its copy of TLS, or 0 */
	size_t tls_size; /* bytes at tls */
	int pid, tid;    /* the host thread that last ran there */
};

/* This vCPU's private view of restricted pages (runtime/private_view.c):
 * DUNE_PRIVATE_VIEW_PAGES pages open, each needing at most three copied
 * tables below the copied root. */
#define DUNE_VIEW_TABLES (1 + 3 * DUNE_PRIVATE_VIEW_PAGES)
struct dune_private_view {
	uint64_t *page[DUNE_VIEW_TABLES]; /* [0] the root's copy; pool pages, kept */
	uintptr_t va[DUNE_PRIVATE_VIEW_PAGES];
	int npages;
	bool active;          /* CR3 holds the copied root */
	uintptr_t retry_addr; /* a fault the refreshed copies allowed once */
};

struct dune_percpu {
	struct dune_percpu *self; /* PC_SELF */
	uint64_t in_user;         /* PC_IN_USER */
	uint64_t scratch;         /* PC_SCRATCH */
	uint64_t sysret_stub;     /* PC_SYSRET_STUB */
	uint64_t vif_msr;         /* PC_VIF_MSR */
	struct dune_tf *boot_tf;  /* PC_BOOT_TF */
	uint64_t user_jmp[10];    /* PC_USER_JMP: rbx rbp r12-r15 rsp rip, tf*, active */
	struct dune_hostcall hc;  /* PC_HC */
	uint64_t pad[7];
	uint64_t cont_rip, cont_rsp, cont_rbx, cont_rbp; /* PC_CONT_* */
	uint64_t cont_r12, cont_r13, cont_r14, cont_r15;
	uint64_t monitor_stack_top; /* PC_MONITOR_STACK_TOP */
	/* ---- not used by assembly ---- */
	int index;
	struct dune_vcpu *vcpu; /* the backend's own state of this vCPU (opaque) */
	void *monitor_stack;
	struct dune_tf *user_tf;     /* the ring-3 frame being handled */
	struct dune_tf *syscall_tf;  /* the frame of the system call in progress */
	uint64_t tlb_flush_pending;  /* set by the monitor, done by the guest */
	bool user_mode_entry;        /* entered with dune_enter_user */
	uintptr_t last_fault_addr;   /* dune_mem_fault: detect a fault that repeats */
	int fpu_depth;               /* handler nesting; the state is saved at depth 0 -> 1 */
	uint64_t sig_pending;        /* signals recorded by dune_host_signal, bit n-1 */
	int64_t last_syscall_result; /* before any signal frame replaced it */
	bool syscall_passthrough;    /* the host call runs the program's call itself */
	bool syscall_sigframe;       /* a signal frame replaced the call's frame at its end */
	int host_pid, host_tid;      /* the host thread running this vCPU (dune_monitor_resume) */
	int vcpu_start;              /* enum dune_vcpu_start, for the vCPU-create hooks */
	int replay_sig;              /* the signal a natively replayed access raised (replay.c) */
	int lent;                    /* run by a vfork child for its parent, which takes it back */
	int own_process;             /* a CLONE_VM child that is not a thread of this process */
	bool seccomp_strict;         /* the program's thread is in seccomp's strict mode */
	bool tsc_faults;             /* the thread's PR_SET_TSC is PR_TSC_SIGSEGV */
	bool leave_pending;          /* leaves the VM at its next call (leave.c) */
	struct dune_host_kept host_kept; /* kept when the vCPU goes to another thread */
	/* the program's signal dispositions this thread shares (signal.c):
	 * NULL, the process's; or those of a CLONE_VM child that has its own
	 * (no CLONE_SIGHAND: vfork, posix_spawn), at PERCPU_OWN_SIGACT of the
	 * vCPU it started on */
	void *sig_actions;
	struct dune_private_view view;
	uint64_t kick_run_mask; /* the signal mask KVM_RUN has (monitor/kick.c) */
	bool kick_run_mask_set;
	int in_kvm_run; /* the thread is in, or entering, KVM_RUN (monitor/kick.c) */
};

static inline siginfo_t *dune_percpu_siginfo(struct dune_percpu *pc)
{
	return (siginfo_t *)((uintptr_t)pc + PERCPU_SIGINFO);
}

#endif
#endif
