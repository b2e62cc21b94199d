// SPDX-License-Identifier: MIT
/*
 * Waiting for descriptors: struct pollfd arrays and their events, epoll
 * events, fd_sets; the results of poll, ppoll, select and pselect6 (which
 * descriptors are ready, the time left).
 */
#include "decode_families.h"

static const struct dtl_flag_name poll_events[] = {
    {0x1, "POLLIN"},       {0x2, "POLLPRI"},      {0x4, "POLLOUT"},     {0x8, "POLLERR"},
    {0x10, "POLLHUP"},     {0x20, "POLLNVAL"},    {0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"},
    {0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"},   {0x1000, "POLLREMOVE"},
    {0x2000, "POLLRDHUP"},
};

void dtl_print_pollfds(const struct dtl_decoder_ctx *c, const struct dtl_blob *b, uint64_t nfds)
{
	FILE *out = c->out;
	const uint8_t *p = dtl_blob_data(c->ev, b);
	size_t n = dtl_decode_shown(c, b->len / 8);
	fputc('[', out);
	for (size_t k = 0; k < n; k++) {
		int fd = (int)u32_at(p, 8 * k);
		uint16_t events;
		memcpy(&events, p + 8 * k + 4, 2);
		fprintf(out, "%s{fd=%d", k ? ", " : "", fd);
		if (fd >= 0) {
			fputs(", events=", out);
			dtl_print_xflags(out, events, poll_events, DTL_N(poll_events), "0",
			                 "POLL???");
		}
		fputc('}', out);
	}
	dtl_print_array_end(out, n, nfds, false);
}

static const struct dtl_flag_name epoll_events[] = {
    {0x1, "EPOLLIN"},
    {0x2, "EPOLLPRI"},
    {0x4, "EPOLLOUT"},
    {0x8, "EPOLLERR"},
    {0x10, "EPOLLHUP"},
    {0x20, "EPOLLNVAL"},
    {0x40, "EPOLLRDNORM"},
    {0x80, "EPOLLRDBAND"},
    {0x100, "EPOLLWRNORM"},
    {0x200, "EPOLLWRBAND"},
    {0x400, "EPOLLMSG"},
    {0x2000, "EPOLLRDHUP"},
    {1u << 28, "EPOLLEXCLUSIVE"},
    {1u << 29, "EPOLLWAKEUP"},
    {1u << 30, "EPOLLONESHOT"},
    {1u << 31, "EPOLLET"},
};

void dtl_print_epoll_event(FILE *out, const uint8_t *p)
{
	uint64_t data = u64_at(p, 4);
	fputs("{events=", out);
	dtl_print_xflags(out, u32_at(p, 0), epoll_events, DTL_N(epoll_events), "0", "EPOLL???");
	fprintf(out, ", data={u32=%u, u64=%lu}}", (uint32_t)data, (unsigned long)data);
}

void dtl_print_fdset(FILE *out, const uint8_t *p, size_t bytes, uint64_t nfds)
{
	bool first = true;
	fputc('[', out);
	for (uint64_t fd = 0; fd < nfds && fd < bytes * 8; fd++)
		if (p[fd / 8] & (1u << (fd % 8))) {
			fprintf(out, first ? "%lu" : " %lu", (unsigned long)fd);
			first = false;
		}
	fputc(']', out);
}

/* --- results ------------------------------------------------------------------------ */

/* " ([{fd=3, revents=POLLIN}]" for poll/ppoll, without the closing paren. */
static void print_revents(const struct dtl_decoder_ctx *c, const struct dtl_blob *b)
{
	FILE *out = c->out;
	const uint8_t *p = dtl_blob_data(c->ev, b);
	bool first = true;
	fputs(" ([", out);
	for (size_t k = 0; k < b->len / 8; k++) {
		uint16_t rev;
		memcpy(&rev, p + 8 * k + 6, 2);
		if (!rev)
			continue;
		fprintf(out, "%s{fd=%d, revents=", first ? "" : ", ", (int)u32_at(p, 8 * k));
		dtl_print_xflags(out, rev, poll_events, DTL_N(poll_events), "0", "POLL???");
		fputc('}', out);
		first = false;
	}
	fputc(']', out);
}

/* The timeout the kernel updated, when the catalogue has it copied at exit. */
static void print_left(const struct dtl_decoder_ctx *c, int i, bool usec)
{
	const struct dtl_blob *b = dtl_blob_find(c->ev, i, DTL_SUB_OBJECT, false);
	if (!c->ev->args[i] || !dtl_blob_ok(b) || b->len < 16)
		return;
	fputs(", left ", c->out);
	if (usec)
		dtl_print_timeval(c->out, dtl_blob_data(c->ev, b));
	else
		dtl_print_timespec(c->out, dtl_blob_data(c->ev, b));
}

static void poll_result(const struct dtl_decoder_ctx *c, bool ppoll)
{
	const struct dtl_event *ev = c->ev;
	if (ev->ret == 0) {
		fputs(" (Timeout)", c->out);
		return;
	}
	const struct dtl_blob *b = dtl_blob_find(ev, 0, DTL_SUB_OBJECT, false);
	if (!ev->args[0] || !dtl_blob_ok(b))
		return;
	print_revents(c, b);
	if (ppoll)
		print_left(c, 2, false);
	fputc(')', c->out);
}

void dtl_decode_poll_ret_memory(const struct dtl_decoder_ctx *c)
{
	poll_result(c, false);
}

void dtl_decode_ppoll_ret_memory(const struct dtl_decoder_ctx *c)
{
	poll_result(c, true);
}

/* " (in [3], out [4], left {...})" */
static void select_result(const struct dtl_decoder_ctx *c, bool timeval)
{
	const struct dtl_event *ev = c->ev;
	FILE *out = c->out;
	if (ev->ret == 0) {
		fputs(" (Timeout)", out);
		return;
	}
	static const char *const names[] = {"in", "out", "except"};
	bool first = true;
	for (int s = 0; s < 3; s++) {
		const struct dtl_blob *b = dtl_blob_find(ev, 1 + s, DTL_SUB_OBJECT, false);
		if (!ev->args[1 + s] || !dtl_blob_ok(b))
			continue;
		const uint8_t *p = dtl_blob_data(ev, b);
		bool any = false;
		for (size_t k = 0; k < b->len; k++)
			any |= p[k] != 0;
		if (!any)
			continue;
		fprintf(out, "%s%s ", first ? " (" : ", ", names[s]);
		dtl_print_fdset(out, p, b->len, ev->args[0]);
		first = false;
	}
	if (first)
		return;
	print_left(c, 4, timeval);
	fputc(')', out);
}

void dtl_decode_select_ret_memory(const struct dtl_decoder_ctx *c)
{
	select_result(c, true);
}

void dtl_decode_pselect6_ret_memory(const struct dtl_decoder_ctx *c)
{
	select_result(c, false);
}
