// SPDX-License-Identifier: MIT
/*
 * Guest ring 0: dispatch of system calls and exceptions to the hook chains
 * (hooks.c), host calls, and the ring-3 round trip. Interrupt context: no
 * libc calls that lock or allocate.
 */
#include "hooks.h"
#include "runtime.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

__thread struct dune_percpu *dune_tls_percpu __attribute__((tls_model("initial-exec")));
__thread bool dune_tls_in_guest __attribute__((tls_model("initial-exec")));
long dune_tls_percpu_offset;
__thread struct dune_stats dune_tls_stats __attribute__((tls_model("initial-exec")));

bool dune_entered(void)
{
	return dune_tls_in_guest;
}

/*
 * Leave the guest for the host-side monitor of this thread: the request is
 * in the per-vCPU mailbox, the host-call instruction (hostcall.h) exits to
 * the monitor, which resumes us after it with the answer in the mailbox.
 */
int64_t dune_hostcall(struct dune_percpu *pc, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6)
{
	pc->hc.nr = nr;
	pc->hc.args[0] = a0;
	pc->hc.args[1] = a1;
	pc->hc.args[2] = a2;
	pc->hc.args[3] = a3;
	pc->hc.args[4] = a4;
	pc->hc.args[5] = a5;
	pc->hc.args[6] = a6;
	__asm__ volatile("outb %%al, %w0" : : "Nd"((uint16_t)DUNE_HC_PORT), "a"(0) : "memory");
	if (pc->tlb_flush_pending) {
		pc->tlb_flush_pending = 0;
		dune_flush_tlb();
	}
	return pc->hc.ret;
}

long dune_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct dune_percpu *pc = dune_this_cpu();

	if (!pc || !dune_tls_in_guest)
		return dune_raw_syscall6(nr, a0, a1, a2, a3, a4, a5);
	return dune_hostcall(pc, HC_SYSCALL, (uint64_t)nr, (uint64_t)a0, (uint64_t)a1, (uint64_t)a2,
	                     (uint64_t)a3, (uint64_t)a4, (uint64_t)a5);
}

int dune_vcpu_pid(void)
{
	return dune_this_cpu()->host_pid;
}

int dune_vcpu_tid(void)
{
	return dune_this_cpu()->host_tid;
}

bool dune_tsc_usable(void)
{
	return !dune_this_cpu()->tsc_faults;
}

int dune_vcpu_index(void)
{
	return dune_this_cpu()->index;
}

static long tool_room_used;

long dune_vcpu_tool_reserve(unsigned long size)
{
	long want = (long)((size + 63) & ~63UL),
	     off = __atomic_load_n(&tool_room_used, __ATOMIC_RELAXED);
	do {
		if (off + want > PERCPU_TOOL_SIZE)
			return -1;
	} while (!__atomic_compare_exchange_n(&tool_room_used, &off, off + want, false,
	                                      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return off;
}

void *dune_vcpu_tool_data(long offset)
{
	return (char *)dune_this_cpu() + PERCPU_TOOL + offset;
}

long dune_last_syscall_result(void)
{
	return (long)dune_this_cpu()->last_syscall_result;
}

long dune_syscall_exit_result(const struct dune_tf *tf)
{
	struct dune_percpu *pc = dune_this_cpu();

	return pc->syscall_sigframe ? (long)pc->last_syscall_result : (long)tf->rax;
}

/*
 * The program's call itself: only at its end does the monitor deliver a
 * pending signal onto the call's frame (and remember the call's result);
 * a handler's own calls (dune_syscall6) leave the frame alone.
 */
long dune_passthrough_syscall(struct dune_tf *tf)
{
	struct dune_percpu *pc = dune_this_cpu();

	if (pc && dune_signal_sigaction_in_guest(pc, tf))
		return (long)tf->rax;
	if (pc)
		pc->syscall_passthrough = true;
	tf->rax = (uint64_t)dune_syscall6((long)tf->rax, (long)tf->rdi, (long)tf->rsi,
	                                  (long)tf->rdx, (long)tf->r10, (long)tf->r8, (long)tf->r9);
	if (pc)
		pc->syscall_passthrough = false;
	return (long)tf->rax;
}

/*
 * Registered handlers are ordinary C and may use SSE/AVX (libc's memcpy
 * does), while the interrupted code's vector registers are live: Linux
 * preserves them across system calls and exceptions alike. So the extended
 * state is saved around every handler call (SDM Vol. 1 §13.7 XSAVE). The
 * runtime's own paths are compiled with -mgeneral-regs-only and need no save.
 */
void dune_fpu_save(struct dune_percpu *pc)
{
	if (pc->fpu_depth++)
		return;
	void *area = (char *)pc + PERCPU_XSAVE;
	if (dune_state.xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(-1), "d"(-1) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void dune_fpu_restore(struct dune_percpu *pc)
{
	if (--pc->fpu_depth)
		return;
	void *area = (char *)pc + PERCPU_XSAVE;
	if (dune_state.xsave)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"(-1), "d"(-1) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void dune_syscall_trap(struct dune_tf *tf)
{
	struct dune_percpu *pc = dune_this_cpu();
	struct dune_tf *outer = pc->syscall_tf; /* a handler's own calls nest */

	pc->syscall_tf = tf;
	if (dune_tf_from_user(tf)) {
		pc->user_tf = tf;
		if (dune_hooks_syscall(pc, tf)) {
			pc->syscall_tf = outer;
			return;
		}
	}
	/* ring-0 code (the runtime or a program running in ring 0): straight
	 * to the host */
	dune_passthrough_syscall(tf);
	pc->syscall_tf = outer;
}

/* The signal Linux sends for an unhandled exception (arch/x86/kernel/traps.c). */
static int signal_for_vector(uint64_t vector)
{
	switch (vector) {
	case 0:  /* #DE */
	case 16: /* #MF */
	case 19: /* #XM */
		return SIGFPE;
	case 1: /* #DB */
	case 3: /* #BP */
		return SIGTRAP;
	case 6: /* #UD */
		return SIGILL;
	case 11: /* #NP */
	case 12: /* #SS */
	case 17: /* #AC */
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

static void unhandled_signal(struct dune_percpu *pc, struct dune_tf *tf, uint64_t cr2, int sig)
{
	if (dune_tf_from_user(tf) && pc->user_jmp[9]) {
		/* inside dune_jump_to_user: report and end the ring-3 run */
		dune_printf("dune: unhandled exception %lu in ring 3 during dune_jump_to_user\n",
		            (unsigned long)tf->vector);
		dune_dump_tf(tf);
		dune_ret_from_user(-EFAULT);
	}
	dune_hostcall(pc, HC_FAULT_SIGNAL, (uint64_t)tf, (uint64_t)sig, cr2, 0, 0, 0, 0);
}

static void unhandled(struct dune_percpu *pc, struct dune_tf *tf, uint64_t cr2)
{
	unhandled_signal(pc, tf, cr2, signal_for_vector(tf->vector));
}

/*
 * The legacy vsyscall page at 0xffffffffff600000 is kernel memory that the
 * guest cannot map (and PVM allows no upper-half mappings at all). A call
 * into it faults on the instruction fetch; do what Linux's emulate_vsyscall
 * does: run gettimeofday, time or getcpu, and return to the caller.
 */
static bool emulate_vsyscall(struct dune_tf *tf, uintptr_t addr)
{
	static const long calls[] = {SYS_gettimeofday, SYS_time, SYS_getcpu};
	const uintptr_t base = 0xffffffffff600000UL;

	if (addr != tf->rip || addr < base || addr >= base + 3 * 1024 || (addr & 1023))
		return false;
	tf->rax = (uint64_t)dune_syscall6(calls[(addr - base) >> 10], (long)tf->rdi, (long)tf->rsi,
	                                  (long)tf->rdx, 0, 0, 0);
	tf->rip = *(uint64_t *)tf->rsp; /* ret */
	tf->rsp += 8;
	return true;
}

void dune_trap(struct dune_tf *tf)
{
	struct dune_percpu *pc = dune_this_cpu();

	dune_tls_stats.traps++;
	__atomic_add_fetch(&dune_state.totals.traps, 1, __ATOMIC_RELAXED);
	if (dune_tf_from_user(tf)) {
		pc->in_user = 0;
		pc->user_tf = tf;
	}
	if (tf->vector == 14) {
		uintptr_t addr = dune_read_cr2(pc);
		if (pc->view.active && dune_private_view_refresh(pc, addr, tf->error_code))
			return;
		if (dune_state.first_touch && dune_first_touch_fault(pc, addr, tf))
			return;
		if (dune_hooks_pgflt(pc, addr, tf))
			return;
		if (dune_tf_from_user(tf) && emulate_vsyscall(tf, addr))
			return;
		/* memory the host has but the guest tables lack (stack growth,
		 * mappings made outside the VM): the monitor maps it */
		long sig =
		    dune_hostcall(pc, HC_PAGEFAULT, addr, tf->error_code, (uint64_t)tf, 0, 0, 0, 0);
		if (sig == 0)
			return;
		/* the signal the kernel gives for it: SIGSEGV, or SIGBUS */
		unhandled_signal(pc, tf, addr, sig == SIGBUS ? SIGBUS : SIGSEGV);
		return;
	}
	if ((tf->vector == DUNE_SIGNAL_VECTOR || tf->vector == DUNE_FLUSH_VECTOR) &&
	    dune_tf_from_user(tf) && __atomic_load_n(&dune_state.scan_wanted, __ATOMIC_RELAXED))
		/* an access scan, made here where this vCPU's ring 0 holds
		 * nothing (no lock, no record half written) */
		dune_hostcall(pc, HC_SCAN, 0, 0, 0, 0, 0, 0, 0);
	/* The monitor stopped ring 3 to deliver a signal. The guest takes one
	 * injected interrupt at a time (KVM_INTERRUPT refuses a second while
	 * one waits): a flush's vector may come where the signal's was
	 * refused, and does its work. */
	if (dune_tf_from_user(tf) && (tf->vector == DUNE_SIGNAL_VECTOR ||
	                              (tf->vector == DUNE_FLUSH_VECTOR &&
	                               __atomic_load_n(&pc->sig_pending, __ATOMIC_RELAXED)))) {
		dune_hostcall(pc, HC_SIGNAL, (uint64_t)tf, 0, 0, 0, 0, 0, 0);
		return;
	}
	if (tf->vector == DUNE_FLUSH_VECTOR && dune_tf_from_user(tf)) {
		/* the monitor changed the page table under this vCPU (an
		 * access scan took the accessed bits), or wanted ring 3
		 * stopped for a scan: monitor/kick.c */
		if (pc->tlb_flush_pending) {
			pc->tlb_flush_pending = 0;
			dune_flush_tlb();
		}
		return;
	}
	if (tf->vector < 256 && dune_hooks_vector(pc, tf))
		return;
	unhandled(pc, tf, 0);
}

long dune_jump_to_user(struct dune_tf *tf)
{
	struct dune_percpu *pc = dune_this_cpu();

	if (!pc || !dune_tls_in_guest || pc->user_jmp[9])
		return -EINVAL;
	tf->rflags = (tf->rflags | 0x2) & ~0x3000ULL; /* reserved bit 1 set, IOPL 0 */
	tf->cs = DUNE_USER_CS;
	tf->ss = DUNE_USER_DS;
	tf->vector = 0; /* an exception-style return, every register restored */
	return __dune_jump_to_user(tf);
}

void dune_ret_from_user(long ret)
{
	struct dune_percpu *pc = dune_this_cpu();
	struct dune_tf *caller = (struct dune_tf *)pc->user_jmp[8];

	if (!pc->user_jmp[9])
		dune_die("dune_ret_from_user called outside dune_jump_to_user");
	if (pc->user_tf)
		memcpy(caller, pc->user_tf, sizeof(*caller));
	/* the handler frames are abandoned: give the ring-0 caller back the
	 * vector state it had when the ring-3 code trapped */
	if (pc->fpu_depth) {
		pc->fpu_depth = 1;
		dune_fpu_restore(pc);
	}
	__dune_ret_from_user(pc, ret);
}

/* CR2 (SDM Vol. 3A §6.15 #PF). PVM stores it in the VIF page so that the
 * handler need not trap on "mov %cr2". */
uint64_t dune_read_cr2(struct dune_percpu *pc)
{
	uint64_t cr2;

	if (pc->vif_msr & PVM_VIF_CR2_FLAG)
		return ((volatile struct dune_vif *)((uintptr_t)pc + PERCPU_VIF))->cr2;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	return cr2;
}

void dune_flush_tlb(void)
{
	uint64_t cr3;
	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

void dune_flush_tlb_one(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void dune_dump_tf(const struct dune_tf *tf)
{
	dune_printf("  vector %lu error %#lx rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx\n"
	            "  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n"
	            "  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n"
	            "  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n"
	            "  r13 %016lx r14 %016lx r15 %016lx\n",
	            (unsigned long)tf->vector, (unsigned long)tf->error_code,
	            (unsigned long)tf->rip, (unsigned long)tf->cs, (unsigned long)tf->rflags,
	            (unsigned long)tf->rsp, (unsigned long)tf->ss, (unsigned long)tf->rax,
	            (unsigned long)tf->rbx, (unsigned long)tf->rcx, (unsigned long)tf->rdx,
	            (unsigned long)tf->rsi, (unsigned long)tf->rdi, (unsigned long)tf->rbp,
	            (unsigned long)tf->r8, (unsigned long)tf->r9, (unsigned long)tf->r10,
	            (unsigned long)tf->r11, (unsigned long)tf->r12, (unsigned long)tf->r13,
	            (unsigned long)tf->r14, (unsigned long)tf->r15);
}

void dune_get_stats(struct dune_stats *out)
{
	*out = dune_tls_stats;
}

struct dune_pt *dune_pgroot(void)
{
	return &dune_state.pt;
}

struct dune_page_pool *dune_page_pool(void)
{
	return &dune_state.pool;
}

uint64_t dune_va_to_pa(uintptr_t va)
{
	return dune_layout_hva_to_gpa(dune_state.layout, va);
}
