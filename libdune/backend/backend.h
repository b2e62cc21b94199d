/* SPDX-License-Identifier: MIT */
/*
 * A backend: what runs the guest. The monitor and the generic set-up code
 * reach the hypervisor only through these operations; nothing above this
 * header knows the backend's API (<linux/kvm.h>, /dev/dune).
 *
 * Every operation that takes a struct dune_percpu acts on that block's vCPU
 * and, where it runs inside the VM's life, in interrupt context (DESIGN.md):
 * no locking or allocating libc, raw system calls only. probe, init and
 * vcpu_create run before the thread's guest starts or in a new thread's
 * monitor (a clone child): no malloc there either.
 *
 * Errors are -errno, with the reason in dune_set_error() where a person
 * should read it.
 */
#ifndef DUNE_BACKEND_H
#define DUNE_BACKEND_H

#include <dune/dune.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dune_percpu;
struct dune_layout_run;

/* Why the vCPU stopped running the guest, in the monitor's terms. */
enum dune_exit_kind {
	DUNE_EXIT_HOSTCALL,         /* the host-call instruction (hostcall.h): mailbox in pc->hc */
	DUNE_EXIT_INTERRUPTED,      /* a host signal interrupted the run before an exit (EINTR) */
	DUNE_EXIT_INTERRUPT_WINDOW, /* the guest can take an interrupt now, or a host signal
	                             * stopped the run at an exit */
	DUNE_EXIT_MMIO,             /* an access to guest-physical memory with no slot */
	DUNE_EXIT_SHUTDOWN,         /* triple fault */
	DUNE_EXIT_FAILED_ENTRY,     /* the hardware refused the guest state */
	DUNE_EXIT_INTERNAL_ERROR,   /* the hypervisor could not go on (emulation failure ...) */
	DUNE_EXIT_DEBUG,            /* a guest-debug event the backend was asked for */
	DUNE_EXIT_RUN_ERROR,        /* the run itself failed: @error */
	DUNE_EXIT_UNKNOWN,          /* anything else: @what says what */
};

struct dune_exit {
	enum dune_exit_kind kind;
	int error; /* DUNE_EXIT_RUN_ERROR: errno (EFAULT: a guest access to host memory
	            * that is gone) */
	struct {
		uint64_t gpa;
		uint32_t len;
		bool write;
	} mmio; /* DUNE_EXIT_MMIO */
	struct {
		uint32_t vector; /* 1 (#DB) or 3 (#BP) */
		uint64_t rip, dr6, dr7;
	} debug;          /* DUNE_EXIT_DEBUG */
	uint64_t detail;  /* FAILED_ENTRY: hardware reason; INTERNAL_ERROR: suberror */
	const char *name; /* the backend's name for the exit, for DUNE_DEBUG traces */
	const char *what; /* DUNE_EXIT_UNKNOWN: what happened, for the diagnostic */
};

/* Guest debugging (DUNE_EXIT_DEBUG): hardware breakpoints in DR0-DR3 with
 * DR7 (dune/debugreg.h), and single step, intercepted by the host. */
struct dune_guest_debug {
	bool enable;
	bool single_step;
	bool hw_breakpoints;
	uint64_t dr[4];
	uint64_t dr7;
};

struct dune_backend_ops {
	const char *name; /* what DUNE_BACKEND selects: "kvm", "kmod" */
	/* Does [lo, hi) overlap one of its own mappings in the process (the
	 * monitor hides them from the program and keeps it off them)? NULL
	 * if it has none. Called from any thread, without locks. */
	bool (*owns_memory)(uintptr_t lo, uintptr_t hi);

	/* Can this backend run here? 0, or -errno with the reason (what was
	 * tried, what to do) written to @why. Does not keep anything open. */
	int (*probe)(char *why, size_t len);
	/* What the user is told it runs on: "kvm (PVM, kvm_pvm)" */
	const char *(*describe)(void);
	/* Create the VM of this process; *@phys_bits: the guest's
	 * physical-address width (at most the CPU's). */
	int (*init)(unsigned *phys_bits);
	/* In the child of a fork: the parent's VM is not ours. Build one with
	 * the same memory (dune_state.layout's runs) and no vCPUs. */
	int (*fork_child)(void);
	bool (*has_capability)(enum dune_capability cap);
	/* How many vCPUs the process may have here, over all the VMs the
	 * backend makes for it (after init). */
	int (*max_vcpus)(void);

	/* Make the run @r (guest-physical = @r->gpa, host @r->hva) memory of the
	 * guest. Runs are never removed; the host's unmapping is enough. */
	int (*map_run)(const struct dune_layout_run *r);

	/* A vCPU for the block @pc (pc->index), in pc->vcpu. */
	int (*vcpu_create)(struct dune_percpu *pc);
	/* Give it the state of the 64-bit kernel x86/ describes, the thread's
	 * FS/GS bases and FPU control state, and fill the block's fields the
	 * runtime's boot path reads for this backend (vif_msr, sysret_stub). */
	int (*vcpu_reset)(struct dune_percpu *pc);
	/* Run until an exit; never fails itself (errors are DUNE_EXIT_RUN_ERROR). */
	void (*run)(struct dune_percpu *pc, struct dune_exit *exit);

	/* The general registers, RIP, RSP and RFLAGS (vector, error code and
	 * selectors are left 0). At a host-call exit, as the guest will resume:
	 * after the host-call instruction. */
	int (*get_regs)(struct dune_percpu *pc, struct dune_tf *tf);
	int (*set_regs)(struct dune_percpu *pc, const struct dune_tf *tf);
	/* The host changed the thread's FS or GS base: the guest follows. */
	int (*set_segment_bases)(struct dune_percpu *pc, uint64_t fs, uint64_t gs);
	/* The calling thread's PR_SET_TSC changed: make the guest's rdtsc
	 * fault (or not) as the host thread's does. */
	int (*sync_tsc_mode)(struct dune_percpu *pc);

	/* The extended (XSAVE) state, as an image in the kernel's XSAVE layout:
	 * its size, and a copy (the first 4 KiB if @len is smaller). */
	size_t (*xsave_size)(void);
	int (*get_xsave)(struct dune_percpu *pc, void *buf, size_t len);
	int (*set_xsave)(struct dune_percpu *pc, const void *buf);

	/* Deliver @vector through the guest IDT now if the guest can take an
	 * interrupt (IF set); else ask for DUNE_EXIT_INTERRUPT_WINDOW when it
	 * can. Returns true if injected. */
	bool (*inject_interrupt)(struct dune_percpu *pc, uint8_t vector);
	/* The signals blocked while the guest runs (the bit of signal n is
	 * n-1): 0, or -errno. NULL: the thread's own mask always. */
	int (*set_run_signal_mask)(struct dune_percpu *pc, uint64_t mask);
	/* No interrupt wanted any more: stop asking for the window. */
	void (*cancel_interrupt_window)(struct dune_percpu *pc);

	int (*set_guest_debug)(struct dune_percpu *pc, const struct dune_guest_debug *dbg);

	/* Print why the vCPU stopped and its state, with dune_printf. */
	void (*dump)(struct dune_percpu *pc, const char *why);

	/* The monitor moved one of the backend's descriptors (fds.c): @from is
	 * now @to. */
	void (*fd_renumbered)(int from, int to);

	/* Exits of this process's vCPUs to the host kernel so far, also those
	 * the hypervisor handled itself (DUNE_STATS); NULL if not known. */
	uint64_t (*kernel_exits)(void);

	/* The device descriptor an image this process execs may need and may
	 * no longer be allowed to open (a program that dropped root): the
	 * monitor passes it across execve in DUNE_DEVICE_FD_ENV. -1, or NULL,
	 * if none. */
	int (*device_fd)(void);
};

#define DUNE_DEVICE_FD_ENV "DUNE_DEVICE_FD"

/* The backend dune_init chose (NULL before). */
extern const struct dune_backend_ops *dune_backend;

/* Pick a backend: @want (DUNE_BACKEND) by name, or the first whose probe
 * succeeds. NULL with the reason in @why when there is none. */
const struct dune_backend_ops *dune_backend_choose(const char *want, char *why, size_t len);

extern const struct dune_backend_ops dune_kvm_backend;
extern const struct dune_backend_ops dune_kmod_backend;

#endif
