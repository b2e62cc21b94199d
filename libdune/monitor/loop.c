// SPDX-License-Identifier: MIT
/*
 * The host-side monitor of one vCPU: it runs in the entering thread, on a
 * stack of its own, for as long as the thread lives. It executes the guest's
 * system calls natively (so TIDs, signal masks, credentials and file
 * descriptors are exactly the thread's own) and handles every exit reason
 * deliberately. Interrupt context (DESIGN.md): the guest may have been
 * stopped inside malloc or stdio, so only raw system calls and memory
 * prepared in advance are used here. The thread's TLS is the program's:
 * errno too, which goes back as the guest left it before every KVM_RUN.
 */
#include "hooks.h"
#include "monitor.h"

#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/* End the process the way the kernel would for an unhandled @sig. */
void dune_die_with_signal(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	/* raw rt_sigaction: the kernel's struct layout (handler, flags,
	 * restorer, mask) matches the start of glibc's for SIG_DFL */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} ksa = {SIG_DFL, 0, NULL, 0};
	dune_raw_syscall6(SYS_rt_sigaction, sig, (long)&ksa, 0, 8, 0, 0);
	uint64_t unblock = 1ULL << (sig - 1);
	dune_raw_syscall6(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&unblock, 0, 8, 0, 0);
	dune_raw_syscall6(SYS_tgkill, dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0),
	                  dune_raw_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0), sig, 0, 0, 0);
	dune_raw_syscall6(SYS_exit_group, 128 + sig, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

static void warn_once(bool *said, const char *what)
{
	if (!*said) {
		*said = true;
		dune_printf("dune: %s\n", what);
	}
}

/* After the host changed FS or GS for the thread, the vCPU must follow. */
static void sync_segment_bases(struct dune_percpu *pc)
{
	unsigned long fs = 0, gs = 0;

	dune_raw_syscall6(SYS_arch_prctl, ARCH_GET_FS, (long)&fs, 0, 0, 0, 0);
	dune_raw_syscall6(SYS_arch_prctl, ARCH_GET_GS, (long)&gs, 0, 0, 0, 0);
	dune_backend->set_segment_bases(pc, fs, gs);
}

/* DUNE_STATS=FILE: one line per process image, appended when it ends or
 * execs: "pid N comm NAME exits N syscalls N traps N kexits N at WHY";
 * exits: those the monitor handled; kexits: all exits to the host kernel
 * (the backend's count, "-" if it has none). */
void dune_write_totals(const char *why)
{
	char line[256], comm[32] = "?";
	if (!dune_state.stats_path[0])
		return;
	long pid = dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	int cfd = (int)dune_raw_syscall6(SYS_open, (long)"/proc/self/comm", O_RDONLY, 0, 0, 0, 0);
	if (cfd >= 0) {
		long n = dune_raw_syscall6(SYS_read, cfd, (long)comm, sizeof(comm) - 1, 0, 0, 0);
		comm[n > 0 ? n - 1 : 0] = '\0';
		dune_raw_syscall6(SYS_close, cfd, 0, 0, 0, 0, 0);
	}
	char kexits[24] = "-";
	if (dune_backend->kernel_exits)
		dune_snprintf(kexits, sizeof(kexits), "%llu",
		              (unsigned long long)dune_backend->kernel_exits());
	int len = dune_snprintf(line, sizeof(line),
	                        "pid %ld comm %s exits %llu syscalls %llu traps %llu kexits %s "
	                        "first_touches %llu at %s\n",
	                        pid, comm, (unsigned long long)dune_state.totals.exits,
	                        (unsigned long long)dune_state.totals.syscalls,
	                        (unsigned long long)dune_state.totals.traps, kexits,
	                        (unsigned long long)dune_state.totals.first_touches, why);
	int fd = (int)dune_raw_syscall6(SYS_open, (long)dune_state.stats_path,
	                                O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644, 0, 0, 0);
	if (fd >= 0) {
		dune_raw_syscall6(SYS_write, fd, (long)line, len, 0, 0, 0);
		dune_raw_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
	}
}

/* Does the program's string @user start with @prefix? */
static bool user_starts_with(const char *user, const char *prefix)
{
	char buf[160];
	size_t n = strlen(prefix);
	return n < sizeof(buf) && dune_read_user(buf, user, n) && memcmp(buf, prefix, n) == 0;
}

/* Is the program's "LD_PRELOAD=..." string @user one that contains @lib? */
static bool user_preload_has(const char *user, const char *lib)
{
	char buf[1100];
	size_t i = 0;
	for (; i < sizeof(buf) - 1; i++)
		if (!dune_read_user(&buf[i], user + i, 1) || !buf[i])
			break;
	buf[i] = 0;
	return strstr(buf, lib) != NULL;
}

/* "LD_PRELOAD=..." for the next image: the library's path, or, where the
 * credentials an execve runs with (the effective ones, which ld.so opens
 * with) cannot read it, the descriptor init.c holds (preload_via_fd) */
static const char *preload_for_exec(bool *via_fd)
{
	static char entry[sizeof(dune_state.preload_path) + 16];
	*via_fd = dune_state.has_preload_fd &&
	          dune_raw_syscall6(SYS_faccessat2, AT_FDCWD, (long)dune_state.preload_path, R_OK,
	                            AT_EACCESS, 0, 0) == -EACCES;
	if (*via_fd)
		dune_snprintf(entry, sizeof(entry), "LD_PRELOAD=/proc/self/fd/%d",
		              dune_state.preload_fd);
	else
		dune_snprintf(entry, sizeof(entry), "LD_PRELOAD=%s", dune_state.preload_path);
	return entry;
}

/*
 * An injected process keeps its injection across execve: if the new
 * environment lost LD_PRELOAD, or a variable the injection registered
 * (dune_inject_keep_env: a tool's variables), the monitor adds it back (the
 * new image then enters the VM before its main, like this one did).
 */
static long exec_keeping_preload(long nr, const uint64_t *args)
{
	const char *const *envp = (const char *const *)(nr == SYS_execve ? args[2] : args[3]);
	bool preload_via_fd = false;
	const char *keep = dune_state.preload_path[0] ? preload_for_exec(&preload_via_fd) : "";
	const char *new_envp[4096];
	bool have_preload = false, have_kept[4] = {false};
	size_t n = 0;
	const size_t max = sizeof(new_envp) / sizeof(new_envp[0]) - 5 - 4;
	/* the backend's device, for a new image that may no longer be allowed
	 * to open it (a program that dropped root): inherited once, then closed
	 * there (backend/kvm/platform.c) */
	static char device_env[48];
	/* the page a seccomp filter knows the program's calls by
	 * (program_calls.c) */
	static char calls_env[48];
	/* the program's RLIMIT_AS, without the runtime's part (rlimit_as.c) */
	static char as_env[64];
	const char *as = dune_rlimit_as_env(as_env, sizeof(as_env));
	int device = dune_backend->device_fd ? dune_backend->device_fd() : -1;

	if (!keep[0] || !envp)
		goto native;
	for (;; n++) {
		const char *var;
		if (n >= max || !dune_read_user(&var, &envp[n], sizeof(var)))
			goto native; /* the kernel reports what is wrong */
		if (!var)
			break;
		new_envp[n] = var;
		if (user_starts_with(var, "LD_PRELOAD=") &&
		    user_preload_has(var, dune_state.preload_path))
			have_preload = true;
		for (int k = 0; k < dune_state.nkeep_env; k++) {
			const char *eq = strchr(dune_state.keep_env[k], '=');
			char name[128];
			size_t len = (size_t)(eq - dune_state.keep_env[k]) + 1;
			memcpy(name, dune_state.keep_env[k], len);
			name[len] = 0;
			if (user_starts_with(var, name))
				have_kept[k] = true;
		}
	}
	bool changed = false;
	if (device >= 0) {
		dune_snprintf(device_env, sizeof(device_env), "%s=%d", DUNE_DEVICE_FD_ENV, device);
		new_envp[n++] = device_env;
		changed = true;
	}
	if (as) {
		new_envp[n++] = as;
		changed = true;
	}
	if (dune_seccomp_filtered()) {
		dune_snprintf(calls_env, sizeof(calls_env), "%s=%lx", DUNE_PROGRAM_CALLS_ENV,
		              (unsigned long)dune_program_calls_page());
		new_envp[n++] = calls_env;
		changed = true;
	}
	if (!have_preload) {
		new_envp[n++] = keep;
		changed = true;
	} else {
		preload_via_fd = false;
	}
	for (int k = 0; k < dune_state.nkeep_env; k++)
		if (!have_kept[k]) {
			new_envp[n++] = dune_state.keep_env[k];
			changed = true;
		}
	new_envp[n] = NULL;
	if (!changed)
		goto native;
	/* descriptors the new image inherits (ours are close-on-exec) */
	int kept = dune_state.has_keep_fd ? dune_state.keep_fd : -1;
	int preload = preload_via_fd ? dune_state.preload_fd : -1;
	if (preload >= 0)
		dune_raw_syscall6(SYS_fcntl, preload, F_SETFD, 0, 0, 0, 0);
	if (device >= 0)
		dune_raw_syscall6(SYS_fcntl, device, F_SETFD, 0, 0, 0, 0);
	if (kept >= 0)
		dune_raw_syscall6(SYS_fcntl, kept, F_SETFD, 0, 0, 0, 0);
	long r =
	    nr == SYS_execve
	        ? dune_program_syscall6(nr, (long)args[0], (long)args[1], (long)new_envp, 0, 0, 0)
	        : dune_program_syscall6(nr, (long)args[0], (long)args[1], (long)args[2],
	                                (long)new_envp, (long)args[4], 0);
	if (device >= 0) /* the exec failed: ours again */
		dune_raw_syscall6(SYS_fcntl, device, F_SETFD, FD_CLOEXEC, 0, 0, 0);
	if (kept >= 0)
		dune_raw_syscall6(SYS_fcntl, kept, F_SETFD, FD_CLOEXEC, 0, 0, 0);
	if (preload >= 0)
		dune_raw_syscall6(SYS_fcntl, preload, F_SETFD, FD_CLOEXEC, 0, 0, 0);
	return r;
native:
	return dune_program_syscall6(nr, (long)args[0], (long)args[1], (long)args[2], (long)args[3],
	                             (long)args[4], 0);
}

/* "int $0x80" from ring 3 meets the gate's DPL: #GP whose error code
 * says an IDT entry (SDM Vol. 3A 6.13; the index is vector << 3 on
 * hardware, QEMU's TCG gives vector << 4), at the instruction itself. */
static bool is_int80(const struct dune_tf *tf)
{
	unsigned char insn[2];
	return tf->vector == 13 && dune_tf_from_user(tf) && (tf->error_code & 3) == 2 &&
	       dune_read_user(insn, (const void *)tf->rip, 2) && insn[0] == 0xcd && insn[1] == 0x80;
}

/* A call that seccomp's strict mode does not allow (seccomp.c): the kernel
 * ends the thread with SIGKILL, and with it the process if it is the only
 * thread. Returns the call that ends the thread alone. */
static long strict_violation(struct dune_percpu *pc)
{
	if (!pc->own_process && __atomic_load_n(&dune_state.live_threads, __ATOMIC_ACQUIRE) > 1)
		return SYS_exit;
	dune_hooks_vcpu_exit(true);
	dune_write_totals("exit");
	dune_raw_syscall6(SYS_kill, dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0), SIGKILL, 0, 0,
	                  0, 0);
	for (;;)
		dune_raw_syscall6(SYS_pause, 0, 0, 0, 0, 0, 0);
}

static long run_syscall(struct dune_percpu *pc, const uint64_t *a)
{
	static bool said_sigreturn;
	long nr = (long)a[0];
	const uint64_t *args = a + 1;

	dune_tls_stats.syscalls++;
	__atomic_add_fetch(&dune_state.totals.syscalls, 1, __ATOMIC_RELAXED);
	if (pc->leave_pending && pc->syscall_passthrough)
		dune_leave_vm(pc, nr);
	if (pc->seccomp_strict && pc->syscall_passthrough && !dune_seccomp_strict_allows(nr))
		nr = strict_violation(pc);
	uint64_t widened[6];
	args = dune_mem_exec_only(nr, args, widened);
	struct dune_kick_args kick_args;
	args = dune_kick_keep_blocked(nr, args, &kick_args);
	long handled;
	if (dune_fd_guard(nr, args, &handled) || dune_fd_syscall(nr, args, &handled) ||
	    dune_runtime_guard(nr, args, &handled) || dune_rlimit_as_syscall(nr, args, &handled))
		return handled;
	switch (nr) {
	case SYS_clone:
		if (args[0] & CLONE_VM)
			return dune_clone_vm(pc, nr, args);
		goto no_fork;
	case SYS_clone3: {
		/* the program's pointer: a bad one is the kernel's EFAULT */
		uint64_t flags;
		if (args[1] >= 64 && !dune_read_user(&flags, (const void *)args[0], sizeof(flags)))
			return -EFAULT;
		if (args[1] >= 64 && (flags & CLONE_VM))
			return dune_clone_vm(pc, nr, args);
		goto no_fork;
	}
	case SYS_vfork:
		/* the child shares memory and, until it execs or exits, the
		 * stack: a thread of the VM with its own vCPU */
		return dune_clone_vm(pc, nr, args);
	case SYS_fork:
	no_fork:
		return dune_fork(pc, nr, args);
	case SYS_execve:
	case SYS_execveat: {
		dune_hooks_exec((const char *)(nr == SYS_execve ? args[0] : args[1]));
		dune_write_totals("execve");
		dune_kick_before_exec();
		long failed = exec_keeping_preload(nr, args);
		if (!pc->own_process) /* the image goes on: its scans too */
			dune_access_scan_thread_start();
		return failed;
	}
	case SYS_exit_group:
		if (!pc->own_process)
			dune_access_scan_due(pc); /* the last interval's pages */
		dune_hooks_vcpu_exit(true);
		dune_write_totals("exit");
		if (pc->own_process)
			dune_vcpu_release(pc); /* a CLONE_VM child's: the VM goes on */
		break;
	case SYS_exit:
		/* The last thread of a process that exits ends the process, and
		 * natively exit() then does. Here KVM's helper task
		 * (kvm-nx-lpage-recovery) sits in the thread group and would keep
		 * the process alive, unreaped, for ever: exit_group instead. */
		if (pc->own_process ||
		    __atomic_sub_fetch(&dune_state.live_threads, 1, __ATOMIC_ACQ_REL) <= 0) {
			if (!pc->own_process)
				dune_access_scan_due(pc);
			dune_hooks_vcpu_exit(true);
			dune_write_totals("exit");
			if (pc->own_process)
				dune_vcpu_release(pc);
			return dune_raw_syscall6(SYS_exit_group, (long)args[0], 0, 0, 0, 0, 0);
		}
		/* this thread ends: its vCPU can serve the next one */
		dune_hooks_vcpu_exit(false);
		dune_vcpu_release(pc);
		break;
	case SYS_rt_sigaction:
		return dune_signal_sigaction(pc, args);
	case SYS_mlockall:
		return dune_mem_mlockall((int)args[0]);
	case SYS_getdents64:
		return dune_fd_getdents(args);
	case SYS_seccomp:
		return dune_seccomp_set(pc, nr, args);
	case SYS_prctl:
		if (args[0] == PR_SET_SECCOMP)
			return dune_seccomp_set(pc, nr, args);
		break;
	case SYS_open:
	case SYS_openat: {
		bool done;
		long fd = dune_procfs_open(nr, args, &done);
		if (done)
			return fd;
		break;
	}
	case SYS_rt_sigreturn: {
		uint64_t result;
		if (dune_signal_sigreturn(pc, &result) == 0)
			return (long)result;
	}
		/* fall through */
		warn_once(&said_sigreturn, "rt_sigreturn in the VM without a signal frame of "
		                           "libdune's (signals of a program in ring 0 run on the "
		                           "host thread); returning ENOSYS");
		return -ENOSYS;
	default:
		break;
	}
	long ret = (pc->syscall_passthrough ? dune_program_syscall6 : dune_raw_syscall6)(
	    nr, (long)args[0], (long)args[1], (long)args[2], (long)args[3], (long)args[4],
	    (long)args[5]);
	if (nr == SYS_arch_prctl && ret == 0 && (args[0] == ARCH_SET_FS || args[0] == ARCH_SET_GS))
		sync_segment_bases(pc);
	if (nr == SYS_prctl && ret == 0 && args[0] == PR_SET_TSC) {
		pc->tsc_faults = args[1] == PR_TSC_SIGSEGV;
		if (dune_backend->sync_tsc_mode)
			dune_backend->sync_tsc_mode(pc);
	}
	if (pc->syscall_passthrough && dune_leave_wanted(pc, nr, args, ret))
		pc->leave_pending = true;
	dune_mem_after_syscall(pc, nr, args, ret);
	dune_uffd_after_syscall(pc, nr, args, ret);
	dune_fd_after_syscall(nr, args, ret);
	return ret;
}

static void handle_hostcall(struct dune_percpu *pc)
{
	struct dune_hostcall *hc = &pc->hc;

	dune_tls_stats.hostcalls++;
	switch (hc->nr) {
	case HC_SYSCALL:
		hc->ret = run_syscall(pc, hc->args);
		if (!pc->syscall_passthrough) {
			/* a ring-0 handler's own call, amid the program's: the
			 * program's frame is not at its end; the signal waits
			 * for ring 3 (an interrupt once the guest can take it) */
			if (pc->sig_pending)
				dune_signal_kick(pc);
			break;
		}
		pc->last_syscall_result = hc->ret;
		if (pc->sig_pending)
			hc->ret = (int64_t)dune_signal_deliver(
			    pc, pc->syscall_tf, (uint64_t)hc->ret, (long)hc->args[0]);
		break;
	case HC_SIGNAL: {
		struct dune_tf *tf = (struct dune_tf *)hc->args[0];
		tf->rax = dune_signal_deliver(pc, tf, tf->rax, -1);
		break;
	}
	case HC_PAGEFAULT:
		hc->ret = dune_mem_fault(pc, hc->args[0], hc->args[1]);
		break;
	case HC_TOOL:
		hc->ret = dune_hooks_tool_hostcall(hc->args);
		break;
	case HC_OVERLAY:
		hc->ret = dune_protect_hostcall(hc->args);
		break;
	case HC_SCAN:
		/* a CLONE_VM child of its own (posix_spawn's) may be killed or
		 * exec at any time: the scan, and its locks, are its parent's */
		if (!pc->own_process &&
		    __atomic_exchange_n(&dune_state.scan_wanted, 0, __ATOMIC_ACQ_REL))
			dune_access_scan_due(pc);
		hc->ret = 0;
		break;
	case HC_FAULT_SIGNAL: {
		struct dune_tf *tf = (struct dune_tf *)hc->args[0];
		int sig = (int)hc->args[1];
		/* CR2 as the guest read it: "mov %cr2" is privileged here */
		uint64_t cr2 = hc->args[2];
		if (sig == SIGSEGV && dune_umip_emulate(tf))
			break;
		if (sig == SIGSEGV && is_int80(tf)) {
			sig = dune_replay_int80_syscall(pc, tf);
			if (!sig)
				break;
		}
		if (dune_signal_fault(pc, tf, sig, cr2))
			break; /* the program's handler runs next */
		if (pc->user_mode_entry && !dune_state.debug)
			dune_die_with_signal(sig); /* silent, as natively */
		dune_printf("dune: unhandled exception %lu (%s) at rip %#lx in ring %d: %s\n",
		            (unsigned long)tf->vector, dune_vector_name(tf->vector),
		            (unsigned long)tf->rip, dune_tf_from_user(tf) ? 3 : 0, strsignal(sig));
		if (tf->vector == 14)
			dune_printf("  fault address %#lx (%s, %s)\n", (unsigned long)cr2,
			            tf->error_code & PF_ERR_W ? "write" : "read",
			            tf->error_code & PF_ERR_P ? "protection" : "not present");
		dune_dump_tf(tf);
		dune_dump_code(tf->rip);
		dune_die_with_signal(sig);
	}
	default:
		dune_monitor_dump(pc, "unknown host call from the guest");
		dune_raw_syscall6(SYS_exit_group, 1, 0, 0, 0, 0, 0);
	}
}

void dune_monitor_main(struct dune_percpu *pc)
{
	struct dune_tf start;

	/* The frame the guest starts from: the caller of dune_enter, returning 0. */
	struct dune_tf *tf = &start;
	memset(tf, 0, sizeof(*tf));
	tf->rip = pc->cont_rip;
	tf->rsp = pc->cont_rsp;
	tf->rbx = pc->cont_rbx;
	tf->rbp = pc->cont_rbp;
	tf->r12 = pc->cont_r12;
	tf->r13 = pc->cont_r13;
	tf->r14 = pc->cont_r14;
	tf->r15 = pc->cont_r15;
	if (pc->user_mode_entry) {
		tf->cs = DUNE_USER_CS;
		tf->ss = DUNE_USER_DS;
		tf->rflags = 0x202;
	} else {
		tf->cs = DUNE_KERNEL_CS;
		tf->ss = DUNE_KERNEL_DS;
		tf->rflags = 0x2;
	}
	dune_monitor_resume(pc, tf);
}

void dune_monitor_resume(struct dune_percpu *pc, const struct dune_tf *start)
{
	pc->host_pid = (int)dune_raw_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
	pc->host_tid = (int)dune_raw_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0);
	dune_kick_thread_start(pc);
	if (!pc->own_process) /* a CLONE_VM child's memory is its parent's to scan */
		dune_access_scan_thread_start();
	uintptr_t base = (uintptr_t)pc;

	/* The boot path (entry.S) returns through this frame: at the top of the
	 * kernel stack, or, when resuming ring-0 code that is itself on the
	 * kernel stack (a forked child), below what that code has there. */
	uintptr_t slot = base + PERCPU_KSTACK_TOP;
	if (!dune_tf_from_user(start) && start->rsp > base + PERCPU_KSTACK_LO + 4096 &&
	    start->rsp <= base + PERCPU_KSTACK_TOP)
		slot = (start->rsp - 512) & ~15UL;
	struct dune_tf *tf = (struct dune_tf *)(slot - sizeof(struct dune_tf));
	memcpy(tf, start, sizeof(*tf));
	pc->boot_tf = tf;

	struct dune_tf boot;
	memset(&boot, 0, sizeof(boot));
	boot.rip = (uint64_t)dune_guest_boot;
	boot.rsp = (uint64_t)tf - 64;
	boot.rdi = base;
	boot.rflags = 0x2;
	int r = dune_backend->set_regs(pc, &boot);
	if (r < 0) {
		dune_printf("dune: setting the vCPU's boot registers failed: %s\n", strerror(-r));
		dune_raw_syscall6(SYS_exit_group, 1, 0, 0, 0, 0, 0);
	}

	/* The program's errno is the host thread's: the same TLS. The monitor's
	 * own libc calls while it handles an exit must not change it under the
	 * program (between "errno = 0" and its check, a SIGCHLD that ended
	 * KVM_RUN made gdb's successful ptrace fail with EINTR): it goes back
	 * as the guest left it. */
	int program_errno = errno;
	int efaults = 0;
	for (;;) {
		struct dune_exit exit;

		errno = program_errno;
		dune_kick_before_run(pc);
		dune_kick_entering(pc);
		dune_tls_in_guest = true;
		dune_backend->run(pc, &exit);
		dune_tls_in_guest = false;
		dune_kick_left(pc);
		program_errno = errno;
		dune_tls_stats.exits++;
		__atomic_add_fetch(&dune_state.totals.exits, 1, __ATOMIC_RELAXED);
		switch (exit.kind) {
		case DUNE_EXIT_INTERRUPTED:
			dune_kick_take(pc);
			if (!(pc->sig_pending && dune_signal_kick(pc)))
				dune_kick_flush(pc);
			if (dune_state.debug)
				dune_monitor_dump(pc, "interrupted by a signal (DUNE_DEBUG)");
			continue;
		case DUNE_EXIT_RUN_ERROR:
			if (exit.error == EFAULT && efaults++ < 3) {
				/* a page the host cannot fault in: which one,
				 * the guest's page fault will say */
				if (efaults == 1)
					dune_mem_unmap_program(pc);
				continue;
			}
			dune_monitor_dump(pc, strerror(exit.error));
			dune_die_with_signal(exit.error == EFAULT ? SIGSEGV : SIGKILL);
		default:
			break;
		}
		efaults = 0;
		if (dune_state.debug)
			dune_printf("dune: exit %s hostcall %llu arg %#llx\n", exit.name,
			            (unsigned long long)pc->hc.nr,
			            (unsigned long long)pc->hc.args[0]);
		switch (exit.kind) {
		case DUNE_EXIT_HOSTCALL:
			handle_hostcall(pc);
			continue;
		case DUNE_EXIT_MMIO:
			dune_printf(
			    "dune: guest access to guest-physical %#llx, which has no memory "
			    "(%s %u bytes)\n",
			    (unsigned long long)exit.mmio.gpa,
			    exit.mmio.write ? "write of" : "read of", exit.mmio.len);
			dune_monitor_dump(pc, "MMIO exit");
			dune_die_with_signal(SIGSEGV);
		case DUNE_EXIT_INTERRUPT_WINDOW:
			/* a signal that became blocked meanwhile wants no
			 * window: asking on would stop the guest for ever */
			if (!(pc->sig_pending && dune_signal_kick(pc)) && !dune_kick_flush(pc))
				dune_backend->cancel_interrupt_window(pc);
			continue;
		case DUNE_EXIT_SHUTDOWN:
			dune_monitor_dump(pc, "triple fault (the guest could not deliver an "
			                      "exception: a broken IDT, stack or page table)");
			break;
		case DUNE_EXIT_FAILED_ENTRY:
			dune_printf("dune: VM entry failed, hardware reason %#llx\n",
			            (unsigned long long)exit.detail);
			dune_monitor_dump(pc, "failed VM entry");
			break;
		case DUNE_EXIT_INTERNAL_ERROR:
			dune_printf("dune: %s internal error, suberror %u\n", dune_backend->name,
			            (unsigned)exit.detail);
			dune_monitor_dump(pc, "internal error of the hypervisor");
			break;
		case DUNE_EXIT_UNKNOWN:
			dune_monitor_dump(pc, exit.what ? exit.what : "unexpected exit");
			break;
		case DUNE_EXIT_DEBUG: {
			struct dune_debug_exit e = {.exception = exit.debug.vector,
			                            .rip = exit.debug.rip,
			                            .dr6 = exit.debug.dr6,
			                            .dr7 = exit.debug.dr7};
			if (dune_hooks_debug_exit(&e))
				continue;
			dune_printf("dune: debug exit (exception %u at rip %#llx, dr6 %#llx, "
			            "dr7 %#llx) and no debug-exit hook took it: guest debugging "
			            "is on, but no tool registered dune_hook_debug_exit\n",
			            e.exception, (unsigned long long)e.rip,
			            (unsigned long long)e.dr6, (unsigned long long)e.dr7);
			dune_monitor_dump(pc, "unhandled debug exit");
			break;
		}
		default:
			dune_monitor_dump(pc, "unexpected exit");
			break;
		}
		dune_raw_syscall6(SYS_exit_group, 1, 0, 0, 0, 0, 0);
	}
}
