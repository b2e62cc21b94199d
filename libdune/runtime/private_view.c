// SPDX-License-Identifier: MIT
/*
 * Private views (dune/hook.h): one vCPU sees a page the protection overlay
 * restricts with the program's own rights, while every other vCPU still
 * faults on it. The page tables are shared by all vCPUs of the process, so
 * the vCPU gets its own copy of the path to the page: a copy of the root
 * and of each table down to the page's, where the one leaf is opened, and
 * CR3 points at the copied root (SDM Vol. 3A 4.5: the walk starts at CR3)
 * until the view ends. Everything else is reached through the same tables
 * as before, so memory the monitor maps meanwhile is seen too, except below
 * a copied table: a fault there refreshes the copies
 * (dune_private_view_refresh).
 *
 * Ring 0 only, interrupt context: the copies are pages of the page pool,
 * taken once per vCPU and kept.
 */
#include "runtime.h"

#include <dune/hook.h>
#include <errno.h>

static inline unsigned pt_index(uintptr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* Not libc's memcpy: it may use the vector registers of the interrupted
 * program, which are not saved on this path (trap.c). */
static void copy_table(void *dst, const void *src)
{
	unsigned long n = DUNE_PAGE_SIZE / 8;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static dune_pte_t *view_page(struct dune_percpu *pc, int i)
{
	struct dune_private_view *v = &pc->view;

	if (!v->page[i])
		v->page[i] = dune_page_alloc(&dune_state.pool);
	return v->page[i];
}

static bool is_view_page(struct dune_percpu *pc, const void *table, int used)
{
	for (int i = 0; i < used; i++)
		if (pc->view.page[i] == table)
			return true;
	return false;
}

/* Open @va in the copies (root already copied; @used pages in use). */
static int open_page(struct dune_percpu *pc, uintptr_t va, int *used)
{
	struct dune_page_pool *pool = &dune_state.pool;
	dune_pte_t *table = pc->view.page[0];

	for (int level = 3; level >= 1; level--) {
		dune_pte_t *e = &table[pt_index(va, level)];
		if (level == 1 && (*e & PTE_PS) && (*e & (PTE_P | PTE_HIDDEN))) {
			/* a 2 MiB page the overlay restricts whole: its 4 KiB
			 * entries in a table of the view's own */
			if (*used >= DUNE_VIEW_TABLES)
				return -ENOSPC;
			dune_pte_t *split = view_page(pc, *used);
			if (!split)
				return -ENOMEM;
			(*used)++;
			dune_vm_split_fill(split, *e, 1);
			*e = dune_page_pa(pool, split) | DUNE_PT_TABLE_FLAGS;
			table = split;
			break;
		}
		if (!(*e & PTE_P))
			return -ENOENT;
		if (*e & PTE_PS)
			return -EINVAL; /* a 1 GiB page: libdune maps none */
		dune_pte_t *next = dune_page_va(pool, *e & PTE_ADDR_MASK);
		if (!is_view_page(pc, next, *used)) {
			if (*used >= DUNE_VIEW_TABLES)
				return -ENOSPC;
			dune_pte_t *copy = view_page(pc, *used);
			if (!copy)
				return -ENOMEM;
			(*used)++;
			copy_table(copy, next);
			*e = (*e & ~PTE_ADDR_MASK) | dune_page_pa(pool, copy);
			next = copy;
		}
		table = next;
	}
	dune_pte_t *leaf = &table[pt_index(va, 0)];
	dune_pte_t e = *leaf;
	if (!(e & (PTE_P | PTE_HIDDEN)))
		return -ENOENT;
	if (e & PTE_HIDDEN)
		e = (e & ~PTE_HIDDEN) | PTE_P;
	if (e & PTE_TOOL_RO)
		e = (e & ~PTE_TOOL_RO) | PTE_W;
	/* a code breakpoint's copy: the program's own frame, as the layout
	 * maps it */
	if (e & PTE_SUBST)
		e = (e & ~(PTE_ADDR_MASK | PTE_SUBST)) |
		    dune_layout_hva_to_gpa(dune_state.pt.layout,
		                           va & ~(uintptr_t)(DUNE_PAGE_SIZE - 1));
	*leaf = e;
	return 0;
}

/* Copy the shared tables' root and open every page of the view again. */
static int rebuild(struct dune_percpu *pc)
{
	struct dune_private_view *v = &pc->view;
	dune_pte_t *root = view_page(pc, 0);
	int used = 1, r = 0;

	if (!root)
		return -ENOMEM;
	dune_spin_lock(&dune_state.pt.lock);
	copy_table(root, dune_state.pt.root);
	for (int i = 0; i < v->npages && !r; i++)
		r = open_page(pc, v->va[i], &used);
	dune_spin_unlock(&dune_state.pt.lock);
	if (r)
		return r;
	/* also the TLB flush (no PCIDs: SDM Vol. 3A 4.10.4.1) */
	uint64_t cr3 = dune_page_pa(&dune_state.pool, root);
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
	return 0;
}

/* Not even restricted in the shared tables yet: the program never touched
 * the page. Let the monitor map it, restricted, as a read would. */
static void map_shared(struct dune_percpu *pc, uintptr_t va)
{
	dune_pte_t *pte;
	int level;

	int r = dune_vm_lookup(&dune_state.pt, va, true, &pte, &level);
	if (r == 0 && (level == 0 || (*pte & PTE_PS)) && (*pte & (PTE_P | PTE_HIDDEN)))
		return;
	/* first-touch mode: there, not touched yet (the #PF that gets here
	 * was told as the first touch already, trap.c) */
	if (r == 0 && level == 0 && dune_vm_first_touch(pte))
		return;
	dune_hostcall(pc, HC_PAGEFAULT, va, PF_ERR_U, 0, 0, 0, 0, 0);
}

int dune_private_view_lift(uintptr_t va)
{
	struct dune_percpu *pc = dune_this_cpu();
	struct dune_private_view *v = &pc->view;

	va &= ~(uintptr_t)(DUNE_PAGE_SIZE - 1);
	if (!dune_entered() || va >= DUNE_USER_VA_END)
		return -EINVAL;
	for (int i = 0; i < v->npages; i++)
		if (v->va[i] == va)
			return 0;
	if (v->npages >= DUNE_PRIVATE_VIEW_PAGES)
		return -ENOSPC;
	map_shared(pc, va);
	v->va[v->npages++] = va;
	int r = rebuild(pc);
	if (r) {
		v->npages--;
		if (!v->npages)
			dune_private_view_end();
		else
			rebuild(pc);
		return r;
	}
	v->active = true;
	return 0;
}

void dune_private_view_end(void)
{
	struct dune_percpu *pc = dune_this_cpu();
	uint64_t cr3 = dune_pt_root_pa(&dune_state.pt);

	pc->view.npages = 0;
	pc->view.active = false;
	pc->view.retry_addr = 0;
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

bool dune_private_view_active(void)
{
	struct dune_percpu *pc = dune_this_cpu();
	return pc && pc->view.active;
}

/* What the view's tables grant at @addr, as the CPU would walk them. */
static bool view_allows(struct dune_percpu *pc, uintptr_t addr, uint64_t fec)
{
	dune_pte_t *table = pc->view.page[0];

	for (int level = 3; level >= 0; level--) {
		dune_pte_t e = table[pt_index(addr, level)];
		if (!dune_pte_allows(e, fec))
			return false;
		if (level == 0 || (e & PTE_PS))
			return true;
		table = dune_page_va(&dune_state.pool, e & PTE_ADDR_MASK);
	}
	return true;
}

bool dune_private_view_refresh(struct dune_percpu *pc, uintptr_t addr, uint64_t fec)
{
	if (rebuild(pc)) {
		dune_private_view_end();
		return false;
	}
	if (!view_allows(pc, addr, fec) || pc->view.retry_addr == addr)
		return false;
	pc->view.retry_addr = addr; /* once: a fault that stays is not ours */
	return true;
}
