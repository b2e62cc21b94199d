/* SPDX-License-Identifier: MIT */
/*
 * The host-side monitor (libdune/monitor): set-up, exits, host calls,
 * system calls and their special cases, exec, signals, fork/clone, fds,
 * procfs, the memory model. Backend-independent: it reaches the backend
 * through backend/backend.h only.
 */
#ifndef DUNE_MONITOR_H
#define DUNE_MONITOR_H

#include "internal.h"
#include "runtime.h"

#include "backend/backend.h"

#include <dune/inject.h> /* dune_inject_keep_env, dune_procfs_hide_range */

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>

/* init.c */
void dune_inject_remember_preload(const char *ld_preload);

/* vcpu.c */
int dune_vcpu_create(struct dune_percpu **out, bool user);
/* The two halves of dune_vcpu_create: a vCPU for a new thread (from the
 * free list, or made), and its fresh architectural state, set in the
 * thread that will run it (its FS and GS bases become the guest's). */
int dune_vcpu_alloc(struct dune_percpu **out, bool user);
int dune_vcpu_reset_here(struct dune_percpu *pc);
void dune_vcpu_release(struct dune_percpu *pc);
/* @len bytes of the runtime's, aligned for large pages and hidden from the
 * program (init.c); 0 (and dune_set_error) when the host refuses. */
uintptr_t dune_runtime_reserve(size_t len);
/* The per-vCPU block of index @index, or NULL if no thread had it yet. */
struct dune_percpu *dune_percpu_at(int index);
/* Does [@lo, @hi) touch per-vCPU blocks outside the runtime region? */
bool dune_vcpu_blocks_overlap(uintptr_t lo, uintptr_t hi);
int dune_vcpu_attach_monitor_stack(struct dune_percpu *pc);

/* loop.c */
__attribute__((noreturn)) void dune_monitor_main(struct dune_percpu *pc);
__attribute__((noreturn)) void dune_monitor_resume(struct dune_percpu *pc,
                                                   const struct dune_tf *start);
void dune_write_totals(const char *why);

/* clone.c, fork.c */
long dune_clone_vm(struct dune_percpu *pc, long nr, const uint64_t *args);
long dune_fork(struct dune_percpu *pc, long nr, const uint64_t *args);

/* user_access.c: copy from/to the program's memory at an unchecked
 * address; false (nothing faulted) if it is not all accessible. */
bool dune_read_user(void *dst, const void *user_src, size_t len);
/* The NUL-terminated string at @user_src, if it ends within @cap bytes:
 * its length, else -1 (too long, or unreadable before its end). */
long dune_read_user_string(char *dst, const char *user_src, size_t cap);
bool dune_write_user(void *user_dst, const void *src, size_t len);

/* signal.c */
long dune_signal_sigaction(struct dune_percpu *pc, const uint64_t *args);
/* The kernel's dispositions as the program starts, into its view of them
 * (before the runtime changes any), so that every signal's is known. */
void dune_signal_learn_actions(void);
/* The program's dispositions, and the signals caught but not yet
 * delivered, to the kernel: the thread leaves the VM (leave.c). */
void dune_signal_hand_back(struct dune_percpu *pc);
/* The guest's extended state at @fpstate (64-byte aligned, @len bytes) as
 * the kernel's signal frames carry it: the XSAVE image and the software
 * bytes that describe it. False if the vCPU cannot give it. */
bool dune_signal_fpstate(struct dune_percpu *pc, uint8_t *fpstate, size_t len);
/* The ring-3 context @tf in a signal frame's registers, with @rax and
 * @rip (error code, trap number and CR2 left to the caller). */
void dune_signal_mcontext(mcontext_t *mc, const struct dune_tf *tf, uint64_t rax, uint64_t rip);

/* leave.c: a process that made itself a tracee (PTRACE_TRACEME) goes on
 * outside Dune, from its next system call the monitor sees */
bool dune_leave_wanted(struct dune_percpu *pc, long nr, const uint64_t *args, long ret);
void dune_leave_vm(struct dune_percpu *pc, long nr) __attribute__((noreturn));
/* A CLONE_VM child's dispositions: its parent's (@shared: CLONE_SIGHAND),
 * or a copy of them that is its own */
void dune_signal_clone_actions(struct dune_percpu *parent, struct dune_percpu *child, bool shared);
long dune_signal_sigreturn(struct dune_percpu *pc, uint64_t *result);
/* Deliver the next pending signal on the ring-3 context @tf; @nr: the
 * system call that returned @result there, or -1. */
uint64_t dune_signal_deliver(struct dune_percpu *pc, struct dune_tf *tf, uint64_t result, long nr);
bool dune_signal_fault(struct dune_percpu *pc, struct dune_tf *tf, int sig, uint64_t addr);
bool dune_signal_kick(struct dune_percpu *pc);

/* A signal the monitor took off the queue (kick.c) rather than a handler:
 * as dune_host_signal would have had it (or its default action). */
void dune_signal_queued(struct dune_percpu *pc, int sig, siginfo_t *info);

/* kick.c: interrupting a vCPU thread from another (only once enabled,
 * before dune_init: the signal is then reserved) */
#define DUNE_KICK_SIGNAL 64                    /* SIGRTMAX */
#define DUNE_KICK_COOKIE 0x64756e656b696300ULL /* in si_value, or-ed with: */
#define DUNE_KICK_SCAN   0x1ULL                /* the access scan's interval is up */
#define DUNE_KICK_FLUSH  0x2ULL                /* flush the TLB (tlb_flush_pending) */
#define DUNE_KICK_WHAT   0x3ULL
int dune_kick_enable(void);
bool dune_kick_enabled(void);
/* the calling thread starts running @pc; before each KVM_RUN; after a
 * KVM_RUN that a signal ended */
void dune_kick_thread_start(struct dune_percpu *pc);
void dune_kick_before_run(struct dune_percpu *pc);
void dune_kick_take(struct dune_percpu *pc);
void dune_kick(struct dune_percpu *pc, uint64_t cookie);
/* a flush to @pc, which was asked for (tlb_flush_pending) before: a kick
 * if it runs the guest; around KVM_RUN, what makes that exact */
void dune_kick_maybe(struct dune_percpu *pc, uint64_t cookie);
void dune_kick_entering(struct dune_percpu *pc);
void dune_kick_left(struct dune_percpu *pc);
/* the flush (or scan) a kick asked for, by an interrupt
 * (DUNE_FLUSH_VECTOR): false when none is wanted */
bool dune_kick_flush(struct dune_percpu *pc);
bool dune_kick_flush_wanted(struct dune_percpu *pc);
/* the program execs, or leaves the VM (@mask: the one it goes on with) */
void dune_kick_before_exec(void);
void dune_kick_leave(uint64_t *mask);
/* a program's call that sets the signal mask: @args, or a copy in @k
 * that keeps the kick signal blocked */
struct dune_kick_args {
	uint64_t args[6];
	uint64_t indirect[2];
	uint64_t mask;
};
const uint64_t *dune_kick_keep_blocked(long nr, const uint64_t *args, struct dune_kick_args *k);

/* access_scan.c */
void dune_access_scan_thread_start(void);
void dune_access_scan_stop(void);
void dune_access_scan_due(struct dune_percpu *pc);

/* clone.c: where a clone child of the monitor's starts (program_calls.S) */
struct clone_ctx;
__attribute__((noreturn)) void dune_clone_child_main(struct clone_ctx *ctx);

/* program_calls.c: the program's own system calls, made from a page of
 * their own (what a seccomp filter of the program's judges) */
#define DUNE_PROGRAM_CALLS_ENV "DUNE_PROGRAM_CALLS"
int dune_program_calls_init(void);
uintptr_t dune_program_calls_page(void);
long dune_program_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long dune_program_clone(long nr, long a0, long a1, long a2, long a3, long a4,
                        struct clone_ctx *ctx);

/* umip.c: sgdt/sidt/smsw/sldt/str from ring 3 answered as the kernel's
 * UMIP emulation does (true: @tf stepped over it) */
bool dune_umip_emulate(struct dune_tf *tf);

/* rlimit_as.c: RLIMIT_AS without the runtime's address space */
#define DUNE_AS_LIMIT_ENV "DUNE_AS_LIMIT"
int dune_rlimit_as_init(void);
/* The runtime takes @len bytes more of the address space: not the program's */
void dune_rlimit_as_grow(size_t len);
/* The program's own limit to the kernel: it goes on outside (leave.c) */
void dune_rlimit_as_hand_back(void);
bool dune_rlimit_as_syscall(long nr, const uint64_t *args, long *ret);
/* "DUNE_AS_LIMIT=..." for an execve into @buf, or NULL when not needed */
const char *dune_rlimit_as_env(char *buf, size_t len);
/* rlimit_as.c: the program's RLIMIT_AS, where it differs from the kernel's */
struct rlimit;
bool dune_rlimit_as_view(struct rlimit *as);

/* seccomp.c: the program's seccomp(2) and prctl(PR_SET_SECCOMP) */
long dune_seccomp_set(struct dune_percpu *pc, long nr, const uint64_t *args);
/* seccomp.c: may a thread in strict mode make call @nr? */
bool dune_seccomp_strict_allows(long nr);
/* seccomp.c: has the program installed a filter (kept across execve)? */
bool dune_seccomp_filtered(void);
/* at start: is a filter from before this image on the process? */
void dune_seccomp_init(void);

/* procfs.c */
long dune_procfs_open(long nr, const uint64_t *args, bool *handled);

/* A record of getdents64 (struct linux_dirent64). */
struct dune_dirent64 {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Does the program's @pid argument (prlimit64 and the like) name the
 * program itself: 0, or its own pid? */
static inline bool dune_pid_is_self(uint64_t pid)
{
	return pid == 0 || (long)pid == dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

/* loop.c: end the process as the default action of @sig would */
__attribute__((noreturn)) void dune_die_with_signal(int sig);

/* fds.c: the program's descriptor calls that could touch ours */
bool dune_fd_syscall(long nr, const uint64_t *args, long *ret);
/* init.c: one of ours moved (fds.c): a kept descriptor's variable follows */
void dune_keep_fd_renumbered(int from, int to);
/* fds.c: getdents64 of the program; its own fd directory without ours */
long dune_fd_getdents(const uint64_t *args);
/* fds.c: after the program's call: a raised RLIMIT_NOFILE moves ours up */
void dune_fd_after_syscall(long nr, const uint64_t *args, long ret);
/* mlock.c: the program's mlockall, without the runtime's memory */
long dune_mem_mlockall(int flags);
/* runtime_guard.c: a call of the program that would map over, unmap,
 * reprotect or move the runtime's memory is refused (true, *@ret). */
bool dune_runtime_guard(long nr, const uint64_t *args, long *ret);
/* own_memory.c: does [lo, hi) overlap the runtime's memory (what
 * dune_procfs_hide_range recorded, and the backend's own mappings)? */
bool dune_runtime_owns(uintptr_t lo, uintptr_t hi);
/* own_memory.c: memory hidden with dune_procfs_hide_range, about to be
 * unmapped: the program may get the addresses for its own. */
void dune_procfs_unhide_range(uintptr_t begin, size_t len);
/* fd_guard.c: a call of the program that names one of the library's own
 * descriptors fails as natively for one that is not open (true, *@ret). */
bool dune_fd_guard(long nr, const uint64_t *args, long *ret);

/* memory.c */
int dune_mem_init(void);
int dune_mem_add_host_range(uintptr_t va, size_t len, int perm);
/* [va, va+len), runtime memory, into the guest as the runtime region is:
 * supervisor-only where the backend allows */
int dune_mem_add_runtime_range(uintptr_t va, size_t len);
/* Is @a (does [@lo, @hi) touch) the runtime's region or a chunk of
 * per-vCPU blocks? */
bool dune_mem_in_runtime(uintptr_t a);
bool dune_mem_runtime_overlaps(uintptr_t lo, uintptr_t hi);
void dune_mem_after_syscall(struct dune_percpu *pc, long nr, const uint64_t *args, long ret);
/* [addr, addr+len), page-rounded, out of the guest's page table (the
 * next access faults to dune_mem_fault), the TLB flushed at re-entry */
void dune_mem_unmap_guest(struct dune_percpu *pc, uintptr_t addr, size_t len);
/* after KVM_RUN's EFAULT: the program's memory out of the guest's page
 * table, so that the failing access comes back as a guest page fault */
void dune_mem_unmap_program(struct dune_percpu *pc);
/* uffd.c: ranges registered with a userfaultfd are mapped into the guest
 * a page at a time, after the program's handler filled it */
bool dune_uffd_covers(uintptr_t addr);
void dune_uffd_after_syscall(struct dune_percpu *pc, long nr, const uint64_t *args, long ret);
/* @args, or a copy in @widened (6 words) with PROT_READ added to an
 * execute-only mmap/mprotect's protection */
const uint64_t *dune_mem_exec_only(long nr, const uint64_t *args, uint64_t *widened);
int dune_mem_fault(struct dune_percpu *pc, uintptr_t addr, uint64_t fec);
/* Replay a guest access natively (replay.c): 0 when it succeeded (the host
 * has the page now), or the signal it raised, whose siginfo is kept for the
 * guest's frame. */
int dune_replay_guest_access(struct dune_percpu *pc, uintptr_t addr, bool write);
/* The guest's "int $0x80" (#GP at it), made natively: 0 (the result in
 * the guest's RAX, past the instruction), or the signal it raised. */
int dune_replay_int80_syscall(struct dune_percpu *pc, struct dune_tf *tf);
/* From the host signal handler: was @sig raised by a replay? Then it is
 * recorded and the replay resumes. */
/* While a replay runs, the host's SIGSEGV and SIGBUS handler is the
 * monitor's, whatever the program chose (monitor/signal.c). */
struct dune_saved_actions {
	uint64_t raw[2][4];
};
void dune_signal_replay_arm(struct dune_saved_actions *saved);
void dune_signal_replay_disarm(const struct dune_saved_actions *saved);
bool dune_replay_caught(struct dune_percpu *pc, int sig, const siginfo_t *info, void *uctx);
int dune_prot_to_perm(int prot);

/* diag.c */
const char *dune_vector_name(uint64_t vector);
static inline void dune_monitor_dump(struct dune_percpu *pc, const char *why)
{
	dune_backend->dump(pc, why);
}

#endif
