/* SPDX-License-Identifier: MIT */
/*
 * The watch engine's parts, shared by its files (private to watch/):
 * engine.c (arming, the step, debug registers, records, hooks),
 * engine_index.c (which watchpoints are on a page), engine_kernel.c
 * (writes by the kernel around system calls) and engine_locals.c
 * (FUNC:LOCAL). Ring 0 and the monitor; built with -mno-red-zone.
 */
#ifndef DTL_WATCH_ENGINE_PRIVATE_H
#define DTL_WATCH_ENGINE_PRIVATE_H

#include <dtl/event.h>
#include <dtl/watch_spec.h>

#include <dune/dune.h>
#include <dune/hook.h>
#include <dune/spinlock.h>
#include <dune/vm.h>
#include <stdbool.h>
#include <stdint.h>

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
	bool in_run;                  /* being armed with its neighbours (arm_pending) */
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

/* The table: slots [0, nwatches) in use (an activation's slot is
 * reused). Arming, disarming and the index are changed under arm_lock;
 * ring-0 readers check a slot's state. */
extern struct watch watches[DTL_WATCH_MAX];
extern int nwatches;
/* Watchpoints recorded before the VM (the runtime's init) are armed in
 * ring 0, where the platform's debug registers can be asked about. */
extern volatile int arming_pending;
extern dune_spinlock_t arm_lock;

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

/* ---- engine.c ---- */

struct step *this_step(void);
/* Begin a step at @tf (the fault's error code @fec): the step lock, the
 * trap flag, the instruction copied. */
void begin(struct step *st, uint64_t fec, struct dune_tf *tf);
/* Arm watches[@i] (pending): a debug register where one fits and was not
 * refused, else page protection. Under arm_lock. 0, or why not. */
int arm_one(int i);
/* Take @w's restriction or debug register away, and out of the index.
 * Under arm_lock. */
void disarm(struct watch *w);
void emit_state(const struct watch *w, int error, bool ring0);
void load_debug_registers(struct step *st);
/* The watchpoint's condition on @bytes, its value now. */
bool cond_holds(const struct watch *w, const uint8_t *bytes);
/* A hit record: @proto's fields, @len bytes of @old and @now, and with
 * --watch-bt the registers and stack of @tf. */
void publish_hit(const struct dtl_rec_watch_hit *proto, const void *old, const void *now,
                 uint16_t len, const struct dune_tf *tf);

/* ---- engine_index.c ---- */

/* Watches[@i] into the index (a page watchpoint of a few pages) or the
 * bitmap scanned whole (the others), and out. Under arm_lock. */
void index_add(int i);
void index_remove(int i);
/* The live watchpoints (armed @how, 0 for any) that overlap [lo, hi), in
 * @out (room for @max), in table order: how many. No lock. */
int watches_in(uintptr_t lo, uintptr_t hi, uint8_t how, int *out, int max);
/* @i into @out (@n used, room for @max) unless it is there: the new n. */
int add_unique(int *out, int n, int max, int i);

/* ---- engine_kernel.c ---- */

/* The program's [addr, addr+len) from ring 0: the first @ncopy bytes into
 * @copy, a hash of all in *@hash; false where a page cannot be had. */
bool read_program(uintptr_t addr, size_t len, uint8_t *copy, size_t ncopy, uint64_t *hash);
/* Per-vCPU room, at the engine's start: 0 or -1. */
int kcall_reserve(void);
/* A new thread on this vCPU: no call under way. */
void kcall_reset(void);
/* At each system call's entry and exit (the exit is a hook). */
void kcall_begin(struct dune_tf *tf);
void kcall_end(struct dune_tf *tf, long nr, void *arg);

/* ---- engine_locals.c ---- */

int local_add(const struct dtl_watch_spec *spec, uintptr_t entry);
/* Under arm_lock: the entry breakpoints of the locals pending. */
void arm_locals(void);
/* Is @at a breakpoint of the locals' (an entry, a return address)? */
bool is_local_breakpoint(uintptr_t at);
/* The int3 at @at of ours was hit (tf->rip is after it). */
enum dune_hook_result on_local_breakpoint(struct dune_tf *tf, uintptr_t at);
/* delete, disable or enable (enum dtl_live_op) watchpoint @id if it is a
 * local: false if it is not one. */
bool local_command(uint32_t op, uint32_t id);
/* A thread asks for a fork; a forked child starts (ring 0, its vCPU);
 * a thread ends (its monitor). */
void locals_note_fork(int tid);
void locals_forked(int tid);
void locals_thread_ends(void);

#endif
