// SPDX-License-Identifier: MIT
/* Code addresses by name (dtl/symbolize.h), through libdwfl. */
#include <dtl/symbolize.h>

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct process {
	int pid;
	Dwfl *dwfl;
};

struct dtl_symbolizer {
	struct process *procs;
	size_t n, cap;
	int last_pid;
};

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

struct dtl_symbolizer *dtl_symbolizer_new(void)
{
	return calloc(1, sizeof(struct dtl_symbolizer));
}

void dtl_symbolizer_free(struct dtl_symbolizer *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->n; i++)
		dwfl_end(z->procs[i].dwfl);
	free(z->procs);
	free(z);
}

static struct process *find(struct dtl_symbolizer *z, int pid)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->procs[i].pid == pid)
			return &z->procs[i];
	return NULL;
}

void dtl_symbolizer_add_image(struct dtl_symbolizer *z, int pid, uint64_t base, const char *path)
{
	struct process *p = find(z, pid);
	if (!p) {
		if (z->n == z->cap) {
			size_t cap = z->cap ? 2 * z->cap : 8;
			struct process *np = realloc(z->procs, cap * sizeof(*np));
			if (!np)
				return;
			z->procs = np;
			z->cap = cap;
		}
		Dwfl *d = dwfl_begin(&callbacks);
		if (!d)
			return;
		p = &z->procs[z->n++];
		*p = (struct process){.pid = pid, .dwfl = d};
	}
	dwfl_report_begin_add(p->dwfl);
	dwfl_report_elf(p->dwfl, path, path, -1, base, false);
	dwfl_report_end(p->dwfl, NULL, NULL);
	z->last_pid = pid;
}

void dtl_symbolize(struct dtl_symbolizer *z, int pid, uint64_t addr, char *out, size_t len,
                   char *function, size_t function_len)
{
	out[0] = 0;
	function[0] = 0;
	struct process *p = find(z, pid);
	if (!p)
		p = find(z, z->last_pid);
	Dwfl_Module *m = p ? dwfl_addrmodule(p->dwfl, addr) : NULL;
	if (!m)
		return;
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *name = dwfl_module_addrinfo(m, addr, &off, &sym, NULL, NULL, NULL);
	int n = 0;
	if (name) {
		snprintf(function, function_len, "%s", name);
		n = snprintf(out, len, "%s+%#lx", name, (unsigned long)off);
	} else {
		const char *mod = dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		const char *b = mod ? strrchr(mod, '/') : NULL;
		n = snprintf(out, len, "%s", b ? b + 1 : mod ? mod : "");
	}
	Dwfl_Line *line = dwfl_module_getsrc(m, addr);
	int lineno = 0;
	const char *file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
	if (file && n >= 0 && (size_t)n < len) {
		const char *b = strrchr(file, '/');
		snprintf(out + n, len - (size_t)n, " (%s:%d)", b ? b + 1 : file, lineno);
	}
}

size_t dtl_symbolize_code(struct dtl_symbolizer *z, int pid, uint64_t addr, uint8_t *buf,
                          size_t len, uint64_t *start)
{
	*start = 0;
	struct process *p = find(z, pid);
	if (!p)
		p = find(z, z->last_pid);
	Dwfl_Module *m = p ? dwfl_addrmodule(p->dwfl, addr) : NULL;
	if (!m)
		return 0;
	GElf_Off off = 0;
	GElf_Sym sym;
	if (dwfl_module_addrinfo(m, addr, &off, &sym, NULL, NULL, NULL))
		*start = addr - off;
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(m, &bias);
	for (Elf_Scn *scn = elf ? elf_nextscn(elf, NULL) : NULL; scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    sh.sh_type == SHT_NOBITS)
			continue;
		uint64_t lo = sh.sh_addr + bias;
		if (addr < lo || addr >= lo + sh.sh_size)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			return 0;
		size_t at = addr - lo, n = len;
		if (at >= d->d_size)
			return 0;
		if (n > d->d_size - at)
			n = d->d_size - at;
		memcpy(buf, (const uint8_t *)d->d_buf + at, n);
		return n;
	}
	return 0;
}
