/* SPDX-License-Identifier: MIT */
/*
 * The host call: how guest ring 0 asks the host-side monitor for something
 * (a system call, a page the guest tables lack, a signal to deliver). The
 * request goes in the per-vCPU mailbox (struct dune_percpu.hc), then the
 * runtime executes the host-call instruction; the monitor answers in the
 * mailbox and resumes the guest after the instruction.
 *
 * The host-call instruction is "outb %al, $DUNE_HC_PORT". Port I/O is the
 * one guest instruction that every x86 virtualization can intercept without
 * help from the guest's mode or paging: VT-x I/O-bitmap exiting (SDM Vol.
 * 3C §25.1.3), the AMD-V IOIO intercept (APM Vol. 2 §15.10), PVM's trap of
 * privileged instructions, and dune.ko's own bitmaps. It is also privileged
 * here: the TSS has no I/O bitmap and IOPL is 0, so ring 3 cannot make host
 * calls (it faults instead). So the instruction belongs to the runtime and
 * monitor contract, not to one backend: each backend turns it into
 * DUNE_EXIT_HOSTCALL (backend/backend.h).
 */
#ifndef DUNE_HOSTCALL_H
#define DUNE_HOSTCALL_H

#define DUNE_HC_PORT 0xd0 /* the port of the host-call instruction */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Its encoding (outb %al, imm8: e6 ib), as it appears at the guest's RIP. */
#define DUNE_HC_INSN_LEN 2
#define DUNE_HC_INSN     ((uint16_t)(0xe6 | (DUNE_HC_PORT << 8)))

enum dune_hostcall_nr {
	HC_SYSCALL = 1,  /* args: nr, a0..a5 -> result */
	HC_PAGEFAULT,    /* args: addr, error code, tf -> 0 retry, or fault */
	HC_FATAL,        /* args: tf; an unhandled exception: diagnose and die */
	HC_FAULT_SIGNAL, /* args: tf, signal, CR2: an unhandled fault of the program */
	HC_SIGNAL,       /* args: tf: ring 3 stopped for a pending signal */
	HC_TOOL,         /* args: number, a0..a5: a tool's host call (dune/hook.h) */
	HC_OVERLAY,      /* args: op, tool, va, len, deny: the protection overlay */
	HC_SCAN,         /* none: ring 3 stopped for an access scan (monitor/access_scan.c) */
};

struct dune_hostcall {
	uint64_t nr;
	uint64_t args[7];
	int64_t ret;
};
#endif

#endif
