// SPDX-License-Identifier: MIT
/*
 * Host side: create the vCPU of an entering thread and give it the
 * processor state of a 64-bit kernel (SDM Vol. 3A §9.8.5 for what long mode
 * needs) whose first instruction is dune_guest_boot.
 */
#include "internal.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MSR_STAR           0xc0000081
#define MSR_LSTAR          0xc0000082
#define MSR_CSTAR          0xc0000083
#define MSR_SFMASK         0xc0000084
#define MSR_KERNEL_GS_BASE 0xc0000102

#define CR0_PE         (1u << 0)
#define CR0_MP         (1u << 1)
#define CR0_ET         (1u << 4)
#define CR0_NE         (1u << 5)
#define CR0_WP         (1u << 16)
#define CR0_AM         (1u << 18)
#define CR0_PG         (1u << 31)
#define CR4_PAE        (1u << 5)
#define CR4_OSFXSR     (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_FSGSBASE   (1u << 16)
#define CR4_OSXSAVE    (1u << 18)
#define EFER_SCE       (1u << 0)
#define EFER_LME       (1u << 8)
#define EFER_LMA       (1u << 10)
#define EFER_NXE       (1u << 11)

#define MONITOR_STACK_SIZE (256 << 10)

static void write_gdt(uint64_t *gdt, uint64_t tss)
{
	memset(gdt, 0, 4096);
	gdt[1] = 0x00cf9b000000ffffULL; /* 0x08 kernel 32-bit code (unused) */
	gdt[2] = 0x00af9b000000ffffULL; /* 0x10 kernel 64-bit code */
	gdt[3] = 0x00cf93000000ffffULL; /* 0x18 kernel data */
	gdt[4] = 0x00cffb000000ffffULL; /* 0x23 user 32-bit code (SYSRET's base) */
	gdt[5] = 0x00cff3000000ffffULL; /* 0x2b user data */
	gdt[6] = 0x00affb000000ffffULL; /* 0x33 user 64-bit code */
	/* 0x40: 64-bit TSS, 16 bytes (SDM Vol. 3A §8.2.3), busy */
	gdt[8] = 0x67 | ((tss & 0xffffff) << 16) | (0x8bULL << 40) | (((tss >> 24) & 0xff) << 56);
	gdt[9] = tss >> 32;
}

static void write_tss(uint8_t *tss, uintptr_t pc)
{
	memset(tss, 0, 4096);
	*(uint64_t *)(tss + 4) = pc + PERCPU_KSTACK_TOP; /* RSP0 */
	/* IST1..IST4 at 0x24, 0x2c, 0x34, 0x3c (SDM Vol. 3A Figure 8-11) */
	*(uint64_t *)(tss + 0x24) = pc + PERCPU_IST1_TOP;
	*(uint64_t *)(tss + 0x2c) = pc + PERCPU_IST2_TOP;
	*(uint64_t *)(tss + 0x34) = pc + PERCPU_IST3_TOP;
	*(uint64_t *)(tss + 0x3c) = pc + PERCPU_IST4_TOP;
	*(uint16_t *)(tss + 0x66) = 0x68; /* no I/O bitmap: every port faults in ring 3 */
}

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

static bool cpu_has_xsave(void)
{
	unsigned a, b, c, d;
	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE);
}

static bool cpu_has_fsgsbase(void)
{
	unsigned a, b, c, d;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & 1);
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

static int set_msrs(int fd, const uint32_t *idx, const uint64_t *val, int n)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[8];
	} m;
	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = (uint32_t)n;
	for (int i = 0; i < n; i++) {
		m.e[i].index = idx[i];
		m.e[i].data = val[i];
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
	                            .limit = 0x67,
	                            .selector = DUNE_TSS_SEL,
	                            .type = 11,
	                            .present = 1};
	s.gdt.base = base + PERCPU_GDT;
	s.gdt.limit = 0xff;
	s.idt.base = (uintptr_t)dune_state.idt;
	s.idt.limit = 0xfff;
	s.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
	s.cr3 = dune_pt_root_pa(&dune_state.pt);
	s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (cpu_has_fsgsbase())
		s.cr4 |= CR4_FSGSBASE;
	if (cpu_has_xsave())
		s.cr4 |= CR4_OSXSAVE;
	s.efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
	if (ioctl(fd, KVM_SET_SREGS, &s) < 0) {
		dune_set_error("KVM_SET_SREGS (64-bit mode) failed: %s", strerror(errno));
		return -errno;
	}

	/* KERNEL_GS_BASE mirrors the thread's GS base: the runtime never uses
	 * GS or SWAPGS, and PVM swaps the two on every SYSRETQ (pvm.c). */
	/* SYSCALL/SYSRET: kernel CS 0x10 (SS 0x18); SYSRET to CS 0x33, SS 0x2b
	 * (STAR[63:48] + 16 and + 8, SDM Vol. 2B SYSRET). SFMASK clears TF, IF,
	 * DF, IOPL, NT and AC on entry. */
	const uint32_t idx[] = {MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS_BASE};
	const uint64_t val[] = {((uint64_t)DUNE_USER32_CS << 48) | ((uint64_t)DUNE_KERNEL_CS << 32),
	                        (uint64_t)dune_syscall_entry, 0, 0x47700, gs_base};
	if (set_msrs(fd, idx, val, 5)) {
		dune_set_error("KVM_SET_MSRS (SYSCALL MSRs) failed");
		return -EINVAL;
	}

	/* The guest continues the thread's code: its XCR0 must enable what the
	 * host's does (libc picks AVX routines from CPUID), and the callee-saved
	 * FPU control state (x87 control word, MXCSR) must carry over. */
	if (cpu_has_xsave()) {
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
	write_gdt((uint64_t *)(base + PERCPU_GDT), base + PERCPU_TSS);
	write_tss((uint8_t *)(base + PERCPU_TSS), base);
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
