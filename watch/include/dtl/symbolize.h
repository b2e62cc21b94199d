/* SPDX-License-Identifier: MIT */
/*
 * Naming code addresses of the traced processes (front-end): each process's
 * objects as its runtime reported them (DTL_REC_IMAGE), their symbol tables
 * and DWARF line tables through elfutils' libdwfl. Shared by the watchpoint
 * hits and, later, fault attribution and backtraces.
 */
#ifndef DTL_SYMBOLIZE_H
#define DTL_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dtl_symbolizer;

struct dtl_symbolizer *dtl_symbolizer_new(void);
void dtl_symbolizer_free(struct dtl_symbolizer *z);

/* Process @pid has the object at @path loaded at bias @base. */
void dtl_symbolizer_add_image(struct dtl_symbolizer *z, int pid, uint64_t base, const char *path);
/* The same from a DTL_REC_IMAGE record of the stream (checked). */
struct dtl_rec_image;
void dtl_symbolizer_add_image_record(struct dtl_symbolizer *z, const struct dtl_rec_image *r);

/*
 * @addr in process @pid as "function+0xOFF (file.c:LINE)" (what is known
 * of it) into @out, and the function alone into @function; both "" when
 * nothing is. A process with no images of its own (a fork child before its
 * first record) uses those of the last process that reported some.
 */
void dtl_symbolize(struct dtl_symbolizer *z, int pid, uint64_t addr, char *out, size_t len,
                   char *function, size_t function_len);

/* The processes that reported images, into @pids (room for @max): how many. */
int dtl_symbolizer_pids(const struct dtl_symbolizer *z, int *pids, int max);
/* The load bias of the object at @path in process @pid: true and *@base. */
bool dtl_symbolizer_image_base(const struct dtl_symbolizer *z, int pid, const char *path,
                               uint64_t *base);

/*
 * The code bytes [addr, addr+len) of process @pid as its object's file has
 * them, into @buf, and where the function around @addr starts (*@start,
 * 0 when unknown). Returns the bytes copied (0: not known).
 */
size_t dtl_symbolize_code(struct dtl_symbolizer *z, int pid, uint64_t addr, uint8_t *buf,
                          size_t len, uint64_t *start);

/*
 * The call stack of thread @tid of process @pid from its registers @regs
 * (DWARF numbering, dtl/event.h DTL_HIT_REGS) and @stack_len bytes of its
 * stack from rsp: DWARF CFI (.eh_frame, .debug_frame) through libdwfl's
 * unwinder, frame pointers where the CFI says so. One line per frame, at
 * most @max, each " > function+0xOFF (file.c:LINE) [0xADDR]" and a newline,
 * into @out. Returns the number of frames.
 */
int dtl_symbolize_backtrace(struct dtl_symbolizer *z, int pid, int tid, const uint64_t *regs,
                            const uint8_t *stack, size_t stack_len, int max, char *out,
                            size_t outlen);

#endif
