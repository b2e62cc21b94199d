/* SPDX-License-Identifier: MIT */
/*
 * The decoders, as the line assembly (format.c) sees them: for each piece
 * of a line, one entry point that prints it by the argument's kind and hands
 * the calls the catalogue names a decoder for (dtl_syscall_desc.decoder) to
 * that decoder (decode_calls.c).
 *
 *   print.h  <-  decode_*.c (one file per family, decode_families.h)  <-  format.c
 *
 * Every function writes to c->out and nothing else; none keeps state.
 */
#ifndef DTL_DECODE_H
#define DTL_DECODE_H

#include <dtl/catalogue.h>
#include <dtl/format.h>
#include <dtl/ring.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct dtl_decoder_ctx {
	FILE *out;
	const struct dtl_event *ev;       /* DTL_EV_SYSCALL, or DTL_EV_ENTER (no exit data) */
	const struct dtl_syscall_desc *d; /* never NULL here */
	const struct dtl_format_opts *o;
	bool completed; /* ev->ret and the exit copies are valid */
};

/*
 * Which arguments strace prints for this call, in which order: fills
 * @order with argument indexes and returns how many. Mostly 0..nargs-1;
 * fewer where strace omits arguments (open's mode without O_CREAT, fcntl's
 * third argument for commands without one, futex's unused arguments), in
 * another order where strace reorders (clone).
 */
int dtl_decode_arg_order(const struct dtl_decoder_ctx *c, int order[6]);

/* What strace prints before the arguments of a call that has none of its
 * own (rt_sigreturn's "{mask=[...]}"); nothing for most calls. */
void dtl_decode_leading(const struct dtl_decoder_ctx *c);

/* A scalar value of @kind, without context (also used inside structs:
 * the flags of clone_args, the signal of a siginfo...). */
void dtl_print_scalar(FILE *out, enum dtl_arg_kind kind, uint64_t v);

/* Argument @i of the call, a scalar kind: includes the qualified kinds
 * (fcntl's argument per command, a socket option per level) and named
 * arguments ("child_stack=", "flags=" for clone). */
void dtl_decode_scalar_arg(const struct dtl_decoder_ctx *c, int i);

/* Argument @i of the call, a memory kind: "NULL", the address if it could
 * not be read, else the decoded contents. */
void dtl_decode_memory_arg(const struct dtl_decoder_ctx *c, int i);

/* What the kernel wrote back into an argument printed at entry, shown after
 * it as strace does (" => {parent_tid=[42]}" for clone3); nothing for most
 * arguments. Printed by dtl_decode_memory_arg() for a completed call, and
 * at the start of a "<... resumed>" line. */
void dtl_decode_written_back(const struct dtl_decoder_ctx *c, int i);

/* The return value of a completed call: "-1 ENOENT (No such file or
 * directory)", "0x7f...", "3", with its annotation (" (flags O_RDWR)",
 * or what dtl_decode_ret_memory() adds). */
void dtl_decode_ret(const struct dtl_decoder_ctx *c);

/* The annotation after a successful return value that comes from memory
 * written by the kernel: " ([{fd=3, revents=POLLIN}])", " (in [3])",
 * " (Timeout)". Prints nothing for other calls. */
void dtl_decode_ret_memory(const struct dtl_decoder_ctx *c);

/* A signal set (bit n-1 for signal n) as strace prints it: "[INT TERM]",
 * "~[KILL STOP]" when more than half the set is full, "[]". @bytes is the
 * size of the set (8 for the kernel's sigset). */
void dtl_print_sigset(FILE *out, const void *set, size_t bytes);

/* A siginfo_t (128 bytes) as strace prints it inside "--- SIGCHLD {...} ---":
 * "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, ...}". */
void dtl_print_siginfo(FILE *out, const void *siginfo);

#endif
