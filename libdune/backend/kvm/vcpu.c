// SPDX-License-Identifier: MIT
/*
 * Host side: create the vCPU of an entering thread and give it the
 * processor state of a 64-bit kernel (SDM Vol. 3A §9.8.5 for what long mode
 * needs) whose first instruction is dune_guest_boot.
 */
#include "internal.h"
#include "x86/x86.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MONITOR_STACK_SIZE (256 << 10)

static struct kvm_segment seg(uint16_t sel, uint8_t type, uint8_t dpl, bool code64)
{
	return (struct kvm_segment){
	    .base = 0,
	    .limit = 0xffffffff,
	    .selector = sel,
	    .type = type,
	    .present = 1,
	    .dpl = dpl,
	    .db = code64 ? 0 : 1,
	    .s = 1,
	    .l = code64 ? 1 : 0,
	    .g = 1,
	};
}

/* The XSAVE features KVM lets a guest enable: CPUID.(EAX=0DH,ECX=0) of the
 * supported CPUID, EDX:EAX (SDM Vol. 1 §13.2). Dynamic features such as AMX
 * tile data appear there only after ARCH_REQ_XCOMP_GUEST_PERM (init.c). */
static uint64_t guest_xcr0_mask(void)
{
	for (uint32_t i = 0; i < dune_state.cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &dune_state.cpuid->entries[i];
		if (e->function == 0xd && e->index == 0)
			return ((uint64_t)e->edx << 32) | e->eax;
	}
	return 0x7; /* x87, SSE, AVX */
}

static int set_msrs(int fd, const struct dune_x86_msr *msrs, int n)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[8];
	} m;
	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = (uint32_t)n;
	for (int i = 0; i < n; i++) {
		m.e[i].index = msrs[i].index;
		m.e[i].data = msrs[i].value;
	}
	int r = ioctl(fd, KVM_SET_MSRS, &m);
	return r == n ? 0 : -EINVAL;
}

int dune_vcpu_setup_registers(struct dune_percpu *pc)
{
	int fd = pc->vcpu_fd;
	uintptr_t base = (uintptr_t)pc;
	unsigned long fs_base = 0, gs_base = 0;
	struct kvm_sregs s;

	dune_raw_syscall6(SYS_arch_prctl, ARCH_GET_FS, (long)&fs_base, 0, 0, 0, 0);
	dune_raw_syscall6(SYS_arch_prctl, ARCH_GET_GS, (long)&gs_base, 0, 0, 0, 0);

	if (ioctl(fd, KVM_GET_SREGS, &s) < 0)
		return -errno;
	s.cs = seg(DUNE_KERNEL_CS, 11, 0, true);
	s.ss = seg(DUNE_KERNEL_DS, 3, 0, false);
	/* DPL-3 data segments in DS/ES/FS/GS: a return to ring 3 would load a
	 * null selector into any data segment register with a lower DPL (SDM
	 * Vol. 2A IRET), and on some CPUs that clears the FS/GS base. */
	s.ds = s.es = s.fs = s.gs = seg(DUNE_USER_DS, 3, 3, false);
	s.fs.base = fs_base;
	s.gs.base = gs_base;
	s.tr = (struct kvm_segment){.base = base + PERCPU_TSS,
	                            .limit = X86_TSS_LIMIT,
	                            .selector = DUNE_TSS_SEL,
	                            .type = 11,
	                            .present = 1};
	s.gdt.base = base + PERCPU_GDT;
	s.gdt.limit = X86_GDT_LIMIT;
	s.idt.base = (uintptr_t)dune_state.idt;
	s.idt.limit = X86_IDT_LIMIT;
	struct dune_x86_control ctl;
	dune_x86_long_mode_control(&ctl);
	s.cr0 = ctl.cr0;
	s.cr3 = dune_pt_root_pa(&dune_state.pt);
	s.cr4 = ctl.cr4;
	s.efer = ctl.efer;
	if (ioctl(fd, KVM_SET_SREGS, &s) < 0) {
		dune_set_error("KVM_SET_SREGS (64-bit mode) failed: %s", strerror(errno));
		return -errno;
	}

	struct dune_x86_msr msrs[DUNE_X86_SYSCALL_MSRS];
	dune_x86_syscall_msrs(msrs, gs_base);
	if (set_msrs(fd, msrs, DUNE_X86_SYSCALL_MSRS)) {
		dune_set_error("KVM_SET_MSRS (SYSCALL MSRs) failed");
		return -EINVAL;
	}

	/* The guest continues the thread's code: its XCR0 must enable what the
	 * host's does (libc picks AVX routines from CPUID), and the callee-saved
	 * FPU control state (x87 control word, MXCSR) must carry over. */
	if (dune_x86_has_xsave()) {
		uint32_t lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		struct kvm_xcrs xcrs = {.nr_xcrs = 1};
		xcrs.xcrs[0].xcr = 0;
		xcrs.xcrs[0].value = (((uint64_t)hi << 32) | lo) & guest_xcr0_mask();
		if (ioctl(fd, KVM_SET_XCRS, &xcrs) < 0) {
			dune_set_error("KVM_SET_XCRS (XCR0=%#llx) failed: %s",
			               (unsigned long long)xcrs.xcrs[0].value, strerror(errno));
			return -errno;
		}
	}
	struct kvm_fpu fpu;
	memset(&fpu, 0, sizeof(fpu));
	uint16_t fcw;
	uint32_t mxcsr;
	__asm__ volatile("fnstcw %0" : "=m"(fcw));
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	fpu.fcw = fcw;
	fpu.mxcsr = mxcsr;
	if (ioctl(fd, KVM_SET_FPU, &fpu) < 0) {
		dune_set_error("KVM_SET_FPU failed: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* The monitor's own stack: host memory the guest never maps. Threads created
 * inside the VM run their monitor on the stack their clone gave them. */
int dune_vcpu_attach_monitor_stack(struct dune_percpu *pc)
{
	void *stack = mmap(NULL, MONITOR_STACK_SIZE, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		dune_set_error("allocating the monitor stack failed: %s", strerror(errno));
		return -errno;
	}
	pc->monitor_stack = stack;
	dune_procfs_hide_range((uintptr_t)stack, MONITOR_STACK_SIZE);
	pc->monitor_stack_top = (uint64_t)stack + MONITOR_STACK_SIZE;
	return 0;
}

/* A thread is exiting: its vCPU (which KVM cannot destroy) and per-vCPU
 * block go to the next thread that needs one. */
void dune_vcpu_release(struct dune_percpu *pc)
{
	dune_spin_lock(&dune_state.free_lock);
	dune_state.free_vcpus[dune_state.nr_free++] = pc;
	dune_spin_unlock(&dune_state.free_lock);
}

static struct dune_percpu *reuse_vcpu(bool user)
{
	struct dune_percpu *pc = NULL;

	dune_spin_lock(&dune_state.free_lock);
	if (dune_state.nr_free)
		pc = dune_state.free_vcpus[--dune_state.nr_free];
	dune_spin_unlock(&dune_state.free_lock);
	if (!pc)
		return NULL;
	int fd = pc->vcpu_fd, index = pc->index;
	struct kvm_run *run = pc->run;
	memset(pc, 0, 4096);
	pc->self = pc;
	pc->index = index;
	pc->vcpu_fd = fd;
	pc->run = run;
	pc->user_mode_entry = user;
	dune_pvm_prepare_vcpu(pc);
	return pc;
}

/* A KVM vCPU for the block @pc (index pc->index) in the current VM, with its
 * kvm_run area and CPUID; registers are set by dune_vcpu_setup_registers. */
int dune_vcpu_setup(struct dune_percpu *pc)
{
	pc->vcpu_fd = dune_fd_adopt(ioctl(dune_state.vm_fd, KVM_CREATE_VCPU, pc->index));
	if (pc->vcpu_fd < 0) {
		dune_set_error("KVM_CREATE_VCPU %d failed: %s", pc->index, strerror(errno));
		return -errno;
	}
	pc->run = mmap(NULL, (size_t)dune_state.run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
	               pc->vcpu_fd, 0);
	if (pc->run == MAP_FAILED) {
		dune_set_error("mapping the vCPU's kvm_run area failed: %s", strerror(errno));
		return -errno;
	}
	if (ioctl(pc->vcpu_fd, KVM_SET_CPUID2, dune_state.cpuid) < 0) {
		dune_set_error("KVM_SET_CPUID2 failed: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int dune_vcpu_create(struct dune_percpu **out, bool user)
{
	struct dune_percpu *reused = reuse_vcpu(user);
	if (reused) {
		/* a fresh architectural state, and a fresh monitor stack (the old
		 * one may still be under the exiting thread) */
		memset((void *)((uintptr_t)reused + PERCPU_VIF), 0, 4096);
		int r = dune_vcpu_setup_registers(reused);
		if (r)
			return r;
		*out = reused;
		return 0;
	}
	int index = __atomic_fetch_add(&dune_state.nr_vcpus, 1, __ATOMIC_SEQ_CST);
	if (index >= DUNE_MAX_VCPUS) {
		dune_set_error("too many threads in the VM (at most %d)", DUNE_MAX_VCPUS);
		return -EAGAIN;
	}
	uintptr_t base = dune_state.rt_base + RT_PERCPU_OFF + (uint64_t)index * PERCPU_SIZE;
	struct dune_percpu *pc = (struct dune_percpu *)base;
	memset(pc, 0, 4096);
	pc->self = pc;
	pc->index = index;
	pc->user_mode_entry = user;
	dune_x86_write_gdt((uint64_t *)(base + PERCPU_GDT), base + PERCPU_TSS);
	dune_x86_write_tss((uint8_t *)(base + PERCPU_TSS), base);
	memset((void *)(base + PERCPU_VIF), 0, 4096);
	dune_pvm_prepare_vcpu(pc);

	int r = dune_vcpu_setup(pc);
	if (r)
		return r;
	r = dune_vcpu_setup_registers(pc);
	if (r)
		return r;
	*out = pc;
	return 0;
}

/* Bytes of KVM's XSAVE image of a vCPU: more than struct kvm_xsave (4 KiB)
 * when the guest may use larger state such as AMX (KVM_CAP_XSAVE2). Asked
 * once. */
int dune_vcpu_xsave_size(void)
{
	static int size;
	if (!size) {
		int n = ioctl(dune_state.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);
		size = n > (int)sizeof(struct kvm_xsave) ? n : (int)sizeof(struct kvm_xsave);
	}
	return size;
}

/* The vCPU's extended state into @buf (@len bytes): the whole image when
 * it fits, else the first 4 KiB (KVM_GET_XSAVE). */
int dune_vcpu_get_xsave(struct dune_percpu *pc, void *buf, size_t len)
{
	int size = dune_vcpu_xsave_size();
	bool whole = size > (int)sizeof(struct kvm_xsave) && (size_t)size <= len;
	return ioctl(pc->vcpu_fd, whole ? KVM_GET_XSAVE2 : KVM_GET_XSAVE, buf) < 0 ? -errno : 0;
}

int dune_vcpu_set_xsave(struct dune_percpu *pc, const void *buf)
{
	return ioctl(pc->vcpu_fd, KVM_SET_XSAVE, buf) < 0 ? -errno : 0;
}
