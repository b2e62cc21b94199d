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

#include <errno.h>
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

/*
 * "int $0x80" from the program's ring 3: a 32-bit system call, which Linux
 * runs for 64-bit processes too (IA32 emulation). In the guest the gate is
 * ring 0's, so it arrives as #GP; the host thread makes the same call
 * natively with the guest's registers, and the kernel answers as it would
 * have (or raises the SIGSEGV it would have, where IA32 emulation is off).
 * regs: eax, ebx, ecx, edx, esi, edi, ebp in, eax out.
 */
extern void dune_replay_int80(uint32_t *regs);
extern const char dune_replay_int80_insn[], dune_replay_int80_done[];
__asm__(".text\n"
        ".hidden dune_replay_int80, dune_replay_int80_insn, dune_replay_int80_done\n"
        "dune_replay_int80:\n"
        "	push %rbx\n"
        "	push %rbp\n"
        "	push %rdi\n"
        "	mov 0(%rdi), %eax\n"
        "	mov 4(%rdi), %ebx\n"
        "	mov 8(%rdi), %ecx\n"
        "	mov 12(%rdi), %edx\n"
        "	mov 16(%rdi), %esi\n"
        "	mov 24(%rdi), %ebp\n"
        "	mov 20(%rdi), %edi\n"
        "dune_replay_int80_insn:\n"
        "	int $0x80\n"
        "dune_replay_int80_done:\n"
        "	pop %rdi\n"
        "	mov %eax, 0(%rdi)\n"
        "	pop %rbp\n"
        "	pop %rbx\n"
        "	ret\n");

/* i386 calls that change what the monitor keeps for the program (its
 * processes, images, signal dispositions and frames): not run behind its
 * back. Numbers from arch/x86/entry/syscalls/syscall_32.tbl. */
static bool int80_refused(uint32_t nr)
{
	switch (nr) {
	case 2:   /* fork */
	case 11:  /* execve */
	case 48:  /* signal */
	case 67:  /* sigaction */
	case 119: /* sigreturn */
	case 120: /* clone */
	case 173: /* rt_sigreturn */
	case 174: /* rt_sigaction */
	case 190: /* vfork */
	case 358: /* execveat */
	case 435: /* clone3 */
		return true;
	default:
		return false;
	}
}

int dune_replay_int80_syscall(struct dune_percpu *pc, struct dune_tf *tf)
{
	uint32_t regs[7] = {(uint32_t)tf->rax, (uint32_t)tf->rbx, (uint32_t)tf->rcx,
	                    (uint32_t)tf->rdx, (uint32_t)tf->rsi, (uint32_t)tf->rdi,
	                    (uint32_t)tf->rbp};
	if (int80_refused(regs[0])) {
		tf->rax = (uint64_t)(int64_t)-ENOSYS;
		tf->rip += 2;
		return 0;
	}
	struct dune_saved_actions saved;
	__atomic_store_n(&pc->replay_sig, 0, __ATOMIC_RELAXED);
	dune_signal_replay_arm(&saved);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	dune_replay_int80(regs);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	dune_signal_replay_disarm(&saved);
	int sig = __atomic_load_n(&pc->replay_sig, __ATOMIC_RELAXED);
	if (sig)
		return sig; /* the kernel's #GP: the program's SIGSEGV */
	/* a 32-bit call sets EAX, zero-extended as the CPU does */
	tf->rax = regs[0];
	tf->rip += 2;
	return 0;
}

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
	uintptr_t resume;
	if (rip == (uintptr_t)dune_replay_read_insn || rip == (uintptr_t)dune_replay_write_insn)
		resume = (uintptr_t)dune_replay_done;
	else if (rip == (uintptr_t)dune_replay_int80_insn)
		resume = (uintptr_t)dune_replay_int80_done;
	else
		return false;
	if (!pc || (sig != SIGSEGV && sig != SIGBUS))
		return false;
	memcpy(&dune_percpu_siginfo(pc)[sig - 1], info, sizeof(*info));
	pc->replay_sig = sig;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)resume;
	return true;
}
