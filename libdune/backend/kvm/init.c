// SPDX-License-Identifier: MIT
/*
 * dune_init and dune_enter: create the VM of this process and move threads
 * into it. Ordinary context (before any thread entered): may use libc.
 */
#include "internal.h"
#include "x86/x86.h"

#include <cpuid.h>
#include <dune/procmap.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef ARCH_REQ_XCOMP_GUEST_PERM
#define ARCH_REQ_XCOMP_GUEST_PERM 0x1025
#endif

struct dune_state dune_state = {.kvm_fd = -1, .vm_fd = -1};
static int check_cap(int cap, const char *name)
{
	if (ioctl(dune_state.kvm_fd, KVM_CHECK_EXTENSION, cap) <= 0)
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
		if (ioctl(dune_state.kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			dune_state.cpuid = c;
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
	unsigned bits = dune_state.platform.phys_bits ? dune_state.platform.phys_bits : 36;

	for (uint32_t i = 0; i < dune_state.cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &dune_state.cpuid->entries[i];
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

static int open_vm(void)
{
	char why[512];

	if (dune_platform_explain(&dune_state.platform, why, sizeof(why)))
		return dune_fail(ENODEV, "no usable backend: %s", why);
	dune_state.kvm_fd = dune_fd_adopt(open("/dev/kvm", O_RDWR | O_CLOEXEC));
	if (dune_state.kvm_fd < 0)
		return dune_fail(errno, "cannot open /dev/kvm: %s", strerror(errno));
	int r;
	if ((r = check_cap(KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY")) ||
	    (r = check_cap(KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID")))
		return r;
	dune_state.max_slots = ioctl(dune_state.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	dune_state.run_size = ioctl(dune_state.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (dune_state.run_size <= 0)
		return dune_fail(errno, "KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
	dune_state.vm_fd = dune_fd_adopt(ioctl(dune_state.kvm_fd, KVM_CREATE_VM, 0));
	if (dune_state.vm_fd < 0)
		return dune_fail(errno, "KVM_CREATE_VM failed: %s%s", strerror(errno),
		                 errno == EBUSY ? " (another hypervisor owns VT-x/AMD-V?)" : "");
	return load_cpuid();
}

static int create_runtime_region(void)
{
	size_t align = DUNE_LAYOUT_GRANULE;
	void *m = mmap(NULL, RT_SIZE + align, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return dune_fail(errno, "reserving %llu MiB for the runtime failed: %s",
		                 (unsigned long long)(RT_SIZE >> 20), strerror(errno));
	uintptr_t base = ((uintptr_t)m + align - 1) & ~(align - 1);
	if (base > (uintptr_t)m)
		munmap(m, base - (uintptr_t)m);
	munmap((void *)(base + RT_SIZE), (uintptr_t)m + align - base);
	dune_state.rt_base = base;
	dune_procfs_hide_range(base, RT_SIZE);
	dune_state.layout = (struct dune_layout *)(base + RT_LAYOUT_OFF);
	dune_state.idt = (uint64_t *)(base + RT_IDT_OFF);
	return 0;
}

static void debug_tick(int sig)
{
	(void)sig;
}

int dune_init(void)
{
	int r;

	if (dune_state.initialised)
		return 0;
	const char *want = getenv("DUNE_BACKEND");
	if (want && strcmp(want, "kvm") != 0)
		return dune_fail(ENODEV,
		                 "DUNE_BACKEND=%s: this build has only the 'kvm' backend (the kmod "
		                 "backend needs dune.ko and /dev/dune)",
		                 want);
	dune_state.debug = getenv("DUNE_DEBUG") != NULL;
	const char *stats = getenv("DUNE_STATS");
	if (stats && strlen(stats) < sizeof(dune_state.stats_path))
		strcpy(dune_state.stats_path, stats);
	if (getenv("DUNE_DEBUG_TICK")) {
		/* interrupt KVM_RUN every second so the monitor shows where the
		 * guest is */
		struct sigaction sa = {.sa_handler = debug_tick};
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = {{1, 0}, {1, 0}};
		setitimer(ITIMER_REAL, &it, NULL);
	}
	dune_platform_probe(&dune_state.platform);
	dune_state.pvm = dune_state.platform.hypervisor == DUNE_HV_PVM;
	dune_state.pvm_emulated = dune_state.pvm && getenv("DUNE_PVM_EMULATED");
	if ((r = open_vm()) < 0)
		return r;
	dune_state.phys_bits = guest_phys_bits();
	unsigned a, b, c, d;
	dune_state.xsave = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE);
	if (dune_state.xsave && __get_cpuid_count(0xd, 0, &a, &b, &c, &d) &&
	    c > PERCPU_XSAVE_END - PERCPU_XSAVE)
		return dune_fail(ENOTSUP, "the XSAVE area (%u bytes) exceeds libdune's %u", c,
		                 PERCPU_XSAVE_END - PERCPU_XSAVE);
	if ((r = create_runtime_region()) < 0)
		return r;
	dune_layout_init(dune_state.layout, dune_state.phys_bits);

	/* entry.S finds this thread's vCPU through TLS at a fixed distance
	 * from the thread pointer (static TLS: the same in every thread). */
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	dune_tls_percpu_offset = (long)((uintptr_t)&dune_tls_percpu - tp);

	if ((r = dune_mem_init()) < 0) {
		if (!dune_has_error() || r == -ENOMEM)
			dune_fail(r, "registering the process's memory failed: %s", strerror(-r));
		return r;
	}
	dune_idt_init(dune_state.idt);
	dune_state.initialised = true;
	return 0;
}

/* Map the calling thread's stack now rather than fault it in on entry. */
static int stack_entry(const struct dune_procmap_entry *e, void *arg)
{
	uintptr_t sp = (uintptr_t)arg;
	if (sp >= e->begin && sp < e->end) {
		dune_mem_add_host_range(e->begin, e->end - e->begin,
		                        DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U | DUNE_PERM_BIG);
		return 1;
	}
	return 0;
}

static int enter(bool user)
{
	struct dune_percpu *pc;
	int r;

	if (!dune_state.initialised)
		return dune_fail(EINVAL, "dune_enter before a successful dune_init");
	if (dune_tls_percpu)
		return dune_entered() ? 0 : dune_fail(EBUSY, "this thread already has a vCPU");
	char probe;
	dune_procmap_iterate(stack_entry, &probe);
	if ((r = dune_vcpu_create(&pc, user)) < 0 || (r = dune_vcpu_attach_monitor_stack(pc)) < 0)
		return r;
	dune_tls_percpu = pc;
	return __dune_enter(pc);
}

int dune_enter(void)
{
	return enter(false);
}

int dune_enter_user(void)
{
	return enter(true);
}

void dune_inject_remember_preload(const char *ld_preload)
{
	if (ld_preload && strlen(ld_preload) + 12 < sizeof(dune_state.preload_env))
		snprintf(dune_state.preload_env, sizeof(dune_state.preload_env), "LD_PRELOAD=%s",
		         ld_preload);
}

int dune_inject_keep_env(const char *assignment)
{
	if (dune_state.nkeep_env ==
	        (int)(sizeof(dune_state.keep_env) / sizeof(dune_state.keep_env[0])) ||
	    strlen(assignment) >= sizeof(dune_state.keep_env[0]) || !strchr(assignment, '='))
		return -1;
	strcpy(dune_state.keep_env[dune_state.nkeep_env++], assignment);
	return 0;
}

bool dune_has_capability(enum dune_capability cap)
{
	bool answer;

	if (dune_pvm_has_capability(cap, &answer))
		return answer;
	switch (cap) {
	case DUNE_CAP_HW_DATA_WATCHPOINTS:
	case DUNE_CAP_SINGLE_STEP:
	case DUNE_CAP_LARGE_PAGES:
	case DUNE_CAP_SUPERVISOR_PAGES:
		return dune_state.initialised;
	}
	return false;
}

const char *dune_backend_name(void)
{
	return dune_hypervisor_name(dune_state.platform.hypervisor);
}
