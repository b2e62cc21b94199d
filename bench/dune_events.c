// SPDX-License-Identifier: MIT
/*
 * Cost of libdune's event classes on this machine, with the number of
 * guest->host transitions (KVM_RUN returns) per event. One line per event:
 *   event <name> <ns per event> <exits per event>
 * Usage: dune_events [iterations] [ring3]   (the platform is printed first)
 *   ring3: enter with dune_enter_user and measure only the ring-3 events
 *   (the program itself never runs in ring 0: usable where ring-0 code is
 *   emulated, e.g. PVM's start-up mode with DUNE_PVM_EMULATED=1)
 */
#include "bench_util.h"

#include <dune/dune.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static long iterations = 10000;

static void report(const char *name, uint64_t ns, const struct dune_stats *a,
                   const struct dune_stats *b)
{
	printf("event %-28s %10.0f ns %6.2f exits\n", name, (double)ns / (double)iterations,
	       (double)(b->exits - a->exits) / (double)iterations);
	fflush(stdout);
}

#define MEASURE(name, body)                                \
	do {                                               \
		struct dune_stats _a, _b;                  \
		dune_get_stats(&_a);                       \
		uint64_t _t0 = now_ns();                   \
		for (long _i = 0; _i < iterations; _i++) { \
			body;                              \
		}                                          \
		uint64_t _t1 = now_ns();                   \
		dune_get_stats(&_b);                       \
		report(name, _t1 - _t0, &_a, &_b);         \
	} while (0)

/* ---- ring 3 pieces ---- */
#define SYS_BENCH_DONE 0x7001

static long raw_syscall0(long nr)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

static long user_loop_count;
static void user_getppid_loop(void)
{
	for (long i = 0; i < user_loop_count; i++)
		raw_syscall0(SYS_getppid);
	raw_syscall0(SYS_BENCH_DONE);
}

static void user_int3_loop(void)
{
	for (long i = 0; i < user_loop_count; i++)
		__asm__ volatile("int3");
	raw_syscall0(SYS_BENCH_DONE);
}

static void user_done(void)
{
	raw_syscall0(SYS_BENCH_DONE);
}

static void on_syscall(struct dune_tf *tf)
{
	if (tf->rax == SYS_BENCH_DONE)
		dune_ret_from_user(0);
	dune_passthrough_syscall(tf);
}

static void on_breakpoint(struct dune_tf *tf)
{
	(void)tf; /* int3 is a trap: RIP already points after it */
}

static uintptr_t pf_region;
static void on_page_fault(uintptr_t addr, uint64_t fec, struct dune_tf *tf)
{
	(void)fec;
	(void)tf;
	void *page = dune_page_alloc(dune_page_pool());
	if (!page || dune_vm_map_phys(dune_pgroot(), addr & ~4095UL, dune_va_to_pa((uintptr_t)page),
	                              4096, DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U))
		dune_die("bench: cannot map a page at %#lx", (unsigned long)addr);
}

static char user_stack[64 << 10] __attribute__((aligned(16)));

static long run_user(void (*fn)(void))
{
	struct dune_tf tf;
	memset(&tf, 0, sizeof(tf));
	tf.rip = (uint64_t)fn;
	tf.rsp = (uint64_t)(user_stack + sizeof(user_stack) - 8);
	tf.rflags = 0x202;
	return dune_jump_to_user(&tf);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		iterations = atol(argv[1]);
	if (dune_init()) {
		fprintf(stderr, "dune_events: %s\n", dune_last_error());
		return 77;
	}
	/* page-fault region: reserved, never mapped by the host */
	size_t pf_len = (size_t)iterations * 4096;
	void *m = mmap(NULL, pf_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	pf_region = (uintptr_t)m;
	dune_register_syscall_handler(on_syscall);
	dune_register_intr_handler(3, on_breakpoint);
	dune_register_pgflt_handler(on_page_fault);

	printf("platform %s%s\n", dune_backend_name(),
	       getenv("DUNE_PVM_EMULATED") ? ", PVM emulated mode" : "");
	volatile char *p = (volatile char *)pf_region;
	if (argc > 2 && strcmp(argv[2], "ring3") == 0) {
		dune_register_syscall_handler(NULL);
		if (dune_enter_user()) {
			fprintf(stderr, "dune_events: %s\n", dune_last_error());
			return 1;
		}
		MEASURE("syscall-ring3-passthrough", syscall(SYS_getppid));
		MEASURE("exception-ring3-int3", __asm__ volatile("int3"));
		MEASURE("pagefault-ring3-map", p[_i * 4096] = 1);
		return 0;
	}
	if (dune_enter()) {
		fprintf(stderr, "dune_events: %s\n", dune_last_error());
		return 1;
	}
	MEASURE("syscall-ring0-passthrough", syscall(SYS_getppid));
	MEASURE("exception-ring0-int3", __asm__ volatile("int3"));
	MEASURE("pagefault-ring0-map", p[_i * 4096] = 1);

	/* ring 3: one dune_jump_to_user for the whole loop, so the per-event
	 * figure is the ring-3 event itself */
	user_loop_count = iterations;
	MEASURE("syscall-ring3-passthrough", if (_i == 0) run_user(user_getppid_loop));
	MEASURE("exception-ring3-int3", if (_i == 0) run_user(user_int3_loop));
	MEASURE("ring3-round-trip", run_user(user_done));
	return 0;
}
