// SPDX-License-Identifier: MIT
/*
 * Kicks: one thread of the monitor makes another vCPU leave the guest now,
 * with nothing the program can see (internal/monitor.h, dune_kick_*).
 *
 * DUNE_KICK_SIGNAL stays blocked in every vCPU thread except inside
 * KVM_RUN: KVM_SET_SIGNAL_MASK (KVM API, 4.35) gives the kernel the mask
 * to use while the guest runs, the thread's own without this signal. So
 *  - a kick to a thread running the guest ends KVM_RUN at once (EINTR),
 *    and with the thread's mask back it stays pending, for the monitor to
 *    take with rt_sigtimedwait: no handler runs, nothing is delivered;
 *  - a kick to a thread blocked in a system call for the program waits,
 *    pending and blocked, without interrupting the call (the program would
 *    see EINTR), and ends the thread's next KVM_RUN as soon as it starts;
 *  - the process-wide timer of the access scan (access_scan.c) reaches a
 *    thread that runs the guest, or the first one to run it again.
 * The kernel checks for a pending signal on every entry (x86.c,
 * vcpu_run), so a kick sent just before KVM_RUN is not lost.
 *
 * What a kick asks for is done where the guest is stopped in ring 3 (an
 * injected DUNE_FLUSH_VECTOR, taken only with interrupts on), never at
 * the exit itself, which may have come in the middle of ring-0 code that
 * holds a lock the monitor would then wait for.
 *
 * Kicks carry a cookie in si_value; anything else taken off the queue is
 * the program's own signal of that number, delivered as the kernel would
 * have. Only with a kick user (the access scan) is the signal reserved.
 */
#define _GNU_SOURCE
#include "hooks.h"
#include "monitor.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#define KICK_BIT (1ULL << (DUNE_KICK_SIGNAL - 1))

static bool enabled;
static bool said_unsupported;

int dune_kick_enable(void)
{
	if (dune_state.initialised)
		return -EBUSY;
	enabled = true;
	return 0;
}

bool dune_kick_enabled(void)
{
	return enabled;
}

static uint64_t thread_mask(void)
{
	uint64_t m = 0;
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&m, 8, 0, 0);
	return m;
}

static void block_kick(void)
{
	uint64_t bit = KICK_BIT;
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK, (long)&bit, 0, 8, 0, 0);
}

void dune_kick_thread_start(struct dune_percpu *pc)
{
	pc->kick_run_mask_set = false; /* a new VM's vCPU after fork */
	if (enabled)
		block_kick();
}

void dune_kick_before_run(struct dune_percpu *pc)
{
	if (!enabled)
		return;
	/* one system call per entry (~0.1 us) against an exit's tens of us:
	 * the mask the program's handlers and calls left is read, not
	 * followed through every path that changes it */
	uint64_t m = thread_mask();
	if (!(m & KICK_BIT))
		block_kick(); /* a mask the program set whole (dune_kick_keep_blocked missed it) */
	uint64_t run = m & ~KICK_BIT;
	if (pc->kick_run_mask_set && pc->kick_run_mask == run)
		return;
	int r = dune_backend->set_run_signal_mask ? dune_backend->set_run_signal_mask(pc, run)
	                                          : -ENOSYS;
	if (r < 0) {
		if (!said_unsupported) {
			said_unsupported = true;
			dune_printf("dune: the backend cannot set the signal mask of KVM_RUN (%s): "
			            "vCPUs are not interrupted for TLB flushes\n",
			            strerror(-r));
		}
		return;
	}
	pc->kick_run_mask = run;
	pc->kick_run_mask_set = true;
}

/*
 * Only a vCPU in KVM_RUN needs a kick to flush: one in the monitor flushes
 * at the end of the host call it is in (dune_hostcall) or here as it
 * enters. Dekker's pattern with dune_kick_maybe: this side says "entering"
 * then looks for a flush, that side asks for the flush then looks for
 * "entering"; one of the two sees the other.
 */
void dune_kick_entering(struct dune_percpu *pc)
{
	if (!enabled)
		return;
	__atomic_store_n(&pc->in_kvm_run, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&pc->tlb_flush_pending, __ATOMIC_SEQ_CST) && !pc->sig_pending)
		dune_backend->inject_interrupt(pc, DUNE_FLUSH_VECTOR);
}

void dune_kick_left(struct dune_percpu *pc)
{
	if (enabled)
		__atomic_store_n(&pc->in_kvm_run, 0, __ATOMIC_RELEASE);
}

void dune_kick_maybe(struct dune_percpu *pc, uint64_t cookie)
{
	if (__atomic_load_n(&pc->in_kvm_run, __ATOMIC_SEQ_CST))
		dune_kick(pc, cookie);
}

void dune_kick(struct dune_percpu *pc, uint64_t cookie)
{
	if (!enabled || !pc->host_tid)
		return;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = DUNE_KICK_SIGNAL;
	si.si_code = SI_QUEUE;
	si.si_pid = (int)dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	si.si_uid = (unsigned)dune_raw_syscall6(SYS_getuid, 0, 0, 0, 0, 0, 0);
	si.si_value.sival_ptr = (void *)(uintptr_t)cookie;
	dune_raw_syscall6(SYS_rt_tgsigqueueinfo, pc->host_pid, pc->host_tid, DUNE_KICK_SIGNAL,
	                  (long)&si, 0, 0);
}

/* The pending kicks, taken; the program's own signals of the number go
 * to it. The cookies seen, or-ed. */
static uint64_t take(struct dune_percpu *pc)
{
	uint64_t set = KICK_BIT, seen = 0;
	struct timespec zero = {0, 0};
	for (int i = 0; i < 64; i++) {
		siginfo_t si;
		long r = dune_raw_syscall6(SYS_rt_sigtimedwait, (long)&set, (long)&si, (long)&zero,
		                           8, 0, 0);
		if (r != DUNE_KICK_SIGNAL)
			break;
		uint64_t v = (uint64_t)(uintptr_t)si.si_value.sival_ptr;
		if ((si.si_code == SI_QUEUE || si.si_code == SI_TIMER) &&
		    (v & ~DUNE_KICK_WHAT) == DUNE_KICK_COOKIE) {
			seen |= v & DUNE_KICK_WHAT;
			continue;
		}
		if (pc)
			dune_signal_queued(pc, DUNE_KICK_SIGNAL, &si);
	}
	return seen;
}

/* A flush a kick asked for: the guest does it in ring 0 (runtime/trap.c)
 * on an interrupt, now if it can take one, else when it can (the
 * interrupt window). Called when no signal's interrupt is on its way
 * (whose host call flushes too). */
bool dune_kick_flush(struct dune_percpu *pc)
{
	if (!dune_kick_flush_wanted(pc))
		return false;
	dune_backend->inject_interrupt(pc, DUNE_FLUSH_VECTOR);
	return true;
}

bool dune_kick_flush_wanted(struct dune_percpu *pc)
{
	return enabled && (pc->tlb_flush_pending ||
	                   __atomic_load_n(&dune_state.scan_wanted, __ATOMIC_RELAXED));
}

void dune_kick_take(struct dune_percpu *pc)
{
	if (!enabled)
		return;
	if (dune_state.debug) {
		uint64_t pending = 0;
		dune_raw_syscall6(SYS_rt_sigpending, (long)&pending, 8, 0, 0, 0, 0);
		dune_printf("dune: kick? mask %#llx in KVM_RUN %#llx pending %#llx\n",
		            (unsigned long long)thread_mask(),
		            (unsigned long long)pc->kick_run_mask, (unsigned long long)pending);
	}
	/* not scanned here: the guest may be anywhere in ring 0, holding
	 * the page table's lock or a tool's; ring 3 is stopped for it
	 * (dune_kick_flush, runtime/trap.c) */
	if (take(pc) & DUNE_KICK_SCAN)
		__atomic_store_n(&dune_state.scan_wanted, 1, __ATOMIC_RELEASE);
}

void dune_kick_before_exec(void)
{
	if (!enabled)
		return;
	struct dune_percpu *pc = dune_this_cpu();
	if (pc && !pc->own_process)
		dune_access_scan_due(pc); /* the image's last interval */
	dune_access_scan_stop();
	/* kicks already sent would outlive the image (pending signals do)
	 * and, in one without the runtime, end it when unblocked; the signal
	 * stays blocked across the exec for those on their way now */
	take(NULL);
}

void dune_kick_leave(uint64_t *mask)
{
	if (!enabled)
		return;
	dune_access_scan_stop();
	take(dune_this_cpu());
	*mask &= ~KICK_BIT;
	enabled = false;
}

/* Keep the signal blocked through the program's own masks: the calls that
 * set the thread's mask, for good or while they wait, get a copy with it
 * added (or, SIG_UNBLOCK, taken out of what they unblock). */
const uint64_t *dune_kick_keep_blocked(long nr, const uint64_t *args, struct dune_kick_args *k)
{
	int at;
	bool indirect = false;
	if (!enabled)
		return args;
	switch (nr) {
	case SYS_rt_sigprocmask:
		if (args[0] == SIG_BLOCK)
			return args;
		at = 1;
		break;
	case SYS_rt_sigsuspend:
		at = 0;
		break;
	case SYS_ppoll:
		at = 3;
		break;
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
		at = 4;
		break;
	case SYS_pselect6:
		at = 5;
		indirect = true;
		break;
	default:
		return args;
	}
	if (!args[at])
		return args;
	memcpy(k->args, args, sizeof(k->args));
	const void *set = (const void *)args[at];
	if (indirect) {
		/* pselect6's last argument: {const sigset_t *ss; size_t ss_len} */
		if (!dune_read_user(k->indirect, set, sizeof(k->indirect)) || !k->indirect[0])
			return args;
		set = (const void *)k->indirect[0];
	}
	if (!dune_read_user(&k->mask, set, sizeof(k->mask)))
		return args; /* the kernel's EFAULT */
	if (nr == SYS_rt_sigprocmask && args[0] == SIG_UNBLOCK)
		k->mask &= ~KICK_BIT;
	else
		k->mask |= KICK_BIT;
	if (indirect) {
		k->indirect[0] = (uint64_t)&k->mask;
		k->args[at] = (uint64_t)k->indirect;
	} else {
		k->args[at] = (uint64_t)&k->mask;
	}
	return k->args;
}
