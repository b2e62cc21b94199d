// SPDX-License-Identifier: MIT
/*
 * A guest access that the guest's page tables cannot satisfy and that the
 * monitor's view of the address space does not explain is replayed
 * natively, by the host thread, which shares the address space. The kernel
 * then decides exactly as it would have for the program: it grows a
 * MAP_GROWSDOWN stack, lets a userfaultfd resolve the fault, maps a file
 * page, or raises the SIGSEGV or SIGBUS the program would have seen (past a
 * file's end, a guard region, a full file system behind a shared mapping),
 * with the kernel's own si_code and si_addr.
 *
 * The signal: while the replay runs, the host's handler for SIGSEGV and
 * SIGBUS is the monitor's (monitor/signal.c), whatever the program chose.
 * It recognises the replay instruction, keeps the kernel's siginfo for the
 * guest and resumes after the instruction (an exception-table fixup); the
 * fault then takes the guest's path: the program's handler, or a trace of
 * the signal and death by it. (A blocked synchronous fault is forced by
 * the kernel and kills the process right there, as it would natively.)
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <signal.h>
#include <string.h>
#include <sys/ucontext.h>

/* rdi: the address; esi: nonzero for a write. A write is replayed as
 * "lock or $0": it needs write access and leaves the byte as it was, even
 * with other threads writing it. */
extern void dune_replay_access(uintptr_t addr, int write);
extern const char dune_replay_read_insn[], dune_replay_write_insn[], dune_replay_done[];
__asm__(".text\n"
        ".hidden dune_replay_access, dune_replay_read_insn, dune_replay_write_insn, "
        "dune_replay_done\n"
        "dune_replay_access:\n"
        "	test %esi, %esi\n"
        "	jnz 1f\n"
        "dune_replay_read_insn:\n"
        "	movb (%rdi), %al\n"
        "	jmp dune_replay_done\n"
        "1:\n"
        "dune_replay_write_insn:\n"
        "	lock orb $0, (%rdi)\n"
        "dune_replay_done:\n"
        "	ret\n");

int dune_replay_guest_access(struct dune_percpu *pc, uintptr_t addr, bool write)
{
	struct dune_saved_actions saved;
	__atomic_store_n(&pc->replay_sig, 0, __ATOMIC_RELAXED);
	dune_signal_replay_arm(&saved);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	dune_replay_access(addr, write);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	dune_signal_replay_disarm(&saved);
	return __atomic_load_n(&pc->replay_sig, __ATOMIC_RELAXED);
}

bool dune_replay_caught(struct dune_percpu *pc, int sig, const siginfo_t *info, void *uctx)
{
	ucontext_t *uc = uctx;
	uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	if (!pc || (sig != SIGSEGV && sig != SIGBUS) ||
	    (rip != (uintptr_t)dune_replay_read_insn && rip != (uintptr_t)dune_replay_write_insn))
		return false;
	memcpy(&dune_percpu_siginfo(pc)[sig - 1], info, sizeof(*info));
	pc->replay_sig = sig;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)dune_replay_done;
	return true;
}
