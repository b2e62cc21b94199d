// SPDX-License-Identifier: MIT
/*
 * The fault profiler's ring-0 side (dtl/pf_engine.h). Interrupt context:
 * no libc calls that lock or allocate, preallocated tables only.
 *
 * Each first touch (libdune's first-touch hook) is one DTL_REC_PAGE_FAULT
 * record. The mapping it falls in is found in a table of the mappings this
 * process has described; a miss asks the monitor (one host call) to read
 * /proc/self/maps, write a DTL_REC_MAPPING record and give the mapping's
 * number and bounds. Calls that unmap or move memory drop what they end
 * from the table, so that memory mapped there later is described anew.
 *
 * With an access scan (--access-scan), libdune gives each scan's accessed
 * pages to on_scan in the monitor; they become DTL_REC_ACCESS_SCAN
 * records, each run of pages within one described mapping.
 */
#include <dtl/capture.h>
#include <dtl/event.h>
#include <dtl/pf_engine.h>

#include <dune/hook.h>
#include <dune/procmap.h>
#include <dune/spinlock.h>
#include <dune/syscall_nr.h>
#include <dune/vm.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define MAPS_MAX 1024

struct known_map {
	uintptr_t lo, hi;
	uint32_t id;
	bool anon; /* no file: may turn out to be a thread's stack */
	bool stack_known;
};

static struct known_map maps[MAPS_MAX];
static int nmaps;
static uint32_t next_id;
static dune_spinlock_t maps_lock = DUNE_SPINLOCK_INIT;
static int describe_call = -1;
static bool with_stacks; /* --pf-bt */

/* ---- the monitor side: describing a mapping ---- */

struct describe_out {
	uintptr_t lo, hi;
	uint32_t id;
	bool anon;
};

struct find {
	uintptr_t addr;
	bool found;
	struct dune_procmap_entry e;
	char path[4096];
	/* the mapping right below, when it is a file's */
	uintptr_t prev_end;
	bool prev_file_w;
	char prev_path[4096];
};

static void copy_path(char *dst, const char *src)
{
	size_t n = strlen(src);
	if (n > 4095)
		n = 4095;
	memcpy(dst, src, n);
	dst[n] = 0;
}

static int find_entry(const struct dune_procmap_entry *e, void *arg)
{
	struct find *f = arg;
	if (e->end <= f->addr) {
		f->prev_end = e->end;
		/* an object's data is private: anonymous memory after a
		 * shared mapping (the tracer's own ring) is no one's bss */
		f->prev_file_w = e->kind == DUNE_MAP_FILE && e->w && !e->shared;
		if (f->prev_file_w)
			copy_path(f->prev_path, e->path);
		return 0;
	}
	if (e->begin > f->addr)
		return 1;
	f->found = true;
	f->e = *e;
	copy_path(f->path, e->path);
	f->e.path = f->path;
	return 1;
}

static void emit_mapping(const struct find *f, uint32_t id, int tid)
{
	const struct dune_procmap_entry *e = &f->e;
	bool bss = e->kind == DUNE_MAP_ANON && f->prev_file_w && f->prev_end == e->begin;
	const char *path = bss ? f->prev_path : e->path;
	uint32_t len = (uint32_t)strlen(path);
	uint32_t size = dtl_rec_align(sizeof(struct dtl_rec_mapping) + len);
	struct dtl_capture_claim c;
	struct dtl_rec_mapping *r = (struct dtl_rec_mapping *)dtl_capture_claim(&c, size, false);
	if (!r)
		return;
	r->lo = e->begin;
	r->hi = e->end;
	r->offset = e->offset;
	r->id = id;
	r->flags =
	    (uint16_t)((e->r ? DTL_MAP_R : 0) | (e->w ? DTL_MAP_W : 0) | (e->x ? DTL_MAP_X : 0) |
	               (e->shared ? DTL_MAP_SHARED : 0) | (bss ? DTL_MAP_AFTER_FILE : 0));
	r->path_len = (uint16_t)len;
	r->tid = tid;
	r->reserved = 0;
	memcpy(r->path, path, len);
	memset(r->path + len, 0, size - sizeof(*r) - len);
	dtl_capture_publish(&c, DTL_REC_MAPPING, size);
}

/* args: the address, the thread's stack pointer, its id, the answer */
static long describe(const uint64_t args[6], void *arg)
{
	static struct find f; /* one vCPU at a time: under maps_lock */
	struct describe_out *out = (struct describe_out *)args[3];
	(void)arg;
	f.addr = args[0];
	f.found = false;
	f.path[0] = f.prev_path[0] = 0;
	f.prev_end = 0;
	f.prev_file_w = false;
	if (dune_procmap_iterate(find_entry, &f) < 0 || !f.found)
		return -1;
	bool anon = f.e.kind == DUNE_MAP_ANON;
	uintptr_t sp = args[1];
	int tid = anon && sp >= f.e.begin && sp < f.e.end ? (int)args[2] : 0;
	/* the main thread's stack says so itself */
	if (f.e.kind == DUNE_MAP_STACK)
		tid = (int)args[2];
	out->lo = f.e.begin;
	out->hi = f.e.end;
	out->id = next_id++;
	out->anon = anon;
	emit_mapping(&f, out->id, tid);
	return 0;
}

/* ---- ring 0 ---- */

static struct known_map *known(uintptr_t addr)
{
	for (int i = 0; i < nmaps; i++)
		if (addr >= maps[i].lo && addr < maps[i].hi)
			return &maps[i];
	return NULL;
}

/* Drop what overlaps [lo, hi): with the lock held. */
static void forget(uintptr_t lo, uintptr_t hi)
{
	for (int i = 0; i < nmaps;)
		if (maps[i].lo < hi && maps[i].hi > lo)
			maps[i] = maps[--nmaps];
		else
			i++;
}

/* A mapping just described, into the table (with the lock held). */
static struct known_map *remember(const struct describe_out *out, bool stack_known)
{
	forget(out->lo, out->hi);
	if (nmaps == MAPS_MAX) /* a cache: one goes */
		maps[0] = maps[--nmaps];
	maps[nmaps] = (struct known_map){.lo = out->lo,
	                                 .hi = out->hi,
	                                 .id = out->id,
	                                 .anon = out->anon,
	                                 .stack_known = stack_known};
	return &maps[nmaps++];
}

/* The number of the mapping of @addr, described now if it is new (or an
 * anonymous one that now holds thread @tid's stack pointer @sp). */
static uint32_t mapping_of(uintptr_t addr, uintptr_t sp, int tid)
{
	uint32_t id = UINT32_MAX;
	dune_spin_lock(&maps_lock);
	struct known_map *m = known(addr);
	bool again = m && m->anon && !m->stack_known && sp >= m->lo && sp < m->hi;
	if (m && !again) {
		id = m->id;
	} else {
		struct describe_out out;
		if (dune_tool_hostcall(describe_call, addr, sp, (uint64_t)tid, (uint64_t)&out, 0,
		                       0) == 0)
			id = remember(&out, out.anon && sp >= out.lo && sp < out.hi)->id;
	}
	dune_spin_unlock(&maps_lock);
	return id;
}

/* Bytes of the stack from @rsp that are present (up to the limit): an
 * untouched page is left out, so that copying it takes no first touch of
 * ours inside this one. */
static uint32_t stack_len(uintptr_t rsp)
{
	uint32_t n = 0;
	while (n < DTL_HIT_STACK_MAX) {
		uintptr_t at = rsp + n;
		dune_pte_t *pte;
		if (dune_vm_lookup(dune_pgroot(), at, false, &pte, NULL) ||
		    (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			break;
		uint32_t chunk = (uint32_t)(DUNE_PAGE_SIZE - (at & (DUNE_PAGE_SIZE - 1)));
		n += chunk < DTL_HIT_STACK_MAX - n ? chunk : DTL_HIT_STACK_MAX - n;
	}
	return n;
}

static void put_stack(struct dtl_hit_stack *k, const struct dune_tf *tf, uint32_t len)
{
	/* the DWARF numbering of x86-64's registers (System V psABI 3.6.2) */
	const uint64_t regs[DTL_HIT_REGS] = {tf->rax, tf->rdx, tf->rcx, tf->rbx, tf->rsi, tf->rdi,
	                                     tf->rbp, tf->rsp, tf->r8,  tf->r9,  tf->r10, tf->r11,
	                                     tf->r12, tf->r13, tf->r14, tf->r15, tf->rip};
	memcpy(k->regs, regs, sizeof(regs));
	k->len = len;
	k->reserved = 0;
	memcpy(k + 1, (const void *)tf->rsp, len);
}

static void on_first_touch(uintptr_t addr, uint64_t fec, const struct dune_tf *tf, void *arg)
{
	(void)arg;
	/* Ring 0's own touches are not recorded: its code runs from the
	 * program's libc and reads the clock through [vvar], and the tools
	 * read the program's memory (a call's buffer, an instruction) in the
	 * middle of writing a record of their own, where a record of ours
	 * could wait for room behind theirs for ever. */
	if (!(fec & PF_ERR_U))
		return;
	uint32_t id = mapping_of(addr, tf->rsp, dune_vcpu_tid());
	uint32_t stack = with_stacks ? stack_len(tf->rsp) : 0;
	size_t extra = with_stacks ? sizeof(struct dtl_hit_stack) + stack : 0;
	uint32_t size = dtl_rec_align(sizeof(struct dtl_rec_page_fault) + extra);
	struct dtl_capture_claim c;
	struct dtl_rec_page_fault *r =
	    (struct dtl_rec_page_fault *)dtl_capture_claim(&c, size, true);
	if (!r)
		return;
	r->addr = addr;
	r->rip = tf->rip;
	r->error_code = (uint32_t)fec;
	r->mapping_id = id;
	if (extra)
		put_stack((struct dtl_hit_stack *)(r + 1), tf, stack);
	memset((char *)(r + 1) + extra, 0, size - sizeof(*r) - extra);
	dtl_capture_publish(&c, DTL_REC_PAGE_FAULT, size);
}

/* ---- the monitor side: an access scan ---- */

/* The mapping of @addr for a scan (the monitor: described here at once if
 * it is new) and where it ends; UINT32_MAX and the page's end when the
 * address is in no mapping any more. */
static uint32_t scan_mapping(uintptr_t addr, uintptr_t *hi)
{
	uint32_t id = UINT32_MAX;
	*hi = (addr | 4095) + 1;
	dune_spin_lock(&maps_lock);
	struct known_map *m = known(addr);
	if (!m) {
		struct describe_out out;
		uint64_t args[6] = {addr, 0, 0, (uint64_t)&out, 0, 0};
		if (describe(args, NULL) == 0)
			m = remember(&out, false);
	}
	if (m) {
		id = m->id;
		*hi = m->hi;
	}
	dune_spin_unlock(&maps_lock);
	return id;
}

static struct dtl_scan_run scan_runs[DTL_SCAN_RUNS_MAX];

static void emit_scan(const struct dune_access_scan_info *s, uint32_t n, bool last)
{
	uint32_t size =
	    dtl_rec_align(sizeof(struct dtl_rec_access_scan) + n * sizeof(scan_runs[0]));
	struct dtl_capture_claim c;
	struct dtl_rec_access_scan *r =
	    (struct dtl_rec_access_scan *)dtl_capture_claim(&c, size, false);
	if (!r)
		return;
	r->hdr.time_ns = s->end_ns;
	r->start_ns = s->start_ns;
	r->walked = last ? s->walked : 0;
	r->dropped = last ? s->dropped : 0;
	r->took_ns = last ? (uint32_t)(s->took_ns > UINT32_MAX ? UINT32_MAX : s->took_ns) : 0;
	r->seq = s->seq;
	r->nruns = n;
	r->flags = last ? DTL_SCAN_LAST : 0;
	memcpy(r->runs, scan_runs, n * sizeof(scan_runs[0]));
	dtl_capture_publish(&c, DTL_REC_ACCESS_SCAN, size);
}

static void on_scan(const struct dune_access_scan_info *s, void *arg)
{
	uint32_t n = 0;
	(void)arg;
	for (size_t i = 0; i < s->nruns; i++) {
		uintptr_t va = s->runs[i].va, end = va + s->runs[i].pages * 4096;
		while (va < end) {
			uintptr_t hi;
			uint32_t id = scan_mapping(va, &hi);
			if (hi > end || hi <= va)
				hi = end;
			if (n == DTL_SCAN_RUNS_MAX) {
				emit_scan(s, n, false);
				n = 0;
			}
			scan_runs[n++] =
			    (struct dtl_scan_run){.addr = va,
			                          .mapping_id = id,
			                          .pages = (uint32_t)((hi - va) / 4096) |
			                                   (s->runs[i].dirty ? DTL_SCAN_DIRTY : 0)};
			va = hi;
		}
	}
	emit_scan(s, n, true);
}

/* Memory unmapped or moved: its mappings are not the ones described. */
static void on_syscall_exit(struct dune_tf *tf, long nr, void *arg)
{
	(void)arg;
	long ret = dune_syscall_exit_result(tf);
	uintptr_t lo = tf->rdi, len = tf->rsi;
	switch (nr) {
	case __NR_munmap:
	case __NR_mremap:
	case __NR_brk:
		break;
	case __NR_mmap:
		if (!(tf->r10 & MAP_FIXED))
			return;
		break;
	default:
		return;
	}
	if (ret < 0 && ret > -4096)
		return;
	if (nr == __NR_brk) {
		/* the heap grew or shrank: what it was is described again
		 * when touched (the break before: the heap's end as known) */
		static uintptr_t last_brk;
		uintptr_t now = (uintptr_t)ret, old = last_brk ? last_brk : now;
		last_brk = now;
		lo = (old < now ? old : now) - 1;
		len = (old > now ? old : now) - lo;
		if (old == now)
			return;
	}
	dune_spin_lock(&maps_lock);
	forget(lo & ~(uintptr_t)4095, lo + len);
	if (nr == __NR_mremap) /* where it went */
		forget((uintptr_t)ret, (uintptr_t)ret + tf->rdx);
	dune_spin_unlock(&maps_lock);
}

static void on_vcpu_create(enum dune_vcpu_start how, void *arg)
{
	(void)arg;
	if (how != DUNE_VCPU_FORK)
		return;
	/* a new process: its mappings are described under its own id */
	maps_lock = (dune_spinlock_t)DUNE_SPINLOCK_INIT;
	nmaps = 0;
	next_id = 0;
}

int dtl_pf_engine_start(void)
{
	if (dune_hook_first_touch(DTL_PF_PRIO, on_first_touch, NULL) < 0 ||
	    dune_hook_syscall_exit(DTL_PF_PRIO, on_syscall_exit, NULL) < 0 ||
	    dune_hook_vcpu_create(DTL_PF_PRIO, on_vcpu_create, NULL) < 0)
		return -1;
	return 0;
}

bool dtl_pf_runtime_init(const struct dtl_ring *ring, size_t mapped)
{
	size_t len;
	const char *config = dtl_ring_config(ring, mapped, &len);
	if (!config || !dtl_config_flag(config, len, DTL_PF_KEY))
		return false;
	with_stacks = dtl_config_flag(config, len, DTL_PF_BT_KEY);
	uint64_t scan_ns = 0;
	if (dtl_config_value(config, len, DTL_PF_SCAN_KEY, &scan_ns) && scan_ns &&
	    dune_access_scan_enable(scan_ns, on_scan, NULL) < 0)
		fprintf(stderr, "dtrace-lite: --access-scan: cannot set up the scan\n");
	describe_call = dune_tool_hostcall_register(describe, NULL);
	if (describe_call < 0 || dune_first_touch_enable() < 0) {
		/* said in the program's stderr, as the other tools' failures */
		fprintf(stderr, "dtrace-lite: --pf: cannot set up first-touch mode\n");
		return false;
	}
	return true;
}
