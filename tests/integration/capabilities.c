// SPDX-License-Identifier: MIT
/* The capabilities libdune reports are true on this machine: a hardware data
 * watchpoint fires iff DUNE_CAP_HW_DATA_WATCHPOINTS, ring 3 cannot read the
 * runtime's memory iff DUNE_CAP_SUPERVISOR_PAGES, single-step #DB arrives iff
 * DUNE_CAP_SINGLE_STEP. */
#include "dtl_test.h"

#include <string.h>
#include <unistd.h>

static volatile uint64_t watched;
static volatile int db_hits, pf_hits;
static volatile uint64_t dr6_seen;
extern char probe_load[], probe_resume[];

static void on_debug(struct dune_tf *tf)
{
	uint64_t dr6;
	__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
	dr6_seen = dr6;
	__asm__ volatile("mov %0, %%dr6" : : "r"(0xffff0ff0UL));
	db_hits++;
	tf->rflags &= ~0x100UL; /* stop single-stepping */
}

static void on_page_fault(uintptr_t addr, uint64_t fec, struct dune_tf *tf)
{
	(void)addr;
	(void)fec;
	pf_hits++;
	tf->rip = (uint64_t)probe_resume;
}

static __attribute__((noinline)) uint8_t probe(volatile uint8_t *p)
{
	uint8_t v = 0;
	__asm__ volatile(".globl probe_load\nprobe_load: movb (%1), %0\n.globl probe_resume\n"
	                 "probe_resume:\n"
	                 : "+r"(v)
	                 : "r"(p)
	                 : "memory");
	return v;
}

#define SYS_DONE 0x7002
static struct dune_tf user;
static char user_stack[16384] __attribute__((aligned(16)));

static void user_reads_runtime(void)
{
	probe((volatile uint8_t *)dune_page_pool()->base);
	__asm__ volatile("syscall" : : "a"(SYS_DONE) : "rcx", "r11", "memory");
}

static void on_syscall(struct dune_tf *tf)
{
	if (tf->rax == SYS_DONE)
		dune_ret_from_user(0);
	dune_passthrough_syscall(tf);
}

int main(void)
{
	dtl_init_or_skip();
	bool watch = dune_has_capability(DUNE_CAP_HW_DATA_WATCHPOINTS);
	bool step = dune_has_capability(DUNE_CAP_SINGLE_STEP);
	bool hidden = dune_has_capability(DUNE_CAP_SUPERVISOR_PAGES);
	bool pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	printf("%s: hardware data watchpoints %s, single step %s, supervisor-only pages %s\n",
	       dune_backend_name(), watch ? "yes" : "no", step ? "yes" : "no",
	       hidden ? "yes" : "no");
	if (pvm) {
		/* measured in shared/platform/pvm.md and backend/kvm/pvm.c */
		CHECK(!watch);
		CHECK(!hidden);
	}
	dune_register_intr_handler(1, on_debug);
	dune_register_pgflt_handler(on_page_fault);
	dune_register_syscall_handler(on_syscall);
	dtl_enter();

	/* DR0 = &watched, DR7: L0, R/W0 = 01 (write), LEN0 = 11 (8 bytes)
	 * (SDM Vol. 3B §18.2.4) */
	uint64_t dr7 = 1 | (1UL << 16) | (3UL << 18);
	__asm__ volatile("mov %0, %%dr0" : : "r"(&watched));
	__asm__ volatile("mov %0, %%dr7" : : "r"(dr7));
	watched = 42;
	__asm__ volatile("mov %0, %%dr7" : : "r"(0UL));
	CHECK_EQ(db_hits, watch ? 1 : 0);
	if (watch)
		CHECK(dr6_seen & 1); /* B0: DR0 matched */

	/* single step: TF set, one instruction, #DB */
	db_hits = 0;
	__asm__ volatile("pushf\n orq $0x100, (%%rsp)\n popf\n nop\n" : : : "memory", "cc");
	CHECK_EQ(db_hits, step ? 1 : 0);
	if (step)
		CHECK(dr6_seen & 0x4000); /* BS */

	/* ring 3 reading the runtime's memory */
	memset(&user, 0, sizeof(user));
	user.rip = (uint64_t)user_reads_runtime;
	user.rsp = (uint64_t)(user_stack + sizeof(user_stack) - 8);
	user.rflags = 0x202;
	CHECK_EQ(dune_jump_to_user(&user), 0);
	CHECK_EQ(pf_hits, hidden ? 1 : 0);
	printf("capabilities verified\n");
	return 0;
}
