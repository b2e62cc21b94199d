// SPDX-License-Identifier: MIT
/*
 * What pointer arguments point at, decoded from the memory the capture
 * copied (the blobs of an event; see dtl/ring.h for which piece is where),
 * spelled as strace 6.1 spells it: strings, buffers, vectors, and the
 * structs by kind, printed by their families (decode_file.c, decode_time.c,
 * decode_poll.c, decode_process.c, decode_sockaddr.c, decode_signal.c).
 */
#define _GNU_SOURCE
#include "decode_families.h"

size_t dtl_decode_shown(const struct dtl_decoder_ctx *c, size_t n)
{
	return c->o->strsize && n > c->o->strsize ? c->o->strsize : n;
}

/* --- strings, buffers, vectors ---------------------------------------------- */

/* A CPU set: the numbers of the bits set, "[0 1]". */
static void print_bitlist(FILE *out, const uint8_t *p, size_t bits)
{
	bool first = true;
	fputc('[', out);
	for (size_t k = 0; k < bits; k++)
		if (p[k / 8] & (1u << (k % 8))) {
			fprintf(out, first ? "%zu" : " %zu", k);
			first = false;
		}
	fputc(']', out);
}

/* sched_{get,set}affinity: the CPU set, by number */
bool dtl_decode_cpu_set_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	if (i != 2)
		return false;
	print_bitlist(c->out, dtl_blob_data(c->ev, b), (size_t)b->len * 8);
	return true;
}

/* getrandom: the bytes in hex */
bool dtl_decode_getrandom_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	(void)i;
	dtl_print_hex_quoted(c->out, dtl_blob_data(c->ev, b), b->len,
	                     b->flags & DTL_BLOB_TRUNCATED);
	return true;
}

static void print_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	const struct dtl_call_decoder *call = dtl_call_decoder(c);
	if (call->buffer && call->buffer(c, i, b))
		return;
	dtl_print_quoted(c->out, dtl_blob_data(c->ev, b), b->len, b->flags & DTL_BLOB_TRUNCATED);
}

static void print_argv(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	size_t n = b->len / 8, m = dtl_decode_shown(c, n);
	fputc('[', out);
	for (size_t k = 0; k < m; k++) {
		if (k)
			fputs(", ", out);
		const struct dtl_blob *s = dtl_blob_find(ev, i, DTL_SUB_ELEM(k), true);
		if (dtl_blob_ok(s))
			dtl_print_quoted(out, dtl_blob_data(ev, s), s->len,
			                 s->flags & DTL_BLOB_TRUNCATED);
		else
			dtl_print_addr(out, u64_at(dtl_blob_data(ev, b), 8 * k));
	}
	dtl_print_array_end(out, m, n, b->flags & DTL_BLOB_TRUNCATED);
}

void dtl_print_iovec_array(const struct dtl_decoder_ctx *c, int arg, unsigned array_sub,
                           unsigned elem_base, bool entry, uint64_t addr, uint64_t count)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	const struct dtl_blob *b = dtl_blob_find(ev, arg, array_sub, entry);
	if (!dtl_blob_ok(b)) {
		dtl_print_addr(out, addr);
		return;
	}
	const uint8_t *p = dtl_blob_data(ev, b);
	size_t n = dtl_decode_shown(c, b->len / 16);
	fputc('[', out);
	for (size_t k = 0; k < n; k++) {
		uint64_t base = u64_at(p, 16 * k), len = u64_at(p, 16 * k + 8);
		fputs(k ? ", {iov_base=" : "{iov_base=", out);
		const struct dtl_blob *d = dtl_blob_find(ev, arg, elem_base + k, entry);
		if (!base)
			fputs("NULL", out);
		else if (!d)
			fputs("\"\"", out); /* nothing transferred into it */
		else if (d->flags & DTL_BLOB_FAULT)
			dtl_print_addr(out, base);
		else
			dtl_print_quoted(out, dtl_blob_data(ev, d), d->len,
			                 d->flags & DTL_BLOB_TRUNCATED);
		fprintf(out, ", iov_len=%lu}", (unsigned long)len);
	}
	dtl_print_array_end(out, n, count, false);
}

/* --- resources ------------------------------------------------------------------ */

static void print_rlim(FILE *out, uint64_t v)
{
	if (v == UINT64_MAX)
		fputs("RLIM64_INFINITY", out);
	else if (v > 1024 && v % 1024 == 0) /* 1024 itself stays 1024 */
		fprintf(out, "%lu*1024", (unsigned long)(v / 1024));
	else
		fprintf(out, "%lu", (unsigned long)v);
}

/* --- the argument ---------------------------------------------------------------- */

static void print_loff(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_event *ev = c->ev;
	const uint8_t *in = dtl_print_guard(c->out, ev, i, DTL_SUB_OBJECT, true, 8, ev->args[i]);
	const struct dtl_blob *outb = dtl_blob_find(ev, i, DTL_SUB_OBJECT, false);
	if (!in)
		return;
	fprintf(c->out, "[%ld]", (long)u64_at(in, 0));
	if (c->completed && dtl_blob_ok(outb) && outb->len >= 8)
		fprintf(c->out, " => [%ld]", (long)u64_at(dtl_blob_data(ev, outb), 0));
}

/* The copied piece is smaller than the kind's struct. */
static bool too_short(const struct dtl_blob *b, const struct dtl_arg_kind_info *k)
{
	return k->mem == DTL_MEM_FIXED && b->len < k->size;
}

/* The argument that gives the size of a call's kernel sigset, or -1. */
static int sigsetsize_arg(const struct dtl_decoder_ctx *c)
{
	return c->d->sigsetsize_arg ? c->d->sigsetsize_arg - 1 : -1;
}

void dtl_decode_memory_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	const struct dtl_arg_desc *a = &c->d->args[i];
	const struct dtl_arg_kind_info *k = dtl_arg_kind_info(a->kind);
	uint64_t v = ev->args[i];

	if (!v) {
		fputs("NULL", out);
		return;
	}
	const struct dtl_call_decoder *call = dtl_call_decoder(c);
	if (call->memory_arg && call->memory_arg(c, i))
		return;
	switch (a->kind) {
	case DTL_ARG_SOCKLEN_PTR:
		dtl_decode_socklen_arg(c, i);
		return;
	case DTL_ARG_LOFF_INOUT:
		print_loff(c, i);
		return;
	case DTL_ARG_SOCKADDR_IN:
	case DTL_ARG_SOCKADDR_OUT:
		dtl_decode_sockaddr_arg(c, i);
		return;
	case DTL_ARG_MSGHDR_OUT: {
		/* a failed recvmsg: strace shows the name length the caller set */
		const struct dtl_blob *h = dtl_blob_find(ev, i, DTL_SUB_OBJECT, true);
		if (c->completed && ev->ret < 0 && dtl_blob_ok(h) && h->len >= 16) {
			fprintf(out, "{msg_namelen=%u}", u32_at(dtl_blob_data(ev, h), 8));
			return;
		}
		break;
	}
	case DTL_ARG_SIGSET:
		/* the kernel takes only its own sigset size; strace shows the
		 * address for another */
		if (sigsetsize_arg(c) >= 0 && ev->args[sigsetsize_arg(c)] != 8) {
			dtl_print_addr(out, v);
			return;
		}
		break;
	default:
		break;
	}

	bool entry = a->dir == DTL_DIR_IN || a->dir == DTL_DIR_INOUT;
	const struct dtl_blob *b = dtl_blob_find(ev, i, DTL_SUB_OBJECT, entry);
	if (!dtl_blob_ok(b) || !k || too_short(b, k)) {
		dtl_print_addr(out, v);
		return;
	}
	const uint8_t *p = dtl_blob_data(ev, b);
	bool trunc = b->flags & DTL_BLOB_TRUNCATED;
	bool first = true; /* for dtl_print_field() */

	switch (a->kind) {
	case DTL_ARG_PATH:
	case DTL_ARG_STR:
		dtl_print_quoted(out, (const char *)p, b->len, trunc);
		break;
	case DTL_ARG_ARGV:
		print_argv(c, i, b);
		break;
	case DTL_ARG_ENVP:
		fprintf(out, "%#lx /* %u var%s */", (unsigned long)v,
		        b->len >= 4 ? u32_at(p, 0) : 0,
		        b->len >= 4 && u32_at(p, 0) == 1 ? "" : "s");
		break;
	case DTL_ARG_BUF_IN:
	case DTL_ARG_BUF_OUT:
		print_buffer(c, i, b);
		break;
	case DTL_ARG_IOVEC_IN:
	case DTL_ARG_IOVEC_OUT:
		dtl_print_iovec_array(c, i, DTL_SUB_OBJECT, DTL_SUB_ELEM(0), entry, v,
		                      a->len_src == DTL_LEN_ARG ? ev->args[a->len_arg]
		                                                : b->len / 16);
		break;
	case DTL_ARG_DIRENT64_OUT:
		fprintf(out, "%#lx /* %u entries */", (unsigned long)v,
		        b->len >= 4 ? u32_at(p, 0) : 0);
		break;
	case DTL_ARG_STAT_OUT:
		dtl_print_stat(out, p);
		break;
	case DTL_ARG_STATX_OUT:
		dtl_print_statx(out, p);
		break;
	case DTL_ARG_STATFS_OUT:
		dtl_print_statfs(out, p);
		break;
	case DTL_ARG_TIMESPEC_IN:
	case DTL_ARG_TIMESPEC_OUT:
		dtl_print_timespec(out, p);
		break;
	case DTL_ARG_TIMESPEC_PAIR_IN:
		fputc('[', out);
		dtl_print_utime(out, p);
		fputs(", ", out);
		dtl_print_utime(out, p + 16);
		fputc(']', out);
		break;
	case DTL_ARG_TIMEVAL_IN:
	case DTL_ARG_TIMEVAL_OUT:
		dtl_print_timeval(out, p);
		break;
	case DTL_ARG_ITIMERVAL_IN:
	case DTL_ARG_ITIMERVAL_OUT:
		fputs("{it_interval=", out);
		dtl_print_timeval(out, p);
		fputs(", it_value=", out);
		dtl_print_timeval(out, p + 16);
		fputc('}', out);
		break;
	case DTL_ARG_ITIMERSPEC_IN:
	case DTL_ARG_ITIMERSPEC_OUT:
		fputs("{it_interval=", out);
		dtl_print_timespec(out, p);
		fputs(", it_value=", out);
		dtl_print_timespec(out, p + 16);
		fputc('}', out);
		break;
	case DTL_ARG_MSGHDR_IN:
	case DTL_ARG_MSGHDR_OUT:
		dtl_decode_msghdr_arg(c, i, b);
		break;
	case DTL_ARG_MMSGHDR_IN:
	case DTL_ARG_MMSGHDR_OUT:
		dtl_decode_mmsghdr_arg(c, i, b);
		break;
	case DTL_ARG_POLLFD_ARRAY:
		dtl_print_pollfds(c, b,
		                  a->len_src == DTL_LEN_ARG ? ev->args[a->len_arg] : b->len / 8);
		break;
	case DTL_ARG_EPOLL_EVENT_IN:
		dtl_print_epoll_event(out, p);
		break;
	case DTL_ARG_EPOLL_EVENT_OUT: {
		size_t n = b->len / 12, m = dtl_decode_shown(c, n);
		fputc('[', out);
		for (size_t e = 0; e < m; e++) {
			if (e)
				fputs(", ", out);
			dtl_print_epoll_event(out, p + 12 * e);
		}
		dtl_print_array_end(out, m, n, trunc);
		break;
	}
	case DTL_ARG_FD_SET:
		dtl_print_fdset(out, p, b->len, ev->args[a->len_arg]);
		break;
	case DTL_ARG_SIGSET:
		dtl_print_sigset(out, p, b->len);
		break;
	case DTL_ARG_SIGACTION:
		dtl_print_sigaction(out, p);
		break;
	case DTL_ARG_SIGINFO:
		dtl_print_siginfo(out, p);
		break;
	case DTL_ARG_STACK_T:
		dtl_print_stack_t(out, p);
		break;
	case DTL_ARG_CLONE_ARGS:
		dtl_print_clone_args(out, p, b->len);
		dtl_decode_written_back(c, i);
		break;
	case DTL_ARG_OPEN_HOW:
		dtl_print_open_how(out, p, b->len);
		break;
	case DTL_ARG_WAIT_STATUS_OUT:
		/* WNOHANG with no child ready: nothing was written */
		if (c->completed && ev->ret == 0)
			dtl_print_addr(out, v);
		else
			dtl_print_wait_status(out, (int)u32_at(p, 0));
		break;
	case DTL_ARG_RUSAGE_OUT:
		fputs("{ru_utime=", out);
		dtl_print_timeval(out, p);
		fputs(", ru_stime=", out);
		dtl_print_timeval(out, p + 16);
		fputs(", ...}", out);
		break;
	case DTL_ARG_RLIMIT_IN:
	case DTL_ARG_RLIMIT_OUT:
		fputc('{', out);
		dtl_print_field(out, &first, "rlim_cur");
		print_rlim(out, u64_at(p, 0));
		dtl_print_field(out, &first, "rlim_max");
		print_rlim(out, u64_at(p, 8));
		fputc('}', out);
		break;
	case DTL_ARG_FD_PAIR_OUT:
		fprintf(out, "[%d, %d]", (int)u32_at(p, 0), (int)u32_at(p, 4));
		break;
	case DTL_ARG_INT_OUT:
		fprintf(out, "[%d]", (int)u32_at(p, 0));
		break;
	case DTL_ARG_SYSINFO_OUT:
		fprintf(
		    out,
		    "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu, freeram=%lu, sharedram=%lu, "
		    "bufferram=%lu, totalswap=%lu, freeswap=%lu, procs=%u, totalhigh=%lu, "
		    "freehigh=%lu, mem_unit=%u}",
		    (long)u64_at(p, 0), (unsigned long)u64_at(p, 8), (unsigned long)u64_at(p, 16),
		    (unsigned long)u64_at(p, 24), (unsigned long)u64_at(p, 32),
		    (unsigned long)u64_at(p, 40), (unsigned long)u64_at(p, 48),
		    (unsigned long)u64_at(p, 56), (unsigned long)u64_at(p, 64),
		    (unsigned long)u64_at(p, 72), (unsigned)(u32_at(p, 80) & 0xffff),
		    (unsigned long)u64_at(p, 88), (unsigned long)u64_at(p, 96), u32_at(p, 104));
		break;
	case DTL_ARG_PSELECT6_SIGMASK: {
		const struct dtl_blob *set = dtl_blob_find(ev, i, DTL_SUB_ELEM(0), true);
		fputs("{sigmask=", out);
		if (!u64_at(p, 0))
			fputs("NULL", out);
		else if (dtl_blob_ok(set) && set->len == 8)
			dtl_print_sigset(out, dtl_blob_data(ev, set), 8);
		else
			dtl_print_addr(out, u64_at(p, 0));
		fprintf(out, ", sigsetsize=%lu}", (unsigned long)u64_at(p, 8));
		break;
	}
	case DTL_ARG_UTSNAME_OUT:
		fputs("{sysname=", out);
		dtl_print_quoted(out, (const char *)p, strnlen((const char *)p, 65), false);
		fputs(", nodename=", out);
		dtl_print_quoted(out, (const char *)p + 65, strnlen((const char *)p + 65, 65),
		                 false);
		fputs(", ...}", out);
		break;
	default:
		dtl_print_addr(out, v);
	}
}

/* --- results -------------------------------------------------------------------- */

void dtl_decode_written_back(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_event *ev = c->ev;
	if (!c->completed || c->d->args[i].kind != DTL_ARG_CLONE_ARGS || ev->ret <= 0)
		return;
	const struct dtl_blob *b = dtl_blob_find(ev, i, DTL_SUB_OBJECT, true);
	if (!b || b->len < 8 || (b->flags & DTL_BLOB_FAULT))
		return;
	/* clone3 wrote the new thread's id (the result) to parent_tid */
	uint64_t flags = u64_at(dtl_blob_data(ev, b), 0);
	if ((flags & 0x100000 /* CLONE_PARENT_SETTID */) && !(flags & 0x1000 /* CLONE_PIDFD */))
		fprintf(c->out, " => {parent_tid=[%ld]}", (long)ev->ret);
}

void dtl_decode_ret_memory(const struct dtl_decoder_ctx *c)
{
	const struct dtl_call_decoder *call = dtl_call_decoder(c);
	if (!c->completed || c->ev->ret < 0 || !call->ret_memory)
		return;
	call->ret_memory(c);
}
