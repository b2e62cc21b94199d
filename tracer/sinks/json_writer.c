// SPDX-License-Identifier: MIT
/* JSON string literals (see json_writer.h). */
#define _GNU_SOURCE
#include "json_writer.h"

#include <dtl/signals.h>

#include <string.h>

static void escaped(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
}

void dtl_json_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	escaped(out, s, len);
	fputc('"', out);
}

static ssize_t escaping_write(void *cookie, const char *buf, size_t size)
{
	escaped(cookie, buf, size);
	return (ssize_t)size;
}

static int closing_quote(void *cookie)
{
	fputc('"', cookie);
	return 0;
}

FILE *dtl_json_string_begin(FILE *out)
{
	FILE *s = fopencookie(
	    out, "w", (cookie_io_functions_t){.write = escaping_write, .close = closing_quote});
	if (s)
		fputc('"', out);
	return s;
}

void dtl_json_string_end(FILE *s)
{
	if (s)
		fclose(s);
}

const char *dtl_json_signal_name(int sig, char *buf, size_t size)
{
	char spelling[DTL_SIGNAL_SPELLING_MAX];
	snprintf(buf, size, "%s", dtl_signal_spelling(sig, spelling));
	return buf;
}
