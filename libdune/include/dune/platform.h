/* SPDX-License-Identifier: MIT */
/*
 * What this machine offers libdune: /dev/kvm and which hypervisor is behind
 * it, the CPU's virtualization flags and address widths, and the module.
 * Probing has no side effects beyond opening and closing device files.
 */
#ifndef DUNE_PLATFORM_H
#define DUNE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

enum dune_hypervisor {
	DUNE_HV_NONE,    /* no usable /dev/kvm */
	DUNE_HV_VMX,     /* kvm_intel: Intel VT-x */
	DUNE_HV_SVM,     /* kvm_amd: AMD-V */
	DUNE_HV_PVM,     /* kvm_pvm: pagetable-based virtual machine, no VT-x/AMD-V */
	DUNE_HV_UNKNOWN, /* /dev/kvm works but the provider is not recognised */
};

struct dune_platform {
	/* /dev/kvm */
	bool kvm_present;   /* the device node exists */
	int kvm_open_errno; /* 0 if it opened read-write */
	int kvm_api_version;
	int kvm_nr_memslots;
	enum dune_hypervisor hypervisor;
	/* /dev/dune (kmod/) */
	bool dune_module;
	/* the CPU as Linux sees it */
	bool cpu_vmx, cpu_svm;
	bool nested_hypervisor;        /* cpuinfo "hypervisor" flag: we run in a VM ourselves */
	unsigned phys_bits, virt_bits; /* CPUID 0x80000008 EAX[7:0], [15:8] */
};

int dune_platform_probe(struct dune_platform *p);

const char *dune_hypervisor_name(enum dune_hypervisor hv);

/* Does the first "flags" line of /proc/cpuinfo text contain @flag as a whole word? */
bool dune_cpuinfo_has_flag(const char *cpuinfo, const char *flag);

/*
 * One line telling the user why no backend can run here and what to do, or
 * NULL if /dev/kvm is usable. Written into @buf.
 */
const char *dune_platform_explain(const struct dune_platform *p, char *buf, size_t len);

#endif
