/* SPDX-License-Identifier: MIT */
/*
 * Inside the scalar decoders: lookups in name tables, and the socket and
 * ioctl vocabularies (decode_net.c) that decode_scalar.c prints with.
 */
#ifndef DTL_DECODE_TABLES_H
#define DTL_DECODE_TABLES_H

#include "decode.h"

/* A table entry named after its constant, or with an explicit name. */
/* clang-format off */
#define X(v)     {(v), #v}
#define XN(v, s) {(v), s}
/* clang-format on */

/* The name of @v in @t, or NULL. */
const char *dtl_xlookup(uint64_t v, const struct dtl_flag_name *t, size_t n);
/* @v by name, or as strace prints an unknown value: "0x3 /" "* @unknown *" "/". */
void dtl_print_xval(FILE *out, uint64_t v, const struct dtl_flag_name *t, size_t n,
                    const char *unknown);

/* decode_net.c */
void dtl_net_print_domain(FILE *out, unsigned v);
void dtl_net_print_socktype(FILE *out, unsigned v);
void dtl_net_print_sockflags(FILE *out, unsigned v);
void dtl_net_print_protocol(FILE *out, unsigned domain, unsigned proto);
void dtl_net_print_level(FILE *out, unsigned v);
void dtl_net_print_sockopt(FILE *out, unsigned level, unsigned name);
void dtl_net_print_msgflags(FILE *out, unsigned v);
void dtl_net_print_ioctl(FILE *out, unsigned req);
/* How ioctl request @req's third argument is printed (decode_scalar.c). */
int dtl_net_ioctl_arg(unsigned req);

#endif
