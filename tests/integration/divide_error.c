// SPDX-License-Identifier: MIT
/* A divide-by-zero in ring 0 is caught by a registered #DE handler, which
 * skips the instruction; the program carries on. */
#include "dtl_test.h"

extern char divide_insn[], divide_resume[];
static volatile int handled;
static volatile uint64_t fault_rip;

static void on_divide_error(struct dune_tf *tf)
{
	handled++;
	fault_rip = tf->rip;
	tf->rip = (uint64_t)divide_resume;
	tf->rax = 0xd1d0; /* the "result" the handler chooses */
}

static __attribute__((noinline)) long divide(long num, long den)
{
	long q;
	__asm__ volatile("cqo\n"
	                 ".globl divide_insn\n"
	                 "divide_insn: idivq %2\n"
	                 ".globl divide_resume\n"
	                 "divide_resume:\n"
	                 : "=a"(q)
	                 : "a"(num), "r"(den)
	                 : "rdx");
	return q;
}

int main(void)
{
	dtl_init_or_skip();
	CHECK_EQ(dune_register_intr_handler(0, on_divide_error), 0);
	CHECK_EQ(dune_register_intr_handler(14, on_divide_error), -EINVAL);
	dtl_enter();

	CHECK_EQ(divide(84, 2), 42);
	volatile long zero = 0;
	long r = divide(7, zero);
	CHECK_EQ(handled, 1);
	CHECK_EQ(fault_rip, (uint64_t)divide_insn);
	CHECK_EQ(r, 0xd1d0);
	/* again, and the code after it still runs normally */
	r = divide(9, zero);
	CHECK_EQ(handled, 2);
	CHECK_EQ(divide(-9, 3), -3);
	printf("divide error handled %d times in ring 0\n", handled);
	return 0;
}
