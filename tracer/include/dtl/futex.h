/* SPDX-License-Identifier: MIT */
/*
 * The futex vocabulary: one table of futex(2)'s operations, read by the
 * ring-0 capture (which operations take a timeout to copy) and by the
 * decoders (the names, which arguments strace shows, how they print).
 *
 * Plain constant data; dtl_futex_cmd() is inline and calls nothing, so ring 0
 * can consult it.
 */
#ifndef DTL_FUTEX_H
#define DTL_FUTEX_H

#include <stdint.h>

/* The option bits of futex's op word (linux/futex.h). */
#define DTL_FUTEX_PRIVATE_FLAG   128u
#define DTL_FUTEX_CLOCK_REALTIME 256u

/* What an operation does with its arguments (struct dtl_futex_cmd.flags). */
#define DTL_FUTEX_TIMEOUT                                                      \
	(1u << 0)                   /* argument 3 points at a struct timespec, \
	                             * copied at entry */
#define DTL_FUTEX_VAL2    (1u << 1) /* argument 3 is a count (val2), not a pointer */
#define DTL_FUTEX_CLOCK   (1u << 2) /* FUTEX_CLOCK_REALTIME applies to it */
#define DTL_FUTEX_BITSET  (1u << 3) /* argument 5 is a bitset */
#define DTL_FUTEX_WAKE_OP (1u << 4) /* argument 5 is an encoded FUTEX_OP() */

struct dtl_futex_cmd {
	const char *name; /* "FUTEX_WAIT" (strace adds "_PRIVATE") */
	uint8_t flags;    /* DTL_FUTEX_* */
	uint8_t nshown;   /* how many arguments strace shows ... */
	uint8_t shown[6]; /* ... and which, in order */
};

extern const struct dtl_futex_cmd dtl_futex_cmds[];
extern const unsigned dtl_futex_cmd_count;

/* The command of an op word, without its option bits. */
static inline unsigned dtl_futex_cmd_nr(uint32_t op)
{
	return op & ~(DTL_FUTEX_PRIVATE_FLAG | DTL_FUTEX_CLOCK_REALTIME);
}

/* The operation of op word @op, or NULL for a command the table lacks. */
static inline const struct dtl_futex_cmd *dtl_futex_cmd(uint32_t op)
{
	unsigned cmd = dtl_futex_cmd_nr(op);
	return cmd < dtl_futex_cmd_count ? &dtl_futex_cmds[cmd] : 0;
}

#endif /* DTL_FUTEX_H */
