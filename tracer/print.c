// SPDX-License-Identifier: MIT
/* The printing primitives of the decoders (print.h). */
#include "print.h"

void dtl_print_addr(FILE *out, uint64_t v)
{
	if (v)
		fprintf(out, "%#lx", (unsigned long)v);
	else
		fputs("NULL", out);
}

void dtl_print_hex(FILE *out, uint64_t v)
{
	fprintf(out, "%#lx", (unsigned long)v);
}

const char *dtl_xlookup(uint64_t v, const struct dtl_flag_name *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].bit == v)
			return t[i].name;
	return NULL;
}

void dtl_print_xval(FILE *out, uint64_t v, const struct dtl_flag_name *t, size_t n,
                    const char *unknown)
{
	const char *s = dtl_xlookup(v, t, n);
	if (s)
		fputs(s, out);
	else
		fprintf(out, "%#lx /* %s */", (unsigned long)v, unknown);
}

void dtl_print_flags(FILE *out, uint64_t v, const struct dtl_flag_name *f, size_t n,
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
			fprintf(out, "%s%#lx", first ? "" : "|", (unsigned long)v);
	}
}

void dtl_print_xflags(FILE *out, uint64_t v, const struct dtl_flag_name *t, size_t n,
                      const char *zero, const char *unknown)
{
	if (!v) {
		fputs(zero ? zero : "0", out);
		return;
	}
	bool known = false;
	for (size_t i = 0; i < n && !known; i++)
		known = t[i].bit && (v & t[i].bit) == t[i].bit;
	if (known)
		dtl_print_flags(out, v, t, n, NULL);
	else
		fprintf(out, "%#lx /* %s */", (unsigned long)v, unknown);
}

void dtl_print_quoted(FILE *out, const char *s, size_t len, bool truncated)
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

void dtl_print_hex_quoted(FILE *out, const uint8_t *p, size_t len, bool truncated)
{
	fputc('"', out);
	for (size_t k = 0; k < len; k++)
		fprintf(out, "\\x%02x", p[k]);
	fputc('"', out);
	if (truncated)
		fputs("...", out);
}

void dtl_print_field(FILE *out, bool *first, const char *name)
{
	fprintf(out, "%s%s=", *first ? "" : ", ", name);
	*first = false;
}

void dtl_print_array_end(FILE *out, size_t shown, size_t total, bool truncated)
{
	if (shown < total || truncated)
		fputs(shown ? ", ..." : "...", out);
	fputc(']', out);
}

const uint8_t *dtl_print_guard(FILE *out, const struct dtl_event *ev, int arg, unsigned sub,
                               bool entry, size_t min_len, uint64_t addr)
{
	const struct dtl_blob *b = dtl_blob_find(ev, arg, sub, entry);
	if (!dtl_blob_ok(b) || b->len < min_len) {
		dtl_print_addr(out, addr);
		return NULL;
	}
	return dtl_blob_data(ev, b);
}
