// SPDX-License-Identifier: MIT
/*
 * The strace-style line assembly: "name(" + the arguments strace shows, in
 * its order + ")" + padding to column 40 + " = " + the result, split at the
 * first argument the kernel writes when a call's entry and exit are printed
 * apart ("<unfinished ...>" / "<... name resumed>"). The pieces come from
 * the decoders (decode.h), which print with the printing layer (print.h).
 */
#define _GNU_SOURCE
#include "decode.h"
#include "print.h"

#include <dtl/catalogue.h>
#include <dtl/format.h>

#include <stdlib.h>
#include <string.h>

void dtl_format_quoted(FILE *out, const char *s, size_t len, bool truncated)
{
	dtl_print_quoted(out, s, len, truncated);
}

/* Is argument @i printed only once the call has returned? What the kernel
 * writes, and value-result arguments that strace shows as "[in => out]". */
static bool printed_at_exit(const struct dtl_syscall_desc *d, int i)
{
	const struct dtl_arg_desc *a = &d->args[i];
	return a->dir == DTL_DIR_OUT ||
	       (a->dir == DTL_DIR_INOUT &&
	        (a->kind == DTL_ARG_SOCKLEN_PTR || a->kind == DTL_ARG_LOFF_INOUT));
}

static void print_one_arg(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_arg_kind_info *k = dtl_arg_kind_info(c->d->args[i].kind);
	if (k && k->mem != DTL_MEM_NONE)
		dtl_decode_memory_arg(c, i);
	else
		dtl_decode_scalar_arg(c, i);
}

/* Arguments [from, to) of @order, with ", " between them (and before the
 * first when @from > 0, continuing an entry part). */
static void print_args(const struct dtl_decoder_ctx *c, const int *order, int from, int to)
{
	/* what strace shows before them (rt_sigreturn's restored mask) */
	dtl_decode_leading(c);
	for (int p = from; p < to; p++) {
		if (p)
			fputs(", ", c->out);
		print_one_arg(c, order[p]);
	}
}

/* Does the kernel write back into argument @i, which is printed at entry,
 * with the result shown right after it (clone3's " => {parent_tid=[N]}")? */
static bool written_back(const struct dtl_syscall_desc *d, int i)
{
	return d->args[i].kind == DTL_ARG_CLONE_ARGS;
}

/* The position in @order of the first argument printed at exit; an
 * argument written back ends the entry part right after it. */
static int exit_split(const struct dtl_decoder_ctx *c, const int *order, int n)
{
	for (int p = 0; p < n; p++) {
		if (printed_at_exit(c->d, order[p]))
			return p;
		if (written_back(c->d, order[p]))
			return p + 1;
	}
	return n;
}

static void print_result(const struct dtl_decoder_ctx *c)
{
	fputc(')', c->out);
	/* strace's alignment: the result starts at column 40 */
	long col = ftell(c->out);
	if (!c->o->no_align && col >= 0 && col < 39)
		fprintf(c->out, "%*s", (int)(39 - col), "");
	fputs(" = ", c->out);
	if (!c->completed) {
		fputc('?', c->out);
		return;
	}
	dtl_decode_ret(c);
	if (c->o->syscall_time) {
		uint64_t ns =
		    c->ev->ts_ns > c->ev->ts_enter_ns ? c->ev->ts_ns - c->ev->ts_enter_ns : 0;
		fprintf(c->out, " <%lu.%06lu>", (unsigned long)(ns / 1000000000),
		        (unsigned long)(ns / 1000 % 1000000));
	}
}

/* A number the catalogue does not know: all six registers. */
static void print_unknown(FILE *out, const struct dtl_event *ev, bool completed)
{
	fprintf(out, "syscall_%#lx(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = ", (long)ev->nr,
	        (unsigned long)ev->args[0], (unsigned long)ev->args[1], (unsigned long)ev->args[2],
	        (unsigned long)ev->args[3], (unsigned long)ev->args[4], (unsigned long)ev->args[5]);
	long r = ev->ret;
	if (!completed)
		fputc('?', out);
	else if (r < 0 && r >= -4095)
		fprintf(out, "-1 %s (%s)", strerrorname_np((int)-r) ?: "E?", strerror((int)-r));
	else
		fprintf(out, "%ld", r);
}

static struct dtl_decoder_ctx context(FILE *out, const struct dtl_event *ev,
                                      const struct dtl_format_opts *o)
{
	return (struct dtl_decoder_ctx){
	    .out = out,
	    .ev = ev,
	    .d = dtl_syscall_by_nr(ev->nr),
	    .o = o,
	    .completed = ev->type == DTL_EV_SYSCALL,
	};
}

const char *dtl_format_name(const struct dtl_event *ev)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(ev->nr);
	return d ? d->name : NULL;
}

void dtl_format_call(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	struct dtl_decoder_ctx c = context(out, ev, o);
	if (!c.d) {
		print_unknown(out, ev, c.completed);
		return;
	}
	int order[6];
	int n = dtl_decode_arg_order(&c, order);
	fprintf(out, "%s(", c.d->name);
	print_args(&c, order, 0, n);
	print_result(&c);
}

void dtl_format_entry(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	struct dtl_decoder_ctx c = context(out, ev, o);
	if (!c.d) {
		fprintf(out, "syscall_%#lx(", (long)ev->nr);
		return;
	}
	c.completed = false;
	int order[6];
	int n = dtl_decode_arg_order(&c, order);
	int split = exit_split(&c, order, n);
	fprintf(out, "%s(", c.d->name);
	print_args(&c, order, 0, split);
	if (split < n && split > 0 && !written_back(c.d, order[split - 1]))
		fputs(", ", out);
}

void dtl_format_resumed(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	struct dtl_decoder_ctx c = context(out, ev, o);
	if (!c.d) {
		print_unknown(out, ev, c.completed);
		return;
	}
	int order[6];
	int n = dtl_decode_arg_order(&c, order);
	int split = exit_split(&c, order, n);
	/* what the kernel wrote into the argument that ended the entry part */
	bool wb = split > 0 && written_back(c.d, order[split - 1]);
	if (!c.completed) {
		/* it never returned (its process was killed, or another thread's
		 * exit_group ended it): nothing was written back. strace says
		 * so when the call had anything left to print */
		if (wb || split < n)
			fputs(" <unfinished ...>", out);
		print_result(&c);
		return;
	}
	if (wb) {
		dtl_decode_written_back(&c, order[split - 1]);
		if (split < n)
			fputs(", ", out);
	}
	/* the entry part ended with ", " already */
	for (int p = split; p < n; p++) {
		if (p > split)
			fputs(", ", out);
		print_one_arg(&c, order[p]);
	}
	print_result(&c);
}

int dtl_format_arg_order(const struct dtl_event *ev, const struct dtl_format_opts *o, int order[6])
{
	struct dtl_decoder_ctx c = context(NULL, ev, o);
	return c.d ? dtl_decode_arg_order(&c, order) : 0;
}

void dtl_format_arg(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o, int i)
{
	struct dtl_decoder_ctx c = context(out, ev, o);
	if (c.d && i >= 0 && i < c.d->nargs)
		print_one_arg(&c, i);
}

void dtl_format_ret(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	struct dtl_decoder_ctx c = context(out, ev, o);
	if (!c.completed)
		fputc('?', out);
	else if (c.d)
		dtl_decode_ret(&c);
	else
		fprintf(out, "%ld", (long)ev->ret);
}

void dtl_format_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	/* built in memory first, so that the column is known on any stream */
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	if (!m)
		return;
	if (o->pid_prefix)
		fprintf(m, "[pid %5d] ", ev->tid);
	dtl_format_call(m, ev, o);
	fputc('\n', m);
	fclose(m);
	fwrite(line, 1, len, out);
	free(line);
}

void dtl_format_siginfo(FILE *out, const struct dtl_event *ev)
{
	const struct dtl_blob *b = dtl_blob_find(ev, 0, DTL_SUB_OBJECT, true);
	if (b && b->len >= 128)
		dtl_print_siginfo(out, ev->data + b->offset);
	else
		fputs("{...}", out);
}

void dtl_format_signal(FILE *out, const struct dtl_event *ev)
{
	fputs("--- ", out);
	dtl_print_scalar(out, DTL_ARG_SIGNUM, ev->args[0]);
	fputc(' ', out);
	dtl_format_siginfo(out, ev);
	fputs(" ---", out);
}
