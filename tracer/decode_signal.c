// SPDX-License-Identifier: MIT
/*
 * Signal structures as strace prints them: sigsets ("[INT TERM]",
 * "~[RTMIN RT_1]"), siginfo_t, the kernel's struct sigaction and stack_t.
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <dtl/signals.h>

#include <signal.h>
#include <string.h>

/* The spelling of dtl/signals.h, with or without its "SIG" */
static void print_signal_as(FILE *out, int sig, bool prefix)
{
	char buf[DTL_SIGNAL_SPELLING_MAX];
	const char *s = dtl_signal_spelling(sig, buf);
	fputs(!prefix && !strncmp(s, "SIG", 3) ? s + 3 : s, out);
}

void dtl_print_signal(FILE *out, int sig)
{
	print_signal_as(out, sig, true);
}

/* A signal's name without "SIG" as in a sigset: "INT", "RTMIN", "RT_3". */
static void print_signame_short(FILE *out, int sig)
{
	print_signal_as(out, sig, false);
}

void dtl_print_sigset(FILE *out, const void *set, size_t bytes)
{
	const uint8_t *p = set;
	size_t nsig = bytes * 8, count = 0;
	for (size_t i = 0; i < bytes; i++)
		count += (size_t)__builtin_popcount(p[i]);
	/* more than half full: the signals that are not in it */
	bool invert = count * 2 > nsig;
	if (invert)
		fputc('~', out);
	fputc('[', out);
	bool first = true;
	for (size_t sig = 1; sig <= nsig; sig++) {
		bool in = p[(sig - 1) / 8] & (1u << ((sig - 1) % 8));
		if (in == invert)
			continue;
		if (!first)
			fputc(' ', out);
		print_signame_short(out, (int)sig);
		first = false;
	}
	fputc(']', out);
}

/* --- siginfo --------------------------------------------------------------- */

struct code_name {
	int code;
	const char *name;
};

static const struct code_name si_generic[] = {
    {0, "SI_USER"},      {0x80, "SI_KERNEL"}, {-1, "SI_QUEUE"}, {-2, "SI_TIMER"},
    {-3, "SI_MESGQ"},    {-4, "SI_ASYNCIO"},  {-5, "SI_SIGIO"}, {-6, "SI_TKILL"},
    {-7, "SI_DETHREAD"}, {-60, "SI_ASYNCNL"},
};
static const struct code_name si_ill[] = {
    {1, "ILL_ILLOPC"}, {2, "ILL_ILLOPN"}, {3, "ILL_ILLADR"}, {4, "ILL_ILLTRP"},   {5, "ILL_PRVOPC"},
    {6, "ILL_PRVREG"}, {7, "ILL_COPROC"}, {8, "ILL_BADSTK"}, {9, "ILL_BADIADDR"},
};
static const struct code_name si_fpe[] = {
    {1, "FPE_INTDIV"},  {2, "FPE_INTOVF"},    {3, "FPE_FLTDIV"}, {4, "FPE_FLTOVF"},
    {5, "FPE_FLTUND"},  {6, "FPE_FLTRES"},    {7, "FPE_FLTINV"}, {8, "FPE_FLTSUB"},
    {14, "FPE_FLTUNK"}, {15, "FPE_CONDTRAP"},
};
static const struct code_name si_segv[] = {
    {1, "SEGV_MAPERR"},  {2, "SEGV_ACCERR"},  {3, "SEGV_BNDERR"},
    {4, "SEGV_PKUERR"},  {5, "SEGV_ACCADI"},  {6, "SEGV_ADIDERR"},
    {7, "SEGV_ADIPERR"}, {8, "SEGV_MTEAERR"}, {9, "SEGV_MTESERR"},
};
static const struct code_name si_bus[] = {
    {1, "BUS_ADRALN"},    {2, "BUS_ADRERR"},    {3, "BUS_OBJERR"},
    {4, "BUS_MCEERR_AR"}, {5, "BUS_MCEERR_AO"},
};
static const struct code_name si_trap[] = {
    {1, "TRAP_BRKPT"},  {2, "TRAP_TRACE"}, {3, "TRAP_BRANCH"},
    {4, "TRAP_HWBKPT"}, {5, "TRAP_UNK"},   {6, "TRAP_PERF"},
};
static const struct code_name si_chld[] = {
    {1, "CLD_EXITED"},  {2, "CLD_KILLED"},  {3, "CLD_DUMPED"},
    {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"},
};
static const struct code_name si_poll[] = {
    {1, "POLL_IN"},  {2, "POLL_OUT"}, {3, "POLL_MSG"},
    {4, "POLL_ERR"}, {5, "POLL_PRI"}, {6, "POLL_HUP"},
};
static const struct code_name si_sys[] = {{1, "SYS_SECCOMP"}, {2, "SYS_USER_DISPATCH"}};

static const char *code_lookup(const struct code_name *t, size_t n, int code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

static void print_si_code(FILE *out, int signo, int code)
{
	const char *name = NULL;
	if (code > 0 && code != 0x80) {
		switch (signo) {
		case SIGILL:
			name = code_lookup(si_ill, DTL_N(si_ill), code);
			break;
		case SIGFPE:
			name = code_lookup(si_fpe, DTL_N(si_fpe), code);
			break;
		case SIGSEGV:
			name = code_lookup(si_segv, DTL_N(si_segv), code);
			break;
		case SIGBUS:
			name = code_lookup(si_bus, DTL_N(si_bus), code);
			break;
		case SIGTRAP:
			name = code_lookup(si_trap, DTL_N(si_trap), code);
			break;
		case SIGCHLD:
			name = code_lookup(si_chld, DTL_N(si_chld), code);
			break;
		case SIGIO:
			name = code_lookup(si_poll, DTL_N(si_poll), code);
			break;
		case SIGSYS:
			name = code_lookup(si_sys, DTL_N(si_sys), code);
			break;
		}
	} else {
		name = code_lookup(si_generic, DTL_N(si_generic), code);
	}
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%#x", (unsigned)code);
}

/* si_pid, si_uid (the kill/rt/sigchld layouts share them) */
static void print_source(FILE *out, const uint8_t *p)
{
	fprintf(out, ", si_pid=%d, si_uid=%u", i32_at(p, 16), (unsigned)i32_at(p, 20));
}

/* si_int, si_ptr: the sigval at offset 24 */
static void print_sigval(FILE *out, const uint8_t *p)
{
	fprintf(out, ", si_int=%d, si_ptr=", i32_at(p, 24));
	dtl_print_addr(out, u64_at(p, 24));
}

/* a clock_t in ticks, with the seconds when not 0 */
static void print_clock(FILE *out, const char *name, uint64_t ticks)
{
	fprintf(out, ", %s=%lu", name, (unsigned long)ticks);
	if (ticks)
		fprintf(out, " /* %lu.%02lu s */", (unsigned long)(ticks / 100),
		        (unsigned long)(ticks % 100));
}

void dtl_print_siginfo(FILE *out, const void *siginfo)
{
	const uint8_t *p = siginfo;
	int signo = i32_at(p, 0), err = i32_at(p, 4), code = i32_at(p, 8);

	fputs("{si_signo=", out);
	dtl_print_scalar(out, DTL_ARG_SIGNUM, (uint64_t)(uint32_t)signo);
	fputs(", si_code=", out);
	print_si_code(out, signo, code);
	if (err) {
		const char *e = strerrorname_np(err);
		if (e)
			fprintf(out, ", si_errno=%s", e);
		else
			fprintf(out, ", si_errno=%d", err);
	}
	if (code <= 0) {
		/* sent by a process */
		switch (code) {
		case SI_USER:
		case SI_TKILL:
			print_source(out, p);
			break;
		case SI_TIMER:
			fprintf(out, ", si_timerid=%#x, si_overrun=%d", (unsigned)i32_at(p, 16),
			        i32_at(p, 20));
			print_sigval(out, p);
			break;
		case SI_SIGIO:
			fprintf(out, ", si_band=%ld, si_fd=%d", (long)u64_at(p, 16), i32_at(p, 24));
			break;
		default:
			print_source(out, p);
			if (u64_at(p, 24))
				print_sigval(out, p);
		}
	} else {
		switch (signo) {
		case SIGCHLD:
			print_source(out, p);
			fputs(", si_status=", out);
			if (code == CLD_EXITED)
				fprintf(out, "%d", i32_at(p, 24));
			else
				dtl_print_scalar(out, DTL_ARG_SIGNUM,
				                 (uint64_t)(uint32_t)i32_at(p, 24));
			print_clock(out, "si_utime", u64_at(p, 32));
			print_clock(out, "si_stime", u64_at(p, 40));
			break;
		case SIGILL:
		case SIGFPE:
		case SIGSEGV:
		case SIGBUS:
		case SIGTRAP:
			fputs(", si_addr=", out);
			dtl_print_addr(out, u64_at(p, 16));
			if (signo == SIGBUS && (code == BUS_MCEERR_AR || code == BUS_MCEERR_AO)) {
				int16_t lsb;
				memcpy(&lsb, p + 24, sizeof(lsb));
				fprintf(out, ", si_addr_lsb=%d", lsb);
			} else if (signo == SIGSEGV && code == SEGV_BNDERR) {
				fputs(", si_lower=", out);
				dtl_print_addr(out, u64_at(p, 32));
				fputs(", si_upper=", out);
				dtl_print_addr(out, u64_at(p, 40));
			} else if (signo == SIGSEGV && code == SEGV_PKUERR) {
				fprintf(out, ", si_pkey=%u", (unsigned)i32_at(p, 32));
			}
			break;
		case SIGIO:
			if (code >= 1 && code <= 6)
				fprintf(out, ", si_band=%ld, si_fd=%d", (long)u64_at(p, 16),
				        i32_at(p, 24));
			break;
		case SIGSYS: {
			fputs(", si_call_addr=", out);
			dtl_print_addr(out, u64_at(p, 16));
			int nr = i32_at(p, 24);
			const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
			if (d)
				fprintf(out, ", si_syscall=__NR_%s", d->name);
			else
				fprintf(out, ", si_syscall=%d", nr);
			uint32_t arch = (uint32_t)i32_at(p, 28);
			if (arch == 0xc000003e)
				fputs(", si_arch=AUDIT_ARCH_X86_64", out);
			else if (arch == 0x40000003)
				fputs(", si_arch=AUDIT_ARCH_I386", out);
			else
				fprintf(out, ", si_arch=%#x", arch);
			break;
		}
		default:
			if (i32_at(p, 16) || i32_at(p, 20))
				print_source(out, p);
			if (u64_at(p, 24))
				print_sigval(out, p);
		}
	}
	fputc('}', out);
}

/* --- struct sigaction (the kernel's), stack_t ------------------------------ */

void dtl_print_sigaction(FILE *out, const void *ksa)
{
	static const struct dtl_flag_name f[] = {
	    {0x04000000, "SA_RESTORER"},    {SA_ONSTACK, "SA_ONSTACK"},
	    {SA_RESTART, "SA_RESTART"},     {0x20000000, "SA_INTERRUPT"},
	    {SA_NODEFER, "SA_NODEFER"},     {SA_RESETHAND, "SA_RESETHAND"},
	    {SA_SIGINFO, "SA_SIGINFO"},     {SA_NOCLDSTOP, "SA_NOCLDSTOP"},
	    {SA_NOCLDWAIT, "SA_NOCLDWAIT"},
	};
	const uint8_t *p = ksa;
	uint64_t handler = u64_at(p, 0), flags = u64_at(p, 8), restorer = u64_at(p, 16);

	fputs("{sa_handler=", out);
	if (handler == 0)
		fputs("SIG_DFL", out);
	else if (handler == 1)
		fputs("SIG_IGN", out);
	else if (handler == UINT64_MAX)
		fputs("SIG_ERR", out);
	else
		fprintf(out, "%#lx", (unsigned long)handler);
	fputs(", sa_mask=", out);
	dtl_print_sigset(out, p + 24, 8);
	fputs(", sa_flags=", out);
	dtl_print_xflags(out, flags, f, DTL_N(f), "0", "SA_???");
	if (flags & 0x04000000) {
		fputs(", sa_restorer=", out);
		dtl_print_addr(out, restorer);
	}
	fputc('}', out);
}

void dtl_print_stack_t(FILE *out, const void *ss)
{
	static const struct dtl_flag_name f[] = {
	    {SS_ONSTACK, "SS_ONSTACK"}, {SS_DISABLE, "SS_DISABLE"}, {1u << 31, "SS_AUTODISARM"}};
	const uint8_t *p = ss;
	fputs("{ss_sp=", out);
	dtl_print_addr(out, u64_at(p, 0));
	fputs(", ss_flags=", out);
	dtl_print_xflags(out, (uint32_t)i32_at(p, 8), f, DTL_N(f), "0", "SS_???");
	fprintf(out, ", ss_size=%lu}", (unsigned long)u64_at(p, 16));
}

/* rt_sigreturn takes no argument; strace shows the mask it restores (the
 * capture copies it from the signal frame) */
void dtl_decode_rt_sigreturn_leading(const struct dtl_decoder_ctx *c)
{
	const struct dtl_blob *mask = dtl_blob_find(c->ev, 0, DTL_SUB_OBJECT, true);
	if (mask && mask->len == 8) {
		fputs("{mask=", c->out);
		dtl_print_sigset(c->out, dtl_blob_data(c->ev, mask), 8);
		fputc('}', c->out);
	}
}
