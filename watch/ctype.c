// SPDX-License-Identifier: MIT
/* C types from DWARF, for watch expressions and values (dtl/ctype.h). */
#include <dtl/ctype.h>

#include <ctype.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* typedefs and qualifiers away */
static bool peel(Dwarf_Die *die, Dwarf_Die *out)
{
	return dwarf_peel_type(die, out) == 0;
}

static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	Dwarf_Die t;
	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
		return false;
	return peel(&t, out);
}

static uint64_t size_of(Dwarf_Die *type)
{
	Dwarf_Word size;
	return dwarf_aggregate_size(type, &size) == 0 ? size : 0;
}

static enum dtl_ctype_kind kind_of(Dwarf_Die *type)
{
	Dwarf_Attribute a;
	Dwarf_Word enc = 0;
	switch (dwarf_tag(type)) {
	case DW_TAG_base_type:
		if (dwarf_attr(type, DW_AT_encoding, &a))
			dwarf_formudata(&a, &enc);
		switch (enc) {
		case DW_ATE_signed:
			return DTL_CT_SIGNED;
		case DW_ATE_unsigned:
			return DTL_CT_UNSIGNED;
		case DW_ATE_boolean:
			return DTL_CT_BOOL;
		case DW_ATE_signed_char:
		case DW_ATE_unsigned_char:
			return DTL_CT_CHAR;
		case DW_ATE_float:
			return DTL_CT_FLOAT;
		default:
			return DTL_CT_NONE;
		}
	case DW_TAG_pointer_type:
		return DTL_CT_POINTER;
	case DW_TAG_enumeration_type:
		return DTL_CT_ENUM;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
		return DTL_CT_STRUCT;
	case DW_TAG_array_type:
		return DTL_CT_ARRAY;
	default:
		return DTL_CT_NONE;
	}
}

static void name_of(Dwarf_Die *type, char *out, size_t len)
{
	const char *n = dwarf_diename(type);
	const char *prefix = dwarf_tag(type) == DW_TAG_structure_type     ? "struct "
	                     : dwarf_tag(type) == DW_TAG_union_type       ? "union "
	                     : dwarf_tag(type) == DW_TAG_enumeration_type ? "enum "
	                                                                  : "";
	if (dwarf_tag(type) == DW_TAG_pointer_type)
		snprintf(out, len, "pointer");
	else
		snprintf(out, len, "%s%s", prefix, n ? n : "(anonymous)");
}

static uint32_t member_offset(Dwarf_Die *m)
{
	Dwarf_Attribute a;
	Dwarf_Word off = 0;
	if (dwarf_attr(m, DW_AT_data_member_location, &a))
		dwarf_formudata(&a, &off);
	return (uint32_t)off;
}

/* The elements of an array type: how many (0 when not said). */
static uint64_t array_count(Dwarf_Die *array)
{
	Dwarf_Die sub;
	if (dwarf_child(array, &sub) != 0)
		return 0;
	do {
		Dwarf_Attribute a;
		Dwarf_Word v;
		if (dwarf_tag(&sub) != DW_TAG_subrange_type)
			continue;
		if (dwarf_attr(&sub, DW_AT_count, &a) && dwarf_formudata(&a, &v) == 0)
			return v;
		if (dwarf_attr(&sub, DW_AT_upper_bound, &a) && dwarf_formudata(&a, &v) == 0)
			return v + 1;
		return 0;
	} while (dwarf_siblingof(&sub, &sub) == 0);
	return 0;
}

static void describe(Dwarf_Die *type, struct dtl_ctype *t)
{
	memset(t, 0, sizeof(*t));
	t->kind = kind_of(type);
	t->size = (uint32_t)size_of(type);
	name_of(type, t->name, sizeof(t->name));
	Dwarf_Die child;
	if (t->kind == DTL_CT_ENUM && dwarf_child(type, &child) == 0) {
		do {
			Dwarf_Attribute a;
			Dwarf_Sword v;
			if (dwarf_tag(&child) != DW_TAG_enumerator || t->nenums >= DTL_CT_ENUMS ||
			    !dwarf_attr(&child, DW_AT_const_value, &a) || dwarf_formsdata(&a, &v))
				continue;
			t->enums[t->nenums].value = v;
			snprintf(t->enums[t->nenums].name, DTL_CT_NAME_MAX, "%s",
			         dwarf_diename(&child) ? dwarf_diename(&child) : "?");
			t->nenums++;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (t->kind == DTL_CT_STRUCT && dwarf_child(type, &child) == 0) {
		do {
			Dwarf_Die mt;
			if (dwarf_tag(&child) != DW_TAG_member || t->nfields >= DTL_CT_FIELDS ||
			    !type_of(&child, &mt))
				continue;
			struct dtl_ctype_field *f = &t->fields[t->nfields++];
			snprintf(f->name, sizeof(f->name), "%s",
			         dwarf_diename(&child) ? dwarf_diename(&child) : "?");
			f->kind = kind_of(&mt);
			f->offset = member_offset(&child);
			f->size = (uint32_t)size_of(&mt);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (t->kind == DTL_CT_ARRAY) {
		Dwarf_Die et;
		t->count = (uint32_t)array_count(type);
		if (type_of(type, &et)) {
			t->nfields = 1;
			t->fields[0].kind = kind_of(&et);
			t->fields[0].size = (uint32_t)size_of(&et);
			name_of(&et, t->fields[0].name, sizeof(t->fields[0].name));
		}
	}
}

/* A variable named @name with a location (a definition), at the top of
 * some compilation unit. */
/* Is compilation unit @cu the source file @want ("file.c", "dir/file.c")? */
static bool cu_is(Dwarf_Die *cu, const char *want)
{
	const char *name = dwarf_diename(cu);
	if (!want)
		return true;
	if (!name)
		return false;
	size_t n = strlen(name), w = strlen(want);
	return !strcmp(name, want) ||
	       (n > w && name[n - w - 1] == '/' && !strcmp(name + n - w, want));
}

/* The first DIE at the top of a compilation unit (of source file
 * @cu_file; NULL for any) with @tag, named @name and having @attr. */
static bool find_top(Dwarf *dw, const char *cu_file, int tag, const char *name, int attr,
                     Dwarf_Die *out)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, die;
		if (dwarf_offdie(dw, off + hsize, &cu) && cu_is(&cu, cu_file) &&
		    dwarf_child(&cu, &die) == 0) {
			do {
				if (dwarf_tag(&die) == tag && dwarf_diename(&die) &&
				    !strcmp(dwarf_diename(&die), name) &&
				    dwarf_hasattr(&die, attr)) {
					*out = die;
					return true;
				}
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	return false;
}

static bool find_variable(Dwarf *dw, const char *cu_file, const char *name, Dwarf_Die *out)
{
	return find_top(dw, cu_file, DW_TAG_variable, name, DW_AT_location, out);
}

static int walk(Dwarf_Die *type, const char *path, uint64_t *offset, char *err, size_t errlen)
{
	const char *p = path;
	while (*p) {
		Dwarf_Die cur = *type;
		if (*p == '.') {
			const char *start = ++p;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			size_t n = (size_t)(p - start);
			if (kind_of(&cur) != DTL_CT_STRUCT) {
				char tn[DTL_CT_NAME_MAX];
				name_of(&cur, tn, sizeof(tn));
				snprintf(err, errlen, "'%.*s' is not a member: %s is not a struct",
				         (int)n, start, tn);
				return -EINVAL;
			}
			Dwarf_Die m;
			bool found = false;
			if (dwarf_child(&cur, &m) == 0) {
				do {
					const char *mn = dwarf_diename(&m);
					if (dwarf_tag(&m) == DW_TAG_member && mn &&
					    strlen(mn) == n && !strncmp(mn, start, n)) {
						found = true;
						break;
					}
				} while (dwarf_siblingof(&m, &m) == 0);
			}
			char tn[DTL_CT_NAME_MAX];
			name_of(&cur, tn, sizeof(tn));
			if (!found) {
				snprintf(err, errlen, "%s has no member '%.*s'", tn, (int)n, start);
				return -EINVAL;
			}
			*offset += member_offset(&m);
			if (!type_of(&m, type)) {
				snprintf(err, errlen, "member '%.*s' has no type in the DWARF",
				         (int)n, start);
				return -EINVAL;
			}
		} else if (*p == '[') {
			char *end;
			unsigned long long i = strtoull(p + 1, &end, 0);
			if (end == p + 1 || *end != ']') {
				snprintf(err, errlen, "an index is a number in brackets: [3]");
				return -EINVAL;
			}
			p = end + 1;
			Dwarf_Die et;
			if (kind_of(&cur) != DTL_CT_ARRAY || !type_of(&cur, &et)) {
				snprintf(err, errlen,
				         "[%llu]: not an array (pointers need *, which is not "
				         "supported yet)",
				         i);
				return -EINVAL;
			}
			uint64_t count = array_count(&cur);
			if (count && i >= count) {
				snprintf(err, errlen, "[%llu] is beyond the array's %llu elements",
				         i, (unsigned long long)count);
				return -EINVAL;
			}
			*offset += i * size_of(&et);
			*type = et;
		} else {
			snprintf(err, errlen, "unexpected '%c' in the path", *p);
			return -EINVAL;
		}
	}
	return 0;
}

/* A variable's link-time address, from its location (DW_OP_addr). */
static bool address_of(Dwarf_Die *var, uint64_t *vaddr)
{
	Dwarf_Attribute a;
	Dwarf_Op *expr;
	size_t n;
	if (!dwarf_attr(var, DW_AT_location, &a) || dwarf_getlocation(&a, &expr, &n) || n != 1 ||
	    expr[0].atom != DW_OP_addr)
		return false;
	*vaddr = expr[0].number;
	return true;
}

static int lookup_in_file(const char *file, const char *cu_file, const char *name, const char *path,
                          bool deref, uint64_t *vaddr, uint64_t *offset, struct dtl_ctype *type,
                          char *err, size_t errlen);

/* Thousands of watchpoints on one variable: the last answer is kept, the
 * DWARF read once. */
static int lookup(const char *file, const char *cu_file, const char *name, const char *path,
                  bool deref, uint64_t *vaddr, uint64_t *offset, struct dtl_ctype *type, char *err,
                  size_t errlen)
{
	static struct {
		bool valid, deref, want_vaddr;
		char file[4096], cu_file[256], name[256], path[256];
		int r;
		uint64_t vaddr, offset;
		struct dtl_ctype type;
		char err[256];
	} last;
	const char *cu = cu_file ? cu_file : "";
	if (last.valid && last.deref == deref && last.want_vaddr == !!vaddr &&
	    !strcmp(last.file, file) && !strcmp(last.cu_file, cu) && !strcmp(last.name, name) &&
	    !strcmp(last.path, path)) {
		if (vaddr)
			*vaddr = last.vaddr;
		*offset = last.offset;
		*type = last.type;
		snprintf(err, errlen, "%s", last.err);
		return last.r;
	}
	last.err[0] = 0;
	uint64_t v = 0, off = 0;
	int r = lookup_in_file(file, cu_file, name, path, deref, vaddr ? &v : NULL, &off, type,
	                       last.err, sizeof(last.err));
	if (vaddr)
		*vaddr = v;
	*offset = off;
	snprintf(err, errlen, "%s", last.err);
	last.valid = strlen(file) < sizeof(last.file) && strlen(cu) < sizeof(last.cu_file) &&
	             strlen(name) < sizeof(last.name) && strlen(path) < sizeof(last.path);
	if (last.valid) {
		strcpy(last.file, file);
		strcpy(last.cu_file, cu);
		strcpy(last.name, name);
		strcpy(last.path, path);
		last.deref = deref;
		last.want_vaddr = vaddr != NULL;
		last.r = r;
		last.vaddr = v;
		last.offset = off;
		last.type = *type;
	}
	return r;
}

static int lookup_in_file(const char *file, const char *cu_file, const char *name, const char *path,
                          bool deref, uint64_t *vaddr, uint64_t *offset, struct dtl_ctype *type,
                          char *err, size_t errlen)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENODATA;
	Dwarf *dw = dwarf_begin(fd, DWARF_C_READ);
	int r = -ENODATA;
	Dwarf_Die var, t;
	if (dw && find_variable(dw, cu_file, name, &var) && type_of(&var, &t) &&
	    (!vaddr || address_of(&var, vaddr))) {
		*offset = 0;
		r = walk(&t, path, offset, err, errlen);
		if (r == 0 && deref) {
			/* what it points to */
			Dwarf_Die to;
			char tn[DTL_CT_NAME_MAX];
			name_of(&t, tn, sizeof(tn));
			if (kind_of(&t) != DTL_CT_POINTER) {
				snprintf(err, errlen, "*: %s%s is %s, not a pointer", name, path,
				         tn);
				r = -EINVAL;
			} else if (!type_of(&t, &to)) {
				snprintf(err, errlen,
				         "*: %s%s points to no type (void *): give a length", name,
				         path);
				r = -EINVAL;
			} else {
				t = to;
			}
		}
		if (r == 0)
			describe(&t, type);
	}
	if (dw)
		dwarf_end(dw);
	close(fd);
	return r;
}

int dtl_ctype_lookup(const char *file, const char *name, const char *path, uint64_t *offset,
                     struct dtl_ctype *type, char *err, size_t errlen)
{
	return lookup(file, NULL, name, path, false, NULL, offset, type, err, errlen);
}

int dtl_ctype_pointee(const char *file, const char *name, const char *path, uint64_t *offset,
                      struct dtl_ctype *type, char *err, size_t errlen)
{
	return lookup(file, NULL, name, path, true, NULL, offset, type, err, errlen);
}

int dtl_ctype_static(const char *file, const char *cu_file, const char *name, const char *path,
                     bool deref, uint64_t *vaddr, uint64_t *offset, struct dtl_ctype *type,
                     char *err, size_t errlen)
{
	return lookup(file, cu_file, name, path, deref, vaddr, offset, type, err, errlen);
}

/* ---- locals ---- */

/* The definition (with code) of function @name, at the top of a unit. */
static bool find_function(Dwarf *dw, const char *name, Dwarf_Die *out)
{
	return find_top(dw, NULL, DW_TAG_subprogram, name, DW_AT_low_pc, out);
}

/* A variable or parameter @name of @scope or of a block inside it. */
static bool find_local(Dwarf_Die *scope, const char *name, Dwarf_Die *out)
{
	Dwarf_Die die;
	if (dwarf_child(scope, &die))
		return false;
	do {
		int tag = dwarf_tag(&die);
		if ((tag == DW_TAG_variable || tag == DW_TAG_formal_parameter) &&
		    dwarf_diename(&die) && !strcmp(dwarf_diename(&die), name)) {
			*out = die;
			return true;
		}
		if (tag == DW_TAG_lexical_block && find_local(&die, name, out))
			return true;
	} while (dwarf_siblingof(&die, &die) == 0);
	return false;
}

/*
 * Where the frame base of @fn is, from the CFA (the caller's rsp before
 * the call: rsp + 8 at the entry): DW_OP_call_frame_cfa (GCC), or rbp
 * after the standard prologue (push %rbp; mov %rsp,%rbp: CFA - 16; clang
 * at -O0). False for anything else.
 */
static bool frame_base(Dwarf_Die *fn, int64_t *from_cfa)
{
	Dwarf_Attribute a;
	Dwarf_Op *expr;
	size_t n;
	if (!dwarf_attr(fn, DW_AT_frame_base, &a) || dwarf_getlocation(&a, &expr, &n) || n != 1)
		return false;
	switch (expr[0].atom) {
	case DW_OP_call_frame_cfa:
		*from_cfa = 0;
		return true;
	case DW_OP_reg6:
		*from_cfa = -16;
		return true;
	case DW_OP_breg6:
		*from_cfa = -16 + (int64_t)expr[0].number;
		return true;
	default:
		return false;
	}
}

/* The local's offset from the frame base: one DW_OP_fbreg, the same over
 * every range of a location list. False where it lives in registers. */
static bool frame_offset(Dwarf_Die *var, int64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Op *expr;
	size_t n;
	if (!dwarf_attr(var, DW_AT_location, &a))
		return false;
	if (dwarf_getlocation(&a, &expr, &n) == 0)
		return n == 1 && expr[0].atom == DW_OP_fbreg &&
		       ((*off = (int64_t)expr[0].number), 1);
	Dwarf_Addr base, start, end;
	ptrdiff_t at = 0;
	bool any = false;
	while ((at = dwarf_getlocations(&a, at, &base, &start, &end, &expr, &n)) > 0) {
		if (n != 1 || expr[0].atom != DW_OP_fbreg ||
		    (any && *off != (int64_t)expr[0].number))
			return false;
		*off = (int64_t)expr[0].number;
		any = true;
	}
	return any;
}

int dtl_ctype_local(const char *file, const char *func, const char *local, const char *path,
                    uint64_t *entry, int64_t *from_cfa, struct dtl_ctype *type, char *err,
                    size_t errlen)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENODATA;
	Dwarf *dw = dwarf_begin(fd, DWARF_C_READ);
	int r = -ENODATA;
	Dwarf_Die fn, var, t;
	Dwarf_Addr low;
	int64_t base, off;
	uint64_t path_off = 0;
	if (!dw || !find_function(dw, func, &fn) || dwarf_lowpc(&fn, &low)) {
		/* not here */
	} else if (!find_local(&fn, local, &var)) {
		snprintf(err, errlen, "%s has no local variable or parameter named '%s'", func,
		         local);
		r = -EINVAL;
	} else if (!frame_base(&fn, &base)) {
		snprintf(err, errlen,
		         "%s's frame base is not one this tool can find from the stack (not the "
		         "CFA, not %%rbp): its locals cannot be watched",
		         func);
		r = -EINVAL;
	} else if (!frame_offset(&var, &off)) {
		snprintf(err, errlen,
		         "'%s' lives in registers in %s (an optimised build): it has no memory "
		         "to watch; build with -O0 or -Og, or take its address",
		         local, func);
		r = -EINVAL;
	} else if (!type_of(&var, &t)) {
		snprintf(err, errlen, "'%s' has no type in the DWARF", local);
		r = -EINVAL;
	} else if ((r = walk(&t, path, &path_off, err, errlen)) == 0) {
		*entry = low;
		*from_cfa = base + off + (int64_t)path_off;
		describe(&t, type);
	}
	if (dw)
		dwarf_end(dw);
	close(fd);
	return r;
}

/* ---- values ---- */

static int64_t load_signed(const uint8_t *b, size_t n)
{
	uint64_t u = 0;
	memcpy(&u, b, n > 8 ? 8 : n);
	if (n < 8 && n && (u >> (8 * n - 1)) & 1)
		u |= ~0ULL << (8 * n);
	return (int64_t)u;
}

static uint64_t load_unsigned(const uint8_t *b, size_t n)
{
	uint64_t u = 0;
	memcpy(&u, b, n > 8 ? 8 : n);
	return u;
}

static int scalar(enum dtl_ctype_kind kind, const struct dtl_ctype *t, const uint8_t *b, size_t n,
                  char *out, size_t len)
{
	if ((kind == DTL_CT_SIGNED || kind == DTL_CT_UNSIGNED) && n > 8) {
		/* __int128 and the like: hex, most significant byte first */
		int w = snprintf(out, len, "0x");
		bool digits = false;
		for (size_t i = n; i-- > 0 && w + 3 < (int)len;) {
			if (!digits && !b[i] && i)
				continue;
			w += snprintf(out + w, len - (size_t)w, digits ? "%02x" : "%x", b[i]);
			digits = true;
		}
		return w;
	}
	switch (kind) {
	case DTL_CT_SIGNED:
		return snprintf(out, len, "%" PRId64, load_signed(b, n));
	case DTL_CT_UNSIGNED:
		return snprintf(out, len, "%" PRIu64, load_unsigned(b, n));
	case DTL_CT_BOOL:
		return snprintf(out, len, "%s", load_unsigned(b, n) ? "true" : "false");
	case DTL_CT_CHAR: {
		int64_t c = load_signed(b, 1);
		if (isprint((int)(c & 0xff)))
			return snprintf(out, len, "%" PRId64 " '%c'", c, (int)c);
		return snprintf(out, len, "%" PRId64, c);
	}
	case DTL_CT_FLOAT:
		if (n == sizeof(float)) {
			float f;
			memcpy(&f, b, n);
			return snprintf(out, len, "%g", (double)f);
		}
		if (n == sizeof(double)) {
			double d;
			memcpy(&d, b, n);
			return snprintf(out, len, "%g", d);
		}
		break;
	case DTL_CT_POINTER: {
		uint64_t p = load_unsigned(b, n);
		return p ? snprintf(out, len, "%#" PRIx64, p) : snprintf(out, len, "NULL");
	}
	case DTL_CT_ENUM: {
		int64_t v = load_signed(b, n);
		for (int i = 0; t && i < t->nenums; i++)
			if (t->enums[i].value == v)
				return snprintf(out, len, "%s", t->enums[i].name);
		return snprintf(out, len, "%" PRId64, v);
	}
	default:
		break;
	}
	int w = 0;
	for (size_t i = 0; i < n && (size_t)w + 4 < len; i++)
		w += snprintf(out + w, len - (size_t)w, "%s%02x", i ? " " : "", b[i]);
	return w;
}

/* A char array as a C string literal, up to its last non-NUL byte (so a
 * write past an early NUL shows): "hello\0\0!". */
static void string_literal(const uint8_t *b, size_t len, char *out, size_t outlen)
{
	size_t end = len, w = 0;
	while (end && !b[end - 1])
		end--;
	out[w++] = '"';
	for (size_t i = 0; i < end && w + 8 < outlen; i++) {
		uint8_t c = b[i];
		if (c == '"' || c == '\\')
			w += (size_t)snprintf(out + w, outlen - w, "\\%c", c);
		else if (c == '\n')
			w += (size_t)snprintf(out + w, outlen - w, "\\n");
		else if (c == 0)
			w += (size_t)snprintf(out + w, outlen - w, "\\0");
		else if (isprint(c))
			out[w++] = (char)c;
		else
			w += (size_t)snprintf(out + w, outlen - w, "\\x%02x", c);
		if (i + 1 < end && w + 8 >= outlen) {
			w += (size_t)snprintf(out + w, outlen - w, "...");
			break;
		}
	}
	if (w + 1 < outlen)
		out[w++] = '"';
	out[w < outlen ? w : outlen - 1] = 0;
}

void dtl_ctype_format(const struct dtl_ctype *t, const uint8_t *b, size_t len, char *out,
                      size_t outlen)
{
	out[0] = 0;
	if (t->kind == DTL_CT_ARRAY && t->nfields && t->fields[0].kind == DTL_CT_CHAR &&
	    t->fields[0].size == 1) {
		string_literal(b, len, out, outlen);
		return;
	}
	if (t->kind == DTL_CT_STRUCT || t->kind == DTL_CT_ARRAY) {
		size_t w = (size_t)snprintf(out, outlen, "{");
		int n = t->kind == DTL_CT_STRUCT ? t->nfields : (int)(t->count ? t->count : 0);
		for (int i = 0; i < n && w + 8 < outlen; i++) {
			const struct dtl_ctype_field *f =
			    t->kind == DTL_CT_STRUCT ? &t->fields[i] : &t->fields[0];
			uint32_t off = t->kind == DTL_CT_STRUCT ? f->offset : (uint32_t)i * f->size;
			if (!f->size || off + f->size > len)
				break;
			if (t->kind == DTL_CT_STRUCT)
				w += (size_t)snprintf(out + w, outlen - w, "%s%s = ", i ? ", " : "",
				                      f->name);
			else if (i)
				w += (size_t)snprintf(out + w, outlen - w, ", ");
			if (w >= outlen)
				break;
			int k = scalar(f->kind, NULL, b + off, f->size, out + w, outlen - w);
			w += k > 0 ? (size_t)k : 0;
		}
		if (w + 2 < outlen)
			snprintf(out + w, outlen - w, "}");
		return;
	}
	scalar(t->kind, t, b, len < t->size || !t->size ? len : t->size, out, outlen);
}
