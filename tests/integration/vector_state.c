// SPDX-License-Identifier: MIT
/* The interrupted code's SSE/AVX registers survive a ring-0 handler that
 * uses them itself (libc's memset/memcpy do), as they survive a fault or a
 * system call natively. */
#include "dtl_test.h"

#include <string.h>
#include <sys/mman.h>

static uintptr_t region;
static char scratch[8192];
static volatile int faults;

static void on_page_fault(uintptr_t addr, uint64_t fec, struct dune_tf *tf)
{
	(void)fec;
	(void)tf;
	faults++;
	/* a handler may use vector registers: libc's string functions do, and
	 * so does this */
	memset(scratch, 0xa5, sizeof(scratch));
	memcpy(scratch + 4096, scratch, 100);
	__asm__ volatile(
	    "pcmpeqb %%xmm0, %%xmm0\n pcmpeqb %%xmm1, %%xmm1\n pcmpeqb %%xmm2, %%xmm2\n"
	    "pcmpeqb %%xmm7, %%xmm7\n pcmpeqb %%xmm8, %%xmm8\n pcmpeqb %%xmm15, %%xmm15\n"
	    :
	    :
	    : "xmm0", "xmm1", "xmm2", "xmm7", "xmm8", "xmm15");
	void *page = dune_page_alloc(dune_page_pool());
	CHECK_EQ(dune_vm_map_phys(dune_pgroot(), addr & ~4095UL, dune_va_to_pa((uintptr_t)page),
	                          4096, DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U),
	         0);
}

static uint8_t in[16][32] __attribute__((aligned(32)));
static uint8_t out[16][32] __attribute__((aligned(32)));

/* Load the 16 registers, fault, store them. */
#define XMM_ROUND_TRIP(target)                                                                    \
	__asm__ volatile("movdqu 0(%0), %%xmm0\n movdqu 32(%0), %%xmm1\n movdqu 64(%0), %%xmm2\n" \
	                 "movdqu 96(%0), %%xmm3\n movdqu 128(%0), %%xmm4\n"                       \
	                 "movdqu 160(%0), %%xmm5\n movdqu 192(%0), %%xmm6\n"                      \
	                 "movdqu 224(%0), %%xmm7\n movdqu 256(%0), %%xmm8\n"                      \
	                 "movdqu 288(%0), %%xmm9\n movdqu 320(%0), %%xmm10\n"                     \
	                 "movdqu 352(%0), %%xmm11\n movdqu 384(%0), %%xmm12\n"                    \
	                 "movdqu 416(%0), %%xmm13\n movdqu 448(%0), %%xmm14\n"                    \
	                 "movdqu 480(%0), %%xmm15\n"                                              \
	                 "movb $1, (%2)\n"                                                        \
	                 "movdqu %%xmm0, 0(%1)\n movdqu %%xmm1, 32(%1)\n movdqu %%xmm2, 64(%1)\n" \
	                 "movdqu %%xmm3, 96(%1)\n movdqu %%xmm4, 128(%1)\n"                       \
	                 "movdqu %%xmm5, 160(%1)\n movdqu %%xmm6, 192(%1)\n"                      \
	                 "movdqu %%xmm7, 224(%1)\n movdqu %%xmm8, 256(%1)\n"                      \
	                 "movdqu %%xmm9, 288(%1)\n movdqu %%xmm10, 320(%1)\n"                     \
	                 "movdqu %%xmm11, 352(%1)\n movdqu %%xmm12, 384(%1)\n"                    \
	                 "movdqu %%xmm13, 416(%1)\n movdqu %%xmm14, 448(%1)\n"                    \
	                 "movdqu %%xmm15, 480(%1)\n"                                              \
	                 :                                                                        \
	                 : "r"(in), "r"(out), "r"(target)                                         \
	                 : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",      \
	                   "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",   \
	                   "xmm15")

__attribute__((target("avx"))) static void ymm_round_trip(volatile char *target)
{
	__asm__ volatile("vmovdqu 0(%0), %%ymm0\n vmovdqu 32(%0), %%ymm1\n"
	                 "vmovdqu 64(%0), %%ymm2\n vmovdqu 480(%0), %%ymm15\n"
	                 "movb $1, (%2)\n"
	                 "vmovdqu %%ymm0, 0(%1)\n vmovdqu %%ymm1, 32(%1)\n"
	                 "vmovdqu %%ymm2, 64(%1)\n vmovdqu %%ymm15, 480(%1)\n"
	                 "vzeroupper\n"
	                 :
	                 : "r"(in), "r"(out), "r"(target)
	                 : "memory", "xmm0", "xmm1", "xmm2", "xmm15");
}

int main(void)
{
	bool avx = __builtin_cpu_supports("avx");
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 32; j++)
			in[i][j] = (uint8_t)(i * 37 + j * 11 + 1);
	dtl_init_or_skip();
	void *m = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	region = (uintptr_t)m;
	dune_register_pgflt_handler(on_page_fault);
	dtl_enter();

	volatile char *target = (volatile char *)region;
	XMM_ROUND_TRIP(target);
	CHECK_EQ(faults, 1);
	for (int i = 0; i < 16; i++)
		CHECK(memcmp(in[i], out[i], 16) == 0);
	if (avx) {
		memset(out, 0, sizeof(out));
		ymm_round_trip(target + 4096);
		CHECK_EQ(faults, 2);
		CHECK(memcmp(in[0], out[0], 32) == 0);
		CHECK(memcmp(in[1], out[1], 32) == 0);
		CHECK(memcmp(in[2], out[2], 32) == 0);
		CHECK(memcmp(in[15], out[15], 32) == 0);
	}
	printf("vector registers preserved across %d handled faults (%s)\n", faults,
	       avx ? "xmm0-15, ymm" : "xmm0-15");
	return 0;
}
