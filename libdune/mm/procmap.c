// SPDX-License-Identifier: MIT
/* /proc/self/maps parsing without allocation (see dune/procmap.h). */
#include <dune/procmap.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static const char *parse_hex(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = s;

	for (;; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v >> 60)
			return NULL; /* more than 64 bits */
		v = (v << 4) | d;
	}
	if (s == start)
		return NULL;
	*out = v;
	return s;
}

static const char *parse_dec(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = s;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	if (s == start)
		return NULL;
	*out = v;
	return s;
}

static const char *expect(const char *s, char c)
{
	return s && *s == c ? s + 1 : NULL;
}

static enum dune_procmap_kind classify(const char *path)
{
	static const struct {
		const char *name;
		enum dune_procmap_kind kind;
	} named[] = {
	    {"[heap]", DUNE_MAP_HEAP},        {"[stack]", DUNE_MAP_STACK},
	    {"[vdso]", DUNE_MAP_VDSO},        {"[vvar]", DUNE_MAP_VVAR},
	    {"[vvar_vclock]", DUNE_MAP_VVAR}, {"[vsyscall]", DUNE_MAP_VSYSCALL},
	};

	if (path[0] == '\0')
		return DUNE_MAP_ANON;
	if (path[0] == '/')
		return DUNE_MAP_FILE;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcmp(path, named[i].name) == 0)
			return named[i].kind;
	return DUNE_MAP_OTHER;
}

int dune_procmap_parse_line(char *line, struct dune_procmap_entry *e)
{
	uint64_t begin, end, off, maj, min, inode;
	const char *s = line;

	s = parse_hex(s, &begin);
	s = expect(s, '-');
	if (s)
		s = parse_hex(s, &end);
	s = expect(s, ' ');
	if (!s || strlen(s) < 5 || s[4] != ' ')
		return -EINVAL;
	if ((s[0] != 'r' && s[0] != '-') || (s[1] != 'w' && s[1] != '-') ||
	    (s[2] != 'x' && s[2] != '-') || (s[3] != 'p' && s[3] != 's'))
		return -EINVAL;
	e->r = s[0] == 'r';
	e->w = s[1] == 'w';
	e->x = s[2] == 'x';
	e->shared = s[3] == 's';
	s = parse_hex(s + 5, &off);
	s = expect(s, ' ');
	if (s)
		s = parse_hex(s, &maj);
	s = expect(s, ':');
	if (s)
		s = parse_hex(s, &min);
	s = expect(s, ' ');
	if (s)
		s = parse_dec(s, &inode);
	if (!s || (*s != ' ' && *s != '\0' && *s != '\n'))
		return -EINVAL;
	if (begin >= end || (begin & 0xfff) || (end & 0xfff))
		return -EINVAL;

	while (*s == ' ')
		s++;
	char *path = (char *)s;
	size_t len = strlen(path);
	if (len && path[len - 1] == '\n')
		path[--len] = '\0';

	e->begin = begin;
	e->end = end;
	e->offset = off;
	e->dev_major = (unsigned)maj;
	e->dev_minor = (unsigned)min;
	e->inode = inode;
	e->path = path;
	e->kind = classify(path);
	return 0;
}

int dune_procmap_iterate_fd(int fd, dune_procmap_cb cb, void *arg)
{
	/* A line is at most ~100 bytes plus a path of up to PATH_MAX (4096). */
	char buf[8192];
	size_t have = 0;

	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		have += (size_t)n;
		buf[have] = '\0';
		if (n == 0 && have == 0)
			return 0;

		char *line = buf;
		char *nl;
		while ((nl = memchr(line, '\n', have - (size_t)(line - buf))) != NULL) {
			struct dune_procmap_entry e;
			*nl = '\0';
			if (dune_procmap_parse_line(line, &e) < 0)
				return -EINVAL;
			int r = cb(&e, arg);
			if (r)
				return r;
			line = nl + 1;
		}
		size_t rest = have - (size_t)(line - buf);
		if (n == 0) {
			/* last line without a newline */
			struct dune_procmap_entry e;
			if (rest == 0)
				return 0;
			if (dune_procmap_parse_line(line, &e) < 0)
				return -EINVAL;
			int r = cb(&e, arg);
			return r;
		}
		if (rest == sizeof(buf) - 1)
			return -E2BIG; /* a line longer than the buffer */
		memmove(buf, line, rest);
		have = rest;
	}
}

int dune_procmap_iterate(dune_procmap_cb cb, void *arg)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = dune_procmap_iterate_fd(fd, cb, arg);
	close(fd);
	return r;
}

const char *dune_procmap_kind_name(enum dune_procmap_kind kind)
{
	switch (kind) {
	case DUNE_MAP_ANON:
		return "anon";
	case DUNE_MAP_FILE:
		return "file";
	case DUNE_MAP_HEAP:
		return "heap";
	case DUNE_MAP_STACK:
		return "stack";
	case DUNE_MAP_VDSO:
		return "vdso";
	case DUNE_MAP_VVAR:
		return "vvar";
	case DUNE_MAP_VSYSCALL:
		return "vsyscall";
	case DUNE_MAP_OTHER:
		return "other";
	}
	return "?";
}
