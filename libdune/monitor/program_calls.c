// SPDX-License-Identifier: MIT
/*
 * The page from which the monitor makes the program's system calls
 * (program_calls.S): the calls it passes through, execve, fork and clone.
 * Its address is what tells a seccomp filter of the program's which calls
 * to judge (seccomp.c), so once a filter is installed it must stay the same
 * across execve (the kernel keeps the filter, which names it): the monitor
 * passes it to the new image in DUNE_PROGRAM_CALLS_ENV, and the new image
 * maps the page there before anything else can take the address.
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PROGRAM_CALLS_CLONE 64

extern const char dune_program_calls_template[], dune_program_calls_template_end[];

static uintptr_t page;

uintptr_t dune_program_calls_page(void)
{
	return page;
}

int dune_program_calls_init(void)
{
	size_t size = (size_t)(dune_program_calls_template_end - dune_program_calls_template);
	void *want = NULL;
	const char *env = getenv(DUNE_PROGRAM_CALLS_ENV);
	if (env) {
		want = (void *)strtoul(env, NULL, 16);
		unsetenv(DUNE_PROGRAM_CALLS_ENV);
	}
	void *p = mmap(want, DUNE_PAGE_SIZE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | (want ? MAP_FIXED_NOREPLACE : 0), -1, 0);
	if (p == MAP_FAILED && want) {
		dune_printf("dune: the page a seccomp filter knows the program's calls by (%p) is "
		            "taken in this image: the filter does not apply to the calls of the "
		            "program after its execve\n",
		            want);
		p = mmap(NULL, DUNE_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		         -1, 0);
	}
	if (p == MAP_FAILED)
		return dune_fail(errno, "mapping the page of the program's calls failed: %s",
		                 strerror(errno));
	memcpy(p, dune_program_calls_template, size);
	void (*child)(struct clone_ctx *) = dune_clone_child_main;
	memcpy((char *)p + size - sizeof(child), &child, sizeof(child));
	if (mprotect(p, DUNE_PAGE_SIZE, PROT_READ | PROT_EXEC) < 0)
		return dune_fail(errno, "protecting the page of the program's calls failed: %s",
		                 strerror(errno));
	dune_procfs_hide_range((uintptr_t)p, DUNE_PAGE_SIZE);
	page = (uintptr_t)p;
	return 0;
}

long dune_program_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long (*call)(long, long, long, long, long, long, long) =
	    (long (*)(long, long, long, long, long, long, long))page;
	return call(nr, a0, a1, a2, a3, a4, a5);
}

long dune_program_clone(long nr, long a0, long a1, long a2, long a3, long a4, struct clone_ctx *ctx)
{
	long (*call)(long, long, long, long, long, long, struct clone_ctx *) = (long (*)(
	    long, long, long, long, long, long, struct clone_ctx *))(page + PROGRAM_CALLS_CLONE);
	return call(nr, a0, a1, a2, a3, a4, ctx);
}
