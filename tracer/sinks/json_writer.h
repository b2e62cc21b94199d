/* SPDX-License-Identifier: MIT */
/*
 * The one JSON string writer of the structured sinks (json.c, perfetto.c):
 * a string literal from bytes, or from what a decoder prints into a stream
 * that escapes as it goes.
 */
#ifndef DTL_SINKS_JSON_WRITER_H
#define DTL_SINKS_JSON_WRITER_H

#include <stddef.h>
#include <stdio.h>

/* @len bytes of @s as a JSON string literal. */
void dtl_json_string(FILE *out, const char *s, size_t len);

/* A stream whose bytes become one JSON string literal on @out: the opening
 * quote now, each byte escaped, the closing quote at dtl_json_string_end().
 * NULL (and nothing written) when out of memory. Not seekable: decoders
 * writing into it must not align (dtl_format_opts.no_align). */
FILE *dtl_json_string_begin(FILE *out);
void dtl_json_string_end(FILE *s);

/* "SIGCHLD", or the number for a signal without a name. */
const char *dtl_json_signal_name(int sig, char *buf, size_t size);

#endif
