/* SPDX-License-Identifier: MIT */
/* One x86-64 instruction disassembled (front-end, Capstone, AT&T syntax). */
#ifndef DTL_DISASM_H
#define DTL_DISASM_H

#include <stddef.h>
#include <stdint.h>

/*
 * The instruction at the start of @code (@len bytes) at address @addr into
 * @out ("addl $1, 0x2fe5(%rip)"), and the size in bytes of its memory
 * operand into *@mem_size (0 when it has none). Returns its length, or 0
 * when it cannot be decoded (@out "").
 */
size_t dtl_disasm_one(const uint8_t *code, size_t len, uint64_t addr, char *out, size_t outlen,
                      unsigned *mem_size);

#endif
