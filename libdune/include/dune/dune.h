/* SPDX-License-Identifier: MIT */
/*
 * libdune: run this process inside a KVM virtual machine that is the process
 * itself — same memory at the same addresses, same threads, same file
 * descriptors, same system calls — with the privileged CPU features (IDT,
 * page tables, debug registers, privilege rings) under the library's control.
 *
 *   dune_init()        once per process: create the VM, register memory, build
 *                      the page tables.
 *   dune_enter()       per thread: from here on the thread runs in guest ring 0.
 *   dune_enter_user()  per thread: the thread continues in guest ring 3; the
 *                      library's runtime and the registered handlers run in
 *                      ring 0 (what tracers use).
 *
 * Handlers registered here run in guest ring 0 and are interrupt context: they
 * may interrupt the program inside malloc or stdio. Use only dune_printf,
 * dune_passthrough_syscall and memory you allocated beforehand.
 */
#ifndef DUNE_DUNE_H
#define DUNE_DUNE_H

#include <dune/vm.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- trap frame: every general-purpose register plus the hardware frame ---- */

struct dune_tf {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;     /* exception vector, or DUNE_VEC_SYSCALL */
	uint64_t error_code; /* hardware error code, 0 when the vector has none */
	/* as pushed by the CPU on an exception (SDM Vol. 3A §6.14.2) */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define DUNE_VEC_SYSCALL 256 /* the frame comes from a SYSCALL instruction */

/* Selectors of the guest GDT (Linux's layout, so SYSRET works: SDM Vol. 2B SYSRET). */
#define DUNE_KERNEL_CS 0x10
#define DUNE_KERNEL_DS 0x18
#define DUNE_USER32_CS 0x23
#define DUNE_USER_DS   0x2b
#define DUNE_USER_CS   0x33
#define DUNE_TSS_SEL   0x40

static inline bool dune_tf_from_user(const struct dune_tf *tf)
{
	return (tf->cs & 3) == 3;
}

/* ---- lifecycle ---- */

/* Backend choice: DUNE_BACKEND=kvm overrides the automatic choice. */
int dune_init(void);
/* The calling thread continues in guest ring 0. Returns 0 there, or -errno
 * (the thread is then unchanged) with the reason in dune_last_error(). */
int dune_enter(void);
/* The calling thread continues in guest ring 3 (see above). */
int dune_enter_user(void);
/* A human-readable reason for the last failure of dune_init/dune_enter. */
const char *dune_last_error(void);
/* Is the calling thread running inside the VM? */
bool dune_entered(void);

/* ---- capabilities of the backend in use ---- */

enum dune_capability {
	DUNE_CAP_HW_DATA_WATCHPOINTS, /* DR0-DR3 data breakpoints deliver #DB */
	DUNE_CAP_SINGLE_STEP,         /* RFLAGS.TF delivers #DB */
	DUNE_CAP_LARGE_PAGES,         /* 2 MiB guest pages */
	DUNE_CAP_SUPERVISOR_PAGES,    /* the runtime's pages are hidden from ring 3 */
};
bool dune_has_capability(enum dune_capability cap);
/* "kvm (Intel VT-x)", "kvm (PVM, kvm_pvm)", ... */
const char *dune_backend_name(void);

/* ---- handlers (ring 0) ---- */

typedef void (*dune_intr_handler)(struct dune_tf *tf);
/* Page faults: @addr is CR2, @fec the error code (PF_* bits below). */
typedef void (*dune_pgflt_handler)(uintptr_t addr, uint64_t fec, struct dune_tf *tf);
/* System calls: rax holds the number, rdi/rsi/rdx/r10/r8/r9 the arguments;
 * set tf->rax to the result (dune_passthrough_syscall does it). */
typedef void (*dune_syscall_handler)(struct dune_tf *tf);

#define PF_ERR_P   (1u << 0) /* protection violation (else not-present) */
#define PF_ERR_W   (1u << 1) /* write access */
#define PF_ERR_U   (1u << 2) /* from ring 3 */
#define PF_ERR_RSV (1u << 3)
#define PF_ERR_ID  (1u << 4) /* instruction fetch */

/*
 * The old one-slot interface, kept for existing programs: one handler per
 * kind, a new registration replaces the old one, NULL unregisters. Each is a
 * hook at DUNE_HOOK_PRIO_LEGACY in the chains of dune/hook.h that takes over
 * every event it gets (the handler handles it: for a page fault, demand
 * paging and vsyscall emulation then do not run). New tools use dune/hook.h.
 */
/* Any vector 0-255 except 14 (use the page-fault handler). */
int dune_register_intr_handler(int vector, dune_intr_handler h);
void dune_register_pgflt_handler(dune_pgflt_handler h);
void dune_register_syscall_handler(dune_syscall_handler h);

/* Execute the system call described by @tf in the host (natively, in this
 * thread) and store the result in tf->rax. Returns the result. */
long dune_passthrough_syscall(struct dune_tf *tf);
/* What the last passed-through call itself returned. When a signal arrived
 * meanwhile, dune_passthrough_syscall returns the RAX the program's signal
 * handler starts with (the call's result is in the signal frame, restored by
 * rt_sigreturn); tracers want this value instead. A handler's own
 * dune_syscall6 calls do not change it. Ring 0 only. */
long dune_last_syscall_result(void);
/* The process and thread ids of the host thread that runs this vCPU (the
 * caller's own ids, without a system call). Ring 0 only. */
int dune_vcpu_pid(void);
int dune_vcpu_tid(void);
/* The index of this vCPU, below DUNE_VCPU_MAX: unique among the running
 * vCPUs of the process (a later thread may get the index of one that ended;
 * the child of a fork keeps its parent's). For a tool's per-vCPU state: a
 * vfork child shares its parent's thread-local storage, never its vCPU.
 * Ring 0, and hooks that run in the monitor. */
#define DUNE_VCPU_MAX 8192
int dune_vcpu_index(void);
/* Per-vCPU memory for a tool, in each vCPU's own block (supervisor-only in
 * the guest where the hardware allows): @size bytes, 64-byte aligned, out
 * of 16 KiB for all tools. Returns the offset to pass to
 * dune_vcpu_tool_data, or -1 when the room is taken. Any context, before
 * the tool's hooks use it. */
long dune_vcpu_tool_reserve(unsigned long size);
/* This vCPU's bytes at @offset: zero when a thread first runs on the vCPU.
 * Ring 0, and hooks that run in the monitor. */
void *dune_vcpu_tool_data(long offset);
/* May this vCPU's ring 0 read the TSC (rdtsc, and so the vDSO's clocks)?
 * Not once the program's thread asked for prctl(PR_SET_TSC,
 * PR_TSC_SIGSEGV): under PVM the guest's ring 0 runs where the host's
 * CR4.TSD applies. A clock then comes from a system call. Ring 0. */
bool dune_tsc_usable(void);
/* Same with explicit arguments, from ring 0. */
long dune_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/*
 * Signals of a program in ring 3 (the injected runtime): @fn sees each
 * signal as it is delivered into the guest (its handler runs next), and a
 * fault signal that will kill the process (@fatal), with the siginfo the
 * program gets. It runs in the monitor on the host thread of the vCPU
 * (DESIGN.md: no locks, no allocation), not in ring 0. NULL unregisters.
 * The old one-slot interface: new tools use dune_hook_signal (dune/hook.h).
 */
typedef void (*dune_signal_observer)(int sig, const void *siginfo, bool fatal);
void dune_set_signal_observer(dune_signal_observer fn);

/* ---- ring 3 from ring 0 ---- */

/* Run ring-3 code with the registers in @tf (rip, rsp, rflags and the GPRs)
 * until a ring-0 handler calls dune_ret_from_user(); returns that value, with
 * @tf updated to the ring-3 state at that moment. Handlers for faults and
 * system calls from ring 3 are the registered ones; an unhandled fault in
 * ring 3 ends the run with a diagnostic. Only valid after dune_enter(). */
long dune_jump_to_user(struct dune_tf *tf);
/* From a ring-0 handler: make the running dune_jump_to_user() return @ret. */
__attribute__((noreturn)) void dune_ret_from_user(long ret);

/* ---- the process's page tables ---- */

/* The page table every vCPU of this process uses, and the pool its pages and
 * other runtime memory come from. Change it with the dune_vm_* calls of
 * dune/vm.h; after removing or restricting a mapping in ring 0 call
 * dune_flush_tlb(). */
struct dune_pt *dune_pgroot(void);
struct dune_page_pool *dune_page_pool(void);
/* Map host memory [va, va+len) (must already be mapped in the process) into
 * the guest page table, registering it with the VM as needed. */
int dune_map_host(uintptr_t va, size_t len, int perm);
void dune_flush_tlb(void);
void dune_flush_tlb_one(uintptr_t va);
/* Guest-physical address of a host address, or DUNE_BAD_PA. */
uint64_t dune_va_to_pa(uintptr_t va);

/* ---- output and errors safe in ring 0 ---- */

/* printf subset: %d %i %u %x %X %p %s %c %% with l/ll/z, width and the flags 0 - #. Writes
 * with one write(2) to stderr. */
__attribute__((format(printf, 1, 2))) int dune_printf(const char *fmt, ...);
int dune_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int dune_snprintf(char *buf, size_t len, const char *fmt,
                                                        ...);
/* Print "dune: <message>" and end the process with exit status 1. */
__attribute__((noreturn, format(printf, 1, 2))) void dune_die(const char *fmt, ...);
/* Print a trap frame (registers, the faulting instruction's bytes). */
void dune_dump_tf(const struct dune_tf *tf);

/* ---- statistics ---- */

struct dune_stats {
	uint64_t exits;         /* guest -> host transitions (KVM_RUN returns) */
	uint64_t hostcalls;     /* of which: requests from the guest runtime */
	uint64_t syscalls;      /* system calls executed for the guest */
	uint64_t traps;         /* exceptions handled in ring 0 */
	uint64_t tlb_flushes;   /* flushes requested by the monitor */
	uint64_t slots;         /* memory slots registered */
	uint64_t first_touches; /* first-touch mode: pages made present in ring 0 */
};
/* Counters of the calling thread (callable from ring 0, ring 3 and the host). */
void dune_get_stats(struct dune_stats *out);

#endif
