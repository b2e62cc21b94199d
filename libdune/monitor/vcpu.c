// SPDX-License-Identifier: MIT
/*
 * The vCPU of an entering thread: its per-vCPU block in the runtime region
 * (percpu.h) with GDT and TSS, the backend's vCPU for it, and the monitor's
 * own stack. A thread that exits leaves its vCPU to the next one.
 */
#include "monitor.h"

#include "x86/x86.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define MONITOR_STACK_SIZE (256 << 10)

/* The monitor's own stack: host memory the guest never maps. Threads created
 * inside the VM run their monitor on the stack their clone gave them. */
int dune_vcpu_attach_monitor_stack(struct dune_percpu *pc)
{
	void *stack = mmap(NULL, MONITOR_STACK_SIZE, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		dune_set_error("allocating the monitor stack failed: %s", strerror(errno));
		return -errno;
	}
	pc->monitor_stack = stack;
	dune_procfs_hide_range((uintptr_t)stack, MONITOR_STACK_SIZE);
	pc->monitor_stack_top = (uint64_t)stack + MONITOR_STACK_SIZE;
	return 0;
}

/* A thread is exiting: its vCPU (which KVM, for one, cannot destroy) and
 * per-vCPU block go to the next thread that needs one. */
void dune_vcpu_release(struct dune_percpu *pc)
{
	if (__atomic_load_n(&pc->lent, __ATOMIC_ACQUIRE))
		return; /* the parent takes it back (clone.c) */
	dune_spin_lock(&dune_state.free_lock);
	dune_state.free_vcpus[dune_state.nr_free++] = pc;
	dune_spin_unlock(&dune_state.free_lock);
}

static struct dune_percpu *reuse_vcpu(bool user)
{
	struct dune_percpu *pc = NULL;

	dune_spin_lock(&dune_state.free_lock);
	if (dune_state.nr_free)
		pc = dune_state.free_vcpus[--dune_state.nr_free];
	dune_spin_unlock(&dune_state.free_lock);
	if (!pc)
		return NULL;
	int index = pc->index;
	struct dune_vcpu *vcpu = pc->vcpu;
	struct dune_host_kept kept = pc->host_kept;
	kept.pid = pc->host_pid;
	kept.tid = pc->host_tid;
	memset(pc, 0, 4096);
	pc->self = pc;
	pc->index = index;
	pc->vcpu = vcpu;
	pc->host_kept = kept;
	pc->user_mode_entry = user;
	return pc;
}

/* Per-vCPU blocks past the runtime region's, RT_PERCPU_VCPUS per chunk:
 * chunk c holds indices from c * RT_PERCPU_VCPUS (chunk 0 is the
 * region's). Made on first use and kept, as the blocks are. */
#define PERCPU_CHUNKS (DUNE_MAX_VCPUS / RT_PERCPU_VCPUS)
static uintptr_t percpu_chunk[PERCPU_CHUNKS];
static dune_spinlock_t chunk_lock;

static uintptr_t chunk_base(int c)
{
	return c == 0 ? dune_state.rt_base + RT_PERCPU_OFF
	              : __atomic_load_n(&percpu_chunk[c], __ATOMIC_ACQUIRE);
}

struct dune_percpu *dune_percpu_at(int index)
{
	uintptr_t base = chunk_base(index / RT_PERCPU_VCPUS);
	if (!base || index >= __atomic_load_n(&dune_state.nr_vcpus, __ATOMIC_ACQUIRE))
		return NULL;
	return (struct dune_percpu *)(base + (uint64_t)(index % RT_PERCPU_VCPUS) * PERCPU_SIZE);
}

bool dune_vcpu_blocks_overlap(uintptr_t lo, uintptr_t hi)
{
	for (int c = 1; c < PERCPU_CHUNKS; c++) {
		uintptr_t b = __atomic_load_n(&percpu_chunk[c], __ATOMIC_ACQUIRE);
		if (b && lo < b + RT_PERCPU_SIZE && hi > b)
			return true;
	}
	return false;
}

/* The chunk of block @index, reserved, hidden from the program and mapped
 * into the guest like the runtime region. */
static int make_chunk(int index)
{
	int c = index / RT_PERCPU_VCPUS, r = 0;
	if (chunk_base(c))
		return 0;
	dune_spin_lock(&chunk_lock);
	if (!percpu_chunk[c]) {
		dune_rlimit_as_grow(RT_PERCPU_SIZE);
		uintptr_t base = dune_runtime_reserve(RT_PERCPU_SIZE);
		r = base ? dune_mem_add_runtime_range(base, RT_PERCPU_SIZE) : -ENOMEM;
		if (r == 0)
			__atomic_store_n(&percpu_chunk[c], base, __ATOMIC_RELEASE);
		else if (base)
			dune_set_error("mapping per-vCPU blocks for threads beyond %d failed: %s",
			               c * RT_PERCPU_VCPUS, strerror(-r));
	}
	dune_spin_unlock(&chunk_lock);
	return r;
}

int dune_vcpu_alloc(struct dune_percpu **out, bool user)
{
	struct dune_percpu *reused = reuse_vcpu(user);
	if (reused) {
		memset((void *)((uintptr_t)reused + PERCPU_VIF), 0, 4096);
		memset((void *)((uintptr_t)reused + PERCPU_TOOL), 0, PERCPU_TOOL_SIZE);
		*out = reused;
		return 0;
	}
	int index = __atomic_load_n(&dune_state.nr_vcpus, __ATOMIC_SEQ_CST);
	do {
		if (index >= dune_state.max_vcpus) {
			dune_set_error("too many threads in the VM (at most %d)",
			               dune_state.max_vcpus);
			return -EAGAIN;
		}
	} while (!__atomic_compare_exchange_n(&dune_state.nr_vcpus, &index, index + 1, false,
	                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	int r = make_chunk(index);
	if (r) {
		/* the index stays taken: the next thread tries the chunk again */
		return r == -ENOMEM ? -EAGAIN : r;
	}
	uintptr_t base =
	    chunk_base(index / RT_PERCPU_VCPUS) + (uint64_t)(index % RT_PERCPU_VCPUS) * PERCPU_SIZE;
	struct dune_percpu *pc = (struct dune_percpu *)base;
	memset(pc, 0, 4096);
	pc->self = pc;
	pc->index = index;
	pc->user_mode_entry = user;
	dune_x86_write_gdt((uint64_t *)(base + PERCPU_GDT), base + PERCPU_TSS);
	dune_x86_write_tss((uint8_t *)(base + PERCPU_TSS), base);
	memset((void *)(base + PERCPU_VIF), 0, 4096);

	/* a descriptor of the VM's, even when the program holds every
	 * number below its limit */
	dune_fd_room_open();
	r = dune_backend->vcpu_create(pc);
	dune_fd_room_close();
	if (r)
		return r;
	*out = pc;
	return 0;
}

int dune_vcpu_reset_here(struct dune_percpu *pc)
{
	/* a new thread keeps its creator's PR_SET_TSC, as the kernel does */
	int mode = 0;
	pc->tsc_faults = dune_raw_syscall6(SYS_prctl, PR_GET_TSC, (long)&mode, 0, 0, 0, 0) == 0 &&
	                 mode == PR_TSC_SIGSEGV;
	/* the backend takes this thread's FS and GS bases for the guest */
	return dune_backend->vcpu_reset(pc);
}

int dune_vcpu_create(struct dune_percpu **out, bool user)
{
	int r = dune_vcpu_alloc(out, user);
	return r ? r : dune_vcpu_reset_here(*out);
}
