// SPDX-License-Identifier: MIT
/* Watch expressions (dtl/watch_expr.h). */
#define _GNU_SOURCE
#include <dtl/ctype.h>
#include <dtl/elf_symbols.h>
#include <dtl/event.h>
#include <dtl/watch_expr.h>

#include <ctype.h>
#include <dune/elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

__attribute__((format(printf, 5, 6))) static int fail(char *err, size_t errlen, const char *text,
                                                      long caret, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s: ", text);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		n += vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	if (caret >= 0 && n >= 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, "\n  %s\n  %*s^", text, (int)caret, "");
	return -1;
}

/* A decimal or 0x hex number at *p; advances. */
static bool number(const char **p, uint64_t *v)
{
	char *end;
	if (!isdigit((unsigned char)**p))
		return false;
	errno = 0;
	unsigned long long x = strtoull(*p, &end, 0);
	if (errno || end == *p)
		return false;
	*v = x;
	*p = end;
	return true;
}

static bool ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

/* A name: letters, digits, '_', '$', and ".N" of a static the compiler
 * renamed ("completed.0"); ".member" after it is a path. */
static const char *ident_end(const char *p)
{
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
	       (*p == '.' && isdigit((unsigned char)p[1])))
		p++;
	return p;
}

/* ".member" and "[index]" steps: the path (for DWARF) into @path. */
static const char *path_end(const char *p)
{
	for (;;) {
		if (*p == '.' && ident_start(p[1])) {
			p = ident_end(p + 1);
		} else if (*p == '[') {
			const char *close = strchr(p, ']');
			if (!close)
				return p;
			p = close + 1;
		} else {
			return p;
		}
	}
}

static const struct {
	const char *text;
	enum dtl_watch_cond op;
} cond_ops[] = {
    {"==", DTL_COND_EQ}, {"!=", DTL_COND_NE}, {"<=", DTL_COND_LE},
    {">=", DTL_COND_GE}, {"<", DTL_COND_LT},  {">", DTL_COND_GT},
};

/* "NAME OP CONST" at @c (in @text), where NAME is the watched expression
 * @watched (@watched_len bytes). */
static int parse_condition(const char *text, const char *c, const char *watched, size_t watched_len,
                           struct dtl_watch_spec *w, struct dtl_watch_parsed *x, char *err,
                           size_t errlen)
{
	while (*c == ' ')
		c++;
	const char *name = c;
	while (*c && *c != ' ' && !strchr("=!<>", *c))
		c++;
	if ((size_t)(c - name) != watched_len || memcmp(name, watched, watched_len))
		return fail(err, errlen, text, name - text,
		            "a condition is on the watched value itself: if %.*s OP CONST",
		            (int)watched_len, watched);
	while (*c == ' ')
		c++;
	for (size_t i = 0; i < sizeof(cond_ops) / sizeof(cond_ops[0]); i++)
		if (!strncmp(c, cond_ops[i].text, strlen(cond_ops[i].text))) {
			w->cond_op = (uint8_t)cond_ops[i].op;
			c += strlen(cond_ops[i].text);
			break;
		}
	if (!w->cond_op)
		return fail(err, errlen, text, c - text, "expected ==, !=, <, <=, > or >=");
	while (*c == ' ')
		c++;
	const char *konst = c;
	if (ident_start(*c)) {
		const char *e = ident_end(c);
		if (*e || (size_t)(e - c) >= sizeof(x->cond_name))
			return fail(err, errlen, text, e - text, "unexpected text");
		memcpy(x->cond_name, c, (size_t)(e - c));
		x->cond_name[e - c] = 0;
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(c, &end, 0);
	if (end == c || errno) {
		errno = 0;
		unsigned long long u = strtoull(c, &end, 0);
		if (end == c || errno)
			return fail(err, errlen, text, konst - text,
			            "expected a number or an enumerator");
		w->cond_value = u;
	} else {
		w->cond_value = (uint64_t)v;
	}
	w->cond_signed = 1;
	if (*end)
		return fail(err, errlen, text, end - text, "unexpected text");
	return 0;
}

/* The identifier at *@p into @name (@size bytes), the path after it into
 * @x->path; *@p after both. 0, or -1 with @err. */
static int name_and_path(const char *text, const char *main, const char **p, char *name,
                         size_t size, struct dtl_watch_parsed *x, char *err, size_t errlen)
{
	const char *end = ident_end(*p);
	if ((size_t)(end - *p) >= size)
		return fail(err, errlen, text, *p - main, "name too long");
	memcpy(name, *p, (size_t)(end - *p));
	name[end - *p] = 0;
	*p = end;
	end = path_end(*p);
	if ((size_t)(end - *p) >= DTL_WATCH_PATH_MAX)
		return fail(err, errlen, text, *p - main, "path too long");
	memcpy(x->path, *p, (size_t)(end - *p));
	x->path[end - *p] = 0;
	*p = end;
	return 0;
}

int dtl_watch_expr_parse(const char *text, struct dtl_watch_spec *w, struct dtl_watch_parsed *x,
                         char *err, size_t errlen)
{
	char main[512];
	const char *p = main, *local_text = NULL;

	memset(w, 0, sizeof(*w));
	memset(x, 0, sizeof(*x));
	/* the watched expression, then its condition */
	const char *cond = strstr(text, " if ");
	size_t main_len = cond ? (size_t)(cond - text) : strlen(text);
	if (main_len >= sizeof(main))
		return fail(err, errlen, text, -1, "expression too long");
	memcpy(main, text, main_len);
	main[main_len] = 0;
	if (*p == '*') {
		/* what a pointer points to when the watchpoint is armed */
		w->deref = 1;
		p++;
		if (!ident_start(*p))
			return fail(err, errlen, text, p - main,
			            "* is followed by a pointer variable's name");
	}
	if (isdigit((unsigned char)*p)) {
		/* an address */
		if (!number(&p, &w->offset))
			return fail(err, errlen, text, 0, "not a number");
		if (*p != ':')
			return fail(err, errlen, text, p - main,
			            "an address needs a length: 0xADDR:LEN");
	} else {
		/* [LIB:][FILE::]NAME */
		const char *colon = strchr(p, ':');
		if (colon && colon[1] != ':' &&
		    (memmem(p, (size_t)(colon - p), ".so", 3) ||
		     memchr(p, '/', (size_t)(colon - p)))) {
			if ((size_t)(colon - p) >= sizeof(w->object))
				return fail(err, errlen, text, 0, "library name too long");
			memcpy(w->object, p, (size_t)(colon - p));
			p = colon + 1;
		}
		const char *file_end = strstr(p, "::");
		if (file_end) {
			/* a static of that source file */
			if (file_end == p || (size_t)(file_end - p) >= sizeof(x->cu_file))
				return fail(err, errlen, text, p - main,
				            "expected a source file's name");
			memcpy(x->cu_file, p, (size_t)(file_end - p));
			p = file_end + 2;
		}
		if (!ident_start(*p))
			return fail(err, errlen, text, p - main, "expected a variable's name");
		if (name_and_path(text, main, &p, w->symbol, sizeof(w->symbol), x, err, errlen))
			return -1;
		if (*p == '[')
			return fail(err, errlen, text, p - main,
			            "an index is a number in brackets: [3]");
		if (*p == '-' && p[1] == '>')
			return fail(
			    err, errlen, text, p - main,
			    "-> follows a pointer, which is only known while the program runs: "
			    "not supported yet");
		if (*p == '+') {
			p++;
			if (!number(&p, &w->offset))
				return fail(err, errlen, text, p - main, "expected an offset");
		}
	}
	if (*p == ':' && ident_start(p[1]) && !isdigit((unsigned char)*main)) {
		/* FUNC:LOCAL[.path][+OFF]: the symbol was the function */
		if (x->path[0] || w->offset || w->deref || x->cu_file[0])
			return fail(err, errlen, text, p - main,
			            "FUNC:LOCAL names a function, then its local: no path, offset, "
			            "* or FILE:: before the ':'");
		p++;
		local_text = p;
		if (name_and_path(text, main, &p, x->local, sizeof(x->local), x, err, errlen))
			return -1;
		if (*p == '+') {
			p++;
			if (!number(&p, &w->offset))
				return fail(err, errlen, text, p - main, "expected an offset");
		}
		w->local = 1;
	}
	if (*p == ':') {
		p++;
		if (ident_start(*p))
			return fail(err, errlen, text, p - main,
			            "one local of one function: FUNC:LOCAL");
		if (!number(&p, &w->len) || !w->len)
			return fail(err, errlen, text, p - main, "expected a length in bytes");
		x->has_len = 1;
	}
	if (*p)
		return fail(err, errlen, text, p - main, "unexpected text");
	if (w->len > (1ULL << 30))
		return fail(err, errlen, text, -1, "%llu bytes: too large a range",
		            (unsigned long long)w->len);
	if (cond) {
		/* the name it may be called by: with or without its library */
		const char *watched = main, *colon = strchr(main, ':');
		if (w->object[0] && colon)
			watched = colon + 1;
		if (local_text)
			watched = local_text; /* FUNC:LOCAL: by the local's name */
		size_t n = strcspn(watched, "+:");
		return parse_condition(text, cond + 4, watched, n, w, x, err, errlen);
	}
	return 0;
}

/* ---- the program's libraries, as its dynamic loader finds them ---- */

#define LIBS_MAX 64

struct libs {
	int n;
	char path[LIBS_MAX][PATH_MAX];
};

/* "ld.so --list PROGRAM": "\tlibc.so.6 => /lib/.../libc.so.6 (0x...)".
 * Asked once per program: thousands of watchpoints are checked against
 * the same libraries. */
static void list_libraries(const char *program, struct libs *libs)
{
	static char listed[PATH_MAX];
	struct dune_elf elf;
	char interp[PATH_MAX];
	if (listed[0] && !strcmp(listed, program))
		return;
	snprintf(listed, sizeof(listed), "%s", program);
	libs->n = 0;
	if (dune_elf_open(&elf, program))
		return;
	int r = dune_elf_interp(&elf, interp, sizeof(interp));
	dune_elf_close(&elf);
	if (r)
		return;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC))
		return;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *argv[] = {interp, "--list", (char *)program, NULL};
	pid_t pid;
	int e = posix_spawn(&pid, interp, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (e) {
		close(fds[0]);
		return;
	}
	FILE *in = fdopen(fds[0], "r");
	char line[PATH_MAX + 64];
	while (in && fgets(line, sizeof(line), in)) {
		char *arrow = strstr(line, "=> /"), *path = arrow ? arrow + 3 : NULL;
		if (!path && line[0] == '\t' && line[1] == '/')
			path = line + 1; /* the loader itself */
		char *paren = path ? strstr(path, " (") : NULL;
		if (!paren || libs->n >= LIBS_MAX)
			continue;
		*paren = 0;
		if (strlen(path) < PATH_MAX)
			strcpy(libs->path[libs->n++], path);
	}
	if (in)
		fclose(in);
	else
		close(fds[0]);
	waitpid(pid, NULL, 0);
}

/* The PT_LOAD segments' memory of the last file asked about (thousands of
 * watchpoints are checked against one file). */
#define SEGMENTS_MAX 32
static struct {
	char path[PATH_MAX];
	bool opened;
	int n;
	uint64_t lo[SEGMENTS_MAX], hi[SEGMENTS_MAX];
} segments;

static int collect_segment(struct dune_elf *elf, const Elf64_Phdr *ph, void *arg)
{
	(void)elf;
	(void)arg;
	if (ph->p_type == PT_LOAD && segments.n < SEGMENTS_MAX) {
		segments.lo[segments.n] = ph->p_vaddr;
		segments.hi[segments.n++] = ph->p_vaddr + ph->p_memsz;
	}
	return 0;
}

/* Is [lo, hi) inside one PT_LOAD segment's memory? */
static bool in_a_segment(const char *path, uint64_t lo, uint64_t hi)
{
	if (strcmp(segments.path, path)) {
		struct dune_elf elf;
		snprintf(segments.path, sizeof(segments.path), "%s", path);
		segments.n = 0;
		segments.opened = dune_elf_open(&elf, path) == 0;
		if (segments.opened) {
			dune_elf_iter_ph(&elf, collect_segment, NULL);
			dune_elf_close(&elf);
		}
	}
	if (!segments.opened)
		return true; /* not ours to judge */
	for (int i = 0; i < segments.n; i++)
		if (lo >= segments.lo[i] && hi <= segments.hi[i])
			return true;
	return false;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* The condition against the watched value's size and type: an enumerator
 * by name, the comparison signed or not as the type is. */
static int finish_condition(const char *text, struct dtl_watch_spec *w,
                            const struct dtl_watch_parsed *x, const struct dtl_ctype *type,
                            char *err, size_t errlen)
{
	if (!w->cond_op)
		return 0;
	if (w->len != 1 && w->len != 2 && w->len != 4 && w->len != 8)
		return fail(err, errlen, text, -1,
		            "a condition compares a value of 1, 2, 4 or 8 bytes, not %llu",
		            (unsigned long long)w->len);
	if (type->kind == DTL_CT_UNSIGNED || type->kind == DTL_CT_BOOL ||
	    type->kind == DTL_CT_POINTER)
		w->cond_signed = 0;
	if (!x->cond_name[0])
		return 0;
	for (int i = 0; type->kind == DTL_CT_ENUM && i < type->nenums; i++)
		if (!strcmp(type->enums[i].name, x->cond_name)) {
			w->cond_value = (uint64_t)type->enums[i].value;
			w->cond_signed = 1;
			return 0;
		}
	return fail(err, errlen, text, -1,
	            "'%s' is not an enumerator of the watched value's type%s%s", x->cond_name,
	            type->kind == DTL_CT_ENUM ? ", " : "",
	            type->kind == DTL_CT_ENUM ? type->name : " (not an enum known from DWARF)");
}

/* The watchpoint's object by @path's real path (the runtime matches it
 * against the objects' names): 0, or -1 with @err. */
static int object_by_path(const char *text, struct dtl_watch_spec *w, const char *path, char *err,
                          size_t errlen)
{
	char real[PATH_MAX];
	if (!realpath(path, real) || strlen(real) >= sizeof(w->object))
		return fail(err, errlen, text, -1, "%s: a path too long", path);
	strcpy(w->object, real);
	return 0;
}

/*
 * FILE::NAME: the variable of that source file, by the DWARF of the
 * program or its libraries (@where, @n of them), as an address in its
 * object: the runtime adds the object's load bias. The statics of other
 * files with the same name do not matter.
 */
static int resolve_in_file(const char *text, struct dtl_watch_spec *w,
                           const struct dtl_watch_parsed *x, const char *const *where, int n,
                           struct dtl_ctype *type, struct dtl_watch_place *place, char *err,
                           size_t errlen)
{
	for (int i = 0; i < n; i++) {
		uint64_t vaddr, off;
		char why[256];
		int r = dtl_ctype_static(where[i], x->cu_file, w->symbol, x->path, w->deref, &vaddr,
		                         &off, type, why, sizeof(why));
		if (r == -EINVAL)
			return fail(err, errlen, text, -1, "%s", why);
		if (r)
			continue;
		if (object_by_path(text, w, where[i], err, errlen))
			return -1;
		w->offset += vaddr + off;
		if (!x->has_len)
			w->len = type->size;
		if (!w->len)
			return fail(err, errlen, text, -1,
			            "'%s' has no size in the DWARF: give one, :LEN", w->symbol);
		if (w->offset != vaddr + off || (x->has_len && w->len != type->size))
			memset(type, 0, sizeof(*type));
		w->symbol[0] = 0; /* by address in its object */
		if (place && strlen(where[i]) < sizeof(place->file)) {
			strcpy(place->file, where[i]);
			place->vaddr = w->offset;
		}
		if (!in_a_segment(where[i], w->offset, w->offset + (w->deref ? 8 : w->len)))
			return fail(err, errlen, text, -1,
			            "%s reaches beyond the memory %s maps there", text,
			            base_name(where[i]));
		return finish_condition(text, w, x, type, err, errlen);
	}
	return fail(err, errlen, text, -1,
	            "no variable '%s' of a source file named %s in the DWARF of the program or its "
	            "libraries (built without -g?)",
	            w->symbol, x->cu_file);
}

/*
 * FUNC:LOCAL: the function's entry in its object (the runtime adds the load
 * bias and puts a breakpoint there) and where the local is from each
 * activation's CFA, by the DWARF of the program or its libraries.
 */
static int resolve_local(const char *text, struct dtl_watch_spec *w,
                         const struct dtl_watch_parsed *x, const char *const *where, int n,
                         struct dtl_ctype *type, struct dtl_watch_place *place, char *err,
                         size_t errlen)
{
	for (int i = 0; i < n; i++) {
		uint64_t entry;
		int64_t from_cfa;
		char why[256];
		int r = dtl_ctype_local(where[i], w->symbol, x->local, x->path, &entry, &from_cfa,
		                        type, why, sizeof(why));
		if (r == -EINVAL)
			return fail(err, errlen, text, -1, "%s", why);
		if (r)
			continue;
		if (object_by_path(text, w, where[i], err, errlen))
			return -1;
		w->from_cfa = from_cfa + (int64_t)w->offset;
		if (w->offset || (x->has_len && w->len != type->size))
			memset(type, 0, sizeof(*type));
		if (!x->has_len)
			w->len = type->size;
		if (!w->len)
			return fail(err, errlen, text, -1,
			            "'%s' has no size in the DWARF: give one, :LEN", x->local);
		w->offset = entry;
		w->symbol[0] = 0; /* the entry, by address in its object */
		if (place && strlen(where[i]) < sizeof(place->file)) {
			strcpy(place->file, where[i]);
			place->vaddr = entry;
		}
		return finish_condition(text, w, x, type, err, errlen);
	}
	return fail(err, errlen, text, -1,
	            "no function '%s' in the DWARF of the program or its libraries (built "
	            "without -g?)",
	            w->symbol);
}

int dtl_watch_expr_resolve(const char *text, uint8_t access, uint32_t id, const char *program,
                           struct dtl_watch_spec *w, struct dtl_ctype *type,
                           struct dtl_watch_place *place, char *err, size_t errlen)
{
	struct dtl_watch_parsed x;
	memset(type, 0, sizeof(*type));
	if (place)
		memset(place, 0, sizeof(*place));
	if (dtl_watch_expr_parse(text, w, &x, err, errlen))
		return -1;
	int has_len = x.has_len;
	const char *path = x.path;
	w->id = id;
	w->access = access;
	if (!w->symbol[0]) /* an address: checked in the process, where it is known */
		return finish_condition(text, w, &x, type, err, errlen);

	static struct libs libs;
	list_libraries(program, &libs);
	const char *where[LIBS_MAX + 1];
	int n = 0;
	if (!w->object[0] || dtl_watch_object_names(w->object, program))
		where[n++] = program;
	for (int i = 0; i < libs.n; i++)
		if (dtl_watch_object_names(w->object, libs.path[i]))
			where[n++] = libs.path[i];
	if (!n)
		return fail(err, errlen, text, -1,
		            "%s is not one of the libraries %s loads at start (a library it "
		            "opens later with dlopen cannot be watched by name yet)",
		            w->object, program);

	char looked[1024] = "";
	bool stripped = false;
	if (x.cu_file[0])
		return resolve_in_file(text, w, &x, where, n, type, place, err, errlen);
	if (x.local[0])
		return resolve_local(text, w, &x, where, n, type, place, err, errlen);
	for (int i = 0; i < n; i++) {
		struct dtl_elf_symbol sym;
		struct dtl_elf_info info = {0};
		int r = dtl_elf_symbol_find(where[i], w->symbol, &sym, &info);
		if (i == 0 && where[i] == program && !info.has_symtab)
			stripped = true;
		if (r == -EEXIST)
			return fail(err, errlen, text, -1,
			            "%d static variables are named '%s' in %s: say which one, "
			            "FILE.c::%s",
			            info.local_matches, w->symbol, where[i], w->symbol);
		if (r) {
			size_t used = strlen(looked);
			snprintf(looked + used, sizeof(looked) - used, "%s%s", used ? ", " : "",
			         base_name(where[i]));
			continue;
		}
		if (sym.type == STT_TLS)
			return fail(err, errlen, text, -1,
			            "'%s' is thread-local: each thread has its own, and watching "
			            "those is not supported yet",
			            w->symbol);
		if (sym.type == STT_FUNC && !has_len)
			return fail(err, errlen, text, -1,
			            "'%s' is a function in %s, not data: give a length (%s:LEN) to "
			            "watch its bytes",
			            w->symbol, where[i], w->symbol);
		/* the type, and a path's place, from the object's DWARF */
		uint64_t path_off = 0, user_off = w->offset;
		int user_len = has_len;
		char why[256];
		r = (w->deref ? dtl_ctype_pointee : dtl_ctype_lookup)(
		    where[i], w->symbol, path, &path_off, type, why, sizeof(why));
		if (r == -EINVAL)
			return fail(err, errlen, text, -1, "%s", why);
		if (r && path[0])
			return fail(
			    err, errlen, text, -1,
			    "%s has no DWARF for '%s' (built without -g?): a path needs it; "
			    "use NAME+OFFSET:LEN",
			    base_name(where[i]), w->symbol);
		if (r == 0) {
			w->offset += path_off;
			if (!has_len && type->size) {
				/* the path's (or the variable's) own size */
				w->len = type->size;
				has_len = 1;
			}
			/* bytes inside it, or more: the type is not theirs */
			if (user_off || (user_len && w->len != type->size))
				memset(type, 0, sizeof(*type));
		}
		if (!has_len) {
			if (sym.size <= w->offset)
				return fail(
				    err, errlen, text, -1,
				    "the symbol table gives '%s' %llu bytes: say how many to "
				    "watch, %s:LEN",
				    w->symbol, (unsigned long long)sym.size, text);
			w->len = sym.size - w->offset;
		}
		uint64_t lo = sym.value + w->offset;
		if (place && strlen(where[i]) < sizeof(place->file)) {
			strcpy(place->file, where[i]);
			place->vaddr = lo;
		}
		if (w->deref && (r || !type->size) && !x.has_len)
			return fail(err, errlen, text, -1,
			            "what '%s' points to has no size known from DWARF: give one, "
			            "*%s:LEN",
			            w->symbol, w->symbol);
		/* the pointer itself must be there; what it points to is known
		 * only when armed */
		if (!in_a_segment(where[i], lo, lo + (w->deref ? 8 : w->len)))
			return fail(err, errlen, text, -1,
			            "%llu bytes from %s+%llu reach beyond the memory %s maps there",
			            (unsigned long long)w->len, w->symbol,
			            (unsigned long long)w->offset, base_name(where[i]));
		return finish_condition(text, w, &x, type, err, errlen);
	}
	return fail(err, errlen, text, -1, "no variable '%s' in %s%s%s", w->symbol, looked,
	            stripped ? " (the program is stripped: only its exported symbols are "
	                       "left; rebuild it with its symbol table, or watch by address)"
	                     : "",
	            libs.n || w->object[0] ? "" : " (it has no libraries)");
}
