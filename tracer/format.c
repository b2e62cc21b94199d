// SPDX-License-Identifier: MIT
/*
 * The strace-style formatter. Decoding depth: numbers, descriptors,
 * AT_FDCWD, strings and buffers (quoted, escaped, "..." past -s), open
 * flags, modes, mmap protections and flags, access modes, signals, seek
 * whence; other memory arguments are printed as their address, as strace
 * does with -e raw. Return values: -1 ERRNO (Description) for errors.
 */
#define _GNU_SOURCE
#include <dtl/catalogue.h>
#include <dtl/format.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct flag {
	unsigned long bit;
	const char *name;
};

static void print_flags(FILE *out, unsigned long v, const struct flag *f, size_t n,
                        const char *zero)
{
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (f[i].bit && (v & f[i].bit) == f[i].bit) {
			fprintf(out, "%s%s", first ? "" : "|", f[i].name);
			first = false;
			v &= ~f[i].bit;
		}
	}
	if (v || first) {
		if (first && !v && zero)
			fputs(zero, out);
		else
			fprintf(out, "%s%#lx", first ? "" : "|", v);
	}
}

#define N(a) (sizeof(a) / sizeof(a[0]))

static void print_open_flags(FILE *out, unsigned long v)
{
	static const struct flag f[] = {
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
		print_flags(out, v, f, N(f), NULL);
	}
}

static void print_prot(FILE *out, unsigned long v)
{
	static const struct flag f[] = {
	    {PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"}, {PROT_EXEC, "PROT_EXEC"}};
	print_flags(out, v, f, N(f), "PROT_NONE");
}

static void print_mmap_flags(FILE *out, unsigned long v)
{
	static const struct flag f[] = {
	    {MAP_SHARED, "MAP_SHARED"},       {MAP_PRIVATE, "MAP_PRIVATE"},
	    {MAP_FIXED, "MAP_FIXED"},         {MAP_ANONYMOUS, "MAP_ANONYMOUS"},
	    {MAP_DENYWRITE, "MAP_DENYWRITE"}, {MAP_NORESERVE, "MAP_NORESERVE"},
	    {MAP_STACK, "MAP_STACK"},         {MAP_POPULATE, "MAP_POPULATE"},
	    {MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
	};
	print_flags(out, v, f, N(f), "0");
}

static void print_access(FILE *out, unsigned long v)
{
	static const struct flag f[] = {{R_OK, "R_OK"}, {W_OK, "W_OK"}, {X_OK, "X_OK"}};
	print_flags(out, v, f, N(f), "F_OK");
}

void dtl_format_quoted(FILE *out, const char *s, size_t len, bool truncated)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\v':
			fputs("\\v", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		default:
			if (c >= ' ' && c < 0x7f) {
				fputc(c, out);
			} else {
				/* octal, as short as the next character allows */
				bool next_digit = i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7';
				fprintf(out, next_digit ? "\\%03o" : "\\%o", c);
			}
		}
	}
	fputc('"', out);
	if (truncated)
		fputs("...", out);
}

static const struct dtl_blob *blob_for(const struct dtl_event *ev, int arg)
{
	for (int i = 0; i < ev->nblobs; i++)
		if (ev->blobs[i].arg == arg)
			return &ev->blobs[i];
	return NULL;
}

static void print_arg(FILE *out, const struct dtl_event *ev, const struct dtl_syscall_desc *d,
                      int i)
{
	const struct dtl_arg_desc *a = &d->args[i];
	uint64_t v = ev->args[i];
	const struct dtl_arg_kind_info *k = dtl_arg_kind_info(a->kind);
	const struct dtl_blob *b = blob_for(ev, i);

	if (k && k->mem != DTL_MEM_NONE) {
		if (!v) {
			fputs("NULL", out);
		} else if (b && !(b->flags & DTL_BLOB_FAULT) &&
		           (k->mem == DTL_MEM_STRING || k->mem == DTL_MEM_BYTES)) {
			dtl_format_quoted(out, ev->data + b->offset, b->len,
			                  b->flags & DTL_BLOB_TRUNCATED);
		} else {
			fprintf(out, "%#lx", (unsigned long)v);
		}
		return;
	}
	switch (a->kind) {
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
		if (v < N(w))
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

static void print_ret(FILE *out, const struct dtl_event *ev, const struct dtl_syscall_desc *d)
{
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
}

static void format_line(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o);

void dtl_format_event(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	/* built in memory first, so that the column is known on any stream */
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	if (!m) {
		format_line(out, ev, o);
		return;
	}
	format_line(m, ev, o);
	fclose(m);
	fwrite(line, 1, len, out);
	free(line);
}

static void format_line(FILE *out, const struct dtl_event *ev, const struct dtl_format_opts *o)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(ev->nr);

	long line_start = ftell(out);
	if (o->pid_prefix)
		fprintf(out, "[pid %5d] ", ev->tid);
	if (!d) {
		fprintf(out, "syscall_%#lx(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = ", (long)ev->nr,
		        (unsigned long)ev->args[0], (unsigned long)ev->args[1],
		        (unsigned long)ev->args[2], (unsigned long)ev->args[3],
		        (unsigned long)ev->args[4], (unsigned long)ev->args[5]);
		print_ret(out, ev, d);
		fputc('\n', out);
		return;
	}
	fprintf(out, "%s(", d->name);
	int nargs = d->nargs;
	/* open/openat take a mode only with O_CREAT or O_TMPFILE; strace shows
	 * it only then */
	if ((!strcmp(d->name, "openat") || !strcmp(d->name, "open")) &&
	    !(ev->args[nargs - 2] & (O_CREAT | __O_TMPFILE)))
		nargs--;
	for (int i = 0; i < nargs; i++) {
		if (i)
			fputs(", ", out);
		print_arg(out, ev, d, i);
	}
	/* strace's alignment: the result starts at column 40 */
	fputc(')', out);
	long col = ftell(out) - line_start;
	if (line_start >= 0 && col >= 0 && col < 39)
		fprintf(out, "%*s", (int)(39 - col), "");
	fputs(" = ", out);
	if (ev->type == DTL_EV_ENTER)
		fputc('?', out);
	else
		print_ret(out, ev, d);
	fputc('\n', out);
}
