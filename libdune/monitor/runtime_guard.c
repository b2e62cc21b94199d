// SPDX-License-Identifier: MIT
/*
 * The runtime's memory (its region, the monitor stacks, libdune-inject.so, a
 * tool's ring) lives in the program's address space, where the program does
 * not know it is. A program that maps over it (MAP_FIXED), unmaps it,
 * changes its protection or moves memory onto it would pull the floor from
 * under the VM: a triple fault or a silent SIGSEGV. Such a call is refused
 * instead, with the error the kernel gives for an address range the
 * program may not use there (ENOMEM), and the first one is explained on
 * stderr.
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static bool overlaps_runtime(uint64_t addr, uint64_t len)
{
	if (!len)
		return false;
	uint64_t lo = addr & ~(uint64_t)(DUNE_PAGE_SIZE - 1);
	uint64_t hi = addr + len;
	if (hi < addr) /* wraps: the kernel refuses it itself */
		return false;
	return dune_runtime_owns(lo, hi);
}

bool dune_runtime_guard(long nr, const uint64_t *args, long *ret)
{
	static bool said;
	const char *how;
	uint64_t addr, len;

	switch (nr) {
	case SYS_mmap:
		if (!(args[3] & MAP_FIXED))
			return false; /* a hint: the kernel finds room elsewhere */
		addr = args[0], len = args[1], how = "mapped memory (MAP_FIXED) over";
		break;
	case SYS_munmap:
		addr = args[0], len = args[1], how = "unmapped";
		break;
	case SYS_mprotect:
	case SYS_pkey_mprotect:
		addr = args[0], len = args[1], how = "changed the protection of";
		break;
	case SYS_mremap:
		if (overlaps_runtime(args[0], args[1])) {
			addr = args[0], len = args[1], how = "moved";
			break;
		}
		if (!(args[3] & MREMAP_FIXED))
			return false;
		addr = args[4], len = args[2], how = "moved memory (MREMAP_FIXED) onto";
		break;
	default:
		return false;
	}
	if (!overlaps_runtime(addr, len))
		return false;
	if (!said) {
		said = true;
		dune_printf("dune: the program %s %#lx-%#lx, which holds the Dune runtime's memory "
		            "(outside its view of itself); refused with ENOMEM. A program that "
		            "places memory at fixed addresses must leave these free to run inside "
		            "Dune.\n",
		            how, (unsigned long)addr, (unsigned long)(addr + len));
	}
	*ret = -ENOMEM;
	return true;
}
