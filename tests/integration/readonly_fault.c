// SPDX-License-Identifier: MIT
/* A write to read-only memory is a page fault in the guest, not a
 * corruption: first caught by a handler (protection, write), then, with no
 * handler, reported and fatal with SIGSEGV as natively. */
#include "dtl_test.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>

static const char constant[] = "read-only data";
extern char ro_store[], ro_resume[];
static volatile uint64_t fault_addr, fault_fec;
static volatile int faults;

static void on_page_fault(uintptr_t addr, uint64_t fec, struct dune_tf *tf)
{
	faults++;
	fault_addr = addr;
	fault_fec = fec;
	tf->rip = (uint64_t)ro_resume;
}

static __attribute__((noinline)) void store(volatile char *p, char v)
{
	__asm__ volatile(".globl ro_store\nro_store: movb %1, (%0)\n.globl ro_resume\nro_resume:\n"
	                 :
	                 : "r"(p), "r"(v)
	                 : "memory");
}

int main(int argc, char **argv)
{
	bool unhandled = argc > 1 && strcmp(argv[1], "--unhandled") == 0;

	/* a page made read-only with mprotect, too */
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(page, "was writable");
	dtl_init_or_skip();
	if (!unhandled)
		dune_register_pgflt_handler(on_page_fault);
	dtl_enter();
	CHECK_EQ(mprotect(page, 4096, PROT_READ), 0);

	if (unhandled) {
		printf("writing to %p (read-only)\n", (void *)constant);
		fflush(stdout);
		store((volatile char *)constant, 'X');
		printf("FAIL: the write did not fault\n");
		return 1;
	}
	store((volatile char *)constant, 'X');
	CHECK_EQ(faults, 1);
	CHECK_EQ(fault_addr, (uint64_t)constant);
	CHECK_EQ(fault_fec & (PF_ERR_P | PF_ERR_W), PF_ERR_P | PF_ERR_W);
	CHECK(strcmp(constant, "read-only data") == 0);

	store(page + 5, 'X');
	CHECK_EQ(faults, 2);
	CHECK_EQ(fault_addr, (uint64_t)page + 5);
	CHECK(strcmp(page, "was writable") == 0);
	/* and back to writable */
	CHECK_EQ(mprotect(page, 4096, PROT_READ | PROT_WRITE), 0);
	store(page, 'W');
	CHECK_EQ(faults, 2);
	CHECK(page[0] == 'W');
	printf("writes to read-only memory faulted (error code %#llx)\n",
	       (unsigned long long)fault_fec);
	return 0;
}
