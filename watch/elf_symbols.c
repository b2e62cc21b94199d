// SPDX-License-Identifier: MIT
/* Symbols by name in an ELF file (dtl/elf_symbols.h). */
#include <dtl/elf_symbols.h>

#include <dune/elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *read_at(int fd, uint64_t off, uint64_t len, uint64_t file_size)
{
	if (off > file_size || len > file_size - off)
		return NULL;
	char *buf = malloc(len + 1);
	if (buf && pread(fd, buf, len, (off_t)off) != (ssize_t)len) {
		free(buf);
		return NULL;
	}
	if (buf)
		buf[len] = 0; /* a string table's last string ends */
	return buf;
}

struct search {
	const char *name;
	bool found_global;
	int locals;
	struct dtl_elf_symbol global, local;
};

/* One symbol table (@sh) with its string table (@strsh). */
static void search_table(const struct dune_elf *elf, const Elf64_Shdr *sh, const Elf64_Shdr *strsh,
                         struct search *s)
{
	if (sh->sh_entsize != sizeof(Elf64_Sym) || !strsh->sh_size)
		return;
	char *strtab = read_at(elf->fd, strsh->sh_offset, strsh->sh_size, elf->file_size);
	Elf64_Sym *syms = read_at(elf->fd, sh->sh_offset, sh->sh_size, elf->file_size);
	size_t n = syms ? sh->sh_size / sizeof(Elf64_Sym) : 0;

	for (size_t i = 1; strtab && i < n; i++) {
		const Elf64_Sym *y = &syms[i];
		if (y->st_shndx == SHN_UNDEF || y->st_name >= strsh->sh_size ||
		    strcmp(strtab + y->st_name, s->name))
			continue;
		struct dtl_elf_symbol found = {.value = y->st_value,
		                               .size = y->st_size,
		                               .type = ELF64_ST_TYPE(y->st_info),
		                               .bind = ELF64_ST_BIND(y->st_info)};
		if (found.bind == STB_LOCAL) {
			/* the same static seen in .symtab only: count it once */
			if (!s->locals || s->local.value != found.value)
				s->locals++;
			s->local = found;
		} else if (!s->found_global) {
			s->found_global = true;
			s->global = found;
		}
	}
	free(strtab);
	free(syms);
}

static int symbol_find(const char *path, const char *name, struct dtl_elf_symbol *sym,
                       struct dtl_elf_info *info);

/* Thousands of watchpoints name one symbol (NAME+OFF:LEN): the last
 * answer is kept, the file read once. */
int dtl_elf_symbol_find(const char *path, const char *name, struct dtl_elf_symbol *sym,
                        struct dtl_elf_info *info)
{
	static struct {
		char path[4096], name[256];
		int r;
		struct dtl_elf_symbol sym;
		struct dtl_elf_info info;
	} last = {.r = 1};
	if (last.r <= 0 && !strcmp(last.path, path) && !strcmp(last.name, name)) {
		if (last.r == 0)
			*sym = last.sym;
		if (info)
			*info = last.info;
		return last.r;
	}
	struct dtl_elf_info got = {0};
	struct dtl_elf_symbol found = {0};
	int r = symbol_find(path, name, &found, &got);
	if (r == 0)
		*sym = found;
	if (info)
		*info = got;
	if (strlen(path) < sizeof(last.path) && strlen(name) < sizeof(last.name)) {
		strcpy(last.path, path);
		strcpy(last.name, name);
		last.r = r;
		last.sym = found;
		last.info = got;
	}
	return r;
}

static int symbol_find(const char *path, const char *name, struct dtl_elf_symbol *sym,
                       struct dtl_elf_info *info)
{
	struct dune_elf elf;
	int r = dune_elf_open(&elf, path);
	if (r)
		return r;
	const Elf64_Ehdr *eh = &elf.ehdr;
	Elf64_Shdr *sh = NULL;
	if (eh->e_shentsize == sizeof(Elf64_Shdr) && eh->e_shnum)
		sh = read_at(elf.fd, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr),
		             elf.file_size);
	struct search s = {.name = name};
	bool has_symtab = false;
	/* .symtab first: it also has the statics */
	for (int pass = 0; sh && pass < 2; pass++)
		for (int i = 0; i < eh->e_shnum; i++) {
			uint32_t want = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;
			if (sh[i].sh_type != want || sh[i].sh_link >= eh->e_shnum)
				continue;
			has_symtab |= want == SHT_SYMTAB;
			search_table(&elf, &sh[i], &sh[sh[i].sh_link], &s);
		}
	free(sh);
	dune_elf_close(&elf);
	if (info)
		*info = (struct dtl_elf_info){.has_symtab = has_symtab, .local_matches = s.locals};
	if (s.found_global) {
		*sym = s.global;
		return 0;
	}
	if (s.locals == 1) {
		*sym = s.local;
		return 0;
	}
	return s.locals ? -EEXIST : -ENOENT;
}
