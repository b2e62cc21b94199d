/* SPDX-License-Identifier: MIT */
/*
 * The ioctl vocabulary: one table of the requests the tracer knows, read by
 * the ring-0 capture (what argument 2 points at, and when to copy it) and by
 * the decoders (the request's name, how its argument prints).
 *
 * Plain constant data; dtl_ioctl_by_request() is inline and calls nothing,
 * so ring 0 can consult it (it is compiled with the caller's flags).
 */
#ifndef DTL_IOCTL_H
#define DTL_IOCTL_H

#include <stdint.h>

/* How argument 2 prints when no memory of it was copied. */
enum dtl_ioctl_arg {
	DTL_IOCTL_ARG_HEX = 0, /* an unknown meaning: hex */
	DTL_IOCTL_ARG_NONE,    /* the request takes no argument: not printed */
	DTL_IOCTL_ARG_PTR,     /* a pointer: hex, NULL */
	DTL_IOCTL_ARG_INT,     /* an int by value */
	DTL_IOCTL_ARG_TCXONC,  /* TCOOFF, TCOON, TCIOFF, TCION */
	DTL_IOCTL_ARG_TCFLSH,  /* TCIFLUSH, TCOFLUSH, TCIOFLUSH */
};

/* What argument 2 points at, when the capture copies it. */
enum dtl_ioctl_object {
	DTL_IOCTL_OBJ_NONE = 0, /* nothing is copied */
	DTL_IOCTL_OBJ_INT,      /* an int: "[1]" */
	DTL_IOCTL_OBJ_WINSIZE,  /* struct winsize (8 bytes): "{ws_row=24, ...}" */
};

/* When the capture copies the object. */
enum dtl_ioctl_dir {
	DTL_IOCTL_DIR_NONE = 0,
	DTL_IOCTL_DIR_IN,  /* at entry: the kernel reads it (FIONBIO, TIOCSWINSZ) */
	DTL_IOCTL_DIR_OUT, /* at exit, when the call succeeded (FIONREAD, TIOCGWINSZ) */
};

struct dtl_ioctl_desc {
	uint32_t req;     /* the request code */
	uint8_t arg;      /* enum dtl_ioctl_arg */
	uint8_t object;   /* enum dtl_ioctl_object */
	uint8_t dir;      /* enum dtl_ioctl_dir */
	uint8_t size;     /* bytes of the object (0 for none) */
	const char *name; /* as strace 6.1 names it ("SNDCTL_TMR_START or TCSETS") */
};

extern const struct dtl_ioctl_desc dtl_ioctl_table[];
extern const unsigned dtl_ioctl_table_len;

/* The description of request @req, or NULL for one the table lacks. */
static inline const struct dtl_ioctl_desc *dtl_ioctl_by_request(uint32_t req)
{
	for (unsigned i = 0; i < dtl_ioctl_table_len; i++)
		if (dtl_ioctl_table[i].req == req)
			return &dtl_ioctl_table[i];
	return 0;
}

#endif /* DTL_IOCTL_H */
