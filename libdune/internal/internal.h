/* SPDX-License-Identifier: MIT */
/* State shared by the guest runtime and the host-side monitor. Not public. */
#ifndef DUNE_INTERNAL_H
#define DUNE_INTERNAL_H

#include "percpu.h"

#include <dune/dune.h>
#include <dune/layout.h>
#include <dune/platform.h>
#include <dune/vm.h>
#include <stdbool.h>
#include <stdint.h>

#define DUNE_MAX_VCPUS 256

/* The runtime region: one mapping, supervisor-only in the guest. */
#define RT_LAYOUT_OFF  0x0
#define RT_IDT_OFF     0x80000
#define RT_PERCPU_OFF  0x100000
#define RT_PERCPU_SIZE ((uint64_t)DUNE_MAX_VCPUS * PERCPU_SIZE)
#define RT_POOL_OFF    (RT_PERCPU_OFF + RT_PERCPU_SIZE)
#define RT_POOL_SIZE   (256ULL << 20)
#define RT_SIZE        (RT_POOL_OFF + RT_POOL_SIZE)

struct dune_state {
	bool initialised;
	struct dune_platform platform;
	bool pvm;          /* the PVM quirks apply (pvm.c) */
	bool debug;        /* DUNE_DEBUG: trace exits to stderr */
	bool xsave;        /* XSAVE available (else FXSAVE) */
	bool pvm_emulated; /* DUNE_PVM_EMULATED: never leave PVM's emulated mode */
	int kvm_fd, vm_fd;
	int run_size;
	unsigned phys_bits;
	struct kvm_cpuid2 *cpuid;
	uintptr_t rt_base;
	struct dune_layout *layout;
	struct dune_page_pool pool;
	struct dune_pt pt;
	uint64_t *idt;
	int nr_vcpus;
	/* vCPUs of threads that exited, for reuse (KVM cannot destroy a vCPU) */
	dune_spinlock_t free_lock;
	int nr_free;
	struct dune_percpu *free_vcpus[DUNE_MAX_VCPUS];
	int next_slot;
	int max_slots;
	dune_spinlock_t slot_lock;
	uintptr_t stack_lo, stack_hi; /* the main thread's stack and its growth room */
	/* process-wide counters (all vCPUs, past and present) and where
	 * DUNE_STATS wants them written when the process ends or execs */
	struct dune_stats totals;
	char stats_path[256];
	/* "LD_PRELOAD=..." that injected this process, kept in every execve */
	char preload_env[1024];
	/* other NAME=value assignments an injected process keeps across execve
	 * (dtrace-lite's DTL_TRACE_FD) */
	char keep_env[4][128];
	int nkeep_env;
};

extern struct dune_state dune_state;

/* Thread-local: the vCPU of this thread (NULL outside the VM). entry.S reads
 * it through dune_tls_percpu_offset, its distance from the thread pointer. */
extern __thread struct dune_percpu *dune_tls_percpu __attribute__((tls_model("initial-exec")));
extern long dune_tls_percpu_offset;
/* This thread's counters: in TLS, so that ring 3 can read them too (the
 * per-vCPU block is supervisor-only). */
extern __thread struct dune_stats dune_tls_stats __attribute__((tls_model("initial-exec")));

static inline struct dune_percpu *dune_this_cpu(void)
{
	return dune_tls_percpu;
}

/* ---- guest runtime ---- */
int64_t dune_hostcall(struct dune_percpu *pc, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6);
void dune_syscall_trap(struct dune_tf *tf);
void dune_trap(struct dune_tf *tf);
uint64_t dune_read_cr2(struct dune_percpu *pc);
void dune_idt_init(uint64_t *idt);

extern char dune_syscall_entry[], dune_idt_stubs[], dune_pvm_user_stub[], dune_guest_boot[];
int __dune_enter(struct dune_percpu *pc);
long __dune_jump_to_user(struct dune_tf *tf);
__attribute__((noreturn)) void __dune_ret_from_user(struct dune_percpu *pc, long ret);

/* ---- host side ---- */
void dune_inject_remember_preload(const char *ld_preload);
/* Keep NAME=value (at most 127 bytes) in the environment of every image this
 * process execs. Returns 0, or -1 if there is no room. */
int dune_inject_keep_env(const char *assignment);

/* kvm/user_access.c: copy from/to the program's memory at an unchecked
 * address; false (nothing faulted) if it is not all accessible. */
bool dune_read_user(void *dst, const void *user_src, size_t len);
bool dune_write_user(void *user_dst, const void *src, size_t len);
void dune_write_totals(const char *why);
void dune_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dune_vcpu_create(struct dune_percpu **out, bool user);
__attribute__((noreturn)) void dune_monitor_main(struct dune_percpu *pc);
__attribute__((noreturn)) void dune_monitor_resume(struct dune_percpu *pc,
                                                   const struct dune_tf *start);
long dune_clone_vm(struct dune_percpu *pc, long nr, const uint64_t *args);
long dune_fork(struct dune_percpu *pc, long nr, const uint64_t *args);
int dune_vcpu_setup(struct dune_percpu *pc);
int dune_vcpu_setup_registers(struct dune_percpu *pc);
int dune_vcpu_xsave_size(void);
int dune_vcpu_get_xsave(struct dune_percpu *pc, void *buf, size_t len);
int dune_vcpu_set_xsave(struct dune_percpu *pc, const void *buf);
void dune_vcpu_release(struct dune_percpu *pc);
int dune_vcpu_attach_monitor_stack(struct dune_percpu *pc);
long dune_raw_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* signal.c */
long dune_signal_sigaction(struct dune_percpu *pc, const uint64_t *args);
long dune_signal_sigreturn(struct dune_percpu *pc, uint64_t *result);
uint64_t dune_signal_deliver(struct dune_percpu *pc, struct dune_tf *tf, uint64_t result);
bool dune_signal_fault(struct dune_percpu *pc, struct dune_tf *tf, int sig, uint64_t addr);
void dune_signal_kick(struct dune_percpu *pc);

/* procfs.c */
void dune_procfs_hide_range(uintptr_t begin, size_t len);
long dune_procfs_open(long nr, const uint64_t *args, bool *handled);

/* fds.c */
int dune_fd_adopt(int fd);
void dune_fd_release(int fd);
void dune_fd_protect(int fd);
int dune_fd_replace(int old, int fresh);
bool dune_fd_is_own(int fd);
bool dune_fd_syscall(long nr, const uint64_t *args, long *ret);

/* memory.c */
int dune_mem_init(void);
int dune_mem_add_host_range(uintptr_t va, size_t len, int perm);
void dune_mem_after_syscall(struct dune_percpu *pc, long nr, const uint64_t *args, long ret);
int dune_mem_fault(struct dune_percpu *pc, uintptr_t addr, uint64_t fec);
int dune_prot_to_perm(int prot);

/* pvm.c: everything that differs on a PVM host, each quirk in one place */
void dune_pvm_prepare_vcpu(struct dune_percpu *pc);
bool dune_pvm_has_capability(enum dune_capability cap, bool *answer);
int dune_pvm_runtime_perm(int perm);
bool dune_pvm_injects_when_not_ready(void);

/* diag.c */
void dune_monitor_dump(struct dune_percpu *pc, const char *why);
const char *dune_exit_reason_name(unsigned reason);
const char *dune_vector_name(uint64_t vector);
void dune_dump_code(uint64_t rip);
struct kvm_regs;
void dune_tf_from_kvm_regs(struct dune_tf *tf, const struct kvm_regs *r);

#endif
