// SPDX-License-Identifier: MIT
/*
 * Scalars as strace 6.1 prints them: numbers, descriptors, flag words and
 * enumerations by argument kind (the vocabularies live with their families:
 * decode_file.c, decode_mm.c, decode_process.c, decode_futex.c,
 * decode_ioctl.c, decode_time.c, decode_net.c, decode_signal.c); which
 * arguments strace shows for a call and the scalar arguments of a call,
 * handed to the call's decoder (decode_calls.c) first.
 *
 * strace's conventions, followed throughout: a flag word prints its known
 * bits in strace's table order, then the unknown rest in hex ("A|B|0x40");
 * a word with no known bit at all prints as hex with a comment naming the
 * vocabulary ("0x40 /\* MAP_??? *\/"); an enumeration value without a name
 * prints the same way. 32-bit arguments are decoded from their low half.
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

/* --- the kinds without a family of their own ---------------------------------- */

/* the flags of the descriptor-creating calls and a few more */
static const struct dtl_flag_name epoll_create_flags[] = {XN(0x80000, "EPOLL_CLOEXEC")};
static const struct dtl_flag_name eventfd_flags[] = {
    XN(1, "EFD_SEMAPHORE"), XN(0x80000, "EFD_CLOEXEC"), XN(0x800, "EFD_NONBLOCK")};
static const struct dtl_flag_name timer_flags[] = {XN(1, "TIMER_ABSTIME")};
static const struct dtl_flag_name tfd_flags[] = {XN(0x80000, "TFD_CLOEXEC"),
                                                 XN(0x800, "TFD_NONBLOCK")};
static const struct dtl_flag_name tfd_settime_flags[] = {XN(1, "TFD_TIMER_ABSTIME"),
                                                         XN(2, "TFD_TIMER_CANCEL_ON_SET")};
static const struct dtl_flag_name inotify_flags[] = {XN(0x800, "IN_NONBLOCK"),
                                                     XN(0x80000, "IN_CLOEXEC")};

/* The kinds added with the flag tables above; false for any other kind. */
static bool print_more_flags(FILE *out, enum dtl_arg_kind kind, uint64_t v)
{
	uint32_t w = (uint32_t)v;
	switch (kind) {
	case DTL_ARG_EPOLL_CREATE_FLAGS:
		dtl_print_xflags(out, w, epoll_create_flags, DTL_N(epoll_create_flags), "0",
		                 "EPOLL_???");
		return true;
	case DTL_ARG_EVENTFD_FLAGS:
		dtl_print_xflags(out, w, eventfd_flags, DTL_N(eventfd_flags), "0", "EFD_???");
		return true;
	case DTL_ARG_TIMER_FLAGS:
		dtl_print_xflags(out, w, timer_flags, DTL_N(timer_flags), "0", "TIMER_???");
		return true;
	case DTL_ARG_TFD_FLAGS:
		dtl_print_xflags(out, w, tfd_flags, DTL_N(tfd_flags), "0", "TFD_???");
		return true;
	case DTL_ARG_TFD_SETTIME_FLAGS:
		dtl_print_xflags(out, w, tfd_settime_flags, DTL_N(tfd_settime_flags), "0",
		                 "TFD_TIMER_???");
		return true;
	case DTL_ARG_INOTIFY_FLAGS:
		dtl_print_xflags(out, w, inotify_flags, DTL_N(inotify_flags), "0", "IN_???");
		return true;
	case DTL_ARG_MFD_FLAGS:
		dtl_print_mfd_flags(out, w);
		return true;
	case DTL_ARG_MLOCK_FLAGS:
		dtl_print_mlock_flags(out, w);
		return true;
	default:
		return false;
	}
}

/* --- dtl_print_scalar ------------------------------------------------------------ */

void dtl_print_scalar(FILE *out, enum dtl_arg_kind kind, uint64_t v)
{
	uint32_t u = (uint32_t)v;
	int s = (int)u;
	if (print_more_flags(out, kind, v))
		return;
	switch (kind) {
	case DTL_ARG_INT:
	case DTL_ARG_FD:
	case DTL_ARG_PID:
		fprintf(out, "%d", s);
		break;
	case DTL_ARG_UINT:
		fprintf(out, "%u", u);
		break;
	case DTL_ARG_LONG:
		fprintf(out, "%ld", (long)v);
		break;
	case DTL_ARG_ULONG:
		fprintf(out, "%lu", (unsigned long)v);
		break;
	case DTL_ARG_PTR:
		dtl_print_addr(out, v);
		break;
	case DTL_ARG_DIRFD:
		if (s == AT_FDCWD)
			fputs("AT_FDCWD", out);
		else
			fprintf(out, "%d", s);
		break;
	case DTL_ARG_UID:
	case DTL_ARG_GID:
		if (u == 0xffffffffu)
			fputs("-1", out);
		else
			fprintf(out, "%u", u);
		break;
	case DTL_ARG_SIGNUM:
		dtl_print_signal(out, s);
		break;
	case DTL_ARG_CLOCKID:
		dtl_print_clockid(out, u);
		break;
	case DTL_ARG_OPEN_FLAGS:
		dtl_print_open_flags(out, u);
		break;
	case DTL_ARG_MODE:
		dtl_print_mode(out, u);
		break;
	case DTL_ARG_ACCESS_MODE:
		dtl_print_access_mode(out, u);
		break;
	case DTL_ARG_AT_FLAGS:
		dtl_print_at_flags(out, u);
		break;
	case DTL_ARG_SEEK_WHENCE: {
		static const struct dtl_flag_name w[] = {X(SEEK_SET), X(SEEK_CUR), X(SEEK_END),
		                                         X(SEEK_DATA), X(SEEK_HOLE)};
		dtl_print_xval(out, u, w, DTL_N(w), "SEEK_???");
		break;
	}
	case DTL_ARG_FCNTL_CMD:
		dtl_print_fcntl_cmd(out, u);
		break;
	case DTL_ARG_IOCTL_REQ:
		dtl_print_ioctl_request(out, u);
		break;
	case DTL_ARG_FLOCK_OP:
		dtl_print_flock_op(out, u);
		break;
	case DTL_ARG_PROT:
		dtl_print_prot(out, u);
		break;
	case DTL_ARG_MMAP_FLAGS:
		dtl_print_mmap_flags(out, u);
		break;
	case DTL_ARG_MREMAP_FLAGS:
		dtl_print_mremap_flags(out, u);
		break;
	case DTL_ARG_MSYNC_FLAGS:
		dtl_print_msync_flags(out, u);
		break;
	case DTL_ARG_MADVISE:
		dtl_print_madvise(out, u);
		break;
	case DTL_ARG_CLONE_FLAGS:
		dtl_print_clone_flags(out, v);
		break;
	case DTL_ARG_WAIT_OPTIONS:
		dtl_print_wait_options(out, u);
		break;
	case DTL_ARG_IDTYPE: {
		static const struct dtl_flag_name t[] = {XN(0, "P_ALL"), XN(1, "P_PID"),
		                                         XN(2, "P_PGID"), XN(3, "P_PIDFD")};
		dtl_print_xval(out, u, t, DTL_N(t), "P_???");
		break;
	}
	case DTL_ARG_SIGPROCMASK_HOW: {
		static const struct dtl_flag_name h[] = {X(SIG_BLOCK), X(SIG_UNBLOCK),
		                                         X(SIG_SETMASK)};
		dtl_print_xval(out, u, h, DTL_N(h), "SIG_???");
		break;
	}
	case DTL_ARG_FUTEX_OP:
		dtl_print_futex_op(out, u);
		break;
	case DTL_ARG_SOCK_DOMAIN:
		dtl_net_print_domain(out, u);
		break;
	case DTL_ARG_SOCK_TYPE:
		dtl_net_print_socktype(out, u);
		break;
	case DTL_ARG_SOCK_FLAGS:
		dtl_net_print_sockflags(out, u);
		break;
	case DTL_ARG_SOCK_LEVEL:
		dtl_net_print_level(out, u);
		break;
	case DTL_ARG_SOCKOPT_NAME:
		/* without its level: SOL_SOCKET's names */
		dtl_net_print_sockopt(out, 1, u);
		break;
	case DTL_ARG_MSG_FLAGS:
		dtl_net_print_msgflags(out, u);
		break;
	case DTL_ARG_SHUTDOWN_HOW: {
		static const struct dtl_flag_name h[] = {X(SHUT_RD), X(SHUT_WR), X(SHUT_RDWR)};
		dtl_print_xval(out, u, h, DTL_N(h), "SHUT_???");
		break;
	}
	case DTL_ARG_EPOLL_CTL_OP: {
		static const struct dtl_flag_name o[] = {
		    XN(1, "EPOLL_CTL_ADD"), XN(2, "EPOLL_CTL_DEL"), XN(3, "EPOLL_CTL_MOD")};
		dtl_print_xval(out, u, o, DTL_N(o), "EPOLL_CTL_???");
		break;
	}
	case DTL_ARG_RLIMIT_RESOURCE: {
		static const struct dtl_flag_name r[] = {
		    XN(0, "RLIMIT_CPU"),       XN(1, "RLIMIT_FSIZE"),  XN(2, "RLIMIT_DATA"),
		    XN(3, "RLIMIT_STACK"),     XN(4, "RLIMIT_CORE"),   XN(5, "RLIMIT_RSS"),
		    XN(6, "RLIMIT_NPROC"),     XN(7, "RLIMIT_NOFILE"), XN(8, "RLIMIT_MEMLOCK"),
		    XN(9, "RLIMIT_AS"),        XN(10, "RLIMIT_LOCKS"), XN(11, "RLIMIT_SIGPENDING"),
		    XN(12, "RLIMIT_MSGQUEUE"), XN(13, "RLIMIT_NICE"),  XN(14, "RLIMIT_RTPRIO"),
		    XN(15, "RLIMIT_RTTIME")};
		dtl_print_xval(out, u, r, DTL_N(r), "RLIMIT_???");
		break;
	}
	case DTL_ARG_RUSAGE_WHO: {
		static const struct dtl_flag_name w[] = {XN(0, "RUSAGE_SELF"),
		                                         XN(0xffffffff, "RUSAGE_CHILDREN"),
		                                         XN(1, "RUSAGE_THREAD")};
		dtl_print_xval(out, u, w, DTL_N(w), "RUSAGE_???");
		break;
	}
	case DTL_ARG_ITIMER_WHICH: {
		static const struct dtl_flag_name w[] = {
		    XN(0, "ITIMER_REAL"), XN(1, "ITIMER_VIRTUAL"), XN(2, "ITIMER_PROF")};
		dtl_print_xval(out, u, w, DTL_N(w), "ITIMER_???");
		break;
	}
	case DTL_ARG_PRCTL_OPTION:
		dtl_print_prctl_option(out, u);
		break;
	case DTL_ARG_ARCH_PRCTL_CODE:
		dtl_print_arch_prctl_code(out, u);
		break;
	case DTL_ARG_PTRACE_REQUEST:
		dtl_print_ptrace_request(out, v);
		break;
	case DTL_ARG_STATX_MASK:
		dtl_print_statx_mask(out, u);
		break;
	case DTL_ARG_RENAME_FLAGS: {
		static const struct dtl_flag_name f[] = {
		    XN(1, "RENAME_NOREPLACE"), XN(2, "RENAME_EXCHANGE"), XN(4, "RENAME_WHITEOUT")};
		dtl_print_xflags(out, u, f, DTL_N(f), "0", "RENAME_???");
		break;
	}
	case DTL_ARG_GETRANDOM_FLAGS: {
		static const struct dtl_flag_name f[] = {
		    XN(1, "GRND_NONBLOCK"), XN(2, "GRND_RANDOM"), XN(4, "GRND_INSECURE")};
		dtl_print_xflags(out, u, f, DTL_N(f), "0", "GRND_???");
		break;
	}
	case DTL_ARG_FCNTL_ARG:
	case DTL_ARG_HEX:
	default:
		dtl_print_hex(out, v);
	}
}

/* --- per-call arguments ---------------------------------------------------------- */

void dtl_print_fd(const struct dtl_decoder_ctx *c, int fd)
{
	fprintf(c->out, "%d", fd);
	if (fd >= 0 && c->o && c->o->fd_path) {
		const char *p = c->o->fd_path(c->ev, fd, c->o->fd_path_arg);
		if (p)
			fprintf(c->out, "<%s>", p);
	}
}

void dtl_decode_scalar_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	const struct dtl_arg_desc *a = &c->d->args[i];
	uint64_t v = c->ev->args[i];
	const struct dtl_call_decoder *call = dtl_call_decoder(c);

	if (call->scalar_arg && call->scalar_arg(c, i))
		return;
	switch (a->kind) {
	case DTL_ARG_FD:
		dtl_print_fd(c, (int)(uint32_t)v);
		return;
	case DTL_ARG_DIRFD:
		if ((int)(uint32_t)v == AT_FDCWD) {
			/* -y: the working directory, as strace shows it */
			const char *p = c->o && c->o->fd_path
			                    ? c->o->fd_path(c->ev, AT_FDCWD, c->o->fd_path_arg)
			                    : NULL;
			fputs("AT_FDCWD", out);
			if (p)
				fprintf(out, "<%s>", p);
		} else {
			dtl_print_fd(c, (int)(uint32_t)v);
		}
		return;
	case DTL_ARG_SOCKOPT_NAME:
		dtl_net_print_sockopt(out, (uint32_t)c->ev->args[a->len_arg], (uint32_t)v);
		return;
	default:
		dtl_print_scalar(out, a->kind, v);
	}
}

/* --- which arguments ---------------------------------------------------------- */

int dtl_decode_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	const struct dtl_call_decoder *call = dtl_call_decoder(c);
	if (call->arg_order)
		return call->arg_order(c, order);
	for (int i = 0; i < c->d->nargs; i++)
		order[i] = i;
	return c->d->nargs;
}

void dtl_decode_leading(const struct dtl_decoder_ctx *c)
{
	const struct dtl_call_decoder *call = dtl_call_decoder(c);
	if (call->leading)
		call->leading(c);
}
