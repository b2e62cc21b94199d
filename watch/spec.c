// SPDX-License-Identifier: MIT
/* Watchpoints in the ring's configuration (dtl/watch_spec.h). */
#include <dtl/event.h>
#include <dtl/watch_spec.h>

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *access_name(uint8_t access)
{
	switch (access) {
	case DTL_ACCESS_READ:
		return "r";
	case DTL_ACCESS_WRITE:
		return "w";
	case DTL_ACCESS_READ | DTL_ACCESS_WRITE:
		return "rw";
	default:
		return NULL;
	}
}

static const char *how_name(uint8_t how)
{
	return how == DTL_WATCH_PAGE ? "page" : how == DTL_WATCH_HW ? "hw" : "auto";
}

static bool plain_name(const char *s)
{
	return !strpbrk(s, " \t\n") && strcmp(s, "-");
}

int dtl_watch_spec_format(const struct dtl_watch_spec *w, char *buf, size_t size)
{
	const char *access = access_name(w->access);
	if (!access || (w->object[0] && !plain_name(w->object)) ||
	    (w->symbol[0] && !plain_name(w->symbol)))
		return -1;
	int n =
	    snprintf(buf, size, "%s\t%u %s %s %llx %llx %s %s\n", DTL_WATCH_KEY, w->id, access,
	             how_name(w->how), (unsigned long long)w->offset, (unsigned long long)w->len,
	             w->object[0] ? w->object : "-", w->symbol[0] ? w->symbol : "-");
	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* The next space-separated field of [*p, end) into @out (@size bytes). */
static bool field(const char **p, const char *end, char *out, size_t size)
{
	while (*p < end && **p == ' ')
		(*p)++;
	size_t n = 0;
	while (*p < end && **p != ' ') {
		if (n + 1 >= size)
			return false;
		out[n++] = *(*p)++;
	}
	out[n] = 0;
	return n > 0;
}

static bool hex(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 16);
	if (errno || *end || !isxdigit((unsigned char)s[0]))
		return false;
	*v = x;
	return true;
}

int dtl_watch_spec_parse(struct dtl_watch_spec *w, const char *value, size_t len)
{
	const char *p = value, *end = value + len;
	char id[16], access[4], how[8], off[24], n[24];

	memset(w, 0, sizeof(*w));
	if (!field(&p, end, id, sizeof(id)) || !field(&p, end, access, sizeof(access)) ||
	    !field(&p, end, how, sizeof(how)) || !field(&p, end, off, sizeof(off)) ||
	    !field(&p, end, n, sizeof(n)) || !field(&p, end, w->object, sizeof(w->object)) ||
	    !field(&p, end, w->symbol, sizeof(w->symbol)))
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p != end)
		return -1;
	char *idend;
	errno = 0;
	unsigned long long idv = strtoull(id, &idend, 10);
	if (errno || *idend || !isdigit((unsigned char)id[0]) || !idv || idv > UINT32_MAX)
		return -1;
	w->id = (uint32_t)idv;
	w->access = !strcmp(access, "r")    ? DTL_ACCESS_READ
	            : !strcmp(access, "w")  ? DTL_ACCESS_WRITE
	            : !strcmp(access, "rw") ? DTL_ACCESS_READ | DTL_ACCESS_WRITE
	                                    : 0;
	w->how = !strcmp(how, "page") ? DTL_WATCH_PAGE : !strcmp(how, "hw") ? DTL_WATCH_HW : 0;
	if (!w->access || (!w->how && strcmp(how, "auto")) || !hex(off, &w->offset) ||
	    !hex(n, &w->len) || !w->len)
		return -1;
	if (!strcmp(w->object, "-"))
		w->object[0] = 0;
	if (!strcmp(w->symbol, "-"))
		w->symbol[0] = 0;
	return 0;
}

int dtl_watch_spec_parse_all(const char *text, size_t len, struct dtl_watch_spec *out, int max)
{
	const size_t key_len = strlen(DTL_WATCH_KEY);
	int n = 0;

	for (size_t at = 0; at < len && n < max;) {
		const char *line = text + at, *nl = memchr(line, '\n', len - at);
		size_t line_len = nl ? (size_t)(nl - line) : len - at;
		at += line_len + 1;
		if (line_len > key_len && !memcmp(line, DTL_WATCH_KEY, key_len) &&
		    line[key_len] == '\t' &&
		    dtl_watch_spec_parse(&out[n], line + key_len + 1, line_len - key_len - 1) == 0)
			n++;
	}
	return n;
}
