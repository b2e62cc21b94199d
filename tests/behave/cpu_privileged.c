// SPDX-License-Identifier: MIT
/* Privileged and odd instructions from ring 3 end as the kernel ends them
 * (issue 11, item 13; arch/x86/kernel/traps.c): cli, hlt, wrmsr, in, out
 * and a non-canonical load are #GP, SIGSEGV with SI_KERNEL and no address;
 * a load from a kernel address is SEGV_MAPERR at that address; int3 is
 * SIGTRAP SI_KERNEL, icebp TRAP_BRKPT and a TF single step TRAP_TRACE,
 * both with the address; ud2 is SIGILL ILL_ILLOPN; int $0x80 makes a
 * 32-bit system call (getpid). sgdt/sidt/smsw/sldt/str: cpu_umip.c. Not
 * here: rdtsc after PR_SET_TSC, a SYSCALL with RSP 0 (README, "Where it
 * differs"). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(back, 1);
}

#define TRY(name, code)                                                                         \
	do {                                                                                    \
		got_sig = 0;                                                                    \
		if (!sigsetjmp(back, 1)) {                                                      \
			code;                                                                   \
			printf("%-9s ran\n", name);                                             \
		} else {                                                                        \
			printf("%-9s signal %d code %#x address %s\n", name, got_sig, got_code, \
			       got_addr ? "set" : "0");                                         \
		}                                                                               \
		fflush(stdout);                                                                 \
	} while (0)

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	int sigs[] = {SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGFPE};
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);

	TRY("cli", __asm__ volatile("cli"));
	TRY("hlt", __asm__ volatile("hlt"));
	TRY("wrmsr", __asm__ volatile("wrmsr" ::"c"(0x10), "a"(0), "d"(0)));
	TRY("inb", ({
		    unsigned char v;
		    __asm__ volatile("inb $0x80, %0" : "=a"(v));
		    (void)v;
	    }));
	TRY("outb", __asm__ volatile("outb %%al, $0x80" ::"a"(0)));
	TRY("int3", __asm__ volatile("int3"));
	TRY("icebp", __asm__ volatile(".byte 0xf1"));
	TRY("ud2", __asm__ volatile("ud2"));
	TRY("kernel", ({
		    volatile char *p = (char *)0xffff888000000000UL;
		    (void)*p;
	    }));
	TRY("noncanon", ({
		    volatile char *p = (char *)0x8000000000000000UL;
		    (void)*p;
	    }));
	TRY("step", __asm__ volatile("pushf; orl $0x100, (%%rsp); popf; nop; nop" ::: "memory"));
	static long pid32 = -1; /* static: siglongjmp above */
	TRY("int80", __asm__ volatile("int $0x80" : "=a"(pid32) : "a"(20L) : "memory"));
	printf("int80 getpid is getpid: %s\n", pid32 == getpid() ? "yes" : "no");
	return 0;
}
