/* SPDX-License-Identifier: MIT */
/*
 * A watched variable's C type, from the program's DWARF (watch/ctype.c):
 * enough to walk a path (a.b[3].c) to its bytes and to print its value as
 * the type says, in the front-end. elfutils' libdw; never in the traced
 * process.
 */
#ifndef DTL_CTYPE_H
#define DTL_CTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dtl_ctype_kind {
	DTL_CT_NONE = 0, /* unknown: bytes */
	DTL_CT_SIGNED,
	DTL_CT_UNSIGNED,
	DTL_CT_BOOL,
	DTL_CT_CHAR, /* a character type: also its character */
	DTL_CT_FLOAT,
	DTL_CT_POINTER,
	DTL_CT_ENUM,
	DTL_CT_STRUCT, /* struct or union: fields of the kinds above, printed by name */
	DTL_CT_ARRAY,  /* of fields[0]'s kind, @count of them */
};

#define DTL_CT_FIELDS   16
#define DTL_CT_ENUMS    64
#define DTL_CT_NAME_MAX 48

struct dtl_ctype_field {
	char name[DTL_CT_NAME_MAX];
	enum dtl_ctype_kind kind;
	uint32_t offset, size;
};

struct dtl_ctype {
	enum dtl_ctype_kind kind;
	uint32_t size;
	char name[DTL_CT_NAME_MAX]; /* as C spells it: "int", "struct cfg", "enum state" */
	/* DTL_CT_ENUM: its enumerators */
	int nenums;
	struct {
		int64_t value;
		char name[DTL_CT_NAME_MAX];
	} enums[DTL_CT_ENUMS];
	/* DTL_CT_STRUCT: its first fields; DTL_CT_ARRAY: fields[0] is one element */
	int nfields;
	uint32_t count;
	struct dtl_ctype_field fields[DTL_CT_FIELDS];
};

/*
 * In the DWARF of @file: the variable @name, and the path @path after it
 * (".member" and "[index]" steps, "" for none). *@offset gets the bytes from
 * the variable's start to the path's end, @type its type. 0; -ENODATA when
 * the file has no DWARF or no such variable in it (the caller falls back to
 * the symbol table); -EINVAL with the reason in @err for a path that does
 * not fit the type (no such member, an index out of bounds, a member of
 * something that is not a struct).
 */
int dtl_ctype_lookup(const char *file, const char *name, const char *path, uint64_t *offset,
                     struct dtl_ctype *type, char *err, size_t errlen);

/* The same for the pointer at the path's end: @type is what it points to
 * (-EINVAL when it is not a pointer, or a void *). */
int dtl_ctype_pointee(const char *file, const char *name, const char *path, uint64_t *offset,
                      struct dtl_ctype *type, char *err, size_t errlen);

/* The same for the variable @name of the source file @cu_file ("file.c",
 * "dir/file.c": a static that other files may also have), and its
 * link-time address into *@vaddr. */
int dtl_ctype_static(const char *file, const char *cu_file, const char *name, const char *path,
                     bool deref, uint64_t *vaddr, uint64_t *offset, struct dtl_ctype *type,
                     char *err, size_t errlen);

/* @len bytes at @b as @type says, into @out: "42", "true", "'a' (97)",
 * "STATE_RUNNING", "{x = 1, y = 2}", "0x5555...". */
void dtl_ctype_format(const struct dtl_ctype *type, const uint8_t *b, size_t len, char *out,
                      size_t outlen);

/*
 * FUNC:LOCAL: function @func's local variable or parameter @local (with
 * @path inside it) in the DWARF of @file: the function's entry (link-time
 * address) and where the bytes are from the frame's CFA (the caller's rsp
 * before the call), while an activation lives. 0; -ENODATA where @file
 * has no such function (or no DWARF); -EINVAL with the reason in @err (no
 * such local, kept in registers, a frame base it cannot follow, a bad
 * path).
 */
int dtl_ctype_local(const char *file, const char *func, const char *local, const char *path,
                    uint64_t *entry, int64_t *from_cfa, struct dtl_ctype *type, char *err,
                    size_t errlen);

#endif
