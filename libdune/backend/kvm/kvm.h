/* SPDX-License-Identifier: MIT */
/* The kvm backend's own state and functions (private to backend/kvm). */
#ifndef DUNE_KVM_H
#define DUNE_KVM_H

#include "internal.h"

#include "backend/backend.h"

#include <dune/platform.h>
#include <dune/spinlock.h>
#include <linux/kvm.h>
#include <stdbool.h>

/* One vCPU: struct dune_percpu.vcpu points here. */
struct dune_vcpu {
	int fd;
	struct kvm_run *run;
};

/* VMs of one process: KVM caps the vCPUs of a VM (KVM_CAP_MAX_VCPUS, 1024
 * on x86), so threads beyond that run in further VMs over the same memory
 * (vm.c). */
#define DUNE_KVM_MAX_VMS 64

struct dune_kvm {
	struct dune_platform platform;
	bool pvm;          /* the PVM quirks apply (pvm.c) */
	bool pvm_emulated; /* DUNE_PVM_EMULATED: never leave PVM's emulated mode */
	int kvm_fd;
	/* vm_fd[0] is made at init, the others when a thread first needs them;
	 * -1 where none is */
	int vm_fd[DUNE_KVM_MAX_VMS];
	int vcpus_per_vm;
	int run_size;
	struct kvm_cpuid2 *cpuid;
	int next_slot[DUNE_KVM_MAX_VMS];
	int max_slots;
	/* a VM's making (which gives it every slot so far) and each slot's
	 * number in every VM (slots.c) */
	dune_spinlock_t vm_lock;
	/* indexed by struct dune_percpu.index: no allocation in a clone child */
	struct dune_vcpu vcpus[DUNE_MAX_VCPUS];
};

extern struct dune_kvm dune_kvm;

/* vm.c */
int dune_kvm_probe(char *why, size_t len);
const char *dune_kvm_describe(void);
int dune_kvm_init(unsigned *phys_bits);
int dune_kvm_fork_child(void);
bool dune_kvm_has_capability(enum dune_capability cap);
int dune_kvm_max_vcpus(void);
/* The VM of the vCPU with index @index, made if it is not yet: its fd, or
 * -errno. */
int dune_kvm_vm_of(int index);
void dune_kvm_fd_renumbered(int from, int to);
int dune_kvm_device_fd(void);
/* /dev/kvm, opened or (after an exec) inherited: a new close-on-exec
 * descriptor (platform.c). */
int dune_kvm_dev_open(void);
/* After dune_kvm_init: the inherited one is no longer needed. */
void dune_kvm_dev_inherited_done(void);
uint64_t dune_kvm_kernel_exits(void);

/* slots.c */
int dune_kvm_map_run(const struct dune_layout_run *r);
/* The layout's runs as slots of VM @vm (descriptor @fd), adjacent ones
 * merged; vm_lock held, or the only thread */
int dune_kvm_map_layout(int vm, int fd);

/* vcpu.c */
int dune_kvm_vcpu_create(struct dune_percpu *pc);
/* Is any of [lo, hi) a vCPU's kvm_run area? */
bool dune_kvm_owns_memory(uintptr_t lo, uintptr_t hi);
int dune_kvm_vcpu_reset(struct dune_percpu *pc);
int dune_kvm_get_regs(struct dune_percpu *pc, struct dune_tf *tf);
int dune_kvm_set_regs(struct dune_percpu *pc, const struct dune_tf *tf);
int dune_kvm_set_segment_bases(struct dune_percpu *pc, uint64_t fs, uint64_t gs);
int dune_kvm_sync_tsc_mode(struct dune_percpu *pc);
size_t dune_kvm_xsave_size(void);
int dune_kvm_get_xsave(struct dune_percpu *pc, void *buf, size_t len);
int dune_kvm_set_xsave(struct dune_percpu *pc, const void *buf);

/* run.c */
void dune_kvm_run(struct dune_percpu *pc, struct dune_exit *exit);
bool dune_kvm_inject_interrupt(struct dune_percpu *pc, uint8_t vector);
int dune_kvm_set_run_signal_mask(struct dune_percpu *pc, uint64_t mask);
void dune_kvm_cancel_interrupt_window(struct dune_percpu *pc);
int dune_kvm_set_guest_debug(struct dune_percpu *pc, const struct dune_guest_debug *dbg);

/* diag.c */
void dune_kvm_dump(struct dune_percpu *pc, const char *why);
const char *dune_kvm_exit_name(unsigned reason);
void dune_tf_from_kvm_regs(struct dune_tf *tf, const struct kvm_regs *r);

/* pvm.c: everything that differs on a PVM host, each quirk in one place */
void dune_pvm_prepare_vcpu(struct dune_percpu *pc);
bool dune_pvm_has_capability(enum dune_capability cap, bool *answer);
bool dune_pvm_injects_when_not_ready(void);

#endif
