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

#include <dune/debugreg.h>
#include <dune/hook.h>
#include <dune/layout.h>
#include <dune/spinlock.h>
#include <dune/vm.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#define RFLAGS_TF  (1ULL << 8)
#define RFLAGS_IF  (1ULL << 9)
#define PAGE_OF(a) ((a) & ~(uintptr_t)(DUNE_PAGE_SIZE - 1))
/* An access that begins this far before a watched range may reach into it
 * (a 64-byte AVX-512 store); the operand size decides, in the front-end. */
#define REACH      64

enum watch_state { PENDING, LIVE, DEAD, DISABLED };

struct watch {
	uint32_t id;
	uint8_t access;
	uint8_t want; /* 0, DTL_WATCH_PAGE, DTL_WATCH_HW: what the user asked */
	uint8_t how;  /* what it got */
	uint8_t state;
	bool indexed;                 /* in page_index (else a bit of unindexed) */
	uint8_t cond_op, cond_signed; /* a hit only when the new value compares so */
	uint64_t cond_value;
	int slot;        /* DTL_WATCH_HW: DR0-DR3 */
	uint64_t shadow; /* DTL_WATCH_HW: the value at the last hit */
	uintptr_t lo, hi;
	uint64_t hits, misses;
	/* writes by the program's instructions seen so far, reported or not:
	 * a change around a system call that they explain is not the
	 * kernel's */
	uint64_t user_writes;
	/* FUNC:LOCAL: 1 + the index in locals[] of the local this is one
	 * activation's of (0: an ordinary watchpoint), the thread and the
	 * frame's CFA; a free slot's next */
	uint16_t local_of;
	int tid;
	uintptr_t cfa;
	int next_free;
};

static struct watch watches[DTL_WATCH_MAX];
static int nwatches;
static int overlay_tool = -1;

/* Watchpoints recorded before the VM (the runtime's init) are armed in
 * ring 0, where the platform's debug registers can be asked about. */
static volatile int arming_pending;
static dune_spinlock_t arm_lock = DUNE_SPINLOCK_INIT;

/* The debug registers every vCPU loads: DR7, DR0-DR3, and a generation
 * a vCPU compares with the one it loaded. */
static int slot_watch[X86_DR_COUNT] = {-1, -1, -1, -1};
static uint8_t slots_used; /* ever ours: a vCPU may still hold a freed one */
static uint64_t hw_dr7, hw_addr[X86_DR_COUNT];
static volatile uint32_t hw_generation;

/* Bytes of one watchpoint on one page, as they were before the access. */
struct snap {
	int w;
	uintptr_t fault_at; /* CR2 of the fault that opened the page */
	uintptr_t at;
	uint16_t len;
	uint8_t old[DTL_HIT_VALUE_MAX];
};

/* compared per step: the watchpoints nearest the access on its pages */
#define SNAPS 16

/* The step under way on this vCPU. */
struct step {
	uint32_t dr_generation; /* of the debug registers this vCPU loaded */
	bool active;
	bool over_breakpoint; /* the instruction under one of our int3s */
	bool write, fetch, rep, pushf;
	uint64_t rip;
	uint64_t saved_flags; /* the program's TF and IF */
	uint32_t reps;
	int npages, nsnaps;
	uintptr_t page[DUNE_PRIVATE_VIEW_PAGES];
	struct snap snap[SNAPS];
	uint8_t insn_len;
	uint8_t insn[16];
};

static long step_offset = -1;

/*
 * Writes by the kernel: the system calls of the program write its memory
 * through the host's mappings, where neither a guest page's protection nor
 * a debug register sees them. Around each call that may write memory (the
 * catalogue's output arguments), the bytes of every watchpoint are kept at
 * entry and compared at exit: the first DTL_HIT_VALUE_MAX of each, and a
 * hash of the rest.
 */
#define KCALL_WATCHES 32
struct kcall_snap {
	int w;
	uint16_t len;
	uint64_t user_writes; /* the watchpoint's, when the bytes were kept */
	uint64_t hash;
	uint8_t old[DTL_HIT_VALUE_MAX];
};
struct kcall {
	long nr;
	uint64_t rip;
	int n;
	struct kcall_snap snap[KCALL_WATCHES];
};
static long kcall_offset = -1;

/* One step at a time in the process: the owner's thread id, or 0. */
static volatile int step_owner;

static struct step *this_step(void)
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

/* ---- which watchpoints are where ---- */

/*
 * The #PF path and the kernel-write check ask which watchpoints are on a
 * page, with thousands of them armed: a hash of (page, watchpoint) pairs
 * for every page watchpoint of up to INDEX_SPAN pages, and a bitmap of the
 * others (debug registers, longer ranges, those the hash has no room for),
 * scanned whole. Written under arm_lock; read in ring 0 without a lock, so
 * an entry once written only ever becomes a tombstone, and readers check
 * the watchpoint's state.
 */
#define INDEX_SLOTS    (1u << 16)
#define INDEX_SPAN     16
#define KEY_EMPTY      0
#define KEY_GONE       1
#define KEY(page, i)   ((((uint64_t)(page) >> 12) << 16) | (uint64_t)(i))
#define KEY_PAGE(key)  ((uintptr_t)((key) >> 16) << 12)
#define KEY_WATCH(key) ((int)((key)&0xffff))
/* a range longer than this is compared with every watchpoint instead */
#define LOOKUP_PAGES   64

static uint64_t page_index[INDEX_SLOTS];
static unsigned index_used; /* entries and tombstones */
static uint64_t unindexed[DTL_WATCH_MAX / 64];

static unsigned slot_of(uintptr_t page)
{
	return (unsigned)(((page >> 12) * 0x9e3779b97f4a7c15ULL) >> 48) & (INDEX_SLOTS - 1);
}

static void index_add(int i)
{
	struct watch *w = &watches[i];
	uintptr_t lo = PAGE_OF(w->lo), hi = PAGE_OF(w->hi - 1) + DUNE_PAGE_SIZE;
	unsigned pages = (unsigned)((hi - lo) / DUNE_PAGE_SIZE);

	w->indexed = w->how == DTL_WATCH_PAGE && pages <= INDEX_SPAN &&
	             index_used + pages <= INDEX_SLOTS / 2;
	if (!w->indexed) {
		__atomic_or_fetch(&unindexed[i / 64], 1ULL << (i % 64), __ATOMIC_RELEASE);
		return;
	}
	for (uintptr_t p = lo; p < hi; p += DUNE_PAGE_SIZE) {
		unsigned s = slot_of(p);
		while (page_index[s] > KEY_GONE)
			s = (s + 1) & (INDEX_SLOTS - 1);
		if (page_index[s] == KEY_EMPTY)
			index_used++;
		__atomic_store_n(&page_index[s], KEY(p, i), __ATOMIC_RELEASE);
	}
}

static void index_remove(int i)
{
	struct watch *w = &watches[i];
	if (!w->indexed) {
		__atomic_and_fetch(&unindexed[i / 64], ~(1ULL << (i % 64)), __ATOMIC_RELEASE);
		return;
	}
	uintptr_t lo = PAGE_OF(w->lo), hi = PAGE_OF(w->hi - 1) + DUNE_PAGE_SIZE;
	for (uintptr_t p = lo; p < hi; p += DUNE_PAGE_SIZE)
		for (unsigned s = slot_of(p); page_index[s] != KEY_EMPTY;
		     s = (s + 1) & (INDEX_SLOTS - 1))
			if (page_index[s] == KEY(p, i)) {
				__atomic_store_n(&page_index[s], KEY_GONE, __ATOMIC_RELEASE);
				break;
			}
	w->indexed = false;
}

static bool live_in(int i, uintptr_t lo, uintptr_t hi, uint8_t how)
{
	const struct watch *w = &watches[i];
	return __atomic_load_n(&w->state, __ATOMIC_ACQUIRE) == LIVE && (!how || w->how == how) &&
	       w->lo < hi && w->hi > lo;
}

static int add_unique(int *out, int n, int max, int i)
{
	for (int k = 0; k < n; k++)
		if (out[k] == i)
			return n;
	if (n < max)
		out[n++] = i;
	return n;
}

/*
 * The live watchpoints (armed @how, 0 for any) that overlap [lo, hi), in
 * @out (room for @max), in the order they were armed: how many.
 */
static int watches_in(uintptr_t lo, uintptr_t hi, uint8_t how, int *out, int max)
{
	int n = 0, nw = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);

	if (hi - lo > (uintptr_t)LOOKUP_PAGES * DUNE_PAGE_SIZE) {
		for (int i = 0; i < nw && n < max; i++)
			if (live_in(i, lo, hi, how))
				out[n++] = i;
		return n;
	}
	for (uintptr_t p = PAGE_OF(lo); p < hi; p += DUNE_PAGE_SIZE)
		for (unsigned s = slot_of(p);; s = (s + 1) & (INDEX_SLOTS - 1)) {
			uint64_t key = __atomic_load_n(&page_index[s], __ATOMIC_ACQUIRE);
			if (key == KEY_EMPTY)
				break;
			if (key != KEY_GONE && KEY_PAGE(key) == p &&
			    live_in(KEY_WATCH(key), lo, hi, how))
				n = add_unique(out, n, max, KEY_WATCH(key));
		}
	for (int word = 0; word * 64 < nw; word++)
		for (uint64_t bits = __atomic_load_n(&unindexed[word], __ATOMIC_ACQUIRE); bits;
		     bits &= bits - 1) {
			int i = word * 64 + __builtin_ctzll(bits);
			if (live_in(i, lo, hi, how))
				n = add_unique(out, n, max, i);
		}
	for (int a = 1; a < n; a++)
		for (int b = a; b > 0 && out[b - 1] > out[b]; b--) {
			int t = out[b];
			out[b] = out[b - 1];
			out[b - 1] = t;
		}
	return n;
}

/* ---- arming ---- */

static int deny_for(uint8_t access)
{
	return access & DTL_ACCESS_READ ? DUNE_DENY_ACCESS : DUNE_DENY_WRITE;
}

static void on_overlay_gone(uintptr_t va, size_t len, enum dune_overlay_event ev, uintptr_t new_va,
                            void *arg);
static void emit_state(const struct watch *w, int error, bool ring0);

static bool read_program(uintptr_t addr, size_t len, uint8_t *copy, size_t ncopy, uint64_t *hash);

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

static int local_add(const struct dtl_watch_spec *spec, uintptr_t entry);

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
	if (nwatches >= DTL_WATCH_MAX) {
		emit_state(&w, -ENOSPC, dune_entered());
		return -ENOSPC;
	}
	w.state = PENDING;
	watches[nwatches] = w;
	__atomic_store_n(&nwatches, nwatches + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&arming_pending, 1, __ATOMIC_RELEASE);
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

/* Live and in the index before the pages are restricted: a fault on them
 * from another thread must find the watchpoint, or it would be the
 * program's SIGSEGV. */
static int arm_page(struct watch *w, int index)
{
	if (overlay_tool < 0)
		overlay_tool = dune_overlay_tool(on_overlay_gone, NULL);
	if (overlay_tool < 0)
		return overlay_tool;
	w->how = DTL_WATCH_PAGE;
	index_add(index);
	__atomic_store_n(&w->state, LIVE, __ATOMIC_RELEASE);
	int r = dune_overlay_restrict(overlay_tool, w->lo, w->hi - w->lo, deny_for(w->access));
	if (r) {
		__atomic_store_n(&w->state, DEAD, __ATOMIC_RELEASE);
		index_remove(index);
	}
	return r;
}

/* Arm watches[@i] by a debug register where one fits (cheaper: no fault
 * for the page's other bytes) unless the page path was asked for, else by
 * page protection. Under arm_lock, in ring 0. */
static int arm_one(int i)
{
	struct watch *w = &watches[i];
	int slot = -1, r = w->want == DTL_WATCH_PAGE ? -1 : hw_fits(w, &slot);
	if (r == 0 && (r = arm_hw(w, i, slot)) == 0)
		index_add(i);
	else if (w->want != DTL_WATCH_HW)
		r = arm_page(w, i);
	__atomic_store_n(&w->state, r ? DEAD : LIVE, __ATOMIC_RELEASE);
	return r;
}

static void arm_locals(void);

/* Ring 0: arm what is pending. */
static void arm_pending(void)
{
	dune_spin_lock(&arm_lock);
	if (__atomic_exchange_n(&arming_pending, 0, __ATOMIC_ACQ_REL)) {
		int n = __atomic_load_n(&nwatches, __ATOMIC_ACQUIRE);
		for (int i = 0; i < n; i++) {
			struct watch *w = &watches[i];
			if (w->state != PENDING || w->local_of)
				continue;
			emit_state(w, arm_one(i), true);
		}
		arm_locals();
	}
	dune_spin_unlock(&arm_lock);
}

/* This vCPU's debug registers as the engine wants them. */
static void load_debug_registers(struct step *st)
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
static bool cond_holds(const struct watch *w, const uint8_t *bytes)
{
	return dtl_watch_cond_holds(w->cond_op, w->cond_signed, w->cond_value, bytes,
	                            w->hi - w->lo);
}

/* ---- records ---- */

static void emit_state(const struct watch *w, int error, bool ring0)
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
static void publish_hit(const struct dtl_rec_watch_hit *proto, const void *old, const void *now,
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

static void begin(struct step *st, uint64_t fec, struct dune_tf *tf)
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
		if (st->over_breakpoint && !st->npages) {
			st->write = fec & PF_ERR_W;
			st->fetch = fec & PF_ERR_ID;
		}
		/* an instruction that touches more watched pages than the view
		 * holds (a long rep movs): what it did so far is one hit */
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

/* FNV-1a over [p, p+len). */
static uint64_t hash_bytes(const uint8_t *p, size_t len, uint64_t h)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * Read the program's [addr, addr+len) from ring 0: @copy gets the first
 * @ncopy bytes, *@hash covers them all. A page the overlay hides (a read
 * watchpoint's) is read through this vCPU's private view. False where a
 * page cannot be had (nothing mapped there).
 */
static bool read_program(uintptr_t addr, size_t len, uint8_t *copy, size_t ncopy, uint64_t *hash)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (uintptr_t at = addr; at < addr + len;) {
		uintptr_t page = PAGE_OF(at);
		size_t n = page + DUNE_PAGE_SIZE - at;
		if (n > addr + len - at)
			n = addr + len - at;
		/* a read watchpoint's page, or one the guest has not mapped yet:
		 * through the private view (which maps it first) */
		bool view = (dune_overlay_deny(at) & DUNE_DENY_ACCESS) ||
		            !dune_vm_user_accessible(dune_pgroot(), at, n, false);
		if (view && dune_private_view_lift(page) < 0)
			return false;
		if (at - addr < ncopy) {
			size_t c = ncopy - (at - addr) < n ? ncopy - (at - addr) : n;
			memcpy(copy + (at - addr), (const void *)at, c);
		}
		h = hash_bytes((const uint8_t *)at, n, h);
		if (view)
			dune_private_view_end();
		at += n;
	}
	*hash = h;
	return true;
}

/* Keep the bytes of watchpoint @i for the call under way. */
static void kcall_keep(struct kcall *k, int i)
{
	const struct watch *w = &watches[i];
	if (!(w->access & DTL_ACCESS_WRITE) || k->n >= KCALL_WATCHES)
		return;
	for (int j = 0; j < k->n; j++)
		if (k->snap[j].w == i)
			return;
	struct kcall_snap *ks = &k->snap[k->n];
	size_t len = w->hi - w->lo;
	ks->w = i;
	ks->len = (uint16_t)(len < DTL_HIT_VALUE_MAX ? len : DTL_HIT_VALUE_MAX);
	ks->user_writes = __atomic_load_n(&w->user_writes, __ATOMIC_ACQUIRE);
	if (read_program(w->lo, len, ks->old, ks->len, &ks->hash))
		k->n++;
}

/* A call that may write memory: the watchpoints where it may write (the
 * catalogue's output ranges), or every one where it cannot say. */
static void kcall_begin(struct dune_tf *tf)
{
	struct kcall *k = dune_vcpu_tool_data(kcall_offset);
	k->n = 0;
	k->nr = (long)tf->rax;
	if (!__atomic_load_n(&nwatches, __ATOMIC_ACQUIRE) || !dtl_syscall_writes_memory(k->nr))
		return;
	k->rip = tf->rip;
	const uint64_t args[6] = {tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9};
	struct dtl_mem_range out[6];
	int nout = dtl_syscall_output_ranges(k->nr, args, out, 6);
	int on[KCALL_WATCHES];
	if (nout < 0) {
		int n = watches_in(0, DUNE_USER_VA_END, 0, on, KCALL_WATCHES);
		for (int j = 0; j < n; j++)
			kcall_keep(k, on[j]);
		return;
	}
	for (int r = 0; r < nout; r++) {
		uintptr_t lo = out[r].addr, hi = lo + out[r].len;
		if (hi < lo || hi > DUNE_USER_VA_END)
			hi = DUNE_USER_VA_END;
		if (lo >= hi)
			continue;
		int n = watches_in(lo, hi, 0, on, KCALL_WATCHES);
		for (int j = 0; j < n; j++)
			kcall_keep(k, on[j]);
	}
}

/* At the call's exit: what changed is a write by the kernel. */
static void on_syscall_exit(struct dune_tf *tf, long nr, void *arg)
{
	struct kcall *k = dune_vcpu_tool_data(kcall_offset);
	(void)arg;
	if (!k->n || nr != k->nr)
		return;
	for (int i = 0; i < k->n; i++) {
		const struct kcall_snap *ks = &k->snap[i];
		struct watch *w = &watches[ks->w];
		uint8_t now[DTL_HIT_VALUE_MAX];
		uint64_t hash;
		if (w->state != LIVE || !read_program(w->lo, w->hi - w->lo, now, ks->len, &hash) ||
		    hash == ks->hash || (w->cond_op && !cond_holds(w, now)) ||
		    /* another thread's instructions wrote it meanwhile: not the
		     * kernel's doing, as far as can be told */
		    __atomic_load_n(&w->user_writes, __ATOMIC_ACQUIRE) != ks->user_writes)
			continue;
		struct dtl_rec_watch_hit h = {
		    .addr = w->lo,
		    .rip = k->rip - 2, /* the syscall instruction (0f 05) */
		    .value_addr = w->lo,
		    .watch_id = w->id,
		    .reps = (uint32_t)nr,
		    .access = DTL_ACCESS_WRITE,
		    .flags = DTL_HIT_CHANGED | DTL_HIT_KERNEL,
		};
		__atomic_add_fetch(&w->hits, 1, __ATOMIC_RELAXED);
		publish_hit(&h, ks->old, now, ks->len, tf);
	}
	k->n = 0;
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
static void disarm(struct watch *w)
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

/* ---- FUNC:LOCAL ---- */

/*
 * A local lives while its function's activation does. A code breakpoint
 * on the function's entry (dune_code_breakpoint_set: an int3 in the
 * guest's copy of the page, the process's memory untouched) arms a
 * watchpoint on the local of each activation that begins: at the frame's
 * CFA (the caller's rsp before the call: rsp + 8 at the entry, System V
 * psABI 3.2.2) plus the local's DWARF offset. A breakpoint on the return
 * address ends it when the thread's rsp is back at the CFA; activations a
 * longjmp or an exception skipped end at the next breakpoint of their
 * thread that finds rsp above them. Each breakpoint's own instruction then
 * runs once, under the trap flag, in a private view of the page that shows
 * the program's code.
 */
#define LOCALS_MAX      64
#define RETURNS_MAX     256
#define ACTIVATIONS_MAX 1024

struct local_watch {
	struct dtl_watch_spec spec;
	uintptr_t entry;
	uint8_t state; /* PENDING, LIVE (the entry breakpoint set), DISABLED, DEAD */
};
static struct local_watch locals[LOCALS_MAX];
static int nlocals;
/* return addresses with a breakpoint: kept while the process runs (a
 * function returns to few places) */
static uintptr_t returns[RETURNS_MAX];
static int nreturns;
/* the watches[] slots of activations alive, and the free ones */
static int live_acts[ACTIVATIONS_MAX];
static int nlive_acts;
static int free_slot = -1;
/* the thread that last asked for a fork: a child's activations are its */
static int forking_tid;
static uint64_t activations_dropped;

static int local_add(const struct dtl_watch_spec *spec, uintptr_t entry)
{
	struct watch w = {.id = spec->id, .lo = entry, .hi = entry + spec->len};
	dune_spin_lock(&arm_lock);
	int r = nlocals < LOCALS_MAX ? 0 : -ENOSPC;
	if (!r) {
		locals[nlocals] =
		    (struct local_watch){.spec = *spec, .entry = entry, .state = PENDING};
		__atomic_store_n(&nlocals, nlocals + 1, __ATOMIC_RELEASE);
		__atomic_store_n(&arming_pending, 1, __ATOMIC_RELEASE);
	}
	dune_spin_unlock(&arm_lock);
	if (r)
		emit_state(&w, r, dune_entered());
	return r;
}

/* Under arm_lock: the entry breakpoints of the locals pending. */
static void arm_locals(void)
{
	for (int i = 0; i < nlocals; i++) {
		struct local_watch *l = &locals[i];
		if (l->state != PENDING)
			continue;
		int r = dune_code_breakpoint_set(l->entry);
		l->state = r ? DEAD : LIVE;
		struct watch w = {.id = l->spec.id,
		                  .want = l->spec.how,
		                  .how = DTL_WATCH_FUNC,
		                  .lo = l->entry,
		                  .hi = l->entry + l->spec.len};
		emit_state(&w, r, true);
	}
}

/* Under arm_lock: a slot of watches[] for an activation, or -1. */
static int take_slot(void)
{
	if (free_slot >= 0) {
		int i = free_slot;
		free_slot = watches[i].next_free;
		return i;
	}
	if (nwatches >= DTL_WATCH_MAX)
		return -1;
	watches[nwatches].state = PENDING;
	__atomic_store_n(&nwatches, nwatches + 1, __ATOMIC_RELEASE);
	return nwatches - 1;
}

static bool is_return(uintptr_t at)
{
	int n = __atomic_load_n(&nreturns, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		if (returns[i] == at)
			return true;
	return false;
}

/* Under arm_lock: the activations of thread @tid whose frame is at or
 * below @rsp (returned, or skipped by a longjmp) end. */
static void end_activations(int tid, uintptr_t rsp)
{
	for (int k = 0; k < nlive_acts;) {
		int i = live_acts[k];
		struct watch *w = &watches[i];
		if (w->tid != tid || w->cfa > rsp) {
			k++;
			continue;
		}
		if (w->state == LIVE)
			disarm(w);
		__atomic_store_n(&w->state, DEAD, __ATOMIC_RELEASE);
		w->next_free = free_slot;
		free_slot = i;
		live_acts[k] = live_acts[--nlive_acts];
	}
}

/* Under arm_lock: local @l's activation that begins at @tf (its entry). */
static void begin_activation(struct local_watch *l, const struct dune_tf *tf, int tid)
{
	uint64_t ret, hash;
	uintptr_t cfa = tf->rsp + 8;
	/* the same entry again (its instruction did not retire the first
	 * time): the activation is there */
	for (int k = 0; k < nlive_acts; k++)
		if (watches[live_acts[k]].cfa == cfa && watches[live_acts[k]].tid == tid &&
		    watches[live_acts[k]].local_of == l - locals + 1)
			return;
	int i = nlive_acts < ACTIVATIONS_MAX ? take_slot() : -1;
	if (i < 0 || !read_program(tf->rsp, 8, (uint8_t *)&ret, 8, &hash)) {
		activations_dropped++;
		if (i >= 0) {
			watches[i].next_free = free_slot;
			free_slot = i;
		}
		return;
	}
	struct watch *w = &watches[i];
	*w = (struct watch){.id = l->spec.id,
	                    .access = l->spec.access,
	                    .want = l->spec.how,
	                    .state = PENDING,
	                    .cond_op = l->spec.cond_op,
	                    .cond_signed = l->spec.cond_signed,
	                    .cond_value = l->spec.cond_value,
	                    .lo = cfa + (uintptr_t)l->spec.from_cfa,
	                    .hi = cfa + (uintptr_t)l->spec.from_cfa + l->spec.len,
	                    .local_of = (uint16_t)(l - locals + 1),
	                    .tid = tid,
	                    .cfa = cfa};
	if (!is_return(ret) && nreturns < RETURNS_MAX && dune_code_breakpoint_set(ret) == 0) {
		returns[nreturns] = ret;
		__atomic_store_n(&nreturns, nreturns + 1, __ATOMIC_RELEASE);
	}
	live_acts[nlive_acts++] = i;
	int r = arm_one(i);
	if (r)
		emit_state(w, r, true);
}

/*
 * Run the instruction under the int3 at @at once: rip back on it, the
 * page's code shown by a private view, the trap flag set; the #DB ends the
 * step (finish). False where the view cannot be had.
 */
static bool step_over(struct dune_tf *tf, uintptr_t at)
{
	if (dune_private_view_lift(PAGE_OF(at)) < 0 ||
	    (PAGE_OF(at + DTL_HIT_INSN_MAX - 1) != PAGE_OF(at) &&
	     dune_private_view_lift(PAGE_OF(at + DTL_HIT_INSN_MAX - 1)) < 0)) {
		dune_private_view_end();
		return false;
	}
	tf->rip = at;
	struct step *st = this_step();
	begin(st, 0, tf);
	st->over_breakpoint = true;
	return true;
}

/* Is @at one of the locals' entries? */
static bool is_entry(uintptr_t at)
{
	int n = __atomic_load_n(&nlocals, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		if (locals[i].entry == at)
			return true;
	return false;
}

/* A breakpoint of ours at @at (tf->rip is after the int3). */
static enum dune_hook_result on_local_breakpoint(struct dune_tf *tf, uintptr_t at)
{
	int tid = dune_vcpu_tid();
	dune_spin_lock(&arm_lock);
	end_activations(tid, tf->rsp);
	int n = __atomic_load_n(&nlocals, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		if (locals[i].entry == at && locals[i].state == LIVE)
			begin_activation(&locals[i], tf, tid);
	dune_spin_unlock(&arm_lock);
	load_debug_registers(this_step());
	return step_over(tf, at) ? DUNE_HOOK_HANDLED : DUNE_HOOK_PASS;
}

/* A thread ends: its activations with it. */
static void end_thread_activations(void)
{
	if (!nlive_acts)
		return;
	dune_spin_lock(&arm_lock);
	end_activations(dune_vcpu_tid(), UINTPTR_MAX);
	dune_spin_unlock(&arm_lock);
}

/* A forked child: the activations of the thread that forked are its only
 * thread's; the other threads' are gone (their restrictions stay on
 * memory no thread of the child runs on). */
static void fork_activations(int tid)
{
	for (int k = 0; k < nlive_acts;) {
		struct watch *w = &watches[live_acts[k]];
		if (w->tid == forking_tid) {
			w->tid = tid;
			k++;
			continue;
		}
		__atomic_store_n(&w->state, DEAD, __ATOMIC_RELEASE);
		w->next_free = free_slot;
		free_slot = live_acts[k];
		live_acts[k] = live_acts[--nlive_acts];
	}
}

/* delete, disable or enable local watchpoint @id: false if it is not one */
static bool local_command(uint32_t op, uint32_t id)
{
	bool found = false;
	for (int i = 0; i < nlocals; i++) {
		struct local_watch *l = &locals[i];
		if (l->spec.id != id || l->state == DEAD)
			continue;
		found = true;
		if (op == DTL_LIVE_ENABLE) {
			if (l->state == DISABLED)
				l->state = LIVE; /* the breakpoint stayed */
			continue;
		}
		l->state = op == DTL_LIVE_DELETE ? DEAD : DISABLED;
		dune_spin_lock(&arm_lock);
		for (int k = 0; k < nlive_acts;) {
			int a = live_acts[k];
			if (watches[a].local_of != i + 1) {
				k++;
				continue;
			}
			if (watches[a].state == LIVE)
				disarm(&watches[a]);
			__atomic_store_n(&watches[a].state, DEAD, __ATOMIC_RELEASE);
			watches[a].next_free = free_slot;
			free_slot = a;
			live_acts[k] = live_acts[--nlive_acts];
		}
		dune_spin_unlock(&arm_lock);
		struct watch w = {.id = id, .how = DTL_WATCH_FUNC, .lo = l->entry};
		emit_state(&w, -ECANCELED, true);
	}
	return found;
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
	if (is_entry(at) || is_return(at))
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
	long nr = (long)tf->rax;
	if (nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3)
		forking_tid = dune_vcpu_tid();
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
		end_thread_activations();
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
	((struct kcall *)dune_vcpu_tool_data(kcall_offset))->n = 0;
	st->dr_generation = 0;
	load_debug_registers(st);
	if (how != DUNE_VCPU_FORK)
		return;
	/* a new process: the other threads (and their step) stayed behind,
	 * and its counts start from nothing */
	step_owner = 0;
	for (int i = 0; i < nwatches; i++)
		watches[i].hits = watches[i].misses = 0;
	fork_activations(dune_vcpu_tid());
	for (int i = 0; i < nimages; i++)
		emit_image(images[i].base, images[i].path, true);
}

int dtl_watch_engine_start(void)
{
	step_offset = dune_vcpu_tool_reserve(sizeof(struct step));
	kcall_offset = dune_vcpu_tool_reserve(sizeof(struct kcall));
	if (step_offset < 0 || kcall_offset < 0)
		return -1;
	if (dune_hook_vcpu_create(DTL_WATCH_PRIO, on_vcpu_create, NULL) < 0 ||
	    dune_hook_vector(1, DTL_WATCH_PRIO, on_debug, NULL) < 0 ||
	    dune_hook_pgflt(DTL_WATCH_PRIO, on_pgflt, NULL) < 0 ||
	    dune_hook_syscall_entry(DTL_WATCH_PRIO, on_syscall_entry, NULL) < 0 ||
	    dune_hook_syscall_exit(DTL_WATCH_PRIO, on_syscall_exit, NULL) < 0 ||
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
