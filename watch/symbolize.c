// SPDX-License-Identifier: MIT
/* Code addresses by name (dtl/symbolize.h), through libdwfl. */
#include <dtl/event.h>
#include <dtl/grow.h>
#include <dtl/symbolize.h>

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sample being unwound: what libdwfl's thread callbacks read. */
struct sample {
	int tid;
	bool given; /* the one thread was handed out */
	const uint64_t *regs;
	const uint8_t *stack;
	uint64_t stack_lo;
	size_t stack_len;
};

#define PROCESS_IMAGES 64

struct process {
	int pid;
	Dwfl *dwfl;
	int nimages;
	struct {
		uint64_t base;
		char *path;
	} image[PROCESS_IMAGES];
	bool attached; /* dwfl_attach_state done (once per Dwfl) */
	struct sample sample;
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
	for (size_t i = 0; i < z->n; i++) {
		dwfl_end(z->procs[i].dwfl);
		for (int k = 0; k < z->procs[i].nimages; k++)
			free(z->procs[i].image[k].path);
	}
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
		if (DTL_GROW(z->procs, z->n, z->cap))
			return;
		Dwfl *d = dwfl_begin(&callbacks);
		if (!d)
			return;
		p = &z->procs[z->n++];
		*p = (struct process){.pid = pid, .dwfl = d};
	}
	if (p->nimages < PROCESS_IMAGES) {
		/* by its real path: /lib is /usr/lib, a program may be named
		 * relatively */
		char real[PATH_MAX];
		p->image[p->nimages].base = base;
		p->image[p->nimages].path = strdup(realpath(path, real) ? real : path);
		if (p->image[p->nimages].path)
			p->nimages++;
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

/* ---- unwinding a captured sample ---- */

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_arg)
{
	struct sample *sm = arg;
	(void)dwfl;
	if (sm->given)
		return 0;
	sm->given = true;
	*thread_arg = sm;
	return sm->tid;
}

/* The stack as captured; nothing else of the process is there to read. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct sample *sm = arg;
	(void)dwfl;
	if (addr < sm->stack_lo || addr + sizeof(*result) > sm->stack_lo + sm->stack_len)
		return false;
	memcpy(result, sm->stack + (addr - sm->stack_lo), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct sample *sm = arg;
	Dwarf_Word regs[17];
	for (int i = 0; i < 17; i++)
		regs[i] = sm->regs[i];
	/* rax..r15 are DWARF 0-15; 16 is the return address column (rip) */
	return dwfl_thread_state_registers(thread, 0, 17, regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
    .next_thread = next_thread,
    .memory_read = memory_read,
    .set_initial_registers = set_initial_registers,
};

struct frames {
	struct dtl_symbolizer *z;
	int pid, n, max;
	char *out;
	size_t len, used;
};

static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct frames *f = arg;
	Dwarf_Addr pc;
	bool activation;
	if (!dwfl_frame_pc(state, &pc, &activation) || f->n >= f->max)
		return DWARF_CB_ABORT;
	/* a return address names the call before it */
	uint64_t at = activation ? pc : pc - 1;
	char where[512], fn[128];
	dtl_symbolize(f->z, f->pid, at, where, sizeof(where), fn, sizeof(fn));
	int k = snprintf(f->out + f->used, f->len - f->used, " > %s [%#lx]\n",
	                 where[0] ? where : "?", (unsigned long)pc);
	if (k < 0 || (size_t)k >= f->len - f->used)
		return DWARF_CB_ABORT;
	f->used += (size_t)k;
	f->n++;
	return DWARF_CB_OK;
}

int dtl_symbolize_backtrace(struct dtl_symbolizer *z, int pid, int tid, const uint64_t *regs,
                            const uint8_t *stack, size_t stack_len, int max, char *out,
                            size_t outlen)
{
	out[0] = 0;
	struct process *p = find(z, pid);
	if (!p)
		p = find(z, z->last_pid);
	if (!p)
		return 0;
	p->sample = (struct sample){
	    .tid = tid, .regs = regs, .stack = stack, .stack_lo = regs[7], .stack_len = stack_len};
	if (!p->attached) {
		if (!dwfl_attach_state(p->dwfl, NULL, p->pid, &thread_callbacks, &p->sample))
			return 0;
		p->attached = true;
	}
	struct frames f = {.z = z, .pid = pid, .max = max, .out = out, .len = outlen};
	dwfl_getthread_frames(p->dwfl, tid, on_frame, &f);
	return f.n;
}

int dtl_symbolizer_pids(const struct dtl_symbolizer *z, int *pids, int max)
{
	int n = 0;
	for (size_t i = 0; i < z->n && n < max; i++)
		pids[n++] = z->procs[i].pid;
	return n;
}

bool dtl_symbolizer_image_base(const struct dtl_symbolizer *z, int pid, const char *file,
                               uint64_t *base)
{
	char real[PATH_MAX];
	const char *path = realpath(file, real) ? real : file;
	for (size_t i = 0; i < z->n; i++) {
		const struct process *p = &z->procs[i];
		if (p->pid != pid)
			continue;
		/* the newest: an image exec'd later in the same process */
		for (int k = p->nimages - 1; k >= 0; k--)
			if (!strcmp(p->image[k].path, path)) {
				*base = p->image[k].base;
				return true;
			}
	}
	return false;
}

void dtl_symbolizer_add_image_record(struct dtl_symbolizer *z, const struct dtl_rec_image *r)
{
	if (r->hdr.size < sizeof(*r) || r->path_len > r->hdr.size - sizeof(*r))
		return;
	char path[4096];
	size_t n = r->path_len < sizeof(path) - 1 ? r->path_len : sizeof(path) - 1;
	memcpy(path, r->path, n);
	path[n] = 0;
	dtl_symbolizer_add_image(z, r->hdr.pid, r->base, path);
}
