/* SPDX-License-Identifier: MIT */
/* The guest runtime (ring 0, libdune/runtime): entry paths, traps, host calls. */
#ifndef DUNE_RUNTIME_H
#define DUNE_RUNTIME_H

#include "internal.h"

#include <stdint.h>

/* Does paging-structure entry @e let an access of #PF error code @fec
 * through (SDM Vol. 3A 4.6: present, writable for a write, user for ring
 * 3, executable for a fetch)? */
static inline bool dune_pte_allows(dune_pte_t e, uint64_t fec)
{
	return (e & PTE_P) && (!(fec & PF_ERR_W) || (e & PTE_W)) &&
	       (!(fec & PF_ERR_U) || (e & PTE_U)) && (!(fec & PF_ERR_ID) || !(e & PTE_NX));
}

/* trap.c */
int64_t dune_hostcall(struct dune_percpu *pc, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                      uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6);
void dune_syscall_trap(struct dune_tf *tf);
void dune_trap(struct dune_tf *tf);
uint64_t dune_read_cr2(struct dune_percpu *pc);

/*
 * monitor/signal.c, in ring 0: an rt_sigaction that leaves the kernel's
 * action as it is (a query; SIG_DFL or SIG_IGN where that is already the
 * disposition), done on the program's view of its dispositions without an
 * exit to the host: glibc's posix_spawn child asks about every signal and
 * sets each to SIG_DFL, 120 exits of ~30 us each on PVM. False, for the
 * host to do it, where it is not that simple.
 */
bool dune_signal_sigaction_in_guest(struct dune_percpu *pc, struct dune_tf *tf);

/* private_view.c: a #PF while this vCPU's private view is active: copy
 * the shared tables again (the monitor may have mapped memory below a
 * copied table). True when the copies now allow the access: retry it. */
bool dune_private_view_refresh(struct dune_percpu *pc, uintptr_t addr, uint64_t fec);

/* entry.S */
extern char dune_syscall_entry[], dune_idt_stubs[], dune_pvm_user_stub[], dune_guest_boot[];
int __dune_enter(struct dune_percpu *pc);
long __dune_jump_to_user(struct dune_tf *tf);
__attribute__((noreturn)) void __dune_ret_from_user(struct dune_percpu *pc, long ret);

#endif
