// SPDX-License-Identifier: MIT
/*
 * ioctl: the request by name or as _IOC(dir, type, nr, size), and its
 * argument, from the ioctl vocabulary (dtl/ioctl.h) that the capture also
 * reads to know what to copy.
 */
#include "decode_families.h"

#include <dtl/ioctl.h>

#include <termios.h>

/* A request: its name, or _IOC(dir, type, nr, size) */
void dtl_print_ioctl_request(FILE *out, uint32_t req)
{
	const struct dtl_ioctl_desc *k = dtl_ioctl_by_request(req);
	if (k) {
		fputs(k->name, out);
		return;
	}
	static const char *dirs[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ",
	                             "_IOC_READ|_IOC_WRITE"};
	unsigned size = (req >> 16) & 0x3fff;
	fprintf(out, "_IOC(%s, %#x, %#x, %#x)", dirs[req >> 30], (req >> 8) & 0xff, req & 0xff,
	        size);
}

static enum dtl_ioctl_arg arg_style(const struct dtl_decoder_ctx *c)
{
	const struct dtl_ioctl_desc *k = dtl_ioctl_by_request((uint32_t)c->ev->args[1]);
	return k ? (enum dtl_ioctl_arg)k->arg : DTL_IOCTL_ARG_HEX;
}

/* Requests without an argument show two. */
int dtl_decode_ioctl_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	int n = c->d->nargs;
	if (arg_style(c) == DTL_IOCTL_ARG_NONE)
		n--;
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

/* What the argument points at, when the capture copied it (an int or a
 * struct winsize for the common requests): the copy at exit if any, else
 * the one at entry. */
static bool print_ioctl_memory(const struct dtl_decoder_ctx *c)
{
	const struct dtl_blob *b = dtl_blob_find(c->ev, 2, DTL_SUB_OBJECT, false);
	if (!b)
		b = dtl_blob_find(c->ev, 2, DTL_SUB_OBJECT, true);
	if (!dtl_blob_ok(b))
		return false;
	const uint8_t *p = dtl_blob_data(c->ev, b);
	if (b->len == 4) {
		fprintf(c->out, "[%d]", i32_at(p, 0));
		return true;
	}
	if (b->len == 8) {
		uint16_t w[4];
		memcpy(w, p, sizeof(w));
		fprintf(c->out, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", w[0], w[1],
		        w[2], w[3]);
		return true;
	}
	return false;
}

bool dtl_decode_ioctl_arg(const struct dtl_decoder_ctx *c, int i)
{
	static const struct dtl_flag_name xonc[] = {X(TCOOFF), X(TCOON), X(TCIOFF), X(TCION)};
	static const struct dtl_flag_name flsh[] = {X(TCIFLUSH), X(TCOFLUSH), X(TCIOFLUSH)};
	uint64_t v = c->ev->args[i];
	if (i != 2)
		return false;
	if (print_ioctl_memory(c))
		return true;
	switch (arg_style(c)) {
	case DTL_IOCTL_ARG_PTR:
		dtl_print_addr(c->out, v);
		break;
	case DTL_IOCTL_ARG_INT:
		fprintf(c->out, "%d", (int)v);
		break;
	case DTL_IOCTL_ARG_TCXONC:
		dtl_print_xval(c->out, v, xonc, DTL_N(xonc), "TC???");
		break;
	case DTL_IOCTL_ARG_TCFLSH:
		dtl_print_xval(c->out, v, flsh, DTL_N(flsh), "TC???");
		break;
	default:
		dtl_print_hex(c->out, v);
	}
	return true;
}
