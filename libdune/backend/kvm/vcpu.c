// SPDX-License-Identifier: MIT
/*
 * The kvm backend's vCPUs: create one for a per-vCPU block, give it the
 * processor state of the 64-bit kernel x86/ describes, and move registers
 * and extended state in and out of it.
 */
#include "kvm.h"

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
 * tile data appear there only after ARCH_REQ_XCOMP_GUEST_PERM (vm.c). */
static uint64_t guest_xcr0_mask(void)
{
	for (uint32_t i = 0; i < dune_kvm.cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &dune_kvm.cpuid->entries[i];
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

/* User-mode instruction prevention (SDM Vol. 3A 2.5, CR4.UMIP): sgdt,
 * sidt, sldt, smsw and str from ring 3 fault with #GP instead of telling the
 * program where the runtime's GDT and IDT are; the monitor then answers as
 * the kernel's emulation does (monitor/umip.c). Only where the host CPU has
 * it (natively the kernel emulates them there; elsewhere they run) and the
 * guest's CPUID offers it (KVM refuses the bit otherwise). */
static bool guest_has_umip(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(c & (1u << 2)))
		return false;
	for (uint32_t i = 0; i < dune_kvm.cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &dune_kvm.cpuid->entries[i];
		if (e->function == 7 && e->index == 0)
			return e->ecx & (1u << 2);
	}
	return false;
}

/* CR4.TSD (SDM Vol. 3A 2.5: rdtsc/rdtscp outside ring 0 fault with #GP)
 * as the thread's prctl(PR_SET_TSC) says (pc->tsc_faults, kept by the
 * monitor; the kernel keeps it across fork and clone). Under PVM the
 * guest's ring 3 runs in the host's user mode, where the host's own CR4.TSD
 * for this thread applies. */
static bool tsc_faults(const struct dune_percpu *pc)
{
	return !dune_kvm.pvm && pc->tsc_faults;
}

int dune_kvm_sync_tsc_mode(struct dune_percpu *pc)
{
	struct kvm_sregs s;
	int fd = pc->vcpu->fd;
	if (dune_kvm.pvm)
		return 0;
	if (ioctl(fd, KVM_GET_SREGS, &s) < 0)
		return -errno;
	s.cr4 = tsc_faults(pc) ? s.cr4 | X86_CR4_TSD : s.cr4 & ~(uint64_t)X86_CR4_TSD;
	return ioctl(fd, KVM_SET_SREGS, &s) < 0 ? -errno : 0;
}

int dune_kvm_vcpu_reset(struct dune_percpu *pc)
{
	int fd = pc->vcpu->fd;
	uintptr_t base = (uintptr_t)pc;
	unsigned long fs_base = 0, gs_base = 0;
	struct kvm_sregs s;

	dune_pvm_prepare_vcpu(pc);
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
	if (guest_has_umip())
		s.cr4 |= X86_CR4_UMIP;
	if (tsc_faults(pc))
		s.cr4 |= X86_CR4_TSD;
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

/* A KVM vCPU for the block @pc (index pc->index) in its VM, with its
 * kvm_run area and CPUID; registers are set by dune_kvm_vcpu_reset. */
int dune_kvm_vcpu_create(struct dune_percpu *pc)
{
	struct dune_vcpu *v = &dune_kvm.vcpus[pc->index];

	pc->vcpu = v;
	int vm = dune_kvm_vm_of(pc->index);
	if (vm < 0)
		return vm;
	int id = pc->index % dune_kvm.vcpus_per_vm;
	v->fd = dune_fd_adopt(ioctl(vm, KVM_CREATE_VCPU, id));
	if (v->fd < 0) {
		dune_set_error("KVM_CREATE_VCPU %d failed: %s", id, strerror(errno));
		return -errno;
	}
	void *run =
	    mmap(NULL, (size_t)dune_kvm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (run == MAP_FAILED) {
		dune_set_error("mapping the vCPU's kvm_run area failed: %s", strerror(errno));
		return -errno;
	}
	__atomic_store_n(&v->run, (struct kvm_run *)run, __ATOMIC_RELEASE);
	if (ioctl(v->fd, KVM_SET_CPUID2, dune_kvm.cpuid) < 0) {
		dune_set_error("KVM_SET_CPUID2 failed: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

bool dune_kvm_owns_memory(uintptr_t lo, uintptr_t hi)
{
	int n = __atomic_load_n(&dune_state.nr_vcpus, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n && i < DUNE_MAX_VCPUS; i++) {
		uintptr_t run =
		    (uintptr_t)__atomic_load_n(&dune_kvm.vcpus[i].run, __ATOMIC_ACQUIRE);
		if (run && lo < run + (size_t)dune_kvm.run_size && hi > run)
			return true;
	}
	return false;
}

/* Bytes of KVM's XSAVE image of a vCPU: more than struct kvm_xsave (4 KiB)
 * when the guest may use larger state such as AMX (KVM_CAP_XSAVE2). Asked
 * once. */
size_t dune_kvm_xsave_size(void)
{
	static int size;
	if (!size) {
		int n = ioctl(dune_kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);
		size = n > (int)sizeof(struct kvm_xsave) ? n : (int)sizeof(struct kvm_xsave);
	}
	return (size_t)size;
}

/* The vCPU's extended state into @buf (@len bytes): the whole image when
 * it fits, else the first 4 KiB (KVM_GET_XSAVE). */
int dune_kvm_get_xsave(struct dune_percpu *pc, void *buf, size_t len)
{
	size_t size = dune_kvm_xsave_size();
	bool whole = size > sizeof(struct kvm_xsave) && size <= len;
	return ioctl(pc->vcpu->fd, whole ? KVM_GET_XSAVE2 : KVM_GET_XSAVE, buf) < 0 ? -errno : 0;
}

int dune_kvm_set_xsave(struct dune_percpu *pc, const void *buf)
{
	return ioctl(pc->vcpu->fd, KVM_SET_XSAVE, buf) < 0 ? -errno : 0;
}

/* At a host call, KVM completes the port write on the next KVM_RUN, so RIP
 * may still point at the host-call instruction: report it as the guest will
 * resume, after it. */
int dune_kvm_get_regs(struct dune_percpu *pc, struct dune_tf *tf)
{
	struct kvm_regs regs;

	if (ioctl(pc->vcpu->fd, KVM_GET_REGS, &regs) < 0)
		return -errno;
	struct kvm_run *run = pc->vcpu->run;
	if (run->exit_reason == KVM_EXIT_IO && run->io.port == DUNE_HC_PORT &&
	    *(const uint16_t *)regs.rip == DUNE_HC_INSN)
		regs.rip += DUNE_HC_INSN_LEN;
	dune_tf_from_kvm_regs(tf, &regs);
	return 0;
}

int dune_kvm_set_regs(struct dune_percpu *pc, const struct dune_tf *tf)
{
	struct kvm_regs r = {
	    .rax = tf->rax,
	    .rbx = tf->rbx,
	    .rcx = tf->rcx,
	    .rdx = tf->rdx,
	    .rsi = tf->rsi,
	    .rdi = tf->rdi,
	    .rsp = tf->rsp,
	    .rbp = tf->rbp,
	    .r8 = tf->r8,
	    .r9 = tf->r9,
	    .r10 = tf->r10,
	    .r11 = tf->r11,
	    .r12 = tf->r12,
	    .r13 = tf->r13,
	    .r14 = tf->r14,
	    .r15 = tf->r15,
	    .rip = tf->rip,
	    .rflags = tf->rflags,
	};
	return ioctl(pc->vcpu->fd, KVM_SET_REGS, &r) < 0 ? -errno : 0;
}

int dune_kvm_set_segment_bases(struct dune_percpu *pc, uint64_t fs, uint64_t gs)
{
	struct kvm_sregs s;
	int fd = pc->vcpu->fd;

	if (ioctl(fd, KVM_GET_SREGS, &s) == 0) {
		s.fs.base = fs;
		s.gs.base = gs;
		ioctl(fd, KVM_SET_SREGS, &s);
	}
	/* KERNEL_GS_BASE follows GS (x86/cpu_state.c, pvm.c quirk 4) */
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {.hdr.nmsrs = 1, .e = {.index = X86_MSR_KERNEL_GS_BASE, .data = gs}};
	return ioctl(fd, KVM_SET_MSRS, &m) == 1 ? 0 : -EINVAL;
}
