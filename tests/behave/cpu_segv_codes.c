// SPDX-License-Identifier: MIT
/* The si_code and si_addr of SIGSEGV and SIGBUS, as the kernel gives them
 * (issue 11, items 11 and 17): a write to a read-only page and any access
 * to a PROT_NONE page are SEGV_ACCERR, an unmapped address SEGV_MAPERR, a
 * user access to a kernel address what the kernel says, a read of a file
 * mapping past the file's end SIGBUS with BUS_ADRERR. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(back, 1);
}

static const char *code_name(int sig, int code)
{
	if (sig == SIGSEGV && code == SEGV_MAPERR)
		return "SEGV_MAPERR";
	if (sig == SIGSEGV && code == SEGV_ACCERR)
		return "SEGV_ACCERR";
	if (sig == SIGBUS && code == BUS_ADRERR)
		return "BUS_ADRERR";
	if (code == SI_KERNEL)
		return "SI_KERNEL";
	static char buf[32];
	snprintf(buf, sizeof(buf), "code %d", code);
	return buf;
}

static void try(const char *what, volatile char *p, int write)
{
	got_sig = 0;
	if (!sigsetjmp(back, 1)) {
		if (write)
			*p = 1;
		else
			(void)*p;
		printf("%-28s no fault\n", what);
		return;
	}
	printf("%-28s %s %s, si_addr %s\n", what, strsignal(got_sig), code_name(got_sig, got_code),
	       got_addr == (void *)p ? "the address"
	       : got_addr            ? "another address"
	                             : "0");
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	long page = sysconf(_SC_PAGESIZE);

	char *ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	try("read of a read-only page", ro, 0);
	try("write to a read-only page", ro, 1);
	char *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	try("read of a PROT_NONE page", none, 0);
	try("write to a PROT_NONE page", none, 1);
	char *gone = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, page);
	try("read of an unmapped page", gone, 0);
	try("write to an unmapped page", gone, 1);
	try("read of a kernel address", (char *)0xffff888000000000UL, 0);

	char name[] = "/tmp/dtl-sigbus-XXXXXX";
	int fd = mkstemp(name);
	unlink(name);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return 1;
	char *file = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	try("read within the file", file, 0);
	try("read past the file's end", file + 2 * page, 0);
	try("write past the file's end", file + 3 * page, 1);
	try("read past the end, again", file + 2 * page, 0);
	return 0;
}
