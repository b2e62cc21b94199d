// SPDX-License-Identifier: MIT
/*
 * The kvm backend's VM: probing /dev/kvm, creating the VM of this process
 * (and again in the child of a fork), its CPUID and capabilities. Ordinary
 * context, except fork_child (the child of a fork inside the VM).
 */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef ARCH_REQ_XCOMP_GUEST_PERM
#define ARCH_REQ_XCOMP_GUEST_PERM 0x1025
#endif

struct dune_kvm dune_kvm = {.kvm_fd = -1, .vm_fd = {[0 ... DUNE_KVM_MAX_VMS - 1] = -1}};

int dune_kvm_probe(char *why, size_t len)
{
	dune_platform_probe(&dune_kvm.platform);
	dune_kvm.pvm = dune_kvm.platform.hypervisor == DUNE_HV_PVM;
	dune_kvm.pvm_emulated = dune_kvm.pvm && getenv("DUNE_PVM_EMULATED");
	return dune_platform_explain(&dune_kvm.platform, why, len) ? -ENODEV : 0;
}

const char *dune_kvm_describe(void)
{
	return dune_hypervisor_name(dune_kvm.platform.hypervisor);
}

static int check_cap(int cap, const char *name)
{
	if (ioctl(dune_kvm.kvm_fd, KVM_CHECK_EXTENSION, cap) <= 0)
		return dune_fail(ENOTSUP, "/dev/kvm lacks %s, which libdune needs", name);
	return 0;
}

static int load_cpuid(void)
{
	/* Let the guest use AMX tile data if the host does (x86 XSTATE
	 * permission API, Documentation/arch/x86/xstate.rst); failure only means
	 * the guest's XCR0 will not include it. */
	syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_GUEST_PERM, 18 /* XFEATURE_XTILEDATA */);
	for (int n = 128; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + (size_t)n * sizeof(c->entries[0]));
		if (!c)
			return -ENOMEM;
		c->nent = (uint32_t)n;
		if (ioctl(dune_kvm.kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			dune_kvm.cpuid = c;
			return 0;
		}
		free(c);
		if (errno != E2BIG)
			return dune_fail(errno, "KVM_GET_SUPPORTED_CPUID failed: %s",
			                 strerror(errno));
	}
	return dune_fail(E2BIG, "KVM_GET_SUPPORTED_CPUID: too many entries");
}

/*
 * The guest's physical-address width: what the vCPU's CPUID leaf 0x80000008
 * will say (KVM checks CR3 and page-table addresses against it), never more
 * than the host's. DUNE_PHYS_BITS lowers it, to exercise the compressed
 * layout on any machine.
 */
static unsigned guest_phys_bits(void)
{
	unsigned bits = dune_kvm.platform.phys_bits ? dune_kvm.platform.phys_bits : 36;

	for (uint32_t i = 0; i < dune_kvm.cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &dune_kvm.cpuid->entries[i];
		if (e->function == 0x80000008 && (e->eax & 0xff) && (e->eax & 0xff) < bits)
			bits = e->eax & 0xff;
	}
	const char *env = getenv("DUNE_PHYS_BITS");
	if (env) {
		unsigned want = (unsigned)strtoul(env, NULL, 0);
		if (want >= 32 && want < bits)
			bits = want;
	}
	return bits;
}

static int vcpus_per_vm(void);

int dune_kvm_init(unsigned *phys_bits)
{
	dune_kvm.kvm_fd = dune_fd_adopt(dune_kvm_dev_open());
	if (dune_kvm.kvm_fd < 0)
		return dune_fail(errno, "cannot open /dev/kvm: %s", strerror(errno));
	dune_kvm_dev_inherited_done();
	int r;
	if ((r = check_cap(KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY")) ||
	    (r = check_cap(KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID")))
		return r;
	dune_kvm.max_slots = ioctl(dune_kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	dune_kvm.run_size = ioctl(dune_kvm.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (dune_kvm.run_size <= 0)
		return dune_fail(errno, "KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
	dune_kvm.vm_fd[0] = dune_fd_adopt(ioctl(dune_kvm.kvm_fd, KVM_CREATE_VM, 0));
	if (dune_kvm.vm_fd[0] < 0)
		return dune_fail(errno, "KVM_CREATE_VM failed: %s%s", strerror(errno),
		                 errno == EBUSY ? " (another hypervisor owns VT-x/AMD-V?)" : "");
	if ((r = load_cpuid()) < 0)
		return r;
	dune_kvm.vcpus_per_vm = vcpus_per_vm();
	*phys_bits = guest_phys_bits();
	return 0;
}

/* The child of a fork: its KVM descriptors still name the parent's VMs,
 * which KVM ties to the parent's address space. A VM of its own, with the
 * same guest-physical layout (the run table was copied with the memory);
 * further ones as its threads need them. */
int dune_kvm_fork_child(void)
{
	/* drop the parent's vCPUs (other threads do not exist here) and VM */
	for (int i = 0; i < dune_state.nr_vcpus && i < DUNE_MAX_VCPUS; i++) {
		struct dune_vcpu *v = &dune_kvm.vcpus[i];
		if (v->fd > 0) {
			munmap(v->run, (size_t)dune_kvm.run_size);
			__atomic_store_n(&v->run, NULL, __ATOMIC_RELEASE);
			dune_fd_release(v->fd);
			v->fd = -1;
		}
	}
	for (int k = 1; k < DUNE_KVM_MAX_VMS; k++)
		if (dune_kvm.vm_fd[k] >= 0) {
			dune_fd_release(dune_kvm.vm_fd[k]);
			dune_kvm.vm_fd[k] = -1;
		}
	int vm = ioctl(dune_kvm.kvm_fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		return -errno;
	/* at the parent's VM's number, which this closes */
	if (dune_fd_replace(dune_kvm.vm_fd[0], vm) < 0)
		return -EBADF;
	memset(dune_kvm.next_slot, 0, sizeof(dune_kvm.next_slot));
	/* a thread of the parent may have held them */
	dune_kvm.vm_lock = (dune_spinlock_t)DUNE_SPINLOCK_INIT;
	dune_state.layout->lock = (dune_spinlock_t)DUNE_SPINLOCK_INIT;
	return dune_kvm_map_layout(0, dune_kvm.vm_fd[0]);
}

int dune_kvm_vm_of(int index)
{
	int k = index / dune_kvm.vcpus_per_vm;
	if (k >= DUNE_KVM_MAX_VMS)
		return -EAGAIN;
	int fd = __atomic_load_n(&dune_kvm.vm_fd[k], __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	dune_spin_lock(&dune_kvm.vm_lock);
	fd = dune_kvm.vm_fd[k];
	if (fd < 0) {
		fd = dune_fd_adopt(ioctl(dune_kvm.kvm_fd, KVM_CREATE_VM, 0));
		if (fd < 0) {
			fd = -errno;
			dune_set_error("KVM_CREATE_VM for threads beyond %d failed: %s",
			               k * dune_kvm.vcpus_per_vm, strerror(errno));
		} else {
			dune_kvm.next_slot[k] = 0;
			int r = dune_kvm_map_layout(k, fd);
			if (r) {
				dune_fd_release(fd);
				fd = r;
			} else {
				__atomic_store_n(&dune_kvm.vm_fd[k], fd, __ATOMIC_RELEASE);
			}
		}
	}
	dune_spin_unlock(&dune_kvm.vm_lock);
	return fd;
}

bool dune_kvm_has_capability(enum dune_capability cap)
{
	bool answer;

	if (dune_pvm_has_capability(cap, &answer))
		return answer;
	switch (cap) {
	case DUNE_CAP_HW_DATA_WATCHPOINTS:
	case DUNE_CAP_SINGLE_STEP:
	case DUNE_CAP_LARGE_PAGES:
	case DUNE_CAP_SUPERVISOR_PAGES:
		return true;
	}
	return false;
}

int dune_kvm_device_fd(void)
{
	return dune_kvm.kvm_fd;
}

void dune_kvm_fd_renumbered(int from, int to)
{
	if (dune_kvm.kvm_fd == from)
		dune_kvm.kvm_fd = to;
	for (int k = 0; k < DUNE_KVM_MAX_VMS; k++)
		if (dune_kvm.vm_fd[k] == from)
			dune_kvm.vm_fd[k] = to;
	for (int i = 0; i < dune_state.nr_vcpus && i < DUNE_MAX_VCPUS; i++)
		if (dune_kvm.vcpus[i].fd == from)
			dune_kvm.vcpus[i].fd = to;
}

/* KVM's limit on vCPUs per VM (KVM_CAP_MAX_VCPUS; 1024 on x86 unless built
 * with MAXSMP) and on their ids. DUNE_VCPUS_PER_VM lowers it, to exercise
 * more than one VM on any machine. */
static int vcpus_per_vm(void)
{
	int n = ioctl(dune_kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (n <= 0)
		n = ioctl(dune_kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	int ids = ioctl(dune_kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);
	if (ids > 0 && ids < n)
		n = ids;
	const char *env = getenv("DUNE_VCPUS_PER_VM");
	int want = env ? atoi(env) : 0;
	if (want > 0 && want < n)
		n = want;
	return n > 0 ? n : 1;
}

/* Threads beyond one VM's vCPUs run in further VMs of the same process. */
int dune_kvm_max_vcpus(void)
{
	long n = (long)dune_kvm.vcpus_per_vm * DUNE_KVM_MAX_VMS;
	return n < DUNE_MAX_VCPUS ? (int)n : DUNE_MAX_VCPUS;
}
