// SPDX-License-Identifier: MIT
/*
 * What pointer arguments point at, decoded from the memory the capture
 * copied (the blobs of an event; see dtl/ring.h for which piece is where).
 */
#define _GNU_SOURCE
#include "decode.h"

#include <signal.h>
#include <string.h>

void dtl_decode_memory_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	const struct dtl_arg_desc *a = &c->d->args[i];
	const struct dtl_arg_kind_info *k = dtl_arg_kind_info(a->kind);
	uint64_t v = ev->args[i];
	bool entry = a->dir == DTL_DIR_IN || a->dir == DTL_DIR_INOUT;
	const struct dtl_blob *b = dtl_blob_find(ev, i, DTL_SUB_OBJECT, entry);

	if (!v) {
		fputs("NULL", out);
	} else if (b && !(b->flags & DTL_BLOB_FAULT) &&
	           (k->mem == DTL_MEM_STRING || k->mem == DTL_MEM_BYTES)) {
		dtl_format_quoted(out, ev->data + b->offset, b->len, b->flags & DTL_BLOB_TRUNCATED);
	} else {
		fprintf(out, "%#lx", (unsigned long)v);
	}
}

void dtl_decode_ret_memory(const struct dtl_decoder_ctx *c)
{
	(void)c;
}

void dtl_print_sigset(FILE *out, const void *set, size_t bytes)
{
	const uint8_t *p = set;
	bool first = true;
	fputc('[', out);
	for (size_t sig = 1; sig <= bytes * 8; sig++) {
		if (!(p[(sig - 1) / 8] & (1u << ((sig - 1) % 8))))
			continue;
		const char *name = sigabbrev_np((int)sig);
		if (name)
			fprintf(out, "%s%s", first ? "" : " ", name);
		else
			fprintf(out, "%s%zu", first ? "" : " ", sig);
		first = false;
	}
	fputc(']', out);
}

void dtl_print_siginfo(FILE *out, const void *siginfo)
{
	const siginfo_t *si = siginfo;
	fprintf(out, "{si_signo=SIG%s, si_code=%d}", sigabbrev_np(si->si_signo) ?: "?",
	        si->si_code);
}
