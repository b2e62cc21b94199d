/* SPDX-License-Identifier: MIT */
/*
 * libdune hooks: several tools (a tracer, a watchpoint engine, a page-fault
 * profiler) in one process, none replacing another's handlers.
 *
 * Every event has a chain of hooks. A hook says DUNE_HOOK_HANDLED (the event
 * is dealt with: later hooks and libdune's default do not run) or
 * DUNE_HOOK_PASS (the next hook, and finally libdune's default, runs). Hooks
 * run in priority order, lower first (DUNE_HOOK_PRIO_DEFAULT when a tool does
 * not care), ties in registration order.
 *
 *   event              runs in            after the chain, if nobody handled it
 *   system call entry  ring 0             the call goes to the host
 *   system call exit   ring 0             (reverse order; every hook runs)
 *   page fault (#PF)   ring 0             vsyscall emulation, demand paging
 *                                          through the monitor, then the
 *                                          program's SIGSEGV (or the
 *                                          dune_jump_to_user diagnostic)
 *   any other vector   ring 0             the unhandled-exception path
 *   vCPU create        ring 0, new vCPU   (every hook runs)
 *   vCPU exit          monitor            (every hook runs)
 *   exec               monitor            (every hook runs)
 *   signal delivered   monitor            (every hook runs)
 *   debug exit         monitor            a diagnostic, and the process ends
 *
 * "ring 0" hooks are interrupt context (dune.h): the program may be inside
 * malloc or stdio. The vector registers of the interrupted code are saved
 * around them, so they may be ordinary C. "monitor" hooks run on the host
 * thread of the vCPU, between two KVM_RUNs, under the same rules: raw
 * system calls (dune_syscall6 is fine there too), no locks, no allocation.
 *
 * Registration is preallocated: each chain takes DUNE_HOOK_MAX registrations
 * over the life of the process (removing one does not give its slot back:
 * another vCPU may still be running it), and -ENOSPC says the chain is full.
 * Registering and removing is allowed before dune_init, after it, and from
 * ring 0 while other vCPUs run; a hook may see the change from its next
 * event on. Not from a hook that may have interrupted a registration on the
 * same thread (the writers' spinlock would deadlock).
 *
 * Every registration returns a handle (>= 0) for dune_hook_remove, or -errno.
 * A forked child inherits every registration (its memory is a copy); an exec
 * ends them with the image.
 */
#ifndef DUNE_HOOK_H
#define DUNE_HOOK_H

#include <dune/dune.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DUNE_HOOK_MAX          15 /* registrations per chain */
#define DUNE_HOOK_PRIO_DEFAULT 0
/* The one-slot functions of dune.h register at this priority, before tools
 * that use the default one; as such a handler takes every event it gets, a
 * hook that must see events before it registers below this priority. */
#define DUNE_HOOK_PRIO_LEGACY  (-1000)

enum dune_hook_result {
	DUNE_HOOK_PASS = 0,
	DUNE_HOOK_HANDLED = 1,
};

/* ---- system calls (ring 0) ---- */

/*
 * Entry: tf->rax is the number, rdi/rsi/rdx/r10/r8/r9 the arguments; the hook
 * may change them. A hook that handles the call sets tf->rax to its result
 * (dune_passthrough_syscall runs it in the host and does that). If no hook
 * handles it, libdune passes the call to the host. Only calls from ring 3
 * reach the chains; ring-0 code's own calls go straight to the host.
 */
typedef enum dune_hook_result (*dune_syscall_entry_hook)(struct dune_tf *tf, void *arg);
/*
 * Exit: for every call whose entry chain ran, the exit hooks run in reverse
 * priority order, all of them, with @nr the call's number and tf->rax its
 * result (a hook may change it). Not for calls that do not return: a
 * successful execve, exit, exit_group. When a signal is delivered as the call
 * returns, @tf is already the frame that enters the program's handler (the
 * signal hooks have run); dune_syscall_exit_result() has the call's result.
 *
 * New tasks: in the child of a fork (a clone without CLONE_VM) the exit
 * hooks run too, on the child's vCPU, with result 0; its memory is a copy,
 * so what a hook kept at entry is there. A thread or vfork child (CLONE_VM)
 * starts in ring 3 after the call: no exit hooks run for it, and a vfork
 * child shares its parent's thread-local storage until it execs or exits.
 *
 * The hooks' own system calls (dune_syscall6) go straight to the host: no
 * chain sees them, and no signal is delivered onto the program's frame at
 * them (it waits until the program runs again).
 */
typedef void (*dune_syscall_exit_hook)(struct dune_tf *tf, long nr, void *arg);

int dune_hook_syscall_entry(int prio, dune_syscall_entry_hook fn, void *arg);
int dune_hook_syscall_exit(int prio, dune_syscall_exit_hook fn, void *arg);

/* In a system call exit hook: the result the program gets back from the
 * call, whoever produced it (the host, or a hook that handled the call, or
 * changed tf->rax): tf->rax, or, when a signal frame replaced @tf, the result
 * saved in that frame (rt_sigreturn restores it). */
long dune_syscall_exit_result(const struct dune_tf *tf);

/* ---- exceptions (ring 0) ---- */

/* #PF: @addr is CR2, @fec the error code (PF_ERR_* of dune.h). A hook that
 * handles the fault has made the access possible or moved tf->rip on. */
typedef enum dune_hook_result (*dune_pgflt_hook)(uintptr_t addr, uint64_t fec, struct dune_tf *tf,
                                                 void *arg);
int dune_hook_pgflt(int prio, dune_pgflt_hook fn, void *arg);

/* Any vector 0-255 except 14 (-EINVAL: use dune_hook_pgflt). */
typedef enum dune_hook_result (*dune_vector_hook)(struct dune_tf *tf, void *arg);
int dune_hook_vector(int vector, int prio, dune_vector_hook fn, void *arg);

/* ---- vCPUs and images ---- */

enum dune_vcpu_start {
	DUNE_VCPU_ENTER,  /* a thread called dune_enter / dune_enter_user */
	DUNE_VCPU_THREAD, /* a thread created inside the VM (clone with CLONE_VM, vfork) */
	DUNE_VCPU_FORK,   /* the forking thread in the child of a fork: a new process */
};

/*
 * vCPU creation: runs in ring 0 on the new vCPU, before it executes any of
 * the thread's code (the thread's registers are not yet loaded), so what a
 * hook sets there - debug registers, control registers, per-vCPU state of
 * the tool - holds from the thread's first instruction. dune_vcpu_tid() and
 * dune_vcpu_pid() name the new thread.
 */
typedef void (*dune_vcpu_create_hook)(enum dune_vcpu_start how, void *arg);
int dune_hook_vcpu_create(int prio, dune_vcpu_create_hook fn, void *arg);

/*
 * vCPU exit: runs in the monitor of the ending thread, just before its exit
 * (or, @process_exit, the exit_group that ends the whole process; the other
 * threads' hooks do not run then) is executed.
 */
typedef void (*dune_vcpu_exit_hook)(bool process_exit, void *arg);
int dune_hook_vcpu_exit(int prio, dune_vcpu_exit_hook fn, void *arg);

/*
 * exec: runs in the monitor before execve/execveat replaces the image, with
 * the program's @path argument (readable there: same addresses). The call may
 * still fail, and the process then continues with hooks intact.
 */
typedef void (*dune_exec_hook)(const char *path, void *arg);
int dune_hook_exec(int prio, dune_exec_hook fn, void *arg);

/* ---- debug exits (monitor) ---- */

/* What KVM reports for KVM_EXIT_DEBUG (struct kvm_debug_exit_arch). */
struct dune_debug_exit {
	uint32_t exception; /* 1 (#DB) or 3 (#BP) */
	uint64_t rip;
	uint64_t dr6, dr7;
};
/*
 * A KVM_EXIT_DEBUG (guest debugging enabled through the backend): the hooks
 * run in the monitor in order; one that handles it resumes the guest. If none
 * does, libdune prints what happened and ends the process.
 */
typedef enum dune_hook_result (*dune_debug_exit_hook)(const struct dune_debug_exit *e, void *arg);
int dune_hook_debug_exit(int prio, dune_debug_exit_hook fn, void *arg);

/* ---- signals (monitor) ---- */

/*
 * A signal of a program in ring 3 (dune_enter_user, the injected runtime):
 * the hooks see each signal as it is delivered into the guest (the
 * program's handler runs next), and a fault signal that will kill the
 * process (@fatal), with the siginfo the program gets. They run in the
 * monitor on the host thread of the vCPU, every hook, in order. A signal
 * that arrives while a system call is passed through is delivered as the
 * call returns: its hooks run before the exit hooks of that call (see
 * dune_syscall_exit_result). dune_set_signal_observer (dune.h) is one hook
 * at DUNE_HOOK_PRIO_LEGACY.
 */
typedef void (*dune_signal_hook)(int sig, const void *siginfo, bool fatal, void *arg);
int dune_hook_signal(int prio, dune_signal_hook fn, void *arg);

/* Take a registration (any kind) out of its chain: 0, or -ENOENT. */
int dune_hook_remove(int handle);

/* ---- tool host calls ---- */

#define DUNE_TOOL_HOSTCALL_MAX 32

/*
 * A function of the tool that runs in the monitor (host side, interrupt
 * context rules) when ring 0 calls dune_tool_hostcall with its number. It
 * sees the six arguments and returns the call's result.
 */
typedef long (*dune_tool_hostcall_fn)(const uint64_t args[6], void *arg);
/* Returns the call's number (>= 0), or -EINVAL, -ENOSPC. Before dune_init,
 * after it, or from ring 0. */
int dune_tool_hostcall_register(dune_tool_hostcall_fn fn, void *arg);
/* From ring 0: run host call @nr with @a0..@a5 and return its result
 * (-ENOSYS for a number nobody registered). Outside the VM the function runs
 * directly. */
long dune_tool_hostcall(int nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5);

/* ---- the protection overlay ---- */

/*
 * A tool's restrictions of the program's pages, kept apart from the
 * program's own permissions: the guest page table grants the host's rights
 * (as the program set them with mmap/mprotect/brk/mremap) minus every tool's
 * restrictions, whenever the monitor rewrites it. Restrictions are per 4 KiB
 * page (large guest pages are split). Several tools may restrict a page; the
 * most restrictive wins, and lifting one tool's restriction keeps the others'.
 * Demand paging never maps a restricted page beyond its restriction; an
 * access the overlay denies that no #PF hook handles becomes the program's
 * SIGSEGV.
 *
 * When the program unmaps (munmap, brk shrinking, mmap MAP_FIXED over it) or
 * moves (mremap) restricted memory, the restriction on the old range ends
 * and the owning tool is told: @fn runs in the monitor of the thread that
 * made the call (interrupt context rules), after the call, before the thread
 * resumes. It may restrict again (the moved range, say).
 *
 * The calls below work before dune_enter, in ordinary code, and from ring 0
 * (they then take a host call). The calling vCPU's TLB is flushed before they
 * return; other vCPUs flush at their next host call (any system call), so
 * they may still write a newly write-protected page until then.
 */
#define DUNE_DENY_WRITE  0x1 /* writes fault (PF_ERR_P | PF_ERR_W) */
#define DUNE_DENY_ACCESS 0x2 /* the page is not present: every access faults */
/* Ring 3 cannot touch the page (PTE.U clear, SDM Vol. 3A 4.6.1); ring 0
 * can: a tool's own memory in the program's address space. In force where
 * the backend has supervisor-only pages; elsewhere (PVM) recorded and
 * ignored: dune_has_capability(DUNE_CAP_SUPERVISOR_PAGES) says which. */
#define DUNE_DENY_USER   0x4

enum dune_overlay_event {
	DUNE_OVERLAY_UNMAPPED, /* munmap, brk, or a MAP_FIXED mapping replaced it */
	DUNE_OVERLAY_MOVED,    /* mremap: @new_va is where the memory went */
};
typedef void (*dune_overlay_notify)(uintptr_t va, size_t len, enum dune_overlay_event ev,
                                    uintptr_t new_va, void *arg);

#define DUNE_OVERLAY_TOOLS  16
/* restricted ranges, all tools together (a tool's adjacent ranges of one
 * kind count as one); 64 until dune_init */
#define DUNE_OVERLAY_RANGES 131072

/* Become an overlay owner: a tool id (>= 0), or -ENOSPC. @fn may be NULL. */
int dune_overlay_tool(dune_overlay_notify fn, void *arg);
/* Restrict [va, va+len) (rounded out to pages) for @tool: DUNE_DENY_* bits.
 * 0, -EINVAL, or -ENOSPC when the range table is full. */
int dune_overlay_restrict(int tool, uintptr_t va, size_t len, int deny);
/* Lift @tool's restrictions on [va, va+len); other tools' stay. */
int dune_overlay_lift(int tool, uintptr_t va, size_t len);
/* The DUNE_DENY_* bits in force for the page of @va, all tools together. */
int dune_overlay_deny(uintptr_t va);

/* ---- code breakpoints ---- */

/*
 * An int3 at @va that only the guest sees: the page of code is replaced,
 * in the guest page table, by a copy holding 0xCC at @va. The process's
 * memory (what the kernel, other processes and /proc/PID/mem read) is never
 * modified; the program's own reads of the page see the int3, as under a
 * debugger. A vector-3 hook (dune_hook_vector) gets the trap with rip at
 * @va + 1; a private view of the page (dune_private_view_lift) shows the
 * original instruction, to run it once under the trap flag. Counted: as
 * many clears as sets remove it. Up to 256 breakpoints on 64 pages; a page
 * the program can write is left alone (the breakpoint is not seen there).
 * Ends with the mapping (munmap). Like the overlay calls, from ring 0 a
 * host call. 0, or -EINVAL (not readable code of the program), -ENOSPC,
 * -ENOMEM; clear: -ENOENT when there is none.
 */
int dune_code_breakpoint_set(uintptr_t va);
int dune_code_breakpoint_clear(uintptr_t va);

/* ---- first touches (ring 0) ---- */

/*
 * First-touch mode: the program's memory is mapped in the guest 4 KiB at a
 * time, each page not present until the program (or ring-0 code on its
 * behalf, reading a system call's buffer) first reaches it. That access is
 * a #PF that libdune resolves in ring 0, without leaving the guest, before
 * any #PF hook runs; the first-touch hooks see it there. Pages the host
 * already has when they are mapped (touched before the VM, or written by
 * the kernel since: /proc/self/pagemap) count as touched, as does the
 * runtime's and the tools' own memory; pages whose mapping is replaced
 * (MAP_FIXED, munmap and mmap again) are new. Large guest pages are not
 * used for the program's memory then. Before dune_init only: 0, or -EBUSY.
 */
int dune_first_touch_enable(void);
/* Mappings (or parts of one mapped at once) larger than this are mapped
 * as without first-touch mode: their first touches are not seen. */
#define DUNE_FIRST_TOUCH_RANGE_MAX (4ULL << 30)

/*
 * A first touch: @addr the address, @fec the #PF error code (PF_ERR_U clear:
 * ring-0 code reached the page, e.g. a tracer reading what read(2) wrote),
 * @tf the interrupted frame. Every hook runs, in order; the page is present
 * by then (unless the overlay hides it: the #PF hooks see that access next).
 * Each page's first touch is told once, on the vCPU that made it.
 */
typedef void (*dune_first_touch_hook)(uintptr_t addr, uint64_t fec, const struct dune_tf *tf,
                                      void *arg);
int dune_hook_first_touch(int prio, dune_first_touch_hook fn, void *arg);

/* ---- access scans (monitor) ---- */

/* A run of consecutive pages of the program that were accessed since the
 * last scan, all written (@dirty) or none. */
struct dune_access_run {
	uintptr_t va;
	size_t pages;
	bool dirty;
};

struct dune_access_scan_info {
	uint64_t start_ns, end_ns; /* CLOCK_REALTIME: the interval the bits cover */
	uint64_t took_ns;          /* the walk and the flush requests */
	size_t walked;             /* pages looked at */
	uint64_t dropped;          /* accessed pages in runs beyond what one scan keeps */
	uint32_t seq;              /* this process's scans so far */
	const struct dune_access_run *runs;
	size_t nruns;
};

/*
 * Every @interval_ns, read and clear the accessed and dirty bits of every
 * page of the program that the guest has present (not the runtime's or
 * the tools' own), make every vCPU flush its TLB, and give @fn the pages
 * accessed since the last scan. @fn runs in the monitor (interrupt
 * context) of whichever thread the interval's timer interrupted, one scan
 * at a time. The kick that interrupts a running vCPU reserves signal 64
 * (SIGRTMAX) in the program: it stays blocked outside the guest, so a
 * program's own SIGRTMAX waits while the thread is in a system call.
 * Accesses the host kernel makes for a call (read(2) into a buffer) go
 * through the host's page tables and set no bit here. Before dune_init
 * only: 0, -EBUSY, or -EINVAL (@interval_ns 0).
 */
typedef void (*dune_access_scan_fn)(const struct dune_access_scan_info *scan, void *arg);
int dune_access_scan_enable(uint64_t interval_ns, dune_access_scan_fn fn, void *arg);

/* ---- private views (ring 0) ---- */

/*
 * From a ring-0 hook: let this vCPU alone reach the page of @va with the
 * program's own rights, as if no tool restricted it, until
 * dune_private_view_end(); every other vCPU still meets the restriction.
 * For letting one access of the program through (a #PF hook opens the page
 * and single-steps the instruction, the #DB hook ends the view), while the
 * other threads keep faulting. A page the program never touched is mapped
 * first (as a read would). Up to DUNE_PRIVATE_VIEW_PAGES pages at once (an
 * instruction that touches several). 0, or -EINVAL (not a page of the
 * program), -ENOENT (nothing mapped there), -ENOSPC, -ENOMEM.
 *
 * The view is this vCPU's page-table root (CR3): ring-0 code of the vCPU
 * sees it too, and it stays until ended, whatever the vCPU does meanwhile.
 */
#define DUNE_PRIVATE_VIEW_PAGES 4
int dune_private_view_lift(uintptr_t va);
void dune_private_view_end(void);
bool dune_private_view_active(void);

#endif
