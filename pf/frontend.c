// SPDX-License-Identifier: MIT
/* The fault profiler's records into the model (dtl/pf_frontend.h). */
#include "pf_private.h"

#include <dtl/grow.h>
#include <dtl/symbolize.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct dtl_pf_fe *dtl_pf_fe_new(struct dtl_symbolizer *sym, const char *command)
{
	struct dtl_pf_fe *fe = calloc(1, sizeof(*fe));
	if (!fe)
		return NULL;
	fe->sym = sym;
	snprintf(fe->m.command, sizeof(fe->m.command), "%s", command ? command : "");
	return fe;
}

void dtl_pf_fe_free(struct dtl_pf_fe *fe)
{
	if (!fe)
		return;
	free(fe->m.samples);
	free(fe->m.mappings);
	free(fe->m.scans);
	free(fe->m.intervals);
	free(fe->procs);
	free(fe->ids);
	free(fe->where);
	for (size_t i = 0; i < fe->stacks_cap; i++)
		free(fe->stacks[i].folded);
	free(fe->stacks);
	free(fe);
}

void dtl_pf_fe_start(struct dtl_pf_fe *fe, uint64_t now_ns)
{
	fe->m.start_ns = now_ns;
}

void dtl_pf_fe_json(struct dtl_pf_fe *fe, FILE *out)
{
	fe->json = out;
}

void dtl_pf_fe_counters(struct dtl_pf_fe *fe, dtl_pf_counter_fn fn, void *arg)
{
	fe->counter = fn;
	fe->counter_arg = arg;
}

void dtl_pf_fe_scan_interval(struct dtl_pf_fe *fe, uint64_t interval_ns)
{
	fe->m.interval_ns = interval_ns;
}

void dtl_pf_fe_finish(struct dtl_pf_fe *fe, uint64_t now_ns)
{
	uint64_t end = now_ns > fe->m.start_ns ? now_ns - fe->m.start_ns : 0;
	if (end > fe->m.end_ns)
		fe->m.end_ns = end;
	for (size_t i = 0; fe->counter && i < fe->nprocs; i++)
		fe->counter(fe->counter_arg, fe->procs[i].pid, "touched pages", now_ns,
		            fe->procs[i].touched);
}

static struct pf_proc *proc_of(struct dtl_pf_fe *fe, int pid)
{
	for (size_t i = 0; i < fe->nprocs; i++)
		if (fe->procs[i].pid == pid)
			return &fe->procs[i];
	if (DTL_GROW(fe->procs, fe->nprocs, fe->procs_cap))
		return NULL;
	fe->procs[fe->nprocs] = (struct pf_proc){.pid = pid};
	return &fe->procs[fe->nprocs++];
}

const struct dtl_pf_model *dtl_pf_fe_model(const struct dtl_pf_fe *fe)
{
	return &fe->m;
}

/* ---- (pid, id) -> the model's mapping ---- */

static size_t id_slot(const struct dtl_pf_fe *fe, int pid, uint32_t id)
{
	uint64_t h = ((uint64_t)(uint32_t)pid << 32 | id) * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32) & (fe->ids_cap - 1);
}

static uint32_t find_id(const struct dtl_pf_fe *fe, int pid, uint32_t id)
{
	if (!fe->ids_cap)
		return DTL_PF_NO_MAPPING;
	for (size_t i = id_slot(fe, pid, id);; i = (i + 1) & (fe->ids_cap - 1)) {
		const struct pf_id *e = &fe->ids[i];
		if (!e->used)
			return DTL_PF_NO_MAPPING;
		if (e->pid == pid && e->id == id)
			return e->index;
	}
}

static int add_id(struct dtl_pf_fe *fe, int pid, uint32_t id, uint32_t index)
{
	if ((fe->nids + 1) * 2 > fe->ids_cap) {
		size_t cap = fe->ids_cap ? fe->ids_cap * 2 : 256;
		struct pf_id *old = fe->ids;
		size_t old_cap = fe->ids_cap;
		fe->ids = calloc(cap, sizeof(*fe->ids));
		if (!fe->ids) {
			fe->ids = old;
			return -ENOMEM;
		}
		fe->ids_cap = cap;
		fe->nids = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].used)
				add_id(fe, old[i].pid, old[i].id, old[i].index);
		free(old);
	}
	size_t i = id_slot(fe, pid, id);
	while (fe->ids[i].used && !(fe->ids[i].pid == pid && fe->ids[i].id == id))
		i = (i + 1) & (fe->ids_cap - 1);
	if (!fe->ids[i].used)
		fe->nids++;
	fe->ids[i] = (struct pf_id){.used = true, .pid = pid, .id = id, .index = index};
	return 0;
}

/* ---- naming ---- */

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* Is @path one of process @pid's objects (an image the runtime named)? */
static bool is_object(const struct dtl_pf_fe *fe, int pid, const char *path)
{
	uint64_t base;
	if (!fe->sym || path[0] != '/')
		return false;
	if (dtl_symbolizer_image_base(fe->sym, pid, path, &base))
		return true;
	/* a fork child without images of its own: its parent's objects */
	int pids[64];
	int n = dtl_symbolizer_pids(fe->sym, pids, 64);
	for (int i = 0; i < n; i++)
		if (dtl_symbolizer_image_base(fe->sym, pids[i], path, &base))
			return true;
	return false;
}

void dtl_pf_name_mapping(struct dtl_pf_mapping *m, const char *path, unsigned flags, int tid,
                         bool object)
{
	m->tid = 0;
	if (flags & DTL_MAP_AFTER_FILE) {
		m->kind = DTL_PF_BSS;
		snprintf(m->name, sizeof(m->name), "%s bss", base_name(path));
	} else if (!strcmp(path, "[heap]")) {
		m->kind = DTL_PF_HEAP;
		snprintf(m->name, sizeof(m->name), "heap");
	} else if (!strcmp(path, "[stack]")) {
		m->kind = DTL_PF_STACK;
		m->tid = tid;
		snprintf(m->name, sizeof(m->name), "stack");
	} else if (!path[0] && tid) {
		m->kind = DTL_PF_STACK;
		m->tid = tid;
		snprintf(m->name, sizeof(m->name), "stack of thread %d", tid);
	} else if (!path[0]) {
		m->kind = DTL_PF_ANON;
		snprintf(m->name, sizeof(m->name), "[anon]");
	} else if (path[0] != '/') {
		m->kind = DTL_PF_OTHER;
		snprintf(m->name, sizeof(m->name), "%s", path);
	} else if (object && (flags & DTL_MAP_X)) {
		m->kind = DTL_PF_TEXT;
		snprintf(m->name, sizeof(m->name), "%s text", base_name(path));
	} else if (object) {
		m->kind = DTL_PF_DATA;
		snprintf(m->name, sizeof(m->name), "%s data", base_name(path));
	} else {
		m->kind = DTL_PF_FILE;
		snprintf(m->name, sizeof(m->name), "%s", path);
	}
}

static void on_mapping(struct dtl_pf_fe *fe, const struct dtl_rec_mapping *r)
{
	char path[DTL_PF_NAME_MAX];
	size_t n = r->path_len < sizeof(path) - 1 ? r->path_len : sizeof(path) - 1;
	memcpy(path, r->path, n);
	path[n] = 0;
	if (DTL_GROW(fe->m.mappings, fe->m.nmappings, fe->m.mappings_cap))
		return;
	struct dtl_pf_mapping *m = &fe->m.mappings[fe->m.nmappings];
	*m = (struct dtl_pf_mapping){.pid = r->hdr.pid, .lo = r->lo, .hi = r->hi};
	dtl_pf_name_mapping(m, path, r->flags, r->tid, is_object(fe, r->hdr.pid, path));
	if (add_id(fe, r->hdr.pid, r->id, (uint32_t)fe->m.nmappings) == 0)
		fe->m.nmappings++;
}

void dtl_pf_fold(const char *lines, char *out, size_t len)
{
	const char *frames[64];
	size_t n = 0, at = 0;
	for (const char *l = lines; *l && n < 64;) {
		if (!strncmp(l, " > ", 3))
			frames[n++] = l + 3;
		const char *nl = strchr(l, '\n');
		if (!nl)
			break;
		l = nl + 1;
	}
	out[0] = 0;
	while (n-- > 0) {
		/* the function's name: up to "+0x", " (" or " [" */
		size_t k = strcspn(frames[n], "+ \n");
		if (at + k + 2 >= len)
			break;
		if (at)
			out[at++] = ';';
		memcpy(out + at, frames[n], k);
		at += k;
		out[at] = 0;
	}
}

static size_t stack_slot(const char *s, size_t cap)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h & (cap - 1);
}

static void count_stack(struct dtl_pf_fe *fe, const char *folded)
{
	if ((fe->nstacks + 1) * 2 > fe->stacks_cap) {
		size_t cap = fe->stacks_cap ? 2 * fe->stacks_cap : 256;
		struct pf_stack *t = calloc(cap, sizeof(*t));
		if (!t)
			return;
		for (size_t i = 0; i < fe->stacks_cap; i++) {
			if (!fe->stacks[i].folded)
				continue;
			size_t j = stack_slot(fe->stacks[i].folded, cap);
			while (t[j].folded)
				j = (j + 1) & (cap - 1);
			t[j] = fe->stacks[i];
		}
		free(fe->stacks);
		fe->stacks = t;
		fe->stacks_cap = cap;
	}
	size_t j = stack_slot(folded, fe->stacks_cap);
	while (fe->stacks[j].folded && strcmp(fe->stacks[j].folded, folded))
		j = (j + 1) & (fe->stacks_cap - 1);
	if (!fe->stacks[j].folded) {
		fe->stacks[j].folded = strdup(folded);
		if (!fe->stacks[j].folded)
			return;
		fe->nstacks++;
	}
	fe->stacks[j].count++;
}

/* --pf-bt: the record's stack, unwound and counted */
static void on_stack(struct dtl_pf_fe *fe, const struct dtl_rec_page_fault *r)
{
	static char lines[8192], folded[4096];
	const struct dtl_hit_stack *k = (const void *)(r + 1);
	if (r->hdr.size < sizeof(*r) + sizeof(*k) || k->len > r->hdr.size - sizeof(*r) - sizeof(*k))
		return;
	if (!fe->sym || dtl_symbolize_backtrace(fe->sym, r->hdr.pid, r->hdr.tid, k->regs,
	                                        (const uint8_t *)(k + 1), k->len, 64, lines,
	                                        sizeof(lines)) <= 0)
		return;
	dtl_pf_fold(lines, folded, sizeof(folded));
	if (folded[0])
		count_stack(fe, folded);
}

static void on_fault(struct dtl_pf_fe *fe, const struct dtl_rec_page_fault *r)
{
	if (r->hdr.size > sizeof(*r))
		on_stack(fe, r);
	if (DTL_GROW(fe->m.samples, fe->m.nsamples, fe->m.samples_cap)) {
		fe->dropped++;
		return;
	}
	uint64_t t = r->hdr.time_ns > fe->m.start_ns ? r->hdr.time_ns - fe->m.start_ns : 0;
	uint32_t fec = r->error_code;
	fe->m.samples[fe->m.nsamples++] = (struct dtl_pf_sample){
	    .t_ns = t,
	    .addr = r->addr,
	    .rip = r->rip,
	    .mapping = find_id(fe, r->hdr.pid, r->mapping_id),
	    .pid = r->hdr.pid,
	    .tid = r->hdr.tid,
	    .access = fec & PF_ERR_ID  ? DTL_PF_EXEC
	              : fec & PF_ERR_W ? DTL_PF_WRITE
	                               : DTL_PF_READ,
	    .kernel = !(fec & PF_ERR_U),
	};
	if (t > fe->m.end_ns)
		fe->m.end_ns = t;
	if (fe->json)
		dtl_pf_report_json(fe, &fe->m.samples[fe->m.nsamples - 1], r->hdr.time_ns,
		                   fe->json);
	struct pf_proc *p = proc_of(fe, r->hdr.pid);
	if (p && ++p->touched && fe->counter && r->hdr.time_ns >= p->emitted_ns + 10000000) {
		p->emitted_ns = r->hdr.time_ns;
		fe->counter(fe->counter_arg, p->pid, "touched pages", r->hdr.time_ns, p->touched);
	}
}

/* A scan's runs: each page into the model; with the scan's last record,
 * the interval. */
static void on_scan(struct dtl_pf_fe *fe, const struct dtl_rec_access_scan *r)
{
	uint64_t t1 = r->hdr.time_ns > fe->m.start_ns ? r->hdr.time_ns - fe->m.start_ns : 0;
	uint64_t t0 = r->start_ns > fe->m.start_ns ? r->start_ns - fe->m.start_ns : 0;
	struct pf_proc *p = proc_of(fe, r->hdr.pid);
	if (!p)
		return;
	for (uint32_t i = 0; i < r->nruns; i++) {
		const struct dtl_scan_run *run = &r->runs[i];
		uint32_t pages = run->pages & ~DTL_SCAN_DIRTY;
		bool dirty = run->pages & DTL_SCAN_DIRTY;
		uint32_t mapping = find_id(fe, r->hdr.pid, run->mapping_id);
		p->accessed += pages;
		p->dirty += dirty ? pages : 0;
		if (fe->json)
			dtl_pf_report_json_scan(fe, r, run, mapping, fe->json);
		for (uint32_t k = 0; k < pages; k++) {
			if (DTL_GROW(fe->m.scans, fe->m.nscans, fe->m.scans_cap)) {
				fe->dropped++;
				continue;
			}
			fe->m.scans[fe->m.nscans++] =
			    (struct dtl_pf_scan){.t0_ns = t0,
			                         .t_ns = t1,
			                         .addr = run->addr + (uint64_t)k * 4096,
			                         .mapping = mapping,
			                         .pid = r->hdr.pid,
			                         .accessed = true,
			                         .dirty = dirty};
		}
	}
	if (t1 > fe->m.end_ns)
		fe->m.end_ns = t1;
	if (!(r->flags & DTL_SCAN_LAST))
		return;
	if (!DTL_GROW(fe->m.intervals, fe->m.nintervals, fe->m.intervals_cap))
		fe->m.intervals[fe->m.nintervals++] =
		    (struct dtl_pf_interval){.t0_ns = t0,
		                             .t_ns = t1,
		                             .pid = r->hdr.pid,
		                             .seq = r->seq,
		                             .accessed = p->accessed,
		                             .dirty = p->dirty,
		                             .walked = r->walked,
		                             .took_ns = r->took_ns,
		                             .dropped = r->dropped};
	if (fe->counter) {
		fe->counter(fe->counter_arg, p->pid, "working set pages", r->hdr.time_ns,
		            p->accessed);
		fe->counter(fe->counter_arg, p->pid, "dirty pages", r->hdr.time_ns, p->dirty);
		fe->counter(fe->counter_arg, p->pid, "touched pages", r->hdr.time_ns, p->touched);
	}
	p->accessed = p->dirty = 0;
}

bool dtl_pf_fe_record(struct dtl_pf_fe *fe, const struct dtl_rec *rec)
{
	switch (rec->type) {
	case DTL_REC_MAPPING: {
		const struct dtl_rec_mapping *r = (const void *)rec;
		if (rec->size >= sizeof(*r) && r->path_len <= rec->size - sizeof(*r))
			on_mapping(fe, r);
		return true;
	}
	case DTL_REC_IMAGE: {
		/* without watchpoints the profiler feeds the symbolizer */
		if (fe->sym)
			dtl_symbolizer_add_image_record(fe->sym, (const void *)rec);
		return true;
	}
	case DTL_REC_PAGE_FAULT:
		if (rec->size >= sizeof(struct dtl_rec_page_fault))
			on_fault(fe, (const void *)rec);
		return true;
	case DTL_REC_ACCESS_SCAN: {
		const struct dtl_rec_access_scan *r = (const void *)rec;
		if (rec->size >= sizeof(*r) && r->nruns <= DTL_SCAN_RUNS_MAX &&
		    r->nruns <= (rec->size - sizeof(*r)) / sizeof(r->runs[0]))
			on_scan(fe, r);
		return true;
	}
	default:
		return false;
	}
}
