// SPDX-License-Identifier: MIT
/* sgdt, sidt, smsw, sldt and str from ring 3 (issue 11, item 13): on a CPU
 * with UMIP the kernel emulates them with dummy values (a GDT and IDT high
 * in the kernel's half with limit 0, CR0 of a 64-bit kernel, no LDT, TSS
 * selector 0x40); inside Dune the monitor does the same, through memory
 * operands of every addressing form and register operands of every size.
 * Without UMIP they run natively and tell real addresses, which differ
 * inside and outside: then nothing is compared. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

/* named from the asm below, RIP-relative */
struct dtr global_dtr __attribute__((visibility("hidden"), used));

static int cpu_has_umip(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	int found = 0;
	while (f && !found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "flags", 5) && strstr(line, " umip");
	if (f)
		fclose(f);
	return found;
}

int main(void)
{
	if (!cpu_has_umip()) {
		printf("no UMIP on this CPU: nothing to compare\n");
		return 0;
	}
	struct dtr d[4];
	memset(d, 0xaa, sizeof(d));
	__asm__ volatile("sgdt (%0)" : : "r"(&d[0]) : "memory");
	printf("sgdt (reg): limit %#x base %#llx\n", d[0].limit, (unsigned long long)d[0].base);
	__asm__ volatile("sidt global_dtr(%%rip)" : : : "memory");
	printf("sidt (rip-relative): limit %#x base %#llx\n", global_dtr.limit,
	       (unsigned long long)global_dtr.base);
	uintptr_t base = (uintptr_t)d, index = 5; /* d[1] is at base + 10 = base + 5 * 2 */
	__asm__ volatile("sgdt (%0,%1,2)" : : "r"(base), "r"(index) : "memory");
	printf("sgdt (base+index*2): limit %#x base %#llx\n", d[1].limit,
	       (unsigned long long)d[1].base);
	__asm__ volatile("sidt 0x14(%0)" : : "r"(base) : "memory"); /* d[2], disp8 */
	printf("sidt (disp8): limit %#x base %#llx\n", d[2].limit, (unsigned long long)d[2].base);

	uint64_t r64 = 0x1111111111111111ULL;
	__asm__ volatile("smsw %0" : "+r"(r64));
	printf("smsw r64: %#llx\n", (unsigned long long)r64);
	r64 = 0x1111111111111111ULL;
	__asm__ volatile("smsw %k0" : "+r"(r64));
	printf("smsw r32: %#llx\n", (unsigned long long)r64);
	r64 = 0x1111111111111111ULL;
	__asm__ volatile("smsw %w0" : "+r"(r64));
	printf("smsw r16: %#llx\n", (unsigned long long)r64);
	uint16_t m16[2] = {0xaaaa, 0xbbbb};
	__asm__ volatile("smsw %0" : "=m"(m16[0]));
	printf("smsw m16: %#x %#x\n", m16[0], m16[1]);
	r64 = 0x2222222222222222ULL;
	__asm__ volatile("sldt %0" : "+r"(r64));
	printf("sldt r64: %#llx\n", (unsigned long long)r64);
	r64 = 0x3333333333333333ULL;
	__asm__ volatile("str %k0" : "+r"(r64));
	printf("str r32: %#llx\n", (unsigned long long)r64);
	__asm__ volatile("str %0" : "=m"(m16[1]));
	printf("str m16: %#x\n", m16[1]);
	__asm__ volatile("movq $0x4444444444444444, %%r9\n\tsldt %%r9\n\tmovq %%r9, %0"
	                 : "=r"(r64)
	                 :
	                 : "r9");
	printf("sldt r9: %#llx\n", (unsigned long long)r64);
	return 0;
}
