// SPDX-License-Identifier: MIT
/*
 * Signals for programs running in ring 3 (dune_enter_user, the injected
 * runtime). The program's handlers run in ring 3 on a frame laid out as the
 * kernel's (arch/x86/kernel/signal_64.c: struct rt_sigframe: return address,
 * ucontext, siginfo, then the extended FPU state), return through their
 * sa_restorer and rt_sigreturn, and see the masks, SA_* flags and alternate
 * stack the kernel would give them.
 *
 * How a signal gets there: rt_sigaction is intercepted; for a caught signal
 * the host thread gets dune_host_signal as its real handler (with the
 * program's flags and mask, so the kernel does masks and SA_RESETHAND
 * natively; but never SA_RESTART, see dune_signal_deliver), which only
 * records the signal. The monitor then
 * delivers it into the guest at the next point where it holds the
 * interrupted ring-3 frame: the end of a passed-through system call, a
 * fault, or an interrupt it injects (DUNE_SIGNAL_VECTOR) to stop a ring-3
 * computation. Default and ignore dispositions stay native.
 */
#define _GNU_SOURCE
#include "hooks.h"
#include "monitor.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>

/* struct sigaction as the rt_sigaction system call takes it */
struct ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

#define KSA_RESTORER   0x04000000
#define SI_SYS_SECCOMP 1 /* si_code of seccomp's SIGSYS */
#define NSIG_MAX       64

/* the program's view of its dispositions (process-wide, like the kernel's) */
static struct ksigaction program_actions[NSIG_MAX + 1];
static dune_spinlock_t actions_lock;
_Static_assert(PERCPU_OWN_SIGACT + sizeof(program_actions) <= PERCPU_TOOL, "percpu layout");

/* Those of @pc's thread: the process's, or a CLONE_VM child's own (a vfork
 * child shares the memory but not the dispositions: what glibc's
 * posix_spawn child resets must stay its own). */
static struct ksigaction *actions_of(struct dune_percpu *pc)
{
	return pc && pc->sig_actions ? (struct ksigaction *)pc->sig_actions : program_actions;
}

void dune_signal_clone_actions(struct dune_percpu *parent, struct dune_percpu *child, bool shared)
{
	if (shared) {
		child->sig_actions = parent->sig_actions;
		return;
	}
	struct ksigaction *own = (struct ksigaction *)((uintptr_t)child + PERCPU_OWN_SIGACT);
	dune_spin_lock(&actions_lock);
	memcpy(own, actions_of(parent), sizeof(program_actions));
	dune_spin_unlock(&actions_lock);
	child->sig_actions = own;
}

/* The signal hooks (dune/hook.h) see every signal delivered or fatal. */
static void observe(int sig, const siginfo_t *si, bool fatal)
{
	dune_hooks_signal(sig, si, fatal);
}

/* The disposition a pending signal was caught with: SA_RESETHAND may have
 * reset the program's since. */
static struct ksigaction *caught_action(struct dune_percpu *pc, int sig)
{
	return (struct ksigaction *)((uintptr_t)pc + PERCPU_SIGACT) + sig;
}

static bool guest_signals(struct dune_percpu *pc)
{
	return pc && pc->user_mode_entry;
}

static bool is_handler(uint64_t h)
{
	return h != (uint64_t)SIG_DFL && h != (uint64_t)SIG_IGN;
}

void dune_signal_learn_actions(void)
{
	for (int sig = 1; sig <= NSIG_MAX; sig++)
		dune_raw_syscall6(SYS_rt_sigaction, sig, 0, (long)&program_actions[sig], 8, 0, 0);
}

/* Can ring 0 access [addr, addr+len) as the program could, without a
 * fault? */
static bool guest_accessible(uintptr_t addr, size_t len, bool write)
{
	return dune_vm_user_accessible(&dune_state.pt, addr, len, write);
}

/*
 * Which rt_sigaction ring 0 may do alone: a query, or setting SIG_DFL or
 * SIG_IGN where that is already the disposition (the kernel's action stays
 * what it is; only the flags, mask and restorer the program sees change,
 * and for SIG_DFL and SIG_IGN the kernel acts on none of them, SIGCHLD's
 * SA_NOCLDSTOP/SA_NOCLDWAIT aside: never SIGCHLD).
 */
static bool settles_in_guest(const struct ksigaction *cur, const struct ksigaction *act, int sig)
{
	return !act ||
	       (!is_handler(act->handler) && act->handler == cur->handler && sig != SIGCHLD);
}

bool dune_signal_sigaction_in_guest(struct dune_percpu *pc, struct dune_tf *tf)
{
	int sig = (int)tf->rdi;
	const volatile uint64_t *in = (const volatile uint64_t *)tf->rsi;
	volatile uint64_t *out = (volatile uint64_t *)tf->rdx;
	if (tf->rax != SYS_rt_sigaction || tf->r10 != 8 || sig < 1 || sig > NSIG_MAX ||
	    sig == SIGKILL || sig == SIGSTOP || !guest_signals(pc) || pc->seccomp_strict ||
	    dune_seccomp_filtered() || /* the kernel's filter judges the call */
	    (in && !guest_accessible((uintptr_t)in, sizeof(struct ksigaction), false)) ||
	    (out && !guest_accessible((uintptr_t)out, sizeof(struct ksigaction), true)))
		return false;
	struct ksigaction act = {0};
	if (in) {
		act.handler = in[0];
		act.flags = in[1];
		act.restorer = in[2];
		act.mask = in[3];
	}
	dune_spin_lock(&actions_lock);
	struct ksigaction *table = actions_of(pc), cur = table[sig];
	bool alone = settles_in_guest(&cur, in ? &act : NULL, sig);
	if (alone && in)
		table[sig] = act;
	dune_spin_unlock(&actions_lock);
	if (!alone)
		return false;
	if (out) {
		out[0] = cur.handler;
		out[1] = cur.flags;
		out[2] = cur.restorer;
		out[3] = cur.mask;
	}
	tf->rax = 0;
	return true;
}

/* Runs on the host thread (in the monitor, or while it executes a system
 * call for the guest): record, and let the monitor deliver. */
static void dune_host_signal(int sig, siginfo_t *info, void *uctx)
{
	struct dune_percpu *pc = dune_this_cpu();
	if (!pc || sig < 1 || sig > NSIG_MAX)
		return;
	/* the program's errno too (monitor/loop.c): it may come in KVM_RUN */
	int saved_errno = errno;
	/* a guest access the monitor replayed natively: the guest's fault */
	if (dune_replay_caught(pc, sig, info, uctx)) {
		errno = saved_errno;
		return;
	}
	memcpy(&dune_percpu_siginfo(pc)[sig - 1], info, sizeof(siginfo_t));
	*caught_action(pc, sig) = actions_of(pc)[sig];
	pc->sig_pending |= 1ULL << (sig - 1);
	/* The kernel reset the host action's handler to SIG_DFL on delivery
	 * (kernel/signal.c get_signal: SA_ONESHOT) and kept its flags and mask;
	 * the program's view changes the same way. */
	if (actions_of(pc)[sig].flags & SA_RESETHAND)
		actions_of(pc)[sig].handler = (uint64_t)SIG_DFL;
	errno = saved_errno;
}

void dune_signal_queued(struct dune_percpu *pc, int sig, siginfo_t *info)
{
	uint64_t handler = actions_of(pc)[sig].handler;
	if (handler == (uint64_t)SIG_IGN)
		return;
	if (handler == (uint64_t)SIG_DFL) /* a real-time signal's: the end */
		dune_die_with_signal(sig);
	memcpy(&dune_percpu_siginfo(pc)[sig - 1], info, sizeof(siginfo_t));
	*caught_action(pc, sig) = actions_of(pc)[sig];
	pc->sig_pending |= 1ULL << (sig - 1);
	if (actions_of(pc)[sig].flags & SA_RESETHAND)
		actions_of(pc)[sig].handler = (uint64_t)SIG_DFL;
}

void dune_signal_hand_back(struct dune_percpu *pc)
{
	int pid = (int)dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	int tid = (int)dune_raw_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0);

	for (int sig = 1; sig <= NSIG_MAX; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			dune_raw_syscall6(SYS_rt_sigaction, sig, (long)&actions_of(pc)[sig], 0, 8,
			                  0, 0);
	/* caught by dune_host_signal, not yet delivered: the kernel's again */
	for (int sig = 1; sig <= NSIG_MAX; sig++)
		if (pc->sig_pending & (1ULL << (sig - 1)))
			dune_raw_syscall6(SYS_rt_tgsigqueueinfo, pid, tid, sig,
			                  (long)&dune_percpu_siginfo(pc)[sig - 1], 0, 0);
	pc->sig_pending = 0;
}

extern void dune_host_sigreturn(void);
__asm__(".text\n"
        ".hidden dune_host_sigreturn\n"
        "dune_host_sigreturn:\n"
        "	mov $15, %eax\n" /* rt_sigreturn */
        "	syscall\n"
        "	ud2\n");

void dune_signal_replay_arm(struct dune_saved_actions *saved)
{
	struct ksigaction ours = {.handler = (uint64_t)dune_host_signal,
	                          .flags = SA_SIGINFO | KSA_RESTORER,
	                          .restorer = (uint64_t)dune_host_sigreturn};
	static const int sigs[2] = {SIGSEGV, SIGBUS};
	_Static_assert(sizeof(saved->raw[0]) == sizeof(struct ksigaction), "ksigaction");
	for (int i = 0; i < 2; i++)
		dune_raw_syscall6(SYS_rt_sigaction, sigs[i], (long)&ours, (long)saved->raw[i], 8, 0,
		                  0);
}

void dune_signal_replay_disarm(const struct dune_saved_actions *saved)
{
	static const int sigs[2] = {SIGSEGV, SIGBUS};
	for (int i = 0; i < 2; i++)
		dune_raw_syscall6(SYS_rt_sigaction, sigs[i], (long)saved->raw[i], 0, 8, 0, 0);
}

long dune_signal_sigaction(struct dune_percpu *pc, const uint64_t *args)
{
	int sig = (int)args[0];
	const struct ksigaction *user_act = (const struct ksigaction *)args[1];
	struct ksigaction *user_oact = (struct ksigaction *)args[2];

	if (!guest_signals(pc) || sig < 1 || sig > NSIG_MAX || args[3] != 8)
		return dune_raw_syscall6(SYS_rt_sigaction, (long)args[0], (long)args[1],
		                         (long)args[2], (long)args[3], 0, 0);
	/* the program's pointers: copied, a bad one is the kernel's EFAULT */
	struct ksigaction act, host;
	if (user_act) {
		if (!dune_read_user(&act, user_act, sizeof(act)))
			return -EFAULT;
		host = act;
		if (is_handler(act.handler)) {
			host.handler = (uint64_t)dune_host_signal;
			/* without SA_RESTART: a call the host thread blocks in for
			 * the guest must end (EINTR) so that the program's handler
			 * runs now; the monitor restarts it afterwards as the
			 * kernel would have (dune_signal_deliver) */
			host.flags = (act.flags | SA_SIGINFO | KSA_RESTORER) &
			             ~(uint64_t)(SA_ONSTACK | SA_RESTART);
			host.restorer = (uint64_t)dune_host_sigreturn;
		}
	}
	dune_spin_lock(&actions_lock);
	struct ksigaction old = actions_of(pc)[sig];
	long r = 0;
	if (!old.handler && !old.flags) {
		/* never set through us: the kernel's (an inherited SIG_IGN) */
		r = dune_raw_syscall6(SYS_rt_sigaction, sig, 0, (long)&old, 8, 0, 0);
	}
	if (r == 0 && user_act)
		r = dune_program_syscall6(SYS_rt_sigaction, sig, (long)&host, 0, 8, 0, 0);
	if (r == 0 && user_act)
		actions_of(pc)[sig] = act;
	dune_spin_unlock(&actions_lock);
	if (r == 0 && user_oact && !dune_write_user(user_oact, &old, sizeof(old)))
		r = -EFAULT;
	/* the buffer written through the host (a new stack, such as
	 * posix_spawn's child's): into the guest's page table too, so that
	 * the next such call on it stays in ring 0 */
	if (r == 0 && user_oact && !guest_accessible((uintptr_t)user_oact, sizeof(old), true))
		dune_mem_fault(pc, (uintptr_t)user_oact, PF_ERR_W | PF_ERR_U);
	return r;
}

/* ---- the frame ---- */

struct rt_sigframe {
	uint64_t pretcode;
	ucontext_t uc;
	siginfo_t info;
};

#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U

/* struct _fpx_sw_bytes at offset 464 of the FXSAVE area */
struct fpx_sw_bytes {
	uint32_t magic1, extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size, padding[7];
};

/* Bytes of a standard-format XSAVE image up to the end of the last
 * component present in @xfeatures (CPUID 0xD.i: component i's size in EAX,
 * offset in EBX; SDM Vol. 1, 13.4), at least the legacy area and header. */
static uint32_t xsave_extent(uint64_t xfeatures)
{
	uint32_t end = 512 + 64;
	for (unsigned i = 2; i < 64; i++) {
		if (!(xfeatures & (1ULL << i)))
			continue;
		uint32_t a, b, c, d;
		__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(i));
		if (b + a > end)
			end = b + a;
	}
	return end;
}

bool dune_signal_fpstate(struct dune_percpu *pc, uint8_t *fpstate, size_t len)
{
	if (len < 512 + 64 + 4 || dune_backend->get_xsave(pc, fpstate, len))
		return false;
	uint64_t present;
	memcpy(&present, fpstate + 512, sizeof(present)); /* XSTATE_BV */
	uint32_t size = xsave_extent(present);
	if (size + 4 > len)
		size = (uint32_t)len - 4;
	/* as the kernel writes them (arch/x86/kernel/fpu/signal.c), so that
	 * its rt_sigreturn, and a handler that reads them, take the image */
	struct fpx_sw_bytes *sw = (struct fpx_sw_bytes *)(fpstate + 464);
	memset(sw, 0, sizeof(*sw));
	sw->magic1 = FP_XSTATE_MAGIC1;
	sw->extended_size = size + 4;
	sw->xfeatures = present;
	sw->xstate_size = size;
	uint32_t magic2 = FP_XSTATE_MAGIC2;
	memcpy(fpstate + size, &magic2, sizeof(magic2));
	return true;
}

void dune_signal_mcontext(mcontext_t *mc, const struct dune_tf *tf, uint64_t rax, uint64_t rip)
{
	greg_t *g = mc->gregs;
	g[REG_R8] = (greg_t)tf->r8;
	g[REG_R9] = (greg_t)tf->r9;
	g[REG_R10] = (greg_t)tf->r10;
	g[REG_R11] = (greg_t)tf->r11;
	g[REG_R12] = (greg_t)tf->r12;
	g[REG_R13] = (greg_t)tf->r13;
	g[REG_R14] = (greg_t)tf->r14;
	g[REG_R15] = (greg_t)tf->r15;
	g[REG_RDI] = (greg_t)tf->rdi;
	g[REG_RSI] = (greg_t)tf->rsi;
	g[REG_RBP] = (greg_t)tf->rbp;
	g[REG_RBX] = (greg_t)tf->rbx;
	g[REG_RDX] = (greg_t)tf->rdx;
	g[REG_RAX] = (greg_t)rax;
	g[REG_RCX] = (greg_t)tf->rcx;
	g[REG_RSP] = (greg_t)tf->rsp;
	g[REG_RIP] = (greg_t)rip;
	g[REG_EFL] = (greg_t)tf->rflags;
	/* cs, gs, fs, ss (struct sigcontext_64) */
	g[REG_CSGSFS] = (greg_t)(DUNE_USER_CS | ((uint64_t)DUNE_USER_DS << 48));
}

static bool on_altstack(const stack_t *ss, uint64_t sp)
{
	return !(ss->ss_flags & SS_DISABLE) && sp > (uint64_t)ss->ss_sp &&
	       sp <= (uint64_t)ss->ss_sp + ss->ss_size;
}

/*
 * Build the frame for @sig on the ring-3 context @tf (which the guest is
 * about to resume) and point @tf at the handler. @result: what RAX of the
 * interrupted context is (a system call's result that the guest has not yet
 * written into tf->rax), or tf->rax.
 */
static bool setup_frame(struct dune_percpu *pc, struct dune_tf *tf, int sig, uint64_t result)
{
	struct ksigaction act = *caught_action(pc, sig);
	stack_t ss;
	int xs = (int)dune_backend->xsave_size();
	uint64_t sp = tf->rsp;

	dune_raw_syscall6(SYS_sigaltstack, 0, (long)&ss, 0, 0, 0, 0);
	if ((act.flags & SA_ONSTACK) && !(ss.ss_flags & SS_DISABLE) && !on_altstack(&ss, sp))
		sp = (uint64_t)ss.ss_sp + ss.ss_size;
	else
		sp -= 128; /* the red zone */
	sp = (sp - (uint64_t)xs) & ~63ULL;
	uint64_t fpstate = sp;
	sp -= sizeof(struct rt_sigframe);
	sp = ((sp + 8) & ~15ULL) - 8; /* as after a call: (rsp + 8) % 16 == 0 */
	struct rt_sigframe *frame = (struct rt_sigframe *)sp;
	/* the program's memory, which may not take the frame (a read-only or
	 * unmapped stack): then nothing is written, and the caller forces
	 * SIGSEGV as the kernel does */
	static const char zeros[4096];
	for (uint64_t a = sp; a < fpstate + (uint64_t)xs; a += sizeof(zeros)) {
		uint64_t n = fpstate + (uint64_t)xs - a;
		if (!dune_write_user((void *)a, zeros, n < sizeof(zeros) ? n : sizeof(zeros)))
			return false;
	}

	/* the guest's FPU/SSE/AVX state goes into the frame */
	if (!dune_signal_fpstate(pc, (uint8_t *)fpstate, (size_t)xs))
		return false;

	memset(frame, 0, sizeof(*frame));
	frame->pretcode = act.restorer;
	frame->info = dune_percpu_siginfo(pc)[sig - 1];
	/* seccomp's SIGSYS for a call the monitor made from the page of the
	 * program's calls (seccomp.c): the program's call ends at tf->rip */
	uintptr_t calls = dune_program_calls_page();
	if (sig == SIGSYS && frame->info.si_code == SI_SYS_SECCOMP &&
	    (uintptr_t)frame->info.si_call_addr - calls < DUNE_PAGE_SIZE)
		frame->info.si_call_addr = (void *)tf->rip;
	observe(sig, &frame->info, false);
	ucontext_t *uc = &frame->uc;
	uc->uc_flags = 0x1 | 0x2 | 0x4; /* UC_FP_XSTATE, UC_SIGCONTEXT_SS, UC_STRICT_RESTORE_SS */
	uc->uc_stack = ss;
	uc->uc_stack.ss_flags = on_altstack(&ss, tf->rsp) ? SS_ONSTACK : ss.ss_flags;
	dune_signal_mcontext(&uc->uc_mcontext, tf, result, tf->rip);
	greg_t *g = uc->uc_mcontext.gregs;
	g[REG_ERR] = tf->vector < 32 ? (greg_t)tf->error_code : 0;
	g[REG_TRAPNO] = tf->vector < 32 ? (greg_t)tf->vector : 0;
	g[REG_CR2] = tf->vector == 14 ? (greg_t)frame->info.si_addr : 0;
	uc->uc_mcontext.fpregs = (fpregset_t)fpstate;

	/* the mask while the handler runs: the kernel's rule */
	uint64_t old = 0, block = act.mask;
	if (!(act.flags & SA_NODEFER))
		block |= 1ULL << (sig - 1);
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK, (long)&block, (long)&old, 8, 0, 0);
	memcpy(&uc->uc_sigmask, &old, sizeof(old));

	tf->rip = act.handler;
	tf->rsp = sp;
	tf->rdi = (uint64_t)sig;
	tf->rsi = (uint64_t)&frame->info;
	tf->rdx = (uint64_t)uc;
	tf->rax = 0;
	tf->rflags &= ~(0x100ULL | 0x400ULL); /* TF and DF clear, as the kernel does */
	tf->vector = 0;                       /* return with every register restored */
	return true;
}

/* The lowest pending signal that the program catches, or 0. */
static int next_signal(struct dune_percpu *pc)
{
	uint64_t p = pc->sig_pending;
	while (p) {
		int sig = __builtin_ctzll(p) + 1;
		p &= p - 1;
		if (is_handler(caught_action(pc, sig)->handler))
			return sig;
		pc->sig_pending &= ~(1ULL << (sig - 1));
	}
	return 0;
}

/*
 * A call the host thread ran for the guest ended with EINTR because a
 * signal with a handler came (the host's actions have no SA_RESTART). The
 * kernel would have run the handler and then, by what the call returned
 * inside it (arch/x86/kernel/signal.c, handle_signal): ERESTARTSYS, the
 * call again if the handler has SA_RESTART; ERESTARTNOHAND and
 * ERESTART_RESTARTBLOCK, EINTR. Again means the frame's context points back
 * at the SYSCALL instruction (2 bytes) with the call's number in RAX.
 */
static bool restarts(struct dune_percpu *pc, int sig, long nr, uint64_t result)
{
	return nr >= 0 && (int64_t)result == -EINTR &&
	       dune_syscall_facts(nr).restart == DUNE_RESTART_SYS &&
	       (caught_action(pc, sig)->flags & SA_RESTART);
}

/*
 * The frame for @sig could not be written: as the kernel's force_sigsegv
 * (kernel/signal.c), SIGSEGV with SI_KERNEL goes to the program's handler,
 * unblocked, or, for a SIGSEGV that could not be delivered itself or
 * without a handler, ends the process.
 */
static uint64_t force_sigsegv(struct dune_percpu *pc, struct dune_tf *tf, int sig, uint64_t result)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGSEGV;
	info.si_code = SI_KERNEL;
	if (sig == SIGSEGV || !is_handler(actions_of(pc)[SIGSEGV].handler)) {
		observe(SIGSEGV, &info, true);
		dune_die_with_signal(SIGSEGV);
	}
	dune_percpu_siginfo(pc)[SIGSEGV - 1] = info;
	*caught_action(pc, SIGSEGV) = actions_of(pc)[SIGSEGV];
	pc->sig_pending |= 1ULL << (SIGSEGV - 1);
	uint64_t unblock = 1ULL << (SIGSEGV - 1);
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&unblock, 0, 8, 0, 0);
	return dune_signal_deliver(pc, tf, result, -1);
}

uint64_t dune_signal_deliver(struct dune_percpu *pc, struct dune_tf *tf, uint64_t result, long nr)
{
	int sig;
	if (!guest_signals(pc) || !tf || !dune_tf_from_user(tf) || !(sig = next_signal(pc)))
		return result;
	pc->sig_pending &= ~(1ULL << (sig - 1));
	bool again = restarts(pc, sig, nr, result);
	if (again) {
		tf->rip -= 2;
		result = (uint64_t)nr;
	}
	if (!setup_frame(pc, tf, sig, result)) {
		if (again)
			tf->rip += 2;
		return force_sigsegv(pc, tf, sig, again ? (uint64_t)-EINTR : result);
	}
	if (tf == pc->syscall_tf)
		pc->syscall_sigframe = true; /* dune_syscall_exit_result */
	return 0;                            /* the handler's RAX */
}

static bool hidden(uint64_t addr)
{
	return dune_mem_in_runtime(addr) || dune_protect_hidden(addr);
}

/* The siginfo the kernel gives for a fault: si_code, si_addr. */
static void fault_siginfo(siginfo_t *si, const struct dune_tf *tf, int sig, uint64_t addr)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	switch (sig) {
	case SIGSEGV:
		if (tf->vector != 14) {
			/* #GP and the like (a privileged instruction, a
			 * non-canonical address): the kernel's force_sig,
			 * SI_KERNEL and no address (traps.c,
			 * exc_general_protection) */
			si->si_code = SI_KERNEL;
			break;
		}
		/* memory of the runtime's or a tool's, present for ring 0 only:
		 * natively there is nothing mapped there */
		si->si_code =
		    (tf->error_code & PF_ERR_P) && !hidden(addr) ? SEGV_ACCERR : SEGV_MAPERR;
		si->si_addr = (void *)addr;
		break;
	case SIGFPE:
		si->si_code = FPE_INTDIV;
		si->si_addr = (void *)tf->rip;
		break;
	case SIGILL:
		si->si_code = ILL_ILLOPN;
		si->si_addr = (void *)tf->rip;
		break;
	case SIGTRAP:
		if (tf->vector == 3) {
			si->si_code = SI_KERNEL; /* int3: traps.c, do_int3_user */
			break;
		}
		/* #DB in user mode (traps.c, exc_debug_user): a single step
		 * (TF was set when the instruction ran: DR6.BS) is TRAP_TRACE,
		 * icebp TRAP_BRKPT; the address is where the program stopped */
		si->si_code = (tf->rflags & 0x100) ? TRAP_TRACE : TRAP_BRKPT;
		si->si_addr = (void *)tf->rip;
		break;
	case SIGBUS:
		/* #AC: BUS_ADRALN; #NP, #SS: SI_KERNEL (traps.c do_error_trap) */
		si->si_code = tf->vector == 17 ? BUS_ADRALN : SI_KERNEL;
		si->si_addr = (void *)(tf->vector == 14 ? addr : 0);
		break;
	}
}

/* Is this thread traced (ptrace)? Asked only for a fault's signal. */
static bool traced(void)
{
	return dune_proc_field("/proc/thread-self/status", "TracerPid:") > 0;
}

bool dune_signal_fault(struct dune_percpu *pc, struct dune_tf *tf, int sig, uint64_t addr)
{
	if (!guest_signals(pc) || !is_handler(actions_of(pc)[sig].handler)) {
		siginfo_t si;
		if (pc && pc->replay_sig == sig) { /* the kernel's own, from the replay */
			memcpy(&si, &dune_percpu_siginfo(pc)[sig - 1], sizeof(si));
			pc->replay_sig = 0;
		} else {
			fault_siginfo(&si, tf, sig, addr);
		}
		observe(sig, &si, true); /* the caller kills the process */
		return false;
	}
	if (pc->replay_sig != sig && traced()) {
		/* Through the kernel, so that the tracer gets its stop and
		 * decides (it may suppress or change the signal), as natively;
		 * the host action then makes it pending (dune_host_signal). A
		 * replayed access's signal was the kernel's already. */
		siginfo_t si;
		fault_siginfo(&si, tf, sig, addr);
		dune_raw_syscall6(SYS_rt_tgsigqueueinfo, pc->host_pid, pc->host_tid, sig, (long)&si,
		                  0, 0);
		/* none pending: suppressed, and the instruction faults again */
		if (pc->sig_pending)
			tf->rax = dune_signal_deliver(pc, tf, tf->rax, -1);
		return true;
	}
	*caught_action(pc, sig) = actions_of(pc)[sig];
	if (actions_of(pc)[sig].flags & SA_RESETHAND)
		actions_of(pc)[sig].handler = (uint64_t)SIG_DFL;
	uint64_t mask = 0;
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask, 8, 0, 0);
	siginfo_t *si = &dune_percpu_siginfo(pc)[sig - 1];
	if (pc->replay_sig == sig)
		pc->replay_sig = 0; /* the kernel's own siginfo, from the replay */
	else
		fault_siginfo(si, tf, sig, addr);
	if (mask & (1ULL << (sig - 1))) {
		observe(sig, si, true);
		return false; /* blocked: the kernel would kill */
	}
	return setup_frame(pc, tf, sig, tf->rax);
}

long dune_signal_sigreturn(struct dune_percpu *pc, uint64_t *result)
{
	struct dune_tf *tf = pc->syscall_tf;
	if (!guest_signals(pc) || !tf)
		return -ENOSYS;
	struct rt_sigframe *frame = (struct rt_sigframe *)(tf->rsp - 8);
	ucontext_t *uc = &frame->uc;
	greg_t *g = uc->uc_mcontext.gregs;

	tf->r8 = (uint64_t)g[REG_R8];
	tf->r9 = (uint64_t)g[REG_R9];
	tf->r10 = (uint64_t)g[REG_R10];
	tf->r11 = (uint64_t)g[REG_R11];
	tf->r12 = (uint64_t)g[REG_R12];
	tf->r13 = (uint64_t)g[REG_R13];
	tf->r14 = (uint64_t)g[REG_R14];
	tf->r15 = (uint64_t)g[REG_R15];
	tf->rdi = (uint64_t)g[REG_RDI];
	tf->rsi = (uint64_t)g[REG_RSI];
	tf->rbp = (uint64_t)g[REG_RBP];
	tf->rbx = (uint64_t)g[REG_RBX];
	tf->rdx = (uint64_t)g[REG_RDX];
	tf->rcx = (uint64_t)g[REG_RCX];
	tf->rsp = (uint64_t)g[REG_RSP];
	tf->rip = (uint64_t)g[REG_RIP];
	/* user-changeable flags only (the kernel's FIX_EFLAGS) */
	tf->rflags = (tf->rflags & ~0x40dd5ULL) | ((uint64_t)g[REG_EFL] & 0x40dd5ULL);
	tf->vector = 0; /* every register restored, RCX and R11 included */
	*result = (uint64_t)g[REG_RAX];

	if (uc->uc_mcontext.fpregs)
		dune_backend->set_xsave(pc, uc->uc_mcontext.fpregs);
	uint64_t mask;
	memcpy(&mask, &uc->uc_sigmask, sizeof(mask));
	mask &= ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)));
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&mask, 0, 8, 0, 0);
	return 0;
}

/* A signal is pending while the guest computes in ring 3: interrupt it.
 * False when none can be delivered now (all blocked). */
bool dune_signal_kick(struct dune_percpu *pc)
{
	if (!guest_signals(pc) || !next_signal(pc))
		return false;
	/* now if the guest can take it (IF set: in ring 3), else at the next
	 * interrupt window */
	dune_backend->inject_interrupt(pc, DUNE_SIGNAL_VECTOR);
	return true;
}
