// SPDX-License-Identifier: MIT
/*
 * The access scan (dune/hook.h, dune_access_scan_enable): every interval,
 * the accessed and dirty bits of the program's pages are read and cleared
 * and every vCPU flushes its TLB, so that the next scan sees exactly the
 * pages used in between.
 *
 * It runs here in the monitor, on whichever vCPU thread the interval's
 * timer kicks (kick.c), not in ring 0 on a guest timer: the guest has no
 * timer of its own (no local APIC is set up), the page table is the
 * monitor's to change (DESIGN.md), and a ring-0 walk would gain nothing
 * over this one, which touches only memory, while each TLB flush on
 * another vCPU needs that vCPU interrupted by the host anyway. The walk
 * holds the page table's lock, so no table it reads is freed under it.
 *
 * Interrupt context: raw system calls, no allocation.
 */
#define _GNU_SOURCE
#include "hooks.h"
#include "monitor.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

/* runs of one scan: more are counted as dropped */
#define SCAN_RUNS 65536

static uint64_t interval_ns;
static dune_access_scan_fn scan_fn;
static void *scan_arg;

static struct dune_access_run runs[SCAN_RUNS];
static size_t nruns;
static uint64_t dropped;

static int scanning;  /* one scan at a time */
static int timer_pid; /* the process whose timer runs (a fork's child makes its own) */
static int timer_id;
static uint64_t last_scan_ns; /* CLOCK_REALTIME of the last scan, or of the timer's start */
static uint32_t seq;

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;
	dune_raw_syscall6(SYS_clock_gettime, clock, (long)&ts, 0, 0, 0, 0);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int dune_access_scan_enable(uint64_t every_ns, dune_access_scan_fn fn, void *arg)
{
	if (dune_state.initialised)
		return -EBUSY;
	if (!every_ns || !fn)
		return -EINVAL;
	int r = dune_kick_enable();
	if (r < 0)
		return r;
	interval_ns = every_ns;
	scan_fn = fn;
	scan_arg = arg;
	return 0;
}

void dune_access_scan_thread_start(void)
{
	int pid = (int)dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	if (!interval_ns || __atomic_load_n(&timer_pid, __ATOMIC_ACQUIRE) == pid)
		return;
	int was = __atomic_exchange_n(&timer_pid, pid, __ATOMIC_ACQ_REL);
	if (was == pid)
		return; /* another thread of this process was first */
	/* a fork's child: not in the middle of its parent's scan */
	__atomic_store_n(&scanning, 0, __ATOMIC_RELEASE);
	/* process-directed: the kernel gives it to a thread that can take it,
	 * one in KVM_RUN (kick.c); a thread that left the VM never can */
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = DUNE_KICK_SIGNAL;
	ev.sigev_value.sival_ptr = (void *)(uintptr_t)(DUNE_KICK_COOKIE | DUNE_KICK_SCAN);
	long r = dune_raw_syscall6(SYS_timer_create, CLOCK_MONOTONIC, (long)&ev, (long)&timer_id, 0,
	                           0, 0);
	if (r < 0) {
		dune_printf("dune: the access scan's timer: %s; no scan\n", strerror((int)-r));
		return;
	}
	struct itimerspec it = {.it_interval = {(time_t)(interval_ns / 1000000000ull),
	                                        (long)(interval_ns % 1000000000ull)},
	                        .it_value = {(time_t)(interval_ns / 1000000000ull),
	                                     (long)(interval_ns % 1000000000ull)}};
	last_scan_ns = now_ns(CLOCK_REALTIME);
	seq = 0;
	dune_raw_syscall6(SYS_timer_settime, timer_id, 0, (long)&it, 0, 0, 0);
}

void dune_access_scan_stop(void)
{
	int pid = (int)dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	if (interval_ns && __atomic_load_n(&timer_pid, __ATOMIC_ACQUIRE) == pid) {
		dune_raw_syscall6(SYS_timer_delete, timer_id, 0, 0, 0, 0, 0);
		__atomic_store_n(&timer_pid, 0, __ATOMIC_RELEASE);
	}
}

static int gather(void *arg, uintptr_t va, size_t pages, bool dirty)
{
	(void)arg;
	if (nruns == SCAN_RUNS) {
		dropped += pages;
		return 0;
	}
	runs[nruns++] = (struct dune_access_run){.va = va, .pages = pages, .dirty = dirty};
	return 0;
}

/*
 * Every vCPU flushes before it uses a translation again: those running
 * the guest are kicked out of it now, the others flush at the end of the
 * host call they are in (runtime/trap.c, dune_hostcall) or as they enter
 * the guest again (kick.c): a thousand threads blocked in calls cost no
 * exit each. Until then a vCPU that has a page in
 * its TLB can use it without setting the bit again: such accesses, in the
 * microseconds a kick takes, count in no interval.
 */
static void flush_everywhere(struct dune_percpu *self)
{
	int n = __atomic_load_n(&dune_state.nr_vcpus, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n && i < DUNE_MAX_VCPUS; i++) {
		struct dune_percpu *pc = dune_percpu_at(i);
		if (!pc)
			continue;
		__atomic_store_n(&pc->tlb_flush_pending, 1, __ATOMIC_SEQ_CST);
		if (pc != self)
			dune_kick_maybe(pc, DUNE_KICK_COOKIE | DUNE_KICK_FLUSH);
	}
	dune_tls_stats.tlb_flushes++;
}

void dune_access_scan_due(struct dune_percpu *pc)
{
	if (!interval_ns || __atomic_exchange_n(&scanning, 1, __ATOMIC_ACQUIRE))
		return;
	struct dune_access_scan_info info;
	memset(&info, 0, sizeof(info));
	uint64_t t = now_ns(CLOCK_MONOTONIC);
	size_t walked = 0;
	nruns = 0;
	dropped = 0;
	dune_spin_lock(&dune_state.pt.lock);
	info.end_ns = now_ns(CLOCK_REALTIME);
	/* not the runtime's and the tools' own memory (own_memory.c: the
	 * runtime region and the vCPU blocks are recorded there too) */
	dune_vm_take_accessed(&dune_state.pt, 0, DUNE_USER_VA_END, dune_runtime_owns, gather, NULL,
	                      &walked);
	dune_spin_unlock(&dune_state.pt.lock);
	flush_everywhere(pc);
	info.took_ns = now_ns(CLOCK_MONOTONIC) - t;
	info.start_ns = last_scan_ns;
	last_scan_ns = info.end_ns;
	info.walked = walked;
	info.dropped = dropped;
	info.seq = seq++;
	info.runs = runs;
	info.nruns = nruns;
	scan_fn(&info, scan_arg);
	__atomic_store_n(&scanning, 0, __ATOMIC_RELEASE);
}
