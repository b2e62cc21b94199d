// SPDX-License-Identifier: MIT
/* A page-fault handler in ring 0 maps pages on demand into a region the
 * guest page table does not cover; the program reads back what it wrote. */
#include "dtl_test.h"

#include <string.h>
#include <sys/mman.h>

#define NPAGES 64
static uintptr_t region;
static volatile int faults;
static volatile uint64_t last_addr, last_fec;

static void on_page_fault(uintptr_t addr, uint64_t fec, struct dune_tf *tf)
{
	if (addr < region || addr >= region + NPAGES * 4096UL) {
		dune_printf("unexpected page fault at %#lx, rip %#lx\n", (unsigned long)addr,
		            (unsigned long)tf->rip);
		dune_dump_tf(tf);
		exit(1);
	}
	faults++;
	last_addr = addr;
	last_fec = fec;
	void *page = dune_page_alloc(dune_page_pool());
	CHECK(page != NULL);
	uint64_t pa = dune_va_to_pa((uintptr_t)page);
	CHECK(pa != DUNE_BAD_PA);
	CHECK_EQ(dune_vm_map_phys(dune_pgroot(), addr & ~4095UL, pa, 4096,
	                          DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U),
	         0);
}

int main(void)
{
	dtl_init_or_skip();
	/* Reserve address space that nothing else will take; PROT_NONE, so the
	 * guest page table has no entry for it. */
	void *m = mmap(NULL, NPAGES * 4096UL, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	region = (uintptr_t)m;
	dune_register_pgflt_handler(on_page_fault);
	dtl_enter();

	volatile uint64_t *p = (volatile uint64_t *)region;
	for (int i = 0; i < NPAGES; i++)
		p[i * 512 + (i % 7)] = 0x1000 + (uint64_t)i;
	CHECK_EQ(faults, NPAGES);
	CHECK_EQ(last_addr, region + (NPAGES - 1) * 4096UL + ((NPAGES - 1) % 7) * 8);
	CHECK(last_fec & PF_ERR_W);
	CHECK(!(last_fec & PF_ERR_P));
	for (int i = 0; i < NPAGES; i++)
		CHECK_EQ(p[i * 512 + (i % 7)], 0x1000 + (uint64_t)i);
	CHECK_EQ(faults, NPAGES); /* no fault for pages already mapped */
	printf("%d pages mapped on demand by the ring-0 page-fault handler\n", faults);
	return 0;
}
