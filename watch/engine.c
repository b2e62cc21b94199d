// SPDX-License-Identifier: MIT
/*
 * Page-protection watchpoints in ring 0 (dtl/watch_engine.h).
 *
 * The trap flag makes the CPU raise #DB after the next instruction
 * completes (SDM Vol. 3B 18.3.1.4); for a rep string instruction after
 * each iteration, with RIP still on the instruction until the last one.
 * While a step is under way the program's IF is cleared, so that libdune
 * does not inject a signal into the middle of it (it waits for an
 * interrupt window, monitor/signal.c); both flags are given back at the
 * #DB.
 */
#include <dtl/capture.h>
#include <dtl/catalogue.h>
#include <dtl/event.h>
#include <dtl/watch_engine.h>
#include <dtl/watch_live.h>
#include <dtl/watch_spec.h>

#include "engine_private.h"

#define CLONE_NEW_THREAD 0x00010000 /* CLONE_THREAD (linux/sched.h) */

#include <dune/debugreg.h>
#include <dune/hook.h>
#include <dune/layout.h>
#include <dune/spinlock.h>
#include <dune/vm.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

struct watch watches[DTL_WATCH_MAX];
int nwatches;
volatile int arming_pending;
dune_spinlock_t arm_lock = DUNE_SPINLOCK_INIT;
static int overlay_tool = -1;

/* The debug registers every vCPU loads: DR7, DR0-DR3, and a generation
 * a vCPU compares with the one it loaded. */
static int slot_watch[X86_DR_COUNT] = {-1, -1, -1, -1};
static uint8_t slots_used; /* ever ours: a vCPU may still hold a freed one */
static uint64_t hw_dr7, hw_addr[X86_DR_COUNT];
static volatile uint32_t hw_generation;

static long step_offset = -1;

/* One step at a time in the process: the owner's thread id, or 0. */
static volatile int step_owner;

struct step *this_step(void)
{
	return dune_vcpu_tool_data(step_offset);
}

/* ---- the lock ---- */

/* Spin; now and then let the host run the owner, and take the lock from
 * an owner that was killed in the middle of its step. */
static void step_lock(void)
{
	int me = dune_vcpu_tid(), pid = dune_vcpu_pid();
	for (unsigned spins = 0;; spins++) {
		int owner = __atomic_load_n(&step_owner, __ATOMIC_RELAXED);
		if (!owner && __atomic_compare_exchange_n(&step_owner, &owner, me, false,
		                                          __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		if (spins % 256 != 255) {
			__builtin_ia32_pause();
			continue;
		}
		if (owner && dune_syscall6(SYS_tgkill, pid, owner, 0, 0, 0, 0) == -ESRCH)
			__atomic_compare_exchange_n(&step_owner, &owner, 0, false, __ATOMIC_RELAXED,
			                            __ATOMIC_RELAXED);
		else
			dune_syscall6(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	}
}

static void step_unlock(void)
{
	__atomic_store_n(&step_owner, 0, __ATOMIC_RELEASE);
}

/* ---- arming ---- */

static int deny_for(uint8_t access)
{
	return access & DTL_ACCESS_READ ? DUNE_DENY_ACCESS : DUNE_DENY_WRITE;
}

static void on_overlay_gone(uintptr_t va, size_t len, enum dune_overlay_event ev, uintptr_t new_va,
                            void *arg);

/* *EXPR: where the pointer at @addr points now; 0 when it is NULL or
 * cannot be read. */
static uintptr_t pointee(uintptr_t addr)
{
	uint64_t p = 0, hash;
	if (!dune_entered())
		memcpy(&p, (const void *)addr, sizeof(p)); /* the runtime's init */
	else if (!read_program(addr, sizeof(p), (uint8_t *)&p, sizeof(p), &hash))
		p = 0;
	return (uintptr_t)p;
}

int dtl_watch_arm(const struct dtl_watch_spec *spec, uintptr_t addr)
{
	if (spec->local)
		return local_add(spec, addr);
	if (spec->deref) {
		uintptr_t to = pointee(addr);
		if (!to) {
			struct watch w = {.id = spec->id, .lo = addr, .hi = addr + 8};
			emit_state(&w, -ENXIO, dune_entered());
			return -ENXIO;
		}
		addr = to;
	}
	size_t len = spec->len;
	uint8_t access = spec->access;
	struct watch w = {.id = spec->id,
	                  .access = access,
	                  .want = spec->how,
	                  .cond_op = spec->cond_op,
	                  .cond_signed = spec->cond_signed,
	                  .cond_value = spec->cond_value,
	                  .lo = addr,
	                  .hi = addr + len};
	if (!len || addr + len < addr || addr + len > DUNE_USER_VA_END ||
	    !(access & (DTL_ACCESS_READ | DTL_ACCESS_WRITE))) {
		emit_state(&w, -EINVAL, dune_entered());
		return -EINVAL;
	}
	/* one writer at a time: an activation may take a slot meanwhile */
	dune_spin_lock(&arm_lock);
	bool full = nwatches >= DTL_WATCH_MAX;
	if (!full) {
		w.state = PENDING;
		watches[nwatches] = w;
		__atomic_store_n(&nwatches, nwatches + 1, __ATOMIC_RELEASE);
		__atomic_store_n(&arming_pending, 1, __ATOMIC_RELEASE);
	}
	dune_spin_unlock(&arm_lock);
	if (full) {
		emit_state(&w, -ENOSPC, dune_entered());
		return -ENOSPC;
	}
	return 0;
}

void dtl_watch_unresolved(uint32_t id, int error)
{
	struct watch w = {.id = id};
	emit_state(&w, error, dune_entered());
}

/* Can a debug register watch @w (SDM Vol. 3B 18.2.5: 1, 2, 4 or 8 bytes,
 * aligned to their size; writes, or reads and writes together)? 0, or why
 * not. */
static int hw_fits(const struct watch *w, int *slot)
{
	size_t len = w->hi - w->lo;
	if (!dune_has_capability(DUNE_CAP_HW_DATA_WATCHPOINTS))
		return -ENODEV;
	if (w->access == DTL_ACCESS_READ)
		return -EPROTO;
	if ((len != 1 && len != 2 && len != 4 && len != 8) || (w->lo & (len - 1)))
		return -E2BIG;
	for (int i = 0; i < X86_DR_COUNT; i++)
		if (slot_watch[i] < 0) {
			*slot = i;
			return 0;
		}
	return -EBUSY;
}

static int arm_hw(struct watch *w, int index, int slot)
{
	uint64_t dr7;
	enum dune_x86_dr_kind kind = w->access == DTL_ACCESS_WRITE ? DUNE_DR_WRITE : DUNE_DR_RW;
	if (!dune_x86_dr7_set(hw_dr7, slot, kind, (int)(w->hi - w->lo), &dr7))
		return -E2BIG;
	w->shadow = 0;
	/* the value it starts from (ring 0 reads the program's memory; a
	 * page not yet in the guest is mapped by libdune's #PF path) */
	memcpy(&w->shadow, (const void *)w->lo, w->hi - w->lo);
	w->slot = slot;
	w->how = DTL_WATCH_HW;
	slot_watch[slot] = index;
	slots_used |= (uint8_t)(1u << slot);
	hw_addr[slot] = w->lo;
	hw_dr7 = dr7;
	__atomic_add_fetch(&hw_generation, 1, __ATOMIC_RELEASE);
	return 0;
}

/* The overlay tool id, made on first need (or the error). */
static int page_tool(void)
{
	if (overlay_tool < 0)
		overlay_tool = dune_overlay_tool(on_overlay_gone, NULL);
	return overlay_tool;
}

/* How watches[@i] (pending) gets armed: by a debug register where one fits
 * (cheaper: no fault for the page's other bytes) unless the page path was
 * asked for — armed and live, 0; else by page protection — live and in
 * the index, its pages still to restrict, NEEDS_PAGES; or not at all —
 * dead, the error. Live and indexed before the pages are restricted: a
 * fault on them from another thread must find it, or it would be the
 * program's SIGSEGV. Under arm_lock, in ring 0. */
#define NEEDS_PAGES 1
static int arm_choose(int i)
{
	struct watch *w = &watches[i];
	int slot = -1, r = w->want == DTL_WATCH_PAGE ? -1 : hw_fits(w, &slot);
	if (r == 0)
		r = arm_hw(w, i, slot);
	if (r && (w->want == DTL_WATCH_HW || page_tool() < 0)) {
		if (w->want != DTL_WATCH_HW)
			r = overlay_tool; /* no overlay to be had */
		__atomic_store_n(&w->state, DEAD, __ATOMIC_RELEASE);
		return r;
	}
	if (r)
		w->how = DTL_WATCH_PAGE;
	index_add(i);
	__atomic_store_n(&w->state, LIVE, __ATOMIC_RELEASE);
	return r ? NEEDS_PAGES : 0;
}

/* The pages of watches[@i], which arm_choose left NEEDS_PAGES, restricted
 * alone; dead if they cannot be. */
static int restrict_pages(int i)
{
	struct watch *w = &watches[i];
	int r = dune_overlay_restrict(overlay_tool, w->lo, w->hi - w->lo, deny_for(w->access));
	if (r) {
		__atomic_store_n(&w->state, DEAD, __ATOMIC_RELEASE);
		index_remove(i);
	}
	return r;
}

int arm_one(int i)
{
	int r = arm_choose(i);
	return r == NEEDS_PAGES ? restrict_pages(i) : r;
}

/*
 * Page watchpoints pending on adjacent or shared pages with the same
 * restriction are restricted together, one host call for the run (an
 * array of thousands arms in one); each is live and indexed before.
 */
struct page_run {
	int first; /* the run's first watchpoint, -1 for none */
	uintptr_t lo, hi;
	int deny;
};

static void run_flush(struct page_run *run, int end)
{
	if (run->first < 0)
		return;
	int r = dune_overlay_restrict(overlay_tool, run->lo, run->hi - run->lo, run->deny);
	for (int j = run->first; j < end; j++) {
		struct watch *w = &watches[j];
		if (!w->in_run)
			continue;
		w->in_run = false;
		/* the run refused (a page of it the runtime's, say): one by one */
		emit_state(w, r ? restrict_pages(j) : 0, true);
	}
	run->first = -1;
}

/* Ring 0: arm what is pending (arm_choose's choice, the page path in runs). */
static void arm_pending(void)
{
	dune_spin_lock(&arm_lock);
	if (__atomic_exchange_n(&arming_pending, 0, __ATOMIC_ACQ_REL)) {
		int n = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);
		struct page_run run = {.first = -1};
		for (int i = 0; i < n; i++) {
			struct watch *w = &watches[i];
			if (w->state != PENDING || w->local_of)
				continue;
			int r = arm_choose(i);
			if (r != NEEDS_PAGES) {
				emit_state(w, r, true);
				continue;
			}
			w->in_run = true;
			uintptr_t lo = PAGE_OF(w->lo), hi = PAGE_OF(w->hi - 1) + DUNE_PAGE_SIZE;
			int deny = deny_for(w->access);
			if (run.first >= 0 && (deny != run.deny || lo > run.hi || hi < run.lo))
				run_flush(&run, i);
			if (run.first < 0) {
				run =
				    (struct page_run){.first = i, .lo = lo, .hi = hi, .deny = deny};
			} else {
				run.lo = lo < run.lo ? lo : run.lo;
				run.hi = hi > run.hi ? hi : run.hi;
			}
		}
		run_flush(&run, n);
		arm_locals();
	}
	dune_spin_unlock(&arm_lock);
}

/* This vCPU's debug registers as the engine wants them. */
void load_debug_registers(struct step *st)
{
	uint32_t gen = __atomic_load_n(&hw_generation, __ATOMIC_ACQUIRE);
	if (st->dr_generation == gen)
		return;
	for (int i = 0; i < X86_DR_COUNT; i++)
		if (slot_watch[i] >= 0)
			dune_x86_write_dr(i, hw_addr[i]);
	dune_x86_write_dr(7, hw_dr7);
	st->dr_generation = gen;
}

static bool page_watched(uintptr_t page)
{
	int one;
	return watches_in(page, page + DUNE_PAGE_SIZE, DTL_WATCH_PAGE, &one, 1) > 0;
}

/* The watchpoint's condition on its value as it is now (@bytes, its
 * first bytes: a condition's value is at most 8). */
bool cond_holds(const struct watch *w, const uint8_t *bytes)
{
	return dtl_watch_cond_holds(w->cond_op, w->cond_signed, w->cond_value, bytes,
	                            w->hi - w->lo);
}

/* ---- records ---- */

void emit_state(const struct watch *w, int error, bool ring0)
{
	struct dtl_capture_claim c;
	struct dtl_rec_watch_state *s =
	    (struct dtl_rec_watch_state *)dtl_capture_claim(&c, sizeof(*s), ring0);
	if (!s)
		return;
	s->addr = w->lo;
	s->len = w->hi - w->lo;
	s->watch_id = w->id;
	s->error = error;
	s->how = error && w->want ? w->want : w->how;
	s->slot = w->how == DTL_WATCH_HW ? (uint32_t)w->slot : 0;
	dtl_capture_publish(&c, DTL_REC_WATCH_STATE, sizeof(*s));
}

/* The program unmapped (or moved) watched memory: those watchpoints end. */
static void on_overlay_gone(uintptr_t va, size_t len, enum dune_overlay_event ev, uintptr_t new_va,
                            void *arg)
{
	(void)ev;
	(void)new_va;
	(void)arg;
	int n = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++) {
		struct watch *w = &watches[i];
		if (w->state == LIVE && w->how == DTL_WATCH_PAGE && w->lo < va + len &&
		    w->hi > va) {
			w->state = DEAD;
			emit_state(w, -EFAULT, false);
		}
	}
}

/* --watch-bt: each hit carries the registers and the top of the stack */
static bool capture_stack;

void dtl_watch_set_backtraces(bool on)
{
	capture_stack = on;
}

/* Bytes of the stack from @tf's rsp that ring 3 can read, up to the limit. */
static uint32_t stack_len(const struct dune_tf *tf)
{
	uint32_t n = 0;
	while (n < DTL_HIT_STACK_MAX) {
		uintptr_t at = tf->rsp + n;
		uint32_t chunk = (uint32_t)(DUNE_PAGE_SIZE - (at & (DUNE_PAGE_SIZE - 1)));
		if (chunk > DTL_HIT_STACK_MAX - n)
			chunk = DTL_HIT_STACK_MAX - n;
		if (!dune_vm_user_accessible(dune_pgroot(), at, chunk, false))
			break;
		n += chunk;
	}
	return n;
}

/*
 * A hit into the ring: @proto's fields (not its header, which is the
 * claim's), @len bytes of @old and then of @now, and with --watch-bt the
 * registers of @tf and its stack for the front-end's unwinder.
 */
void publish_hit(const struct dtl_rec_watch_hit *proto, const void *old, const void *now,
                 uint16_t len, const struct dune_tf *tf)
{
	uint32_t stack = capture_stack ? stack_len(tf) : 0;
	size_t fixed = sizeof(*proto) + 2u * len;
	size_t extra = capture_stack ? sizeof(struct dtl_hit_stack) + stack : 0;
	uint32_t size = dtl_rec_align(fixed + extra);
	struct dtl_capture_claim c;
	struct dtl_rec_watch_hit *h = (struct dtl_rec_watch_hit *)dtl_capture_claim(&c, size, true);
	if (!h)
		return;
	memcpy((char *)h + sizeof(h->hdr), (const char *)proto + sizeof(proto->hdr),
	       sizeof(*h) - sizeof(h->hdr));
	h->value_len = len;
	memcpy(h->data, old, len);
	memcpy(h->data + len, now, len);
	if (capture_stack) {
		struct dtl_hit_stack *k = (struct dtl_hit_stack *)(h->data + 2u * len);
		/* the DWARF numbering of x86-64's registers (System V psABI
		 * 3.6.2): rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then rip */
		const uint64_t regs[DTL_HIT_REGS] = {
		    tf->rax, tf->rdx, tf->rcx, tf->rbx, tf->rsi, tf->rdi, tf->rbp, tf->rsp, tf->r8,
		    tf->r9,  tf->r10, tf->r11, tf->r12, tf->r13, tf->r14, tf->r15, tf->rip};
		memcpy(k->regs, regs, sizeof(regs));
		k->len = stack;
		k->reserved = 0;
		memcpy(k + 1, (const void *)tf->rsp, stack);
		h->flags |= DTL_HIT_STACK;
	}
	memset((char *)h + fixed + extra, 0, size - fixed - extra);
	dtl_capture_publish(&c, DTL_REC_WATCH_HIT, size);
}

static void emit_hit(const struct step *st, const struct snap *s, const struct watch *w,
                     uint8_t access, uint8_t flags, const struct dune_tf *tf)
{
	struct dtl_rec_watch_hit h = {
	    .addr = s->fault_at,
	    .rip = st->rip,
	    .value_addr = s->at,
	    .watch_id = w->id,
	    .reps = st->reps + 1,
	    .access = access,
	    .flags = flags | (st->reps ? DTL_HIT_REPEATED : 0),
	    .insn_len = st->insn_len,
	};
	memcpy(h.insn, st->insn, sizeof(h.insn));
	publish_hit(&h, s->old, (const void *)s->at, s->len, tf);
}

/* ---- the step ---- */

/* Legacy and REX prefixes, then the opcode (SDM Vol. 2A 2.1.1): is it a
 * rep string instruction, or pushf? */
static void classify(struct step *st)
{
	bool rep = false;
	int i = 0;
	for (; i < st->insn_len; i++) {
		uint8_t b = st->insn[i];
		if (b == 0xf2 || b == 0xf3)
			rep = true;
		else if (!(b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 ||
		           b == 0x65 || b == 0x66 || b == 0x67 || b == 0xf0 || (b & 0xf0) == 0x40))
			break;
	}
	uint8_t op = i < st->insn_len ? st->insn[i] : 0;
	st->rep = rep && ((op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf) ||
	                  (op >= 0x6c && op <= 0x6f));
	st->pushf = op == 0x9c;
}

static void copy_insn(struct step *st, uint64_t rip)
{
	size_t n = 0;
	while (n < DTL_HIT_INSN_MAX) {
		uintptr_t at = rip + n;
		size_t chunk = DUNE_PAGE_SIZE - (at & (DUNE_PAGE_SIZE - 1));
		if (chunk > DTL_HIT_INSN_MAX - n)
			chunk = DTL_HIT_INSN_MAX - n;
		if (!dune_vm_user_accessible(dune_pgroot(), at, chunk, false))
			break;
		memcpy(st->insn + n, (const void *)at, chunk);
		n += chunk;
	}
	memset(st->insn + n, 0, sizeof(st->insn) - n);
	st->insn_len = (uint8_t)n;
}

void begin(struct step *st, uint64_t fec, struct dune_tf *tf)
{
	step_lock();
	st->active = true;
	st->over_breakpoint = false;
	st->write = fec & PF_ERR_W;
	st->fetch = fec & PF_ERR_ID;
	st->rip = tf->rip;
	st->reps = 0;
	st->npages = st->nsnaps = 0;
	st->saved_flags = tf->rflags & (RFLAGS_TF | RFLAGS_IF);
	copy_insn(st, tf->rip);
	classify(st);
	tf->rflags = (tf->rflags | RFLAGS_TF) & ~RFLAGS_IF;
}

/* How far watchpoint @i is from @at. */
static uintptr_t distance(int i, uintptr_t at)
{
	const struct watch *w = &watches[i];
	return at < w->lo ? w->lo - at : at >= w->hi ? at - w->hi + 1 : 0;
}

/* The bytes of the watchpoints on @page (open in the view) before the
 * access: the nearest to it, where more are on the page than a step
 * compares. */
static void snapshot(struct step *st, uintptr_t page, uintptr_t fault_at)
{
	/* those an access at @fault_at can reach first, nearest first */
	int on[128], more[SNAPS];
	uintptr_t near_lo = fault_at - page > REACH ? fault_at - REACH : page;
	uintptr_t near_hi =
	    page + DUNE_PAGE_SIZE - fault_at > REACH ? fault_at + REACH : page + DUNE_PAGE_SIZE;
	int n = watches_in(near_lo, near_hi, DTL_WATCH_PAGE, on, 128);
	int room = SNAPS - st->nsnaps;
	for (int a = 1; a < n; a++)
		for (int b = a; b > 0 && distance(on[b - 1], fault_at) > distance(on[b], fault_at);
		     b--) {
			int t = on[b];
			on[b] = on[b - 1];
			on[b - 1] = t;
		}
	if (n > room)
		n = room;
	/* then the page's others (a rep string instruction goes on) */
	int nmore =
	    n < room ? watches_in(page, page + DUNE_PAGE_SIZE, DTL_WATCH_PAGE, more, SNAPS) : 0;
	for (int k = 0; k < nmore && n < room; k++)
		n = add_unique(on, n, room, more[k]);
	for (int k = 0; k < n; k++) {
		const struct watch *w = &watches[on[k]];
		uintptr_t lo = w->lo > page ? w->lo : page;
		uintptr_t hi = w->hi < page + DUNE_PAGE_SIZE ? w->hi : page + DUNE_PAGE_SIZE;
		/* a larger range: the bytes around the access */
		if (hi - lo > DTL_HIT_VALUE_MAX) {
			uintptr_t at = fault_at & ~(uintptr_t)7;
			if (at < lo)
				at = lo;
			if (at > hi - DTL_HIT_VALUE_MAX)
				at = hi - DTL_HIT_VALUE_MAX;
			lo = at;
			hi = at + DTL_HIT_VALUE_MAX;
		}
		struct snap *s = &st->snap[st->nsnaps++];
		s->w = on[k];
		s->fault_at = fault_at;
		s->at = lo;
		s->len = (uint16_t)(hi - lo);
		memcpy(s->old, (const void *)lo, s->len);
	}
}

/* Compare, record, close the view and give the flags back. */
static void finish(struct step *st, struct dune_tf *tf)
{
	uint8_t access = st->write   ? DTL_ACCESS_WRITE
	                 : st->fetch ? DTL_ACCESS_EXEC
	                             : DTL_ACCESS_READ;

	for (int i = 0; i < st->nsnaps; i++) {
		const struct snap *s = &st->snap[i];
		struct watch *w = &watches[s->w];
		bool changed = memcmp(s->old, (const void *)s->at, s->len) != 0;
		bool inside = s->fault_at >= w->lo && s->fault_at < w->hi;
		bool near = !inside && s->fault_at < w->lo && s->fault_at + REACH > w->lo;
		if (access == DTL_ACCESS_WRITE && (changed || inside || near))
			__atomic_add_fetch(&w->user_writes, 1, __ATOMIC_RELEASE);
		if (!(w->access & access))
			continue; /* a write to a read watchpoint's page, say */
		if (!inside && !near && !(changed && access == DTL_ACCESS_WRITE)) {
			__atomic_add_fetch(&w->misses, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (w->cond_op && !cond_holds(w, (const uint8_t *)w->lo))
			continue;
		uint8_t flags = changed ? DTL_HIT_CHANGED : 0;
		if (!inside && !changed)
			flags |= DTL_HIT_OVERLAP_UNSURE;
		__atomic_add_fetch(&w->hits, 1, __ATOMIC_RELAXED);
		emit_hit(st, s, w, access, flags, tf);
	}
	/* pushf stored our flags: give the program its own (the stack page
	 * may be one of the view's, so before the view closes) */
	if (st->pushf && dune_vm_user_accessible(dune_pgroot(), tf->rsp, 8, false)) {
		uint64_t *slot = (uint64_t *)tf->rsp;
		*slot = (*slot & ~(RFLAGS_TF | RFLAGS_IF)) | st->saved_flags;
	}
	dune_private_view_end();
	tf->rflags = (tf->rflags & ~(RFLAGS_TF | RFLAGS_IF)) | st->saved_flags;
	st->active = false;
	step_unlock();
}

/* A fault the view does not explain (the program's own: a write to its
 * read-only page that is also watched): end the step without a hit, and let
 * libdune deliver what the kernel would. */
static void abandon(struct step *st, struct dune_tf *tf)
{
	st->nsnaps = 0;
	st->pushf = false; /* it did not run: nothing of ours on the stack */
	finish(st, tf);
}

static enum dune_hook_result on_pgflt(uintptr_t addr, uint64_t fec, struct dune_tf *tf, void *arg)
{
	(void)arg;
	if (!(fec & PF_ERR_U) || !dune_tf_from_user(tf) || addr >= DUNE_USER_VA_END)
		return DUNE_HOOK_PASS;
	uintptr_t page = PAGE_OF(addr);
	if (!page_watched(page))
		return DUNE_HOOK_PASS;
	struct step *st = this_step();
	if (st->active) {
		for (int i = 0; i < st->npages; i++)
			if (st->page[i] == page) {
				abandon(st, tf);
				return DUNE_HOOK_PASS;
			}
		/* stepping over a breakpoint: the access is this fault's */
		if (st->over_breakpoint && !st->nsnaps) {
			st->write = fec & PF_ERR_W;
			st->fetch = fec & PF_ERR_ID;
		}
		/* an instruction that touches more watched pages than the view
		 * holds (a long rep movs): what it did so far is one hit; under
		 * a breakpoint, whose code is in the view, it cannot go on */
		if (st->npages == DUNE_PRIVATE_VIEW_PAGES && st->over_breakpoint) {
			abandon(st, tf);
			return DUNE_HOOK_PASS;
		}
		if (st->npages == DUNE_PRIVATE_VIEW_PAGES) {
			uint32_t reps = st->reps;
			finish(st, tf);
			begin(st, fec, tf);
			st->reps = reps;
		}
	} else {
		begin(st, fec, tf);
	}
	if (dune_private_view_lift(page) < 0) {
		abandon(st, tf);
		return DUNE_HOOK_PASS;
	}
	st->page[st->npages++] = page;
	snapshot(st, page, addr);
	return DUNE_HOOK_HANDLED;
}

/* A debug register's hit: the access is done, @tf is after it. The old
 * value is the one the last hit saw (one at a time, under the step lock):
 * writers that race show up in the order their traps are handled. */
static void hw_hit(struct watch *w, const struct dune_tf *tf)
{
	size_t len = w->hi - w->lo;
	uint64_t now = 0;

	step_lock();
	__atomic_add_fetch(&w->user_writes, 1, __ATOMIC_RELEASE);
	memcpy(&now, (const void *)w->lo, len);
	uint64_t old = w->shadow;
	w->shadow = now;
	if (w->cond_op && !cond_holds(w, (const uint8_t *)&now)) {
		step_unlock();
		return;
	}
	struct dtl_rec_watch_hit h = {
	    .addr = w->lo,
	    .rip = tf->rip,
	    .value_addr = w->lo,
	    .watch_id = w->id,
	    .reps = 1,
	    .access =
	        w->access == DTL_ACCESS_WRITE || old != now ? DTL_ACCESS_WRITE : DTL_ACCESS_READ,
	    .flags = DTL_HIT_TRAP_AFTER | (old != now ? DTL_HIT_CHANGED : 0),
	};
	/* the bytes before @rip: the front-end finds the instruction */
	uintptr_t from = tf->rip - DTL_HIT_INSN_MAX;
	if (dune_vm_user_accessible(dune_pgroot(), from, DTL_HIT_INSN_MAX, false)) {
		memcpy(h.insn, (const void *)from, DTL_HIT_INSN_MAX);
		h.insn_len = DTL_HIT_INSN_MAX;
	}
	publish_hit(&h, &old, &now, (uint16_t)len, tf);
	__atomic_add_fetch(&w->hits, 1, __ATOMIC_RELAXED);
	step_unlock();
}

/* DR6's B0-B3 of our slots (SDM Vol. 3B 18.2.3): hits. Not read where no
 * debug register is in use (a DR access may exit to the host). */
static bool hw_hits(const struct dune_tf *tf)
{
	if (!slots_used)
		return false;
	uint64_t dr6 = dune_x86_read_dr(6);
	bool ours = false;
	for (int i = 0; i < X86_DR_COUNT; i++) {
		if (!(dr6 & X86_DR6_B(i)) || !(slots_used & (1u << i)))
			continue;
		ours = true;
		/* a slot freed while this vCPU still had it loaded: nothing */
		if (slot_watch[i] >= 0)
			hw_hit(&watches[slot_watch[i]], tf);
	}
	if (ours)
		load_debug_registers(this_step());
	/* the B bits are sticky: cleared for the next hit */
	if (dr6 & 0xf)
		dune_x86_write_dr(6, X86_DR6_INIT);
	return ours;
}

static enum dune_hook_result on_debug(struct dune_tf *tf, void *arg)
{
	struct step *st = this_step();

	(void)arg;
	if (!dune_tf_from_user(tf))
		return DUNE_HOOK_PASS;
	bool hw = hw_hits(tf);
	if (!st->active)
		return hw ? DUNE_HOOK_HANDLED : DUNE_HOOK_PASS;
	if (st->rep && tf->rip == st->rip) {
		st->reps++; /* the next iteration, still in the view */
		return DUNE_HOOK_HANDLED;
	}
	/*
	 * Not a rep instruction, yet rip has not moved: the single-step trap
	 * came before the instruction retired (under Bochs VT-x, nested, when
	 * the access is the first touch of a host page: the trap survives the
	 * EPT violation's exit and re-entry, even when run again in the
	 * view). Nothing happened: end the step without a hit; the access
	 * faults again and a new step runs it. (An instruction that retires
	 * onto itself loops forever: its accesses are not reported.)
	 */
	if (tf->rip == st->rip) {
		abandon(st, tf);
		return DUNE_HOOK_HANDLED;
	}
	bool traced = st->saved_flags & RFLAGS_TF;
	finish(st, tf);
	/* the program single-steps itself: its SIGTRAP, as natively */
	return traced ? DUNE_HOOK_PASS : DUNE_HOOK_HANDLED;
}

/* ---- changes while the program runs (dtl/watch_live.h) ---- */

static struct dtl_watch_mailbox *mailbox;
static uint32_t mailbox_seen;
static dune_spinlock_t mailbox_lock = DUNE_SPINLOCK_INIT;

void dtl_watch_use_mailbox(struct dtl_watch_mailbox *mb)
{
	mailbox = mb;
	mailbox_seen = mb ? mb->seq : 0;
}

/* Take @w's restriction or debug register away, then out of the index (a
 * fault on its pages meanwhile still finds it). Ring 0, under arm_lock. */
void disarm(struct watch *w)
{
	if (w->how == DTL_WATCH_HW) {
		slot_watch[w->slot] = -1;
		hw_dr7 = dune_x86_dr7_clear(hw_dr7, w->slot);
		__atomic_add_fetch(&hw_generation, 1, __ATOMIC_RELEASE);
		index_remove((int)(w - watches));
		return;
	}
	uintptr_t lo = PAGE_OF(w->lo), hi = PAGE_OF(w->hi + DUNE_PAGE_SIZE - 1);
	dune_overlay_lift(overlay_tool, lo, hi - lo);
	/* the other watchpoints on those pages keep theirs */
	int n = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++) {
		const struct watch *o = &watches[i];
		if (o != w && o->state == LIVE && o->how == DTL_WATCH_PAGE && o->lo < hi &&
		    o->hi > lo)
			dune_overlay_restrict(overlay_tool, o->lo, o->hi - o->lo,
			                      deny_for(o->access));
	}
	index_remove((int)(w - watches));
}

static struct watch *watch_by_id(uint32_t id)
{
	int n = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		if (watches[i].id == id && watches[i].state != DEAD && !watches[i].local_of)
			return &watches[i];
	return NULL;
}

static void apply(const struct dtl_watch_live_cmd *c)
{
	struct watch *w = c->op == DTL_LIVE_ARM ? NULL : watch_by_id(c->spec.id);
	switch (c->op) {
	case DTL_LIVE_ARM:
		dtl_watch_arm(&c->spec, (uintptr_t)c->addr);
		break;
	case DTL_LIVE_DELETE:
	case DTL_LIVE_DISABLE:
		if (local_command(c->op, c->spec.id) || !w)
			break;
		dune_spin_lock(&arm_lock);
		if (w->state == LIVE)
			disarm(w);
		dune_spin_unlock(&arm_lock);
		w->state = c->op == DTL_LIVE_DELETE ? DEAD : DISABLED;
		emit_state(w, -ECANCELED, true);
		break;
	case DTL_LIVE_ENABLE:
		if (local_command(c->op, c->spec.id))
			break;
		if (w && w->state == DISABLED) {
			w->state = PENDING;
			__atomic_store_n(&arming_pending, 1, __ATOMIC_RELEASE);
		}
		break;
	}
}

/* The commands this process has not seen yet, at a system call. */
static void poll_mailbox(void)
{
	dune_spin_lock(&mailbox_lock);
	uint32_t newest = __atomic_load_n(&mailbox->seq, __ATOMIC_ACQUIRE);
	int pid = dune_vcpu_pid();
	for (uint32_t q = mailbox_seen + 1; q != newest + 1; q++) {
		const struct dtl_watch_live_cmd *c = &mailbox->cmd[q % DTL_LIVE_SLOTS];
		if (__atomic_load_n(&c->seq, __ATOMIC_ACQUIRE) != q)
			continue; /* overwritten by a newer one: lost */
		if (!c->pid || c->pid == pid)
			apply(c);
	}
	mailbox_seen = newest;
	dune_spin_unlock(&mailbox_lock);
}

/* Our int3s: the engine's own (dtl_watch_engine_start: arm, and on), and
 * those of FUNC:LOCAL; any other is the program's. */
static uint64_t arm_trap_rip;

static enum dune_hook_result on_breakpoint(struct dune_tf *tf, void *arg)
{
	(void)arg;
	if (!dune_tf_from_user(tf))
		return DUNE_HOOK_PASS;
	if (arm_trap_rip && tf->rip == arm_trap_rip) {
		arm_pending();
		load_debug_registers(this_step());
		return DUNE_HOOK_HANDLED;
	}
	uintptr_t at = tf->rip - 1;
	if (is_local_breakpoint(at))
		return on_local_breakpoint(tf, at);
	return DUNE_HOOK_PASS;
}

/* Every call from ring 3: arm what the runtime recorded before the VM, keep
 * this vCPU's debug registers current, and keep the watched bytes for a
 * call that may write memory. */
static enum dune_hook_result on_syscall_entry(struct dune_tf *tf, void *arg)
{
	(void)arg;
	if (mailbox && __atomic_load_n(&mailbox->seq, __ATOMIC_ACQUIRE) != mailbox_seen)
		poll_mailbox();
	if (__atomic_load_n(&arming_pending, __ATOMIC_ACQUIRE))
		arm_pending();
	load_debug_registers(this_step());
	kcall_begin(tf);
	/* a new process (not a thread): its activations are this thread's */
	long nr = (long)tf->rax;
	uint64_t flags = 0, hash;
	if (nr == SYS_clone)
		flags = tf->rdi;
	else if (nr == SYS_clone3 && !read_program(tf->rdi, 8, (uint8_t *)&flags, 8, &hash))
		flags = CLONE_NEW_THREAD;
	if ((nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3) &&
	    !(flags & CLONE_NEW_THREAD))
		locals_note_fork(dune_vcpu_tid());
	return DUNE_HOOK_PASS;
}

/* The image ends (exit_group, execve): its counts into the trace, from
 * the monitor. */
static void emit_counts(void)
{
	int n = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++) {
		const struct watch *w = &watches[i];
		uint64_t beside = __atomic_load_n(&w->misses, __ATOMIC_RELAXED);
		if (w->state != LIVE || !beside)
			continue;
		struct dtl_capture_claim c;
		struct dtl_rec_watch_count *r =
		    (struct dtl_rec_watch_count *)dtl_capture_claim(&c, sizeof(*r), false);
		if (!r)
			return;
		r->watch_id = w->id;
		r->reserved = 0;
		r->hits = __atomic_load_n(&w->hits, __ATOMIC_RELAXED);
		r->beside = beside;
		dtl_capture_publish(&c, DTL_REC_WATCH_COUNT, sizeof(*r));
	}
}

static void on_vcpu_exit(bool process_exit, void *arg)
{
	(void)arg;
	if (process_exit)
		emit_counts();
	else
		locals_thread_ends();
}

static void on_exec(const char *path, void *arg)
{
	(void)path;
	(void)arg;
	emit_counts();
}

/* ---- images and new vCPUs ---- */

#define IMAGES_MAX 64
static struct {
	uintptr_t base;
	char path[256];
} images[IMAGES_MAX];
static int nimages;

static void emit_image(uintptr_t base, const char *path, bool ring0)
{
	struct dtl_capture_claim c;
	uint32_t len = (uint32_t)strlen(path);
	uint32_t size = dtl_rec_align(sizeof(struct dtl_rec_image) + len);
	struct dtl_rec_image *r = (struct dtl_rec_image *)dtl_capture_claim(&c, size, ring0);
	if (!r)
		return;
	r->base = base;
	r->path_len = len;
	r->reserved = 0;
	memcpy(r->path, path, len);
	memset(r->path + len, 0, size - sizeof(*r) - len);
	dtl_capture_publish(&c, DTL_REC_IMAGE, size);
}

void dtl_watch_note_image(uintptr_t base, const char *path)
{
	if (nimages < IMAGES_MAX && strlen(path) < sizeof(images[0].path)) {
		images[nimages].base = base;
		strcpy(images[nimages].path, path);
		nimages++;
	}
	emit_image(base, path, false);
}

static void on_vcpu_create(enum dune_vcpu_start how, void *arg)
{
	struct step *st = this_step();
	(void)arg;
	st->active = false; /* nothing of an earlier thread on this vCPU */
	kcall_reset();
	st->dr_generation = 0;
	load_debug_registers(st);
	if (how != DUNE_VCPU_FORK)
		return;
	/* a new process: the other threads (and their step) stayed behind,
	 * and its counts start from nothing */
	step_owner = 0;
	arm_lock = (dune_spinlock_t)DUNE_SPINLOCK_INIT;
	mailbox_lock = (dune_spinlock_t)DUNE_SPINLOCK_INIT;
	for (int i = 0; i < nwatches; i++)
		watches[i].hits = watches[i].misses = 0;
	locals_forked(dune_vcpu_tid());
	for (int i = 0; i < nimages; i++)
		emit_image(images[i].base, images[i].path, true);
}

int dtl_watch_engine_start(void)
{
	step_offset = dune_vcpu_tool_reserve(sizeof(struct step));
	if (step_offset < 0 || kcall_reserve() < 0)
		return -1;
	if (dune_hook_vcpu_create(DTL_WATCH_PRIO, on_vcpu_create, NULL) < 0 ||
	    dune_hook_vector(1, DTL_WATCH_PRIO, on_debug, NULL) < 0 ||
	    dune_hook_pgflt(DTL_WATCH_PRIO, on_pgflt, NULL) < 0 ||
	    dune_hook_syscall_entry(DTL_WATCH_PRIO, on_syscall_entry, NULL) < 0 ||
	    dune_hook_syscall_exit(DTL_WATCH_PRIO, kcall_end, NULL) < 0 ||
	    dune_hook_vcpu_exit(DTL_WATCH_PRIO, on_vcpu_exit, NULL) < 0 ||
	    dune_hook_exec(DTL_WATCH_PRIO, on_exec, NULL) < 0)
		return -1;
	/* Into ring 0 once, before the program's code runs: the watchpoints
	 * are armed there (the debug registers are ring 0's). By a breakpoint
	 * of our own, not a system call, which the trace would show as the
	 * program's. */
	if (dune_hook_vector(3, DTL_WATCH_PRIO, on_breakpoint, NULL) < 0)
		return -1;
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
	                 "mov %%rax, %0\n\t"
	                 "int3\n"
	                 "1:"
	                 : "=m"(arm_trap_rip)
	                 :
	                 : "rax", "memory");
	return 0;
}
