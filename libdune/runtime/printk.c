// SPDX-License-Identifier: MIT
/*
 * A printf that is safe in ring 0 and in the monitor: no locks, no
 * allocation, one write(2) per call.
 */
#include "runtime.h"

#include <stdarg.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_num(struct out *o, unsigned long long v, unsigned base, bool upper, bool neg,
                    int width, bool zero, bool left)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int total = n + (neg ? 1 : 0);
	if (neg && zero)
		put(o, '-');
	if (!left)
		for (; total < width; total++)
			put(o, zero ? '0' : ' ');
	if (neg && !zero)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
	if (left)
		for (; total < width; total++)
			put(o, ' ');
}

int dune_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct out o = {buf, len, 0};

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		bool zero = false, left = false, alt = false;
		int width = 0, lng = 0;
		for (;; p++) {
			if (*p == '0')
				zero = true;
			else if (*p == '-')
				left = true;
			else if (*p == '#')
				alt = true;
			else
				break;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		for (; *p == 'l' || *p == 'z'; p++)
			lng++;
		switch (*p) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			unsigned long long u =
			    v < 0 ? -(unsigned long long)v : (unsigned long long)v;
			put_num(&o, u, 10, false, v < 0, width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v =
			    lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			if (alt && *p != 'u' && v) {
				put(&o, '0');
				put(&o, *p);
			}
			put_num(&o, v, *p == 'u' ? 10 : 16, *p == 'X', false, width, zero, left);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false, false, width, zero,
			        left);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;
			if (!s)
				s = "(null)";
			for (const char *q = s; *q; q++)
				n++;
			if (!left)
				for (; n < width; n++)
					put(&o, ' ');
			while (*s)
				put(&o, *s++);
			if (left)
				for (; n < width; n++)
					put(&o, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--;
			break;
		default:
			put(&o, '%');
			put(&o, *p);
		}
	}
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return (int)o.pos;
}

int dune_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = dune_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

/* Write to stderr from wherever we are: a host call in the guest, a plain
 * system call on the host. */
static void write_stderr(const char *s, size_t n)
{
	struct dune_percpu *pc = dune_this_cpu();

	if (pc && dune_entered())
		dune_syscall6(SYS_write, 2, (long)s, (long)n, 0, 0, 0);
	else
		dune_raw_syscall6(SYS_write, 2, (long)s, (long)n, 0, 0, 0);
}

static int vprint(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t off = 0;

	if (prefix)
		off = (size_t)dune_snprintf(buf, sizeof(buf), "%s", prefix);
	int n = dune_vsnprintf(buf + off, sizeof(buf) - off, fmt, ap);
	size_t total = off + (size_t)n;
	if (total >= sizeof(buf))
		total = sizeof(buf) - 1;
	write_stderr(buf, total);
	return n;
}

int dune_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprint(NULL, fmt, ap);
	va_end(ap);
	return n;
}

void dune_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint("dune: ", fmt, ap);
	va_end(ap);
	write_stderr("\n", 1);
	dune_syscall6(SYS_exit_group, 1, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
