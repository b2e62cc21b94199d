// SPDX-License-Identifier: MIT
/*
 * futex: the operation word, FUTEX_WAKE_OP's encoded operation, and the
 * arguments each operation uses, from the futex vocabulary (dtl/futex.h)
 * that the capture also reads.
 */
#include "decode_families.h"

#include <dtl/futex.h>

void dtl_print_futex_op(FILE *out, uint32_t v)
{
	const struct dtl_futex_cmd *k = dtl_futex_cmd(v);
	/* FUTEX_CLOCK_REALTIME is named only with the commands taking it */
	if (!k || ((v & DTL_FUTEX_CLOCK_REALTIME) && !(k->flags & DTL_FUTEX_CLOCK))) {
		fprintf(out, "%#x /* FUTEX_??? */", v);
		return;
	}
	fprintf(out, "%s%s%s", k->name, v & DTL_FUTEX_PRIVATE_FLAG ? "_PRIVATE" : "",
	        v & DTL_FUTEX_CLOCK_REALTIME ? "|FUTEX_CLOCK_REALTIME" : "");
}

/* FUTEX_WAKE_OP's encoded operation */
static void print_futex_wake_op(FILE *out, uint32_t v)
{
	static const struct dtl_flag_name ops[] = {XN(0, "FUTEX_OP_SET"), XN(1, "FUTEX_OP_ADD"),
	                                           XN(2, "FUTEX_OP_OR"), XN(3, "FUTEX_OP_ANDN"),
	                                           XN(4, "FUTEX_OP_XOR")};
	static const struct dtl_flag_name cmps[] = {
	    XN(0, "FUTEX_OP_CMP_EQ"), XN(1, "FUTEX_OP_CMP_NE"), XN(2, "FUTEX_OP_CMP_LT"),
	    XN(3, "FUTEX_OP_CMP_LE"), XN(4, "FUTEX_OP_CMP_GT"), XN(5, "FUTEX_OP_CMP_GE")};
	unsigned op = (v >> 28) & 0xf;
	if (op & 8) {
		fputs("FUTEX_OP_OPARG_SHIFT|", out);
		op &= 7;
	}
	const char *s = dtl_xlookup(op, ops, DTL_N(ops));
	if (s)
		fputs(s, out);
	else
		fprintf(out, "%#x", op);
	fprintf(out, "<<28|%#x<<12|", (v >> 12) & 0xfff);
	s = dtl_xlookup((v >> 24) & 0xf, cmps, DTL_N(cmps));
	if (s)
		fputs(s, out);
	else
		fprintf(out, "%#x", (v >> 24) & 0xf);
	fprintf(out, "<<24|%#x", v & 0xfff);
}

int dtl_decode_futex_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	const struct dtl_futex_cmd *k = dtl_futex_cmd((uint32_t)c->ev->args[1]);
	if (!k) {
		for (int i = 0; i < 6; i++)
			order[i] = i;
		return 6;
	}
	for (int i = 0; i < k->nshown; i++)
		order[i] = k->shown[i];
	return k->nshown;
}

bool dtl_decode_futex_arg(const struct dtl_decoder_ctx *c, int i)
{
	FILE *out = c->out;
	const struct dtl_futex_cmd *k = dtl_futex_cmd((uint32_t)c->ev->args[1]);
	unsigned flags = k ? k->flags : 0;
	uint64_t v = c->ev->args[i];
	switch (i) {
	case 3: { /* timeout, or val2 for the requeues and WAKE_OP */
		const struct dtl_blob *t = dtl_blob_find(c->ev, 3, DTL_SUB_OBJECT, true);
		if (flags & DTL_FUTEX_VAL2)
			fprintf(out, "%u", (uint32_t)v);
		else if (v && dtl_blob_ok(t) && t->len == 16)
			dtl_print_timespec(out, dtl_blob_data(c->ev, t));
		else
			dtl_print_addr(out, v);
		return true;
	}
	case 4:
		dtl_print_addr(out, v);
		return true;
	case 5:
		if (flags & DTL_FUTEX_WAKE_OP)
			print_futex_wake_op(out, (uint32_t)v);
		else if ((flags & DTL_FUTEX_BITSET) && (uint32_t)v == 0xffffffffu)
			fputs("FUTEX_BITSET_MATCH_ANY", out);
		else if ((flags & DTL_FUTEX_BITSET) || !k)
			fprintf(out, "%#x", (uint32_t)v);
		else
			fprintf(out, "%u", (uint32_t)v);
		return true;
	}
	return false;
}
