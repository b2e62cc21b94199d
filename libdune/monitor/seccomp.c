// SPDX-License-Identifier: MIT
/*
 * seccomp(2) of a program inside Dune. The monitor makes the program's calls
 * on its host thread, amid its own (KVM_RUN above all), so the kernel's
 * seccomp cannot simply be given the program's wishes:
 *
 * - Strict mode would kill the monitor at its next KVM_RUN. The monitor
 *   keeps it instead, per thread as the kernel does: read, write, exit and
 *   rt_sigreturn pass; any other call of the program ends the thread with
 *   SIGKILL (kernel/seccomp.c, __secure_computing_strict), which is the
 *   process when it is the only one.
 * - A filter goes to the kernel, behind a prefix that lets calls made from
 *   anywhere but the page of the program's calls (program_calls.c) pass:
 *   the kernel judges the program's calls by the program's filter — ERRNO,
 *   TRAP (SIGSYS), KILL, USER_NOTIF, LOG, inheritance by fork and execve,
 *   TSYNC — and the runtime's by none. What the filter sees differently:
 *   seccomp_data.instruction_pointer is in that page, not the program's
 *   code (the SIGSYS of a TRAP gets the program's address back, signal.c);
 *   a filter of more than BPF_MAXINSNS - PREFIX_LEN instructions does not
 *   fit (EINVAL); vfork is made as clone(CLONE_VM|CLONE_VFORK) and judged
 *   as that.
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define PREFIX_LEN 7

/* SECCOMP_FILTER_FLAG_* known to this code; a call with others goes to the
 * kernel as it is, to be refused there */
#define KNOWN_FLAGS                                                                             \
	(SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW | \
	 SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH |                   \
	 SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)

static dune_spinlock_t filter_lock;
static struct sock_filter filter[BPF_MAXINSNS];
static bool filtered;

void dune_seccomp_init(void)
{
	/* a filter from before this image: the previous image's, behind the
	 * prefix (it passed the page on), or one the program started under */
	if (getenv(DUNE_PROGRAM_CALLS_ENV) ||
	    dune_raw_syscall6(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0, 0) == SECCOMP_MODE_FILTER)
		__atomic_store_n(&filtered, true, __ATOMIC_RELEASE);
}

bool dune_seccomp_filtered(void)
{
	return __atomic_load_n(&filtered, __ATOMIC_ACQUIRE);
}

bool dune_seccomp_strict_allows(long nr)
{
	return nr == SYS_read || nr == SYS_write || nr == SYS_exit || nr == SYS_rt_sigreturn;
}

static long set_strict(struct dune_percpu *pc)
{
	/* a thread with a filter cannot go strict (seccomp_may_assign_mode) */
	if (dune_raw_syscall6(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0, 0) != 0)
		return -EINVAL;
	pc->seccomp_strict = true;
	return 0;
}

/* Calls from outside the page of the program's calls pass; the program's
 * filter starts at PREFIX_LEN with A = 0, as a filter of its own would. */
static void write_prefix(struct sock_filter *f, uintptr_t page)
{
	const uint32_t ip = offsetof(struct seccomp_data, instruction_pointer);
	f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip + 4);
	f[1] =
	    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(page >> 32), 0, 3);
	f[2] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip);
	f[3] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K,
	                                    (uint32_t) ~(DUNE_PAGE_SIZE - 1));
	f[4] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)page, 1, 0);
	f[5] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[6] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, 0);
}

static long set_filter(long nr, const uint64_t *args, uint64_t flags, const void *user_prog)
{
	struct sock_fprog prog;
	if (flags & ~(uint64_t)KNOWN_FLAGS)
		goto as_it_is;
	if (!dune_read_user(&prog, user_prog, sizeof(prog)))
		return -EFAULT;
	if (prog.len == 0 || prog.len > BPF_MAXINSNS)
		return -EINVAL;
	if (prog.len > BPF_MAXINSNS - PREFIX_LEN) {
		dune_printf("dune: a seccomp filter of %u instructions is too long inside Dune (at "
		            "most %d); refused with EINVAL\n",
		            prog.len, BPF_MAXINSNS - PREFIX_LEN);
		return -EINVAL;
	}
	dune_spin_lock(&filter_lock);
	long r;
	if (!dune_read_user(filter + PREFIX_LEN, prog.filter, prog.len * sizeof(filter[0]))) {
		r = -EFAULT;
	} else {
		write_prefix(filter, dune_program_calls_page());
		struct sock_fprog ours = {.len = (unsigned short)(prog.len + PREFIX_LEN),
		                          .filter = filter};
		/* from the program's page: a filter installed before judges this */
		r = nr == SYS_seccomp
		        ? dune_program_syscall6(nr, SECCOMP_SET_MODE_FILTER, (long)flags,
		                                (long)&ours, 0, 0, 0)
		        : dune_program_syscall6(nr, PR_SET_SECCOMP, SECCOMP_MODE_FILTER,
		                                (long)&ours, 0, 0, 0);
		if (r >= 0)
			__atomic_store_n(&filtered, true, __ATOMIC_RELEASE);
	}
	dune_spin_unlock(&filter_lock);
	return r;
as_it_is:
	return dune_program_syscall6(nr, (long)args[0], (long)args[1], (long)args[2], (long)args[3],
	                             (long)args[4], (long)args[5]);
}

long dune_seccomp_set(struct dune_percpu *pc, long nr, const uint64_t *args)
{
	if (nr == SYS_seccomp) {
		switch (args[0]) {
		case SECCOMP_SET_MODE_STRICT:
			return args[1] || args[2] ? -EINVAL : set_strict(pc);
		case SECCOMP_SET_MODE_FILTER:
			return set_filter(nr, args, args[1], (const void *)args[2]);
		}
	} else if (args[0] == PR_SET_SECCOMP) {
		switch (args[1]) {
		case SECCOMP_MODE_STRICT:
			return set_strict(pc);
		case SECCOMP_MODE_FILTER:
			return set_filter(nr, args, 0, (const void *)args[2]);
		}
	}
	/* the other operations (GET_ACTION_AVAIL, GET_NOTIF_SIZES, ...): the
	 * kernel's */
	return dune_program_syscall6(nr, (long)args[0], (long)args[1], (long)args[2], (long)args[3],
	                             (long)args[4], (long)args[5]);
}
