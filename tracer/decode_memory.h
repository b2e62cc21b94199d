/* SPDX-License-Identifier: MIT */
/*
 * Shared between the memory decoders (decode_memory.c, decode_sockaddr.c,
 * decode_signal.c): blob access and the pieces one of them prints inside
 * another's struct.
 */
#ifndef DTL_DECODE_MEMORY_H
#define DTL_DECODE_MEMORY_H

#include "decode.h"

#include <string.h>

/* The bytes of @b. */
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

static inline const void *dtl_blob_data(const struct dtl_event *ev, const struct dtl_blob *b)
{
	return ev->data + b->offset;
}

/* A blob that holds readable data (not a fault). */
static inline bool dtl_blob_ok(const struct dtl_blob *b)
{
	return b && !(b->flags & DTL_BLOB_FAULT);
}

/* An address: "NULL" or "0x7ffd...". */
void dtl_print_addr(FILE *out, uint64_t v);

/* Flags; when no bit has a name, strace adds a comment: 0x100 (SA_???). */

/* An iovec array of @count entries (copied: blob @array_sub of argument @arg,
 * data in blobs @elem_base + i) as "[{iov_base=..., iov_len=...}, ...]". */
void dtl_print_iovec_array(const struct dtl_decoder_ctx *c, int arg, unsigned array_sub,
                           unsigned elem_base, bool entry, uint64_t addr, uint64_t count);

/* decode_sockaddr.c */
void dtl_print_sockaddr(FILE *out, const void *sa, size_t len, uint64_t addr);
void dtl_decode_sockaddr_arg(const struct dtl_decoder_ctx *c, int i);
void dtl_decode_socklen_arg(const struct dtl_decoder_ctx *c, int i);
void dtl_decode_msghdr_arg(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);
void dtl_decode_mmsghdr_arg(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);

/* decode_signal.c */
void dtl_print_sigaction(FILE *out, const void *ksa);
void dtl_print_stack_t(FILE *out, const void *ss);
/* A signal's name without "SIG" as in a sigset: "INT", "RTMIN", "RT_3". */
void dtl_print_signame_short(FILE *out, int sig);

#endif
