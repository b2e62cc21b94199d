// SPDX-License-Identifier: MIT
/*
 * dune-info: what this machine offers libdune (backend, hypervisor, address
 * widths, memory slots) and this process's memory map as libdune sees it.
 * Exit status: 0 if a backend is usable, 1 if not (with the reason).
 */
#include <dune/platform.h>
#include <dune/procmap.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct map_totals {
	size_t count;
	size_t bytes;
	size_t writable_bytes;
	uintptr_t highest;
	bool print;
};

static int account_mapping(const struct dune_procmap_entry *e, void *arg)
{
	struct map_totals *t = arg;

	t->count++;
	t->bytes += e->end - e->begin;
	if (e->w)
		t->writable_bytes += e->end - e->begin;
	if (e->kind != DUNE_MAP_VSYSCALL && e->end > t->highest)
		t->highest = e->end;
	if (t->print)
		printf("  %012lx-%012lx %c%c%c%c %-8s %s\n", (unsigned long)e->begin,
		       (unsigned long)e->end, e->r ? 'r' : '-', e->w ? 'w' : '-', e->x ? 'x' : '-',
		       e->shared ? 's' : 'p', dune_procmap_kind_name(e->kind), e->path);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: dune-info [-m]\n"
	           "  Show which libdune backend this machine can run and why.\n"
	           "  -m  also list this process's memory mappings\n");
}

int main(int argc, char **argv)
{
	struct map_totals totals = {0};
	int opt;

	while ((opt = getopt(argc, argv, "mh")) != -1) {
		switch (opt) {
		case 'm':
			totals.print = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}

	struct dune_platform p;
	dune_platform_probe(&p);

	printf("cpu:          vmx=%s svm=%s running-under-hypervisor=%s\n",
	       p.cpu_vmx ? "yes" : "no", p.cpu_svm ? "yes" : "no",
	       p.nested_hypervisor ? "yes" : "no");
	printf("address bits: physical %u, virtual %u%s\n", p.phys_bits, p.virt_bits,
	       p.phys_bits < 47 ? " (user addresses need 47: compressed guest-physical layout)"
	                        : " (guest-physical = host-virtual)");
	printf("/dev/dune:    %s\n", p.dune_module ? "present (kmod backend)" : "absent");
	printf("/dev/kvm:     %s\n", !p.kvm_present     ? "absent"
	                             : p.kvm_open_errno ? strerror(p.kvm_open_errno)
	                                                : "usable");
	if (p.kvm_present && !p.kvm_open_errno)
		printf("hypervisor:   %s, API %d, %d memory slots\n",
		       dune_hypervisor_name(p.hypervisor), p.kvm_api_version, p.kvm_nr_memslots);

	if (totals.print)
		printf("mappings:\n");
	int r = dune_procmap_iterate(account_mapping, &totals);
	if (r < 0) {
		fprintf(stderr, "dune-info: reading /proc/self/maps: %s\n", strerror(-r));
		return 1;
	}
	printf("this process: %zu mappings, %zu KiB (%zu KiB writable), highest end %#lx\n",
	       totals.count, totals.bytes >> 10, totals.writable_bytes >> 10,
	       (unsigned long)totals.highest);

	char why[512];
	if (dune_platform_explain(&p, why, sizeof(why))) {
		printf("backend:      none: %s\n", why);
		return 1;
	}
	printf("backend:      kvm%s\n", p.hypervisor == DUNE_HV_PVM ? " (PVM quirks)" : "");
	return 0;
}
