// SPDX-License-Identifier: MIT
/*
 * The return value: errors by name (the kernel's internal restart codes
 * included, as strace shows them), the result by the catalogue's return
 * kind, or as the call's decoder explains it; then the annotation from
 * memory (decode_memory.c).
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <errno.h>
#include <string.h>

static const struct dtl_flag_name kernel_errnos[] = {
    XN(512, "ERESTARTSYS"),
    XN(513, "ERESTARTNOINTR"),
    XN(514, "ERESTARTNOHAND"),
    XN(515, "ENOIOCTLCMD"),
    XN(516, "ERESTART_RESTARTBLOCK"),
    XN(517, "EPROBE_DEFER"),
    XN(518, "EOPENSTALE"),
    XN(521, "EBADHANDLE"),
    XN(522, "ENOTSYNC"),
    XN(523, "EBADCOOKIE"),
    XN(524, "ENOTSUPP"),
    XN(525, "ETOOSMALL"),
    XN(526, "ESERVERFAULT"),
    XN(527, "EBADTYPE"),
    XN(528, "EJUKEBOX"),
    XN(529, "EIOCBQUEUED"),
};

static void print_error(FILE *out, int e)
{
	switch (e) {
	case 512:
		fputs("? ERESTARTSYS (To be restarted if SA_RESTART is set)", out);
		return;
	case 513:
		fputs("? ERESTARTNOINTR (To be restarted)", out);
		return;
	case 514:
		fputs("? ERESTARTNOHAND (To be restarted if no handler)", out);
		return;
	case 516:
		fputs("? ERESTART_RESTARTBLOCK (Interrupted by signal)", out);
		return;
	}
	const char *name = e < 512 ? strerrorname_np(e) : NULL;
	if (!name)
		name = dtl_xlookup((uint64_t)e, kernel_errnos, DTL_N(kernel_errnos));
	if (name)
		fprintf(out, "-1 %s (%s)", name, strerror(e));
	else
		fprintf(out, "-1 ERRNO_%d (%s)", e, strerror(e));
}

/*
 * The error the kernel had when a handled signal interrupted the call.
 * A program sees EINTR only after its handler ran; ptrace sees the call end
 * before that, with the kernel's restart code, which is what strace prints.
 * The capture sees what the program sees, so the code is inferred: it
 * depends only on the call (the catalogue's restart column). With
 * SA_RESTART the kernel restarts the call instead, and this tracer shows
 * one call where strace shows two.
 */
static int restart_code(const struct dtl_decoder_ctx *c)
{
	switch (c->d->restart) {
	case DTL_RESTART_NOHAND:
		return 514; /* ERESTARTNOHAND */
	case DTL_RESTART_RESTARTBLOCK:
		return 516; /* ERESTART_RESTARTBLOCK */
	case DTL_RESTART_SYS:
		return 512; /* ERESTARTSYS */
	default:
		return EINTR;
	}
}

void dtl_decode_ret(const struct dtl_decoder_ctx *c)
{
	FILE *out = c->out;
	const struct dtl_syscall_desc *d = c->d;
	const struct dtl_call_decoder *call = dtl_call_decoder(c);
	long r = c->ev->ret;

	if (d->ret == DTL_RET_NONE) {
		fputc('?', out);
		return;
	}
	if (r == -EINTR) {
		print_error(out, restart_code(c));
		return;
	}
	if (r < 0 && r >= -4095) {
		print_error(out, (int)-r);
		return;
	}
	if (call->ret && call->ret(c, r)) {
		dtl_decode_ret_memory(c);
		return;
	}
	switch (d->ret) {
	case DTL_RET_HEX:
		fprintf(out, "%#lx", (unsigned long)r);
		break;
	case DTL_RET_OCTAL:
		fprintf(out, "%#03lo", (unsigned long)r);
		break;
	case DTL_RET_FD:
		dtl_print_fd(c, (int)r);
		break;
	default:
		fprintf(out, "%ld", r);
	}
	dtl_decode_ret_memory(c);
}
