/* SPDX-License-Identifier: MIT */
/*
 * Watch expressions as the user writes them (--watch, --rwatch, --awatch),
 * checked against the program's file and its libraries before it runs:
 *
 *   NAME            a global or static variable, its size from the symbol
 *   NAME:LEN        LEN bytes from it (decimal or 0x hex)
 *   NAME+OFF:LEN    LEN bytes OFF bytes into it
 *   NAME.a.b[3]     a member or element, by the object's DWARF (its type
 *                   gives the length; values print by it)
 *   FILE::NAME      the static NAME of source file FILE (by DWARF)
 *   LIB:NAME...     in that library ("libfoo.so", or a path)
 *   0xADDR:LEN      an address
 *   ... if NAME OP CONST   only when the value after the access compares so
 *                   (NAME: the watched expression; OP == != < <= > >=;
 *                   CONST a number or an enumerator)
 *
 * The result is a watchpoint for the runtime (dtl/watch_spec.h), which
 * resolves the symbol again in each image at its load address.
 */
#ifndef DTL_WATCH_EXPR_H
#define DTL_WATCH_EXPR_H

#include <dtl/ctype.h>
#include <dtl/watch_spec.h>
#include <stddef.h>

#define DTL_WATCH_PATH_MAX 128 /* bytes of ".member[3].x" after the name */

/*
 * @text for @access as watchpoint @id of the program at @program (a file;
 * its libraries are asked of its dynamic loader). @type gets the watched
 * bytes' C type where the object's DWARF says (else DTL_CT_NONE), @place
 * (may be NULL) where a symbol's bytes are (file "" for an address). 0, or
 * -1 with the reason and what to do in @err (several lines: the
 * expression and a caret under a syntax error).
 */
/* Where a symbol's watched bytes are in the object's file: the object and
 * the link-time address (plus the load bias of a process: the address). */
struct dtl_watch_place {
	char file[4096];
	uint64_t vaddr;
};

int dtl_watch_expr_resolve(const char *text, uint8_t access, uint32_t id, const char *program,
                           struct dtl_watch_spec *w, struct dtl_ctype *type,
                           struct dtl_watch_place *place, char *err, size_t errlen);

/* What the syntax says beyond the watchpoint itself. */
struct dtl_watch_parsed {
	char path[DTL_WATCH_PATH_MAX];      /* ".member[3]" after the name */
	char cond_name[DTL_WATCH_NAME_MAX]; /* a condition's constant by name (an enum's) */
	char cu_file[DTL_WATCH_NAME_MAX];   /* FILE::NAME: the source file */
	char local[DTL_WATCH_NAME_MAX];     /* FUNC:LOCAL: the local (FUNC is the symbol) */
	int has_len;                        /* a length was given */
};

/* The syntax alone (no files): 0, or -1 with @err; for the unit tests and
 * the control socket. @w's symbol, object and condition are filled, not
 * resolved. */
int dtl_watch_expr_parse(const char *text, struct dtl_watch_spec *w, struct dtl_watch_parsed *x,
                         char *err, size_t errlen);

#endif
