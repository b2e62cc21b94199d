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

static const char *const cond_names[] = {"", "eq", "ne", "lt", "le", "gt", "ge"};

bool dtl_watch_cond_holds(uint8_t op, bool is_signed, uint64_t cond_value, const uint8_t *value,
                          size_t len)
{
	uint64_t u = 0;
	if (!op)
		return true;
	if (len > 8)
		len = 8;
	for (size_t i = 0; i < len; i++)
		u |= (uint64_t)value[i] << (8 * i);
	int cmp;
	if (is_signed) {
		int64_t v = (int64_t)u;
		if (len < 8 && len && (u >> (8 * len - 1)) & 1)
			v = (int64_t)(u | (~0ULL << (8 * len)));
		int64_t c = (int64_t)cond_value;
		cmp = v < c ? -1 : v > c;
	} else {
		cmp = u < cond_value ? -1 : u > cond_value;
	}
	switch (op) {
	case DTL_COND_EQ:
		return cmp == 0;
	case DTL_COND_NE:
		return cmp != 0;
	case DTL_COND_LT:
		return cmp < 0;
	case DTL_COND_LE:
		return cmp <= 0;
	case DTL_COND_GT:
		return cmp > 0;
	case DTL_COND_GE:
		return cmp >= 0;
	default:
		return true;
	}
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
	if (w->cond_op >= sizeof(cond_names) / sizeof(cond_names[0]))
		return -1;
	char cond[48] = "", local[32] = "";
	if (w->local)
		snprintf(local, sizeof(local), " local %lld", (long long)w->from_cfa);
	if (w->cond_op)
		snprintf(cond, sizeof(cond), " if %s %llx %c", cond_names[w->cond_op],
		         (unsigned long long)w->cond_value, w->cond_signed ? 's' : 'u');
	int n = snprintf(buf, size, "%s\t%u %s %s %llx %llx %s %s%s%s%s\n", DTL_WATCH_KEY, w->id,
	                 access, how_name(w->how), (unsigned long long)w->offset,
	                 (unsigned long long)w->len, w->object[0] ? w->object : "-",
	                 w->symbol[0] ? w->symbol : "-", w->deref ? " deref" : "", local, cond);
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
	char word[8], op[8], cv[24], sign[4];
	bool more = field(&p, end, word, sizeof(word));
	if (more && !strcmp(word, "deref")) {
		w->deref = 1;
		more = field(&p, end, word, sizeof(word));
	}
	if (more && !strcmp(word, "local")) {
		char num[24], *e;
		if (!field(&p, end, num, sizeof(num)))
			return -1;
		errno = 0;
		w->from_cfa = strtoll(num, &e, 10);
		if (errno || *e)
			return -1;
		w->local = 1;
		more = field(&p, end, word, sizeof(word));
	}
	if (more) {
		/* the condition */
		if (strcmp(word, "if") || !field(&p, end, op, sizeof(op)) ||
		    !field(&p, end, cv, sizeof(cv)) || !field(&p, end, sign, sizeof(sign)) ||
		    !hex(cv, &w->cond_value) || (strcmp(sign, "s") && strcmp(sign, "u")))
			return -1;
		for (size_t i = 1; i < sizeof(cond_names) / sizeof(cond_names[0]); i++)
			if (!strcmp(op, cond_names[i]))
				w->cond_op = (uint8_t)i;
		if (!w->cond_op)
			return -1;
		w->cond_signed = sign[0] == 's';
	}
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
		struct dtl_watch_spec scratch;
		at += line_len + 1;
		if (line_len > key_len && !memcmp(line, DTL_WATCH_KEY, key_len) &&
		    line[key_len] == '\t' &&
		    dtl_watch_spec_parse(out ? &out[n] : &scratch, line + key_len + 1,
		                         line_len - key_len - 1) == 0)
			n++;
	}
	return n;
}

bool dtl_watch_object_names(const char *want, const char *path)
{
	if (!want[0])
		return true;
	if (want[0] == '/')
		return !strcmp(want, path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(want);
	return !strncmp(base, want, n) && (base[n] == 0 || base[n] == '.');
}
