/* SPDX-License-Identifier: MIT */
/*
 * ELF helpers: open an x86-64 executable or shared object, walk its program
 * headers, load segments into (already mapped) memory, and tell a static
 * binary from a dynamic one. Host-side code: uses pread, allocates nothing.
 */
#ifndef DUNE_ELF_H
#define DUNE_ELF_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dune_elf {
	int fd;
	uint64_t file_size;
	Elf64_Ehdr ehdr;
};

/* 0, or -ENOENT/-EACCES (open), -ENOEXEC (not an ELF file, not 64-bit
 * x86-64, not an executable or shared object, truncated headers). */
int dune_elf_open(struct dune_elf *elf, const char *path);
int dune_elf_open_fd(struct dune_elf *elf, int fd);
void dune_elf_close(struct dune_elf *elf);

typedef int (*dune_elf_ph_cb)(struct dune_elf *elf, const Elf64_Phdr *ph, void *arg);
/* Calls @cb for each program header; a non-zero return stops and is returned. */
int dune_elf_iter_ph(struct dune_elf *elf, dune_elf_ph_cb cb, void *arg);

/* Copy a PT_LOAD segment's file bytes to ph->p_vaddr + @bias and zero the
 * rest of its p_memsz. The destination must be mapped and writable. */
int dune_elf_load_ph(struct dune_elf *elf, const Elf64_Phdr *ph, uintptr_t bias);

/* The PT_INTERP path (the dynamic loader) into @buf; -ENOENT when the file
 * has none (a static executable). */
int dune_elf_interp(struct dune_elf *elf, char *buf, size_t len);
/* A statically linked executable: no PT_INTERP and no PT_DYNAMIC. */
bool dune_elf_is_static(struct dune_elf *elf);

#endif
