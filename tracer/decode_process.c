// SPDX-License-Identifier: MIT
/*
 * Processes: clone's, unshare's and setns's flags, wait options and
 * statuses, struct clone_args; prctl, arch_prctl and ptrace with their
 * per-option arguments; the per-call decoders of clone, unshare, setns,
 * prctl, arch_prctl and ptrace.
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <sys/prctl.h>
#include <sys/ptrace.h>

/* --- clone ---------------------------------------------------------------------------- */

/* clone's flags, in bit order, without the exit signal byte */
static const struct dtl_flag_name clone_flags[] = {
    XN(0x100, "CLONE_VM"),
    XN(0x200, "CLONE_FS"),
    XN(0x400, "CLONE_FILES"),
    XN(0x800, "CLONE_SIGHAND"),
    XN(0x1000, "CLONE_PIDFD"),
    XN(0x2000, "CLONE_PTRACE"),
    XN(0x4000, "CLONE_VFORK"),
    XN(0x8000, "CLONE_PARENT"),
    XN(0x10000, "CLONE_THREAD"),
    XN(0x20000, "CLONE_NEWNS"),
    XN(0x40000, "CLONE_SYSVSEM"),
    XN(0x80000, "CLONE_SETTLS"),
    XN(0x100000, "CLONE_PARENT_SETTID"),
    XN(0x200000, "CLONE_CHILD_CLEARTID"),
    XN(0x400000, "CLONE_DETACHED"),
    XN(0x800000, "CLONE_UNTRACED"),
    XN(0x1000000, "CLONE_CHILD_SETTID"),
    XN(0x2000000, "CLONE_NEWCGROUP"),
    XN(0x4000000, "CLONE_NEWUTS"),
    XN(0x8000000, "CLONE_NEWIPC"),
    XN(0x10000000, "CLONE_NEWUSER"),
    XN(0x20000000, "CLONE_NEWPID"),
    XN(0x40000000, "CLONE_NEWNET"),
    XN(0x80000000, "CLONE_IO"),
    XN(0x100000000ULL, "CLONE_CLEAR_SIGHAND"),
    XN(0x200000000ULL, "CLONE_INTO_CGROUP"),
};
/* unshare's: the namespaces and what can be unshared */
static const struct dtl_flag_name unshare_flags[] = {
    XN(0x80, "CLONE_NEWTIME"),
    XN(0x100, "CLONE_VM"),
    XN(0x200, "CLONE_FS"),
    XN(0x400, "CLONE_FILES"),
    XN(0x800, "CLONE_SIGHAND"),
    XN(0x10000, "CLONE_THREAD"),
    XN(0x20000, "CLONE_NEWNS"),
    XN(0x40000, "CLONE_SYSVSEM"),
    XN(0x2000000, "CLONE_NEWCGROUP"),
    XN(0x4000000, "CLONE_NEWUTS"),
    XN(0x8000000, "CLONE_NEWIPC"),
    XN(0x10000000, "CLONE_NEWUSER"),
    XN(0x20000000, "CLONE_NEWPID"),
    XN(0x40000000, "CLONE_NEWNET"),
    XN(0x80000000, "CLONE_IO"),
};
static const struct dtl_flag_name setns_types[] = {
    XN(0x80, "CLONE_NEWTIME"),        XN(0x20000, "CLONE_NEWNS"),
    XN(0x2000000, "CLONE_NEWCGROUP"), XN(0x4000000, "CLONE_NEWUTS"),
    XN(0x8000000, "CLONE_NEWIPC"),    XN(0x10000000, "CLONE_NEWUSER"),
    XN(0x20000000, "CLONE_NEWPID"),   XN(0x40000000, "CLONE_NEWNET"),
};

static const struct dtl_flag_name wait_options[] = {
    XN(1, "WNOHANG"),         XN(4, "WEXITED"),
    XN(2, "WSTOPPED"),        XN(8, "WCONTINUED"),
    XN(0x1000000, "WNOWAIT"), XN(0x80000000, "__WCLONE"),
    XN(0x40000000, "__WALL"), XN(0x20000000, "__WNOTHREAD"),
};

/* clone's flags word: flags, then the exit signal ("...|SIGCHLD") */
void dtl_print_clone_flags(FILE *out, uint64_t v)
{
	uint64_t flags = v & ~0xffull;
	int sig = (int)(v & 0xff);
	if (flags) {
		dtl_print_xflags(out, flags, clone_flags, DTL_N(clone_flags), NULL, "CLONE_???");
		if (sig) {
			fputc('|', out);
			dtl_print_signal(out, sig);
		}
	} else if (sig) {
		dtl_print_signal(out, sig);
	} else {
		fputc('0', out);
	}
}

void dtl_print_wait_options(FILE *out, uint32_t v)
{
	dtl_print_xflags(out, v, wait_options, DTL_N(wait_options), "0", "W???");
}

/* clone: named arguments, in strace's order */
int dtl_decode_clone_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	uint64_t f = c->ev->args[0];
	int n = 0;
	order[n++] = 1;              /* child_stack */
	order[n++] = 0;              /* flags */
	if (f & (0x100000 | 0x1000)) /* CLONE_PARENT_SETTID, CLONE_PIDFD */
		order[n++] = 2;
	if (f & 0x80000) /* CLONE_SETTLS */
		order[n++] = 4;
	if (f & (0x1000000 | 0x200000)) /* CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID */
		order[n++] = 3;
	return n;
}

static void print_clone_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	uint64_t v = c->ev->args[i];
	switch (i) {
	case 0:
		fputs("flags=", out);
		dtl_print_clone_flags(out, v);
		return;
	case 1:
		fputs("child_stack=", out);
		dtl_print_addr(out, v);
		return;
	case 2:
		fputs("parent_tid=", out);
		/* the kernel stores the new tid there before returning it */
		if (v && (c->ev->args[0] & 0x100000) && c->completed && c->ev->ret > 0)
			fprintf(out, "[%ld]", (long)c->ev->ret);
		else
			dtl_print_addr(out, v);
		return;
	case 3:
		fputs("child_tidptr=", out);
		dtl_print_addr(out, v);
		return;
	case 4:
		fputs("tls=", out);
		dtl_print_addr(out, v);
		return;
	}
}

bool dtl_decode_clone_arg(const struct dtl_decoder_ctx *c, int i)
{
	print_clone_arg(c, i);
	return true;
}

bool dtl_decode_unshare_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (c->d->args[i].kind != DTL_ARG_CLONE_FLAGS)
		return false;
	dtl_print_xflags(c->out, (uint32_t)c->ev->args[i], unshare_flags, DTL_N(unshare_flags), "0",
	                 "CLONE_???");
	return true;
}

bool dtl_decode_setns_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (c->d->args[i].kind != DTL_ARG_CLONE_FLAGS)
		return false;
	dtl_print_xflags(c->out, (uint32_t)c->ev->args[i], setns_types, DTL_N(setns_types), "0",
	                 "CLONE_NEW???");
	return true;
}

/* --- wait status, clone_args ---------------------------------------------------------- */

void dtl_print_wait_status(FILE *out, int s)
{
	fputs("[{", out);
	if ((s & 0x7f) == 0) {
		fprintf(out, "WIFEXITED(s) && WEXITSTATUS(s) == %d", (s >> 8) & 0xff);
	} else if ((s & 0xff) == 0x7f) {
		fputs("WIFSTOPPED(s) && WSTOPSIG(s) == ", out);
		dtl_print_scalar(out, DTL_ARG_SIGNUM, (s >> 8) & 0xff);
		static const char *const events[] = {NULL,
		                                     "PTRACE_EVENT_FORK",
		                                     "PTRACE_EVENT_VFORK",
		                                     "PTRACE_EVENT_CLONE",
		                                     "PTRACE_EVENT_EXEC",
		                                     "PTRACE_EVENT_VFORK_DONE",
		                                     "PTRACE_EVENT_EXIT",
		                                     "PTRACE_EVENT_SECCOMP"};
		unsigned ev = (unsigned)s >> 16;
		if (ev && ev < DTL_N(events))
			fprintf(out, " && s >> 16 == %s", events[ev]);
		else if (ev == 128)
			fputs(" && s >> 16 == PTRACE_EVENT_STOP", out);
		else if (ev)
			fprintf(out, " && s >> 16 == %#x", ev);
	} else if (s == 0xffff) {
		fputs("WIFCONTINUED(s)", out);
	} else {
		fputs("WIFSIGNALED(s) && WTERMSIG(s) == ", out);
		dtl_print_scalar(out, DTL_ARG_SIGNUM, s & 0x7f);
		if (s & 0x80)
			fputs(" && WCOREDUMP(s)", out);
	}
	fputs("}]", out);
}

void dtl_print_clone_args(FILE *out, const uint8_t *p, size_t len)
{
	/* flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
	 * tls, set_tid, set_tid_size, cgroup */
	uint64_t f[11] = {0};
	memcpy(f, p, len < sizeof(f) ? len : sizeof(f));
	uint64_t flags = f[0];
	fputs("{flags=", out);
	dtl_print_scalar(out, DTL_ARG_CLONE_FLAGS, flags);
	if (flags & 0x00001000 /* CLONE_PIDFD */)
		fprintf(out, ", pidfd=%#lx", (unsigned long)f[1]);
	if (flags & (0x01000000 | 0x00200000) /* CLONE_CHILD_SETTID, _CLEARTID */)
		fprintf(out, ", child_tid=%#lx", (unsigned long)f[2]);
	if (flags & 0x00100000 /* CLONE_PARENT_SETTID */)
		fprintf(out, ", parent_tid=%#lx", (unsigned long)f[3]);
	fputs(", exit_signal=", out);
	dtl_print_scalar(out, DTL_ARG_SIGNUM, f[4]);
	fputs(", stack=", out);
	dtl_print_addr(out, f[5]);
	fprintf(out, ", stack_size=%#lx", (unsigned long)f[6]);
	if (flags & 0x00080000 /* CLONE_SETTLS */)
		fprintf(out, ", tls=%#lx", (unsigned long)f[7]);
	if (len >= 80 && (f[8] || f[9])) {
		/* the pid array itself was not copied */
		fputs(", set_tid=", out);
		dtl_print_addr(out, f[8]);
		fprintf(out, ", set_tid_size=%lu", (unsigned long)f[9]);
	}
	if (len >= 88 && (flags & 0x200000000ULL /* CLONE_INTO_CGROUP */))
		fprintf(out, ", cgroup=%lu", (unsigned long)f[10]);
	fputc('}', out);
}

/* --- prctl ------------------------------------------------------------------------------ */

static const struct dtl_flag_name prctl_options[] = {
    X(PR_SET_PDEATHSIG),
    X(PR_GET_PDEATHSIG),
    X(PR_GET_DUMPABLE),
    X(PR_SET_DUMPABLE),
    X(PR_GET_UNALIGN),
    X(PR_SET_UNALIGN),
    X(PR_GET_KEEPCAPS),
    X(PR_SET_KEEPCAPS),
    X(PR_GET_FPEMU),
    X(PR_SET_FPEMU),
    X(PR_GET_FPEXC),
    X(PR_SET_FPEXC),
    X(PR_GET_TIMING),
    X(PR_SET_TIMING),
    X(PR_SET_NAME),
    X(PR_GET_NAME),
    X(PR_GET_ENDIAN),
    X(PR_SET_ENDIAN),
    X(PR_GET_SECCOMP),
    X(PR_SET_SECCOMP),
    X(PR_CAPBSET_READ),
    X(PR_CAPBSET_DROP),
    X(PR_GET_TSC),
    X(PR_SET_TSC),
    X(PR_GET_SECUREBITS),
    X(PR_SET_SECUREBITS),
    X(PR_SET_TIMERSLACK),
    X(PR_GET_TIMERSLACK),
    X(PR_TASK_PERF_EVENTS_DISABLE),
    X(PR_TASK_PERF_EVENTS_ENABLE),
    X(PR_MCE_KILL),
    X(PR_MCE_KILL_GET),
    X(PR_SET_MM),
    X(PR_SET_CHILD_SUBREAPER),
    X(PR_GET_CHILD_SUBREAPER),
    X(PR_SET_NO_NEW_PRIVS),
    X(PR_GET_NO_NEW_PRIVS),
    X(PR_GET_TID_ADDRESS),
    X(PR_SET_THP_DISABLE),
    X(PR_GET_THP_DISABLE),
    XN(43, "PR_MPX_ENABLE_MANAGEMENT"),
    XN(44, "PR_MPX_DISABLE_MANAGEMENT"),
    X(PR_SET_FP_MODE),
    X(PR_GET_FP_MODE),
    X(PR_CAP_AMBIENT),
    XN(50, "PR_SVE_SET_VL"),
    XN(51, "PR_SVE_GET_VL"),
    X(PR_GET_SPECULATION_CTRL),
    X(PR_SET_SPECULATION_CTRL),
    XN(54, "PR_PAC_RESET_KEYS"),
    XN(55, "PR_SET_TAGGED_ADDR_CTRL"),
    XN(56, "PR_GET_TAGGED_ADDR_CTRL"),
    XN(57, "PR_SET_IO_FLUSHER"),
    XN(58, "PR_GET_IO_FLUSHER"),
    XN(59, "PR_SET_SYSCALL_USER_DISPATCH"),
    XN(60, "PR_PAC_SET_ENABLED_KEYS"),
    XN(61, "PR_PAC_GET_ENABLED_KEYS"),
    XN(62, "PR_SCHED_CORE"),
    XN(63, "PR_SME_SET_VL"),
    XN(64, "PR_SME_GET_VL"),
    XN(0x53564d41, "PR_SET_VMA"),
    XN(0x59616d61, "PR_SET_PTRACER"),
};

static const char *const capabilities[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

static void print_capability(FILE *out, uint64_t v)
{
	if (v < DTL_N(capabilities))
		fputs(capabilities[v], out);
	else
		fprintf(out, "%#lx /* CAP_??? */", (unsigned long)v);
}

/* prctl: how many arguments strace shows for an option, and how */
enum { PA_HEX, PA_PTR, PA_SIG, PA_DEC, PA_UDEC, PA_CAP };
struct prctl_shape {
	int n;        /* arguments after the option */
	uint8_t kind; /* of the first one */
};

static struct prctl_shape prctl_shape(unsigned opt)
{
	switch (opt) {
	case PR_GET_DUMPABLE:
	case PR_GET_KEEPCAPS:
	case PR_GET_TIMING:
	case PR_GET_SECCOMP:
	case PR_GET_SECUREBITS:
	case PR_GET_TIMERSLACK:
	case PR_TASK_PERF_EVENTS_DISABLE:
	case PR_TASK_PERF_EVENTS_ENABLE:
	case PR_MCE_KILL_GET:
	case PR_GET_FP_MODE:
		return (struct prctl_shape){0, PA_HEX};
	case PR_SET_NAME:
	case PR_GET_NAME:
	case PR_GET_PDEATHSIG:
	case PR_GET_CHILD_SUBREAPER:
	case PR_GET_TID_ADDRESS:
	case PR_GET_TSC:
	case PR_GET_UNALIGN:
	case PR_GET_FPEMU:
	case PR_GET_FPEXC:
	case PR_GET_ENDIAN:
		return (struct prctl_shape){1, PA_PTR};
	case PR_SET_PDEATHSIG:
		return (struct prctl_shape){1, PA_SIG};
	case PR_SET_KEEPCAPS:
	case PR_SET_TIMING:
	case PR_SET_CHILD_SUBREAPER:
		return (struct prctl_shape){1, PA_UDEC};
	case PR_SET_TIMERSLACK:
		return (struct prctl_shape){1, PA_DEC};
	case PR_CAPBSET_READ:
	case PR_CAPBSET_DROP:
		return (struct prctl_shape){1, PA_CAP};
	}
	return (struct prctl_shape){4, PA_HEX};
}

static void print_prctl_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	unsigned opt = (unsigned)c->ev->args[0];
	uint64_t v = c->ev->args[i];
	if (i == 1) {
		switch (opt) {
		case PR_SET_DUMPABLE: {
			static const struct dtl_flag_name d[] = {XN(0, "SUID_DUMP_DISABLE"),
			                                         XN(1, "SUID_DUMP_USER"),
			                                         XN(2, "SUID_DUMP_ROOT")};
			dtl_print_xval(out, (uint32_t)v, d, DTL_N(d), "SUID_DUMP_???");
			return;
		}
		case PR_SET_SECCOMP: {
			static const struct dtl_flag_name m[] = {XN(0, "SECCOMP_MODE_DISABLED"),
			                                         XN(1, "SECCOMP_MODE_STRICT"),
			                                         XN(2, "SECCOMP_MODE_FILTER")};
			dtl_print_xval(out, (uint32_t)v, m, DTL_N(m), "SECCOMP_MODE_???");
			return;
		}
		case PR_SET_PTRACER:
			if ((long)v == -1)
				fputs("PR_SET_PTRACER_ANY", out);
			else
				fprintf(out, "%d", (int)v);
			return;
		case PR_SET_MM:
			fprintf(out, "%#x /* PR_SET_MM_??? */", (unsigned)v);
			return;
		case PR_SET_VMA:
			if (v == 0)
				fputs("PR_SET_VMA_ANON_NAME", out);
			else
				fprintf(out, "%#lx /* PR_SET_VMA_??? */", (unsigned long)v);
			return;
		}
		switch (prctl_shape(opt).kind) {
		case PA_PTR:
			dtl_print_addr(out, v);
			return;
		case PA_SIG:
			dtl_print_signal(out, (int)v);
			return;
		case PA_DEC:
			fprintf(out, "%ld", (long)v);
			return;
		case PA_UDEC:
			fprintf(out, "%lu", (unsigned long)v);
			return;
		case PA_CAP:
			print_capability(out, v);
			return;
		}
	}
	if (opt == PR_CAP_AMBIENT) {
		static const struct dtl_flag_name ops[] = {
		    XN(1, "PR_CAP_AMBIENT_IS_SET"), XN(2, "PR_CAP_AMBIENT_RAISE"),
		    XN(3, "PR_CAP_AMBIENT_LOWER"), XN(4, "PR_CAP_AMBIENT_CLEAR_ALL")};
		uint64_t op = c->ev->args[1];
		if (i == 1)
			dtl_print_xval(out, v, ops, DTL_N(ops), "PR_CAP_AMBIENT_???");
		else if (i == 2 && op >= 1 && op <= 3)
			print_capability(out, v);
		else
			dtl_print_hex(out, v);
		return;
	}
	if (opt == PR_SET_VMA && (i == 2 || i == 4)) {
		dtl_print_addr(out, v);
		return;
	}
	if ((opt == PR_SET_MM || opt == PR_SET_NO_NEW_PRIVS || opt == PR_GET_NO_NEW_PRIVS ||
	     opt == PR_GET_THP_DISABLE || opt == PR_SET_SECCOMP || opt == PR_SET_VMA) &&
	    !(opt == PR_SET_SECCOMP && i == 2)) {
		fprintf(out, "%lu", (unsigned long)v);
		return;
	}
	if (opt == PR_SET_SECCOMP && i == 2) {
		if ((uint32_t)c->ev->args[1] == 2)
			dtl_print_addr(out, v);
		else
			fprintf(out, "%lu", (unsigned long)v);
		return;
	}
	dtl_print_hex(out, v);
}

int dtl_decode_prctl_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	unsigned opt = (unsigned)c->ev->args[0];
	int n = 1 + prctl_shape(opt).n;
	switch (opt) {
	case PR_SET_DUMPABLE:
	case PR_SET_PTRACER:
		n = 2;
		break;
	case PR_SET_SECCOMP:
		n = (uint32_t)c->ev->args[1] == 2 ? 3 : 5;
		break;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

void dtl_print_prctl_option(FILE *out, uint32_t v)
{
	dtl_print_xval(out, v, prctl_options, DTL_N(prctl_options), "PR_???");
}

bool dtl_decode_prctl_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (i == 0)
		return false;
	print_prctl_arg(c, i);
	return true;
}

bool dtl_decode_prctl_ret(const struct dtl_decoder_ctx *c, long r)
{
	if ((uint32_t)c->ev->args[0] != PR_GET_DUMPABLE)
		return false;
	static const struct dtl_flag_name dd[] = {XN(0, "SUID_DUMP_DISABLE"),
	                                          XN(1, "SUID_DUMP_USER"), XN(2, "SUID_DUMP_ROOT")};
	const char *s = dtl_xlookup((uint64_t)r, dd, DTL_N(dd));
	fprintf(c->out, "%ld", r);
	if (s)
		fprintf(c->out, " (%s)", s);
	return true;
}

/* --- arch_prctl --------------------------------------------------------------------------- */

static const struct dtl_flag_name arch_prctl_codes[] = {
    XN(0x1001, "ARCH_SET_GS"),
    XN(0x1002, "ARCH_SET_FS"),
    XN(0x1003, "ARCH_GET_FS"),
    XN(0x1004, "ARCH_GET_GS"),
    XN(0x1011, "ARCH_GET_CPUID"),
    XN(0x1012, "ARCH_SET_CPUID"),
    XN(0x1021, "ARCH_GET_XCOMP_SUPP"),
    XN(0x1022, "ARCH_GET_XCOMP_PERM"),
    XN(0x1023, "ARCH_REQ_XCOMP_PERM"),
    XN(0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
    XN(0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
    XN(0x2001, "ARCH_MAP_VDSO_X32"),
    XN(0x2002, "ARCH_MAP_VDSO_32"),
    XN(0x2003, "ARCH_MAP_VDSO_64"),
};

static void print_arch_prctl_arg(const struct dtl_decoder_ctx *c, uint64_t v)
{
	switch ((uint32_t)c->ev->args[0]) {
	case 0x1003: /* ARCH_GET_FS */
	case 0x1004: /* ARCH_GET_GS */
	case 0x1021: /* ARCH_GET_XCOMP_SUPP */
	case 0x1022: /* ARCH_GET_XCOMP_PERM */
	case 0x1024: /* ARCH_GET_XCOMP_GUEST_PERM */
		dtl_print_addr(c->out, v);
		return;
	case 0x1023: /* ARCH_REQ_XCOMP_PERM */
	case 0x1025: {
		static const struct dtl_flag_name xf[] = {
		    XN(0, "XFEATURE_FP"),         XN(1, "XFEATURE_SSE"),
		    XN(2, "XFEATURE_YMM"),        XN(3, "XFEATURE_BNDREGS"),
		    XN(4, "XFEATURE_BNDCSR"),     XN(5, "XFEATURE_OPMASK"),
		    XN(6, "XFEATURE_ZMM_Hi256"),  XN(7, "XFEATURE_Hi16_ZMM"),
		    XN(8, "XFEATURE_PT"),         XN(9, "XFEATURE_PKRU"),
		    XN(10, "XFEATURE_PASID"),     XN(17, "XFEATURE_XTILE_CFG"),
		    XN(18, "XFEATURE_XTILE_DATA")};
		const char *s = dtl_xlookup(v, xf, DTL_N(xf));
		dtl_print_hex(c->out, v);
		fprintf(c->out, " /* %s */", s ? s : "XFEATURE_???");
		return;
	}
	case 0x2001:
	case 0x2002:
	case 0x2003:
		fprintf(c->out, "%#lx", (unsigned long)v);
		return;
	}
	dtl_print_hex(c->out, v);
}

void dtl_print_arch_prctl_code(FILE *out, uint32_t v)
{
	dtl_print_xval(out, v, arch_prctl_codes, DTL_N(arch_prctl_codes), "ARCH_???");
}

/* ARCH_GET_CPUID takes no argument */
int dtl_decode_arch_prctl_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	int n = c->d->nargs;
	if ((uint32_t)c->ev->args[0] == 0x1011) /* ARCH_GET_CPUID */
		n--;
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

bool dtl_decode_arch_prctl_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (i != 1)
		return false;
	print_arch_prctl_arg(c, c->ev->args[i]);
	return true;
}

/* --- ptrace --------------------------------------------------------------------------------- */

static const struct dtl_flag_name ptrace_requests[] = {
    XN(0, "PTRACE_TRACEME"),
    XN(1, "PTRACE_PEEKTEXT"),
    XN(2, "PTRACE_PEEKDATA"),
    XN(3, "PTRACE_PEEKUSER"),
    XN(4, "PTRACE_POKETEXT"),
    XN(5, "PTRACE_POKEDATA"),
    XN(6, "PTRACE_POKEUSER"),
    XN(7, "PTRACE_CONT"),
    XN(8, "PTRACE_KILL"),
    XN(9, "PTRACE_SINGLESTEP"),
    XN(12, "PTRACE_GETREGS"),
    XN(13, "PTRACE_SETREGS"),
    XN(14, "PTRACE_GETFPREGS"),
    XN(15, "PTRACE_SETFPREGS"),
    XN(16, "PTRACE_ATTACH"),
    XN(17, "PTRACE_DETACH"),
    XN(18, "PTRACE_GETFPXREGS"),
    XN(19, "PTRACE_SETFPXREGS"),
    XN(24, "PTRACE_SYSCALL"),
    XN(25, "PTRACE_GET_THREAD_AREA"),
    XN(26, "PTRACE_SET_THREAD_AREA"),
    XN(30, "PTRACE_ARCH_PRCTL"),
    XN(31, "PTRACE_SYSEMU"),
    XN(32, "PTRACE_SYSEMU_SINGLESTEP"),
    XN(33, "PTRACE_SINGLEBLOCK"),
    XN(0x4200, "PTRACE_SETOPTIONS"),
    XN(0x4201, "PTRACE_GETEVENTMSG"),
    XN(0x4202, "PTRACE_GETSIGINFO"),
    XN(0x4203, "PTRACE_SETSIGINFO"),
    XN(0x4204, "PTRACE_GETREGSET"),
    XN(0x4205, "PTRACE_SETREGSET"),
    XN(0x4206, "PTRACE_SEIZE"),
    XN(0x4207, "PTRACE_INTERRUPT"),
    XN(0x4208, "PTRACE_LISTEN"),
    XN(0x4209, "PTRACE_PEEKSIGINFO"),
    XN(0x420a, "PTRACE_GETSIGMASK"),
    XN(0x420b, "PTRACE_SETSIGMASK"),
    XN(0x420c, "PTRACE_SECCOMP_GET_FILTER"),
    XN(0x420d, "PTRACE_SECCOMP_GET_METADATA"),
    XN(0x420e, "PTRACE_GET_SYSCALL_INFO"),
    XN(0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
};
static const struct dtl_flag_name ptrace_options[] = {
    XN(0x1, "PTRACE_O_TRACESYSGOOD"),  XN(0x2, "PTRACE_O_TRACEFORK"),
    XN(0x4, "PTRACE_O_TRACEVFORK"),    XN(0x8, "PTRACE_O_TRACECLONE"),
    XN(0x10, "PTRACE_O_TRACEEXEC"),    XN(0x20, "PTRACE_O_TRACEVFORKDONE"),
    XN(0x40, "PTRACE_O_TRACEEXIT"),    XN(0x80, "PTRACE_O_TRACESECCOMP"),
    XN(0x100000, "PTRACE_O_EXITKILL"), XN(0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
};

/* ptrace: arguments per request */
int dtl_decode_ptrace_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	switch (c->ev->args[0]) {
	case PTRACE_TRACEME:
		order[0] = 0;
		return 1;
	case PTRACE_ATTACH:
	case PTRACE_KILL:
	case PTRACE_INTERRUPT:
		order[0] = 0, order[1] = 1;
		return 2;
	case PTRACE_GETREGS:
	case PTRACE_SETREGS:
	case PTRACE_GETFPREGS:
	case PTRACE_SETFPREGS:
	case PTRACE_GETFPXREGS:
	case PTRACE_SETFPXREGS:
		order[0] = 0, order[1] = 1, order[2] = 3;
		return 3;
	}
	for (int i = 0; i < 4; i++)
		order[i] = i;
	return 4;
}

static void print_ptrace_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	uint64_t req = c->ev->args[0];
	uint64_t v = c->ev->args[i];
	if (i == 3) {
		switch (req) {
		case PTRACE_CONT:
		case PTRACE_SYSCALL:
		case PTRACE_DETACH:
		case PTRACE_SINGLESTEP:
		case PTRACE_SYSEMU:
		case PTRACE_SYSEMU_SINGLESTEP:
		case PTRACE_SINGLEBLOCK:
		case PTRACE_LISTEN:
			dtl_print_signal(out, (int)v);
			return;
		case PTRACE_SETOPTIONS:
		case PTRACE_SEIZE:
			dtl_print_xflags(out, v, ptrace_options, DTL_N(ptrace_options), "0",
			                 "PTRACE_O_???");
			return;
		}
		if (dtl_xlookup(req, ptrace_requests, DTL_N(ptrace_requests)))
			dtl_print_addr(out, v);
		else
			dtl_print_hex(out, v);
		return;
	}
	/* the address */
	if (dtl_xlookup(req, ptrace_requests, DTL_N(ptrace_requests)))
		dtl_print_addr(out, v);
	else
		dtl_print_hex(out, v);
}

void dtl_print_ptrace_request(FILE *out, uint64_t v)
{
	dtl_print_xval(out, v, ptrace_requests, DTL_N(ptrace_requests), "PTRACE_???");
}

bool dtl_decode_ptrace_arg(const struct dtl_decoder_ctx *c, int i)
{
	if (i != 2 && i != 3)
		return false;
	print_ptrace_arg(c, i);
	return true;
}
