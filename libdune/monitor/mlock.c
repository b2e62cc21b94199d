// SPDX-License-Identifier: MIT
/*
 * mlockall() of the program locks the program's memory, not the runtime's.
 * Natively MCL_CURRENT locks and faults in every mapping; inside Dune that
 * would take the runtime's ~385 MiB reservation too, and the resident and
 * locked memory (and the ru_maxrss a parent sees) would grow by that much.
 * MCL_CURRENT becomes mlock2() on each mapping the program can see; MCL_FUTURE
 * stays the kernel's (the runtime maps little once started: monitor stacks).
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <dune/procmap.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>

struct lock_ctx {
	unsigned mlock2_flags;
	long err;
};

static int lock_entry(const struct dune_procmap_entry *e, void *arg)
{
	struct lock_ctx *c = arg;
	if (e->kind == DUNE_MAP_VSYSCALL || dune_runtime_owns(e->begin, e->end))
		return 0;
	long r = dune_raw_syscall6(SYS_mlock2, (long)e->begin, (long)(e->end - e->begin),
	                           (long)c->mlock2_flags, 0, 0, 0);
	/* the errors mlockall itself gives: over RLIMIT_MEMLOCK, no memory,
	 * not allowed; a mapping that cannot be populated is not one */
	if ((r == -ENOMEM || r == -EAGAIN || r == -EPERM) && !c->err)
		c->err = r;
	return 0;
}

long dune_mem_mlockall(int flags)
{
	if ((flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    !(flags & (MCL_CURRENT | MCL_FUTURE)))
		return -EINVAL;
	if (flags & MCL_FUTURE) {
		long r = dune_raw_syscall6(SYS_mlockall, flags & (MCL_FUTURE | MCL_ONFAULT), 0, 0,
		                           0, 0, 0);
		if (r < 0)
			return r;
	}
	if (!(flags & MCL_CURRENT))
		return 0;
	struct lock_ctx c = {.mlock2_flags = (flags & MCL_ONFAULT) ? MLOCK_ONFAULT : 0};
	dune_procmap_iterate(lock_entry, &c);
	return c.err;
}
