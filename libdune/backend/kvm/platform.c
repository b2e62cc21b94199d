// SPDX-License-Identifier: MIT
/* Platform probing (see dune/platform.h). Runs before any VM exists. */
#include "kvm.h"

#include <dune/platform.h>

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

bool dune_cpuinfo_has_flag(const char *cpuinfo, const char *flag)
{
	const char *line = strstr(cpuinfo, "\nflags");
	if (!line && strncmp(cpuinfo, "flags", 5) == 0)
		line = cpuinfo;
	if (!line)
		return false;
	const char *colon = strchr(line + 1, ':');
	const char *eol = strchr(line + 1, '\n');
	if (!colon || (eol && colon > eol))
		return false;
	size_t flen = strlen(flag);
	for (const char *s = colon + 1; *s && *s != '\n';) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *w = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
		if ((size_t)(s - w) == flen && memcmp(w, flag, flen) == 0)
			return true;
	}
	return false;
}

static bool path_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static void probe_cpu(struct dune_platform *p)
{
	unsigned a, b, c, d;
	char text[16384];

	if (__get_cpuid(0x80000008, &a, &b, &c, &d)) {
		p->phys_bits = a & 0xff;
		p->virt_bits = (a >> 8) & 0xff;
	}
	int fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	p->cpu_vmx = dune_cpuinfo_has_flag(text, "vmx");
	p->cpu_svm = dune_cpuinfo_has_flag(text, "svm");
	p->nested_hypervisor = dune_cpuinfo_has_flag(text, "hypervisor");
}

/* The /dev/kvm descriptor an earlier image of this process passed across
 * its execve (DUNE_DEVICE_FD_ENV, monitor/loop.c), if it is one: the
 * process may have given up the right to open /dev/kvm since (a program
 * that dropped root). */
static int inherited_kvm_fd(void)
{
	/* read once: the number stays taken until dune_kvm_dev_inherited_done,
	 * so no descriptor of ours can come to wear it meanwhile */
	static int inherited = -2;
	if (inherited != -2)
		return inherited;
	const char *env = getenv(DUNE_DEVICE_FD_ENV);
	struct stat st;
	int fd = env ? atoi(env) : -1;
	unsetenv(DUNE_DEVICE_FD_ENV);
	/* /dev/kvm: the misc device 10:232 (include/linux/miscdevice.h) */
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(10, 232))
		fd = -1;
	inherited = fd;
	return fd;
}

int dune_kvm_dev_open(void)
{
	int inherited = inherited_kvm_fd();
	if (inherited >= 0)
		return fcntl(inherited, F_DUPFD_CLOEXEC, 0);
	return open("/dev/kvm", O_RDWR | O_CLOEXEC);
}

void dune_kvm_dev_inherited_done(void)
{
	int inherited = inherited_kvm_fd();
	if (inherited >= 0)
		close(inherited);
}

int dune_platform_probe(struct dune_platform *p)
{
	memset(p, 0, sizeof(*p));
	probe_cpu(p);
	p->dune_module = path_exists("/dev/dune");
	p->kvm_present = path_exists("/dev/kvm") || inherited_kvm_fd() >= 0;
	if (!p->kvm_present) {
		p->kvm_open_errno = ENOENT;
		return 0;
	}
	int kvm = dune_kvm_dev_open();
	if (kvm < 0) {
		p->kvm_open_errno = errno;
		return 0;
	}
	p->kvm_api_version = ioctl(kvm, KVM_GET_API_VERSION, 0);
	p->kvm_nr_memslots = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	close(kvm);

	/* Which module provides /dev/kvm: the vendor modules register in sysfs. */
	if (path_exists("/sys/module/kvm_pvm"))
		p->hypervisor = DUNE_HV_PVM;
	else if (path_exists("/sys/module/kvm_intel") && p->cpu_vmx)
		p->hypervisor = DUNE_HV_VMX;
	else if (path_exists("/sys/module/kvm_amd") && p->cpu_svm)
		p->hypervisor = DUNE_HV_SVM;
	else
		p->hypervisor = DUNE_HV_UNKNOWN;
	return 0;
}

const char *dune_hypervisor_name(enum dune_hypervisor hv)
{
	switch (hv) {
	case DUNE_HV_NONE:
		return "none";
	case DUNE_HV_VMX:
		return "kvm (Intel VT-x)";
	case DUNE_HV_SVM:
		return "kvm (AMD-V)";
	case DUNE_HV_PVM:
		return "kvm (PVM, kvm_pvm)";
	case DUNE_HV_UNKNOWN:
		return "kvm (unrecognised provider)";
	}
	return "?";
}

const char *dune_platform_explain(const struct dune_platform *p, char *buf, size_t len)
{
	if (!p->kvm_present) {
		if (p->cpu_vmx || p->cpu_svm)
			snprintf(buf, len,
			         "/dev/kvm does not exist although the CPU has %s: load the module "
			         "(modprobe %s) and check that virtualization is enabled in the "
			         "firmware",
			         p->cpu_vmx ? "VT-x" : "AMD-V",
			         p->cpu_vmx ? "kvm_intel" : "kvm_amd");
		else
			snprintf(buf, len,
			         "/dev/kvm does not exist and the CPU shows neither vmx nor svm: "
			         "run on a machine with VT-x/AMD-V (or a VM with nested "
			         "virtualization enabled)");
		return buf;
	}
	if (p->kvm_open_errno) {
		snprintf(buf, len, "cannot open /dev/kvm: %s; %s", strerror(p->kvm_open_errno),
		         p->kvm_open_errno == EACCES
		             ? "add yourself to the 'kvm' group (usermod -aG kvm $USER) and "
		               "log in again, or run as root"
		             : "check the kvm modules (dmesg)");
		return buf;
	}
	if (p->kvm_api_version != KVM_API_VERSION) {
		snprintf(buf, len, "/dev/kvm speaks KVM API version %d, libdune needs %d",
		         p->kvm_api_version, KVM_API_VERSION);
		return buf;
	}
	return NULL;
}
