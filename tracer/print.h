/* SPDX-License-Identifier: MIT */
/*
 * The printing layer of the formatter: the primitives every decoder prints
 * with, spelled as strace 6.1 spells them. Decoders never format an address,
 * a flag word, an enumeration, a quoted string or the punctuation of a
 * struct or an array themselves. Depends on nothing of the formatter but
 * the event's layout (dtl/ring.h).
 *
 *   print.h   <-  decoders (decode_*.c)  <-  line assembly (format.c)
 */
#ifndef DTL_PRINT_H
#define DTL_PRINT_H

#include <dtl/ring.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DTL_N(a) (sizeof(a) / sizeof((a)[0]))

/* --- numbers and addresses --------------------------------------------------- */

/* An address: "NULL" for 0, else "0x7ffd...". */
void dtl_print_addr(FILE *out, uint64_t v);

/* Any word in hex: "0" or "0x40". */
void dtl_print_hex(FILE *out, uint64_t v);

/* --- named values ------------------------------------------------------------ */

/* A value and its name, for flag and enumeration tables. */
struct dtl_flag_name {
	uint64_t bit;
	const char *name;
};

/* A table entry named after its constant, or with an explicit name. */
/* clang-format off */
#define X(v)     {(v), #v}
#define XN(v, s) {(v), s}
/* clang-format on */

/* The name of @v in @t, or NULL. */
const char *dtl_xlookup(uint64_t v, const struct dtl_flag_name *t, size_t n);

/* An enumeration: the name, or as strace prints an unknown value:
 * "0x3 /" "* @unknown *" "/". */
void dtl_print_xval(FILE *out, uint64_t v, const struct dtl_flag_name *t, size_t n,
                    const char *unknown);

/* A set of named bits: "A|B|0x40", or @zero (e.g. "0") when no bit is set. */
void dtl_print_flags(FILE *out, uint64_t v, const struct dtl_flag_name *f, size_t n,
                     const char *zero);

/* The same when no bit is known, as strace prints it: "0x40 /" "* @unknown *" "/";
 * @zero (or "0") for none. */
void dtl_print_xflags(FILE *out, uint64_t v, const struct dtl_flag_name *f, size_t n,
                      const char *zero, const char *unknown);

/* --- strings ------------------------------------------------------------------- */

/* A string or buffer, quoted and escaped as strace does ("\n", "\0", "\377"),
 * "..." after it when @truncated. */
void dtl_print_quoted(FILE *out, const char *s, size_t len, bool truncated);

/* Bytes as "\x01\x02", quoted, "..." after when @truncated. */
void dtl_print_hex_quoted(FILE *out, const uint8_t *p, size_t len, bool truncated);

/* --- structs and arrays -------------------------------------------------------- */

/* Before a struct's field: "name=" for the first (@*first is set), ", name="
 * after it. */
void dtl_print_field(FILE *out, bool *first, const char *name);

/* The end of an array of which @shown of @total elements were printed (or
 * the copy was @truncated): ", ..." or "..." when some are missing, then "]". */
void dtl_print_array_end(FILE *out, size_t shown, size_t total, bool truncated);

/* --- copied memory ------------------------------------------------------------- */

/* Fields of copied structs, which are not aligned in the event's data. */
static inline uint32_t u32_at(const uint8_t *p, size_t off)
{
	uint32_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

static inline int32_t i32_at(const uint8_t *p, size_t off)
{
	int32_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

static inline uint64_t u64_at(const uint8_t *p, size_t off)
{
	uint64_t v;
	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* The bytes of @b. */
static inline const void *dtl_blob_data(const struct dtl_event *ev, const struct dtl_blob *b)
{
	return ev->data + b->offset;
}

/* A blob that holds readable data (not a fault). */
static inline bool dtl_blob_ok(const struct dtl_blob *b)
{
	return b && !(b->flags & DTL_BLOB_FAULT);
}

/*
 * The guarded read every decoder goes through: the copy of piece @sub of
 * argument @arg (at entry or exit), when it was captured, is readable and
 * holds at least @min_len bytes; otherwise prints @addr (as dtl_print_addr)
 * and returns NULL.
 */
const uint8_t *dtl_print_guard(FILE *out, const struct dtl_event *ev, int arg, unsigned sub,
                               bool entry, size_t min_len, uint64_t addr);

#endif /* DTL_PRINT_H */
