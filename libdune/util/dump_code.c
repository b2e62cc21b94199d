// SPDX-License-Identifier: MIT
/* The code bytes at an address, for the diagnostics of every layer. */
#include "util.h"

#include <dune/dune.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>

/* Print the 16 bytes at @rip, read without risking a fault here. */
void dune_dump_code(uint64_t rip)
{
	uint8_t code[16];
	struct iovec local = {code, sizeof(code)}, remote = {(void *)rip, sizeof(code)};
	long pid = dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	long n = dune_raw_syscall6(SYS_process_vm_readv, pid, (long)&local, 1, (long)&remote, 1, 0);
	if (n <= 0) {
		dune_printf("  code at %#lx: unreadable\n", (unsigned long)rip);
		return;
	}
	char line[80];
	int off = dune_snprintf(line, sizeof(line), "  code at %#lx:", (unsigned long)rip);
	for (long i = 0; i < n && off < (int)sizeof(line) - 4; i++)
		off += dune_snprintf(line + off, sizeof(line) - (size_t)off, " %02x", code[i]);
	dune_printf("%s\n", line);
}
