// SPDX-License-Identifier: MIT
/* FUNC:LOCAL watchpoints (engine_private.h). */
#include <dtl/watch_live.h>

#include "engine_private.h"

#include <errno.h>
#include <string.h>

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

int local_add(const struct dtl_watch_spec *spec, uintptr_t entry)
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
void arm_locals(void)
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

/* Under arm_lock: live activation @k ends (its restriction or debug
 * register goes, its slot is free); the last one takes its place. */
static void end_activation(int k)
{
	int i = live_acts[k];
	struct watch *w = &watches[i];
	if (w->state == LIVE)
		disarm(w);
	__atomic_store_n(&w->state, DEAD, __ATOMIC_RELEASE);
	w->next_free = free_slot;
	free_slot = i;
	live_acts[k] = live_acts[--nlive_acts];
}

/* Under arm_lock: the activations of thread @tid whose frame is at or
 * below @rsp (returned, or skipped by a longjmp) end. */
static void end_activations(int tid, uintptr_t rsp)
{
	for (int k = 0; k < nlive_acts;) {
		const struct watch *w = &watches[live_acts[k]];
		if (w->tid != tid || w->cfa > rsp)
			k++;
		else
			end_activation(k);
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
		/* said once: the activations beyond go unwatched */
		if (!activations_dropped++) {
			struct watch w = {.id = l->spec.id, .lo = cfa, .hi = cfa + l->spec.len};
			emit_state(&w, -ENOSPC, true);
		}
		if (i >= 0) {
			watches[i].state = DEAD;
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
	uintptr_t next = PAGE_OF(at + DTL_HIT_INSN_MAX - 1);
	if (dune_private_view_lift(PAGE_OF(at)) < 0) {
		dune_private_view_end();
		return false;
	}
	/* the instruction may go on into the next page: shown too where
	 * there is one (past the end of a mapping there is none, and the
	 * instruction does not reach it) */
	bool both = next != PAGE_OF(at) && dune_private_view_lift(next) == 0;
	tf->rip = at;
	struct step *st = this_step();
	begin(st, 0, tf);
	st->over_breakpoint = true;
	/* the view's room: the code pages count */
	st->page[st->npages++] = PAGE_OF(at);
	if (both)
		st->page[st->npages++] = next;
	return true;
}

void locals_note_fork(int tid)
{
	forking_tid = tid;
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
enum dune_hook_result on_local_breakpoint(struct dune_tf *tf, uintptr_t at)
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
void locals_thread_ends(void)
{
	if (!nlive_acts)
		return;
	dune_spin_lock(&arm_lock);
	end_activations(dune_vcpu_tid(), UINTPTR_MAX);
	dune_spin_unlock(&arm_lock);
}

/* A forked child: the activations of the thread that forked are its only
 * thread's; the other threads' end (their stacks stay in the child, and
 * glibc may reuse one for a new thread). */
void locals_forked(int tid)
{
	for (int k = 0; k < nlive_acts;) {
		struct watch *w = &watches[live_acts[k]];
		if (w->tid == forking_tid) {
			w->tid = tid;
			k++;
		} else {
			end_activation(k);
		}
	}
}

/* delete, disable or enable local watchpoint @id: false if it is not one */
bool local_command(uint32_t op, uint32_t id)
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
			if (watches[live_acts[k]].local_of != i + 1)
				k++;
			else
				end_activation(k);
		}
		dune_spin_unlock(&arm_lock);
		struct watch w = {.id = id, .how = DTL_WATCH_FUNC, .lo = l->entry};
		emit_state(&w, -ECANCELED, true);
	}
	return found;
}

bool is_local_breakpoint(uintptr_t at)
{
	return is_entry(at) || is_return(at);
}
