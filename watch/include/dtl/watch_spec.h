/* SPDX-License-Identifier: MIT */
/*
 * A watchpoint as the front-end hands it to the runtime in the traced
 * process: what to watch (a symbol of some object plus an offset, or an
 * address), how many bytes, which accesses. The front-end has checked the
 * expression against the files; the runtime resolves the symbol in each
 * image it runs in (PIE, ASLR, and an image exec'd later).
 *
 * Carried as lines of the ring's configuration (dtl_ring_config):
 *   "watch\tID ACCESS HOW OFFSET LEN OBJECT SYMBOL [deref] [local FROMCFA]
 *    [if OP VALUE s|u]\n"
 * ACCESS: r, w or rw; HOW: auto, page or hw; OFFSET and LEN in hex; OBJECT
 * and SYMBOL "-" when empty; OP eq, ne, lt, le, gt or ge, VALUE in hex (the
 * 64-bit pattern), s or u for a signed or unsigned comparison. "local":
 * FUNC:LOCAL, OBJECT/SYMBOL/OFFSET name the function's entry and FROMCFA
 * (signed decimal) is where the local is from each activation's CFA.
 */
#ifndef DTL_WATCH_SPEC_H
#define DTL_WATCH_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DTL_WATCH_MAX      16384 /* watchpoints in one run */
#define DTL_WATCH_NAME_MAX 128   /* bytes of an object's or a symbol's name, with NUL */
#define DTL_WATCH_KEY      "watch"

struct dtl_watch_spec {
	uint32_t id;                     /* 1, 2, ... as the user numbered them */
	uint8_t access;                  /* DTL_ACCESS_READ | DTL_ACCESS_WRITE (dtl/event.h) */
	uint8_t how;                     /* 0 (the engine chooses), DTL_WATCH_PAGE, DTL_WATCH_HW */
	uint64_t offset;                 /* from the symbol, or the address when there is none */
	uint64_t len;                    /* bytes watched */
	char object[DTL_WATCH_NAME_MAX]; /* "": the program, then its libraries */
	char symbol[DTL_WATCH_NAME_MAX]; /* "": @offset is an address */
	/* a hit only when the value after the access compares so with
	 * @cond_value (as a signed or unsigned integer of @len bytes) */
	uint8_t deref; /* *EXPR: the watched bytes are where the pointer there points */
	uint8_t local; /* FUNC:LOCAL: the address is FUNC's entry; the bytes at each
	                * activation's CFA + @from_cfa, while it lives */
	int64_t from_cfa;
	uint8_t cond_op; /* enum dtl_watch_cond, 0 for none */
	uint8_t cond_signed;
	uint64_t cond_value;
};

enum dtl_watch_cond {
	DTL_COND_NONE,
	DTL_COND_EQ,
	DTL_COND_NE,
	DTL_COND_LT,
	DTL_COND_LE,
	DTL_COND_GT,
	DTL_COND_GE
};

/* Does @value (@len bytes, 1-8, little-endian) satisfy @w's condition? */
bool dtl_watch_cond_holds(uint8_t op, bool is_signed, uint64_t cond_value, const uint8_t *value,
                          size_t len);

/* The configuration line of @w (with its "\n") into @buf: its length, or
 * -1 when it does not fit or a name holds a space or a newline. */
int dtl_watch_spec_format(const struct dtl_watch_spec *w, char *buf, size_t size);
/* The value part of a "watch" line (after the tab, without the newline,
 * @len bytes): 0, or -1 when it is not one. */
int dtl_watch_spec_parse(struct dtl_watch_spec *w, const char *value, size_t len);

/* Does a watchpoint's OBJECT @want name the object at @path? "" names
 * any, "libfoo.so" names .../libfoo.so.1 too, and a path itself. */
bool dtl_watch_object_names(const char *want, const char *path);

#define DTL_WATCH_BT_KEY "watch-bt" /* "watch-bt\t1": hits carry a stack */

/*
 * Each "watch" line of a configuration text (@text, @len bytes) into
 * @out (room for @max): how many there were (at most @max). With @out
 * NULL, only counted.
 */
int dtl_watch_spec_parse_all(const char *text, size_t len, struct dtl_watch_spec *out, int max);

#endif
