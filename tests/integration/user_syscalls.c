// SPDX-License-Identifier: MIT
/* Ring-0 code runs a function in ring 3 with dune_jump_to_user; the ring-3
 * function's system calls are intercepted by a ring-0 handler, counted and
 * passed through; a private system call number ends the run. */
#include "dtl_test.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_DONE 0x7000

static volatile int intercepted;
static volatile long seen_nr[8];
static volatile int faults_from_user;

static void on_syscall(struct dune_tf *tf)
{
	CHECK(dune_tf_from_user(tf));
	if (intercepted < 8)
		seen_nr[intercepted] = (long)tf->rax;
	intercepted++;
	if (tf->rax == SYS_DONE)
		dune_ret_from_user((long)tf->rdi);
	dune_passthrough_syscall(tf);
}

/* A privileged instruction in ring 3 raises #GP; the handler skips it. */
static void on_gp(struct dune_tf *tf)
{
	CHECK(dune_tf_from_user(tf));
	faults_from_user++;
	tf->rip += 1; /* cli is one byte */
}

static long raw(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(nr), "D"(a), "S"(b), "d"(c)
	                 : "rcx", "r11", "memory");
	return ret;
}

static const char msg[] = "written from ring 3\n";

/* Runs in ring 3: no libc (its code is fine, but keep the path explicit). */
static void user_main(void)
{
	long pid = raw(SYS_getpid, 0, 0, 0);
	raw(SYS_write, 1, (long)msg, sizeof(msg) - 1);
	__asm__ volatile("cli"); /* must fault in ring 3 */
	raw(SYS_DONE, pid, 0, 0);
	for (;;)
		;
}

static char user_stack[64 * 1024] __attribute__((aligned(16)));

int main(void)
{
	dtl_init_or_skip();
	dune_register_syscall_handler(on_syscall);
	CHECK_EQ(dune_register_intr_handler(13, on_gp), 0);
	dtl_enter();

	struct dune_tf tf;
	memset(&tf, 0, sizeof(tf));
	tf.rip = (uint64_t)user_main;
	tf.rsp = (uint64_t)(user_stack + sizeof(user_stack) - 8);
	tf.rflags = 0x202;
	long r = dune_jump_to_user(&tf);
	CHECK_EQ(r, getpid());
	CHECK_EQ(intercepted, 3);
	CHECK_EQ(seen_nr[0], SYS_getpid);
	CHECK_EQ(seen_nr[1], SYS_write);
	CHECK_EQ(seen_nr[2], SYS_DONE);
	CHECK_EQ(faults_from_user, 1);
	CHECK_EQ(tf.rax, SYS_DONE); /* the ring-3 state at the end */
	CHECK((tf.cs & 3) == 3);

	/* a second round trip works the same */
	memset(&tf, 0, sizeof(tf));
	tf.rip = (uint64_t)user_main;
	tf.rsp = (uint64_t)(user_stack + sizeof(user_stack) - 8);
	tf.rflags = 0x202;
	CHECK_EQ(dune_jump_to_user(&tf), getpid());
	CHECK_EQ(intercepted, 6);
	/* ring-0 code's own system calls do not reach the handler */
	getppid();
	CHECK_EQ(intercepted, 6);
	printf("ring 3: %d system calls intercepted, %d #GP handled\n", intercepted,
	       faults_from_user);
	return 0;
}
