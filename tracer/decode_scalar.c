// SPDX-License-Identifier: MIT
/*
 * Scalars as strace prints them: numbers, descriptors, flag words and
 * enumerations; which arguments strace shows for a call; return values.
 */
#define _GNU_SOURCE
#include "decode.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void print_open_flags(FILE *out, unsigned long v)
{
	static const struct dtl_flag_name f[] = {
	    {O_CREAT, "O_CREAT"},         {O_EXCL, "O_EXCL"},         {O_NOCTTY, "O_NOCTTY"},
	    {O_TRUNC, "O_TRUNC"},         {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
	    {O_DSYNC, "O_DSYNC"},         {O_DIRECT, "O_DIRECT"},     {O_LARGEFILE, "O_LARGEFILE"},
	    {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_NOATIME, "O_NOATIME"},
	    {O_CLOEXEC, "O_CLOEXEC"},     {O_PATH, "O_PATH"},         {__O_TMPFILE, "O_TMPFILE"},
	};
	static const char *acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
	fputs(acc[v & O_ACCMODE], out);
	v &= ~(unsigned long)O_ACCMODE;
	if (v) {
		fputc('|', out);
		dtl_print_flags(out, v, f, DTL_N(f), NULL);
	}
}

static void print_prot(FILE *out, unsigned long v)
{
	static const struct dtl_flag_name f[] = {
	    {PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"}, {PROT_EXEC, "PROT_EXEC"}};
	dtl_print_flags(out, v, f, DTL_N(f), "PROT_NONE");
}

static void print_mmap_flags(FILE *out, unsigned long v)
{
	static const struct dtl_flag_name f[] = {
	    {MAP_SHARED, "MAP_SHARED"},       {MAP_PRIVATE, "MAP_PRIVATE"},
	    {MAP_FIXED, "MAP_FIXED"},         {MAP_ANONYMOUS, "MAP_ANONYMOUS"},
	    {MAP_DENYWRITE, "MAP_DENYWRITE"}, {MAP_NORESERVE, "MAP_NORESERVE"},
	    {MAP_STACK, "MAP_STACK"},         {MAP_POPULATE, "MAP_POPULATE"},
	    {MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
	};
	dtl_print_flags(out, v, f, DTL_N(f), "0");
}

static void print_access(FILE *out, unsigned long v)
{
	static const struct dtl_flag_name f[] = {{R_OK, "R_OK"}, {W_OK, "W_OK"}, {X_OK, "X_OK"}};
	dtl_print_flags(out, v, f, DTL_N(f), "F_OK");
}

void dtl_print_scalar(FILE *out, enum dtl_arg_kind kind, uint64_t v)
{
	switch (kind) {
	case DTL_ARG_INT:
	case DTL_ARG_FD:
	case DTL_ARG_PID:
		fprintf(out, "%d", (int)v);
		break;
	case DTL_ARG_UINT:
		fprintf(out, "%u", (unsigned)v);
		break;
	case DTL_ARG_LONG:
		fprintf(out, "%ld", (long)v);
		break;
	case DTL_ARG_ULONG:
		fprintf(out, "%lu", (unsigned long)v);
		break;
	case DTL_ARG_DIRFD:
		if ((int)v == AT_FDCWD)
			fputs("AT_FDCWD", out);
		else
			fprintf(out, "%d", (int)v);
		break;
	case DTL_ARG_UID:
	case DTL_ARG_GID:
		fprintf(out, "%d", (int)v);
		break;
	case DTL_ARG_OPEN_FLAGS:
		print_open_flags(out, v);
		break;
	case DTL_ARG_MODE:
		fprintf(out, "%#03lo", (unsigned long)v & 07777);
		break;
	case DTL_ARG_PROT:
		print_prot(out, v);
		break;
	case DTL_ARG_MMAP_FLAGS:
		print_mmap_flags(out, v);
		break;
	case DTL_ARG_ACCESS_MODE:
		print_access(out, v);
		break;
	case DTL_ARG_SIGNUM:
		if ((int)v > 0 && (int)v < 65 && sigabbrev_np((int)v))
			fprintf(out, "SIG%s", sigabbrev_np((int)v));
		else
			fprintf(out, "%d", (int)v);
		break;
	case DTL_ARG_SEEK_WHENCE: {
		static const char *w[] = {"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA",
		                          "SEEK_HOLE"};
		if (v < DTL_N(w))
			fputs(w[v], out);
		else
			fprintf(out, "%lu", (unsigned long)v);
		break;
	}
	case DTL_ARG_PTR:
		if (v)
			fprintf(out, "%#lx", (unsigned long)v);
		else
			fputs("NULL", out);
		break;
	default:
		fprintf(out, "%#lx", (unsigned long)v);
	}
}

void dtl_decode_scalar_arg(const struct dtl_decoder_ctx *c, int i)
{
	dtl_print_scalar(c->out, c->d->args[i].kind, c->ev->args[i]);
}

int dtl_decode_arg_order(const struct dtl_decoder_ctx *c, int order[6])
{
	const struct dtl_syscall_desc *d = c->d;
	int n = d->nargs;
	/* open/openat take a mode only with O_CREAT or O_TMPFILE; strace shows
	 * it only then */
	if ((!strcmp(d->name, "openat") || !strcmp(d->name, "open")) &&
	    !(c->ev->args[n - 2] & (O_CREAT | __O_TMPFILE)))
		n--;
	for (int i = 0; i < n; i++)
		order[i] = i;
	return n;
}

void dtl_decode_ret(const struct dtl_decoder_ctx *c)
{
	FILE *out = c->out;
	const struct dtl_event *ev = c->ev;
	const struct dtl_syscall_desc *d = c->d;
	long r = ev->ret;
	if (r < 0 && r >= -4095) {
		const char *name = strerrorname_np((int)-r);
		fprintf(out, "-1 %s (%s)", name ? name : "E?", strerror((int)-r));
		return;
	}
	if (d && d->ret == DTL_RET_HEX)
		fprintf(out, "%#lx", (unsigned long)r);
	else if (d && d->ret == DTL_RET_OCTAL)
		fprintf(out, "%#lo", (unsigned long)r);
	else
		fprintf(out, "%ld", r);
	dtl_decode_ret_memory(c);
}
