/* SPDX-License-Identifier: MIT */
/*
 * A data symbol by name in an ELF file's symbol tables (.symtab, whose
 * statics a stripped file has lost, then .dynsym). Host code: reads the
 * file with pread and allocates; used by the front-end to check a watch
 * expression and by the runtime to resolve it in each image.
 */
#ifndef DTL_ELF_SYMBOLS_H
#define DTL_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

struct dtl_elf_symbol {
	uint64_t value; /* link-time address (add the load bias) */
	uint64_t size;
	unsigned char type; /* STT_OBJECT, STT_FUNC, ... */
	unsigned char bind; /* STB_GLOBAL, STB_LOCAL, STB_WEAK */
};

/* What a lookup found out about the file besides the symbol. */
struct dtl_elf_info {
	bool has_symtab;   /* a .symtab (not stripped) */
	int local_matches; /* definitions with STB_LOCAL of that name (statics) */
};

/*
 * The definition of @name in @path: a global or weak one, else the only
 * local one. 0; -ENOENT when there is none; -EEXIST when only several
 * statics of that name exist (which one is ambiguous); -ENOEXEC when the
 * file is not a 64-bit x86-64 ELF object; or the error of opening it.
 * @info (may be NULL) is filled in any case where the file could be read.
 */
int dtl_elf_symbol_find(const char *path, const char *name, struct dtl_elf_symbol *sym,
                        struct dtl_elf_info *info);

#endif
