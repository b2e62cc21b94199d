// SPDX-License-Identifier: MIT
/*
 * RLIMIT_AS as the program would have it. The runtime's address space (its
 * ~385 MiB region, a monitor stack and run area per vCPU) lies in the
 * program's; counted against the program's limit, a program given 256 MiB
 * could not even start. So the kernel's limit is the program's plus
 * RUNTIME_AS, and the program reads and sets its own: getrlimit, setrlimit
 * and prlimit64 on itself go through here, and an execve passes the
 * program's value on to the new image (DUNE_AS_LIMIT_ENV). The program may
 * use up to RUNTIME_AS more than its limit where the runtime does not use
 * all of it (few threads).
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>

/* the region, and the host side of some 200 threads (320 KiB each) */
#define RUNTIME_AS (RT_SIZE + (64ULL << 20))

/* the program's view, and whether the kernel's differs from it */
static struct rlimit program_as;
static bool shifted;
/* per-vCPU blocks past the region's (dune_rlimit_as_grow) */
static uint64_t runtime_more;

static rlim_t plus_runtime(rlim_t v)
{
	uint64_t runtime = RUNTIME_AS + __atomic_load_n(&runtime_more, __ATOMIC_RELAXED);
	return v == RLIM_INFINITY || v > RLIM_INFINITY - runtime ? RLIM_INFINITY : v + runtime;
}

/* @program: the program's own call (which its seccomp filter judges), or
 * the runtime's */
static long kernel_as(bool program, const struct rlimit *set, struct rlimit *get)
{
	return program
	           ? dune_program_syscall6(SYS_prlimit64, 0, RLIMIT_AS, (long)set, (long)get, 0, 0)
	           : dune_raw_syscall6(SYS_prlimit64, 0, RLIMIT_AS, (long)set, (long)get, 0, 0);
}

/* The kernel's limit for the program's @want: the runtime's part added, as
 * far as the hard limit lets an unprivileged process go unless the program
 * raises its own hard limit (the kernel's to judge). */
static long set_kernel(bool program, const struct rlimit *want)
{
	struct rlimit k = {plus_runtime(want->rlim_cur), plus_runtime(want->rlim_max)}, now;
	long r = kernel_as(program, &k, NULL);
	if (r != -EPERM || want->rlim_max > program_as.rlim_max ||
	    kernel_as(false, NULL, &now) != 0)
		return r;
	if (k.rlim_max > now.rlim_max)
		k.rlim_max = now.rlim_max;
	if (k.rlim_cur > k.rlim_max)
		k.rlim_cur = k.rlim_max;
	return kernel_as(program, &k, NULL);
}

int dune_rlimit_as_init(void)
{
	if (kernel_as(false, NULL, &program_as) != 0)
		return 0;
	const char *env = getenv(DUNE_AS_LIMIT_ENV);
	if (env) {
		unsigned long long cur, max;
		if (sscanf(env, "%llx:%llx", &cur, &max) == 2) {
			program_as.rlim_cur = cur;
			program_as.rlim_max = max;
		}
		unsetenv(DUNE_AS_LIMIT_ENV);
	}
	if (program_as.rlim_cur == RLIM_INFINITY)
		return 0;
	set_kernel(false, &program_as);
	shifted = true;
	return 0;
}

void dune_rlimit_as_hand_back(void)
{
	if (shifted)
		kernel_as(false, &program_as, NULL);
}

void dune_rlimit_as_grow(size_t len)
{
	__atomic_add_fetch(&runtime_more, len, __ATOMIC_RELAXED);
	if (shifted)
		set_kernel(false, &program_as);
}

const char *dune_rlimit_as_env(char *buf, size_t len)
{
	if (!shifted)
		return NULL;
	dune_snprintf(buf, len, "%s=%llx:%llx", DUNE_AS_LIMIT_ENV,
	              (unsigned long long)program_as.rlim_cur,
	              (unsigned long long)program_as.rlim_max);
	return buf;
}

bool dune_rlimit_as_syscall(long nr, const uint64_t *args, long *ret)
{
	const struct rlimit *new_user;
	struct rlimit *old_user;
	switch (nr) {
	case SYS_getrlimit:
	case SYS_setrlimit:
		if (args[0] != RLIMIT_AS)
			return false;
		new_user = nr == SYS_setrlimit ? (const struct rlimit *)args[1] : NULL;
		old_user = nr == SYS_getrlimit ? (struct rlimit *)args[1] : NULL;
		break;
	case SYS_prlimit64:
		if (args[1] != RLIMIT_AS || !dune_pid_is_self(args[0]))
			return false;
		new_user = (const struct rlimit *)args[2];
		old_user = (struct rlimit *)args[3];
		break;
	default:
		return false;
	}
	struct rlimit want, old = program_as;
	if (new_user) {
		if (!dune_read_user(&want, new_user, sizeof(want))) {
			*ret = -EFAULT;
			return true;
		}
		if (want.rlim_cur > want.rlim_max) {
			*ret = -EINVAL;
			return true;
		}
		long r = set_kernel(true, &want);
		if (r != 0) {
			*ret = r;
			return true;
		}
		program_as = want;
		shifted = true;
	}
	if (old_user && !dune_write_user(old_user, &old, sizeof(old))) {
		*ret = -EFAULT;
		return true;
	}
	*ret = 0;
	return true;
}

bool dune_rlimit_as_view(struct rlimit *as)
{
	*as = program_as;
	return shifted;
}
