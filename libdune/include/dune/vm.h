/* SPDX-License-Identifier: MIT */
/*
 * Guest page tables (x86-64 4-level paging, SDM Vol. 3A §4.5) and the page
 * allocator they and the runtime draw from.
 *
 * The same code runs in the host-side monitor and in guest ring 0: the pages
 * live in the page pool, a region of the process registered with the VM, so a
 * table page has one virtual address (host = guest) and one guest-physical
 * address. Nothing here allocates from libc or blocks; a spinlock per table
 * serialises writers. TLB invalidation is the caller's job (invlpg or a CR3
 * reload in ring 0; a flush request to the vCPU from the monitor).
 */
#ifndef DUNE_VM_H
#define DUNE_VM_H

#include <dune/layout.h>
#include <dune/spinlock.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t dune_pte_t;

/* Hardware bits of a paging-structure entry (SDM Vol. 3A Table 4-19/4-20). */
#define PTE_P           (1ULL << 0)
#define PTE_W           (1ULL << 1)
#define PTE_U           (1ULL << 2)
#define PTE_PWT         (1ULL << 3)
#define PTE_PCD         (1ULL << 4)
#define PTE_A           (1ULL << 5)
#define PTE_D           (1ULL << 6)
#define PTE_PS          (1ULL << 7) /* in a PDE/PDPTE: maps a 2 MiB / 1 GiB page */
#define PTE_G           (1ULL << 8)
#define PTE_AVAIL_SHIFT 9 /* bits 9-11 are ignored by the CPU: ours */
/* A leaf the protection overlay hides (DUNE_DENY_ACCESS): P is clear and the
 * CPU ignores the rest (SDM Vol. 3A 4.5.4), which keeps the frame and rights
 * so that one vCPU's private view can show the page (dune_private_view_lift). */
#define PTE_HIDDEN      (1ULL << 9)
/* A leaf whose W the overlay took (DUNE_DENY_WRITE): the program may write. */
#define PTE_TOOL_RO     (1ULL << 10)
/* A leaf whose frame is a guest-only copy of the program's page (a code
 * breakpoint's, dune/hook.h); the program's own frame is the layout's. */
#define PTE_SUBST       (1ULL << 11)
/* A 4 KiB leaf of the program's memory that it has not touched yet
 * (first-touch mode, dune/hook.h): P is clear and the rest is the mapping,
 * frame and rights, so that the first access, a #PF, can make it present
 * in ring 0 without asking the monitor. Bit 52 is ignored by the CPU in
 * any entry (SDM Vol. 3A Table 4-20), and in a not-present one all of
 * bits 63:1 are (4.5.4). */
#define PTE_UNTOUCHED   (1ULL << 52)
#define PTE_NX          (1ULL << 63)
#define PTE_ADDR_MASK   0x000ffffffffff000ULL

#define DUNE_PAGE_SIZE  4096UL
#define DUNE_LPAGE_SIZE (2UL << 20)
#define DUNE_HPAGE_SIZE (1UL << 30)

/* Levels as used in this API: 0 = 4 KiB PTE, 1 = 2 MiB PDE, 2 = 1 GiB PDPTE, 3 = PML4E. */
#define DUNE_PT_LEVELS 4

/* Permissions for the mapping calls. No R/W/X means "not present". */
#define DUNE_PERM_R    0x01
#define DUNE_PERM_W    0x02
#define DUNE_PERM_X    0x04
#define DUNE_PERM_U    0x08 /* accessible from ring 3 */
#define DUNE_PERM_BIG  0x10 /* 2 MiB pages where address and length allow */
/* 4 KiB pages, each not present until first touched (PTE_UNTOUCHED), but
 * those whose entry was already touched stay so (a change of rights). */
#define DUNE_PERM_LAZY 0x20

/* ---- page allocator ---- */

struct dune_page_pool {
	uintptr_t base;   /* host/guest virtual address of the pool */
	uint64_t base_pa; /* its guest-physical address */
	size_t npages;
	size_t next;     /* pages below this index have been handed out at least once */
	void *free_list; /* freed pages, linked through their first word */
	size_t in_use;
	dune_spinlock_t lock;
};

/* @base must be page aligned; pages are zeroed on allocation, so the region
 * may be reserved lazily (MAP_NORESERVE). */
void dune_page_pool_init(struct dune_page_pool *pool, void *base, uint64_t base_pa, size_t bytes);
void *dune_page_alloc(struct dune_page_pool *pool);
void dune_page_free(struct dune_page_pool *pool, void *page);
bool dune_page_in_pool(const struct dune_page_pool *pool, const void *va);
uint64_t dune_page_pa(const struct dune_page_pool *pool, const void *va);
void *dune_page_va(const struct dune_page_pool *pool, uint64_t pa);

/* ---- page tables ---- */

struct dune_pt {
	dune_pte_t *root; /* the PML4 */
	struct dune_page_pool *pool;
	struct dune_layout *layout; /* translates host-virtual to guest-physical */
	dune_spinlock_t lock;
};

int dune_pt_init(struct dune_pt *pt, struct dune_page_pool *pool, struct dune_layout *layout);
/* Guest-physical address of the root, for CR3. */
uint64_t dune_pt_root_pa(const struct dune_pt *pt);

/* Map [va, va+len) to [pa, pa+len). */
int dune_vm_map_phys(struct dune_pt *pt, uintptr_t va, uint64_t pa, size_t len, int perm);
/* Map [va, va+len) to the guest-physical pages that back the same host
 * addresses (the layout). -EFAULT if part of the range is not covered. */
int dune_vm_map_pages(struct dune_pt *pt, uintptr_t va, size_t len, int perm);
/* Change the permissions of the present pages in [va, va+len); absent pages
 * stay absent. Large pages only partly covered are split. */
int dune_vm_mprotect(struct dune_pt *pt, uintptr_t va, size_t len, int perm);
/* Remove [va, va+len); large pages only partly covered are split. */
int dune_vm_unmap(struct dune_pt *pt, uintptr_t va, size_t len);
/* The leaf entry mapping @va (4 KiB, 2 MiB or 1 GiB), with its level, or
 * -ENOENT. With @create, missing tables are allocated down to level 0 and a
 * pointer to the (possibly not-present) 4 KiB entry is returned. */
int dune_vm_lookup(struct dune_pt *pt, uintptr_t va, bool create, dune_pte_t **pte, int *level);
/* Can ring 3 read (@write: and write) all of [addr, addr+len) through @pt,
 * without a fault? Ring-0 code checks a program's pointer with it before
 * touching what it points to. */
bool dune_vm_user_accessible(struct dune_pt *pt, uintptr_t addr, size_t len, bool write);
/* A first touch of the untouched leaf @pte: present (unless the overlay
 * hides it) and no longer untouched. True for the caller that made the
 * change; false when the entry was not untouched (another vCPU was first). */
bool dune_vm_first_touch(dune_pte_t *pte);
/* Mark the untouched pages of [va, va+len) for which @present(arg, va)
 * says yes as touched (the host already has them). */
int dune_vm_touch_where(struct dune_pt *pt, uintptr_t va, size_t len,
                        bool (*present)(void *arg, uintptr_t va), void *arg);
/* Break the large page that maps @va into 512 entries of the next level. */
int dune_vm_split(struct dune_pt *pt, uintptr_t va);
/* Those 512 entries for large entry @e at @level (1 or 2), with its rights
 * and marks, into @table; an entry pointing at a table has
 * DUNE_PT_TABLE_FLAGS (the leaves decide the rights). */
void dune_vm_split_fill(dune_pte_t *table, dune_pte_t e, int level);
#define DUNE_PT_TABLE_FLAGS (PTE_P | PTE_W | PTE_U)

/* Called for every present leaf in [start, end), and every untouched 4 KiB
 * leaf (PTE_UNTOUCHED); return non-zero to stop. */
typedef int (*dune_pt_walk_cb)(void *arg, uintptr_t va, dune_pte_t *pte, int level);
int dune_vm_page_walk(struct dune_pt *pt, uintptr_t start, uintptr_t end, dune_pt_walk_cb cb,
                      void *arg);

/*
 * Read and clear the accessed and dirty bits (SDM Vol. 3A 4.8) of the
 * present ring-3 leaves in [start, end), leaving out what @own (may be
 * NULL) says overlaps the caller's own memory: @cb gets each run of
 * consecutive pages that were accessed, all dirty or all clean, in
 * address order; non-zero from it stops the walk. @walked: the pages
 * looked at. Hold pt->lock against writers; the CPU keeps setting the
 * bits meanwhile, and a vCPU that has the translation in its TLB sets
 * none until it flushes: the caller makes every vCPU flush afterwards.
 */
typedef int (*dune_pt_accessed_cb)(void *arg, uintptr_t va, size_t pages, bool dirty);
int dune_vm_take_accessed(struct dune_pt *pt, uintptr_t start, uintptr_t end,
                          bool (*own)(uintptr_t lo, uintptr_t hi), dune_pt_accessed_cb cb,
                          void *arg, size_t *walked);

/* A new table tree with the same mappings as @src (the memory is shared). */
int dune_vm_clone(struct dune_pt *dst, struct dune_pt *src);
/* Free every table page of @pt (not the mapped memory). */
void dune_vm_free(struct dune_pt *pt);

/* The entry bits for a permission set (leaf, 4 KiB). */
dune_pte_t dune_perm_to_pte(int perm);
int dune_pte_to_perm(dune_pte_t pte);

static inline uint64_t dune_level_size(int level)
{
	return 1ULL << (12 + 9 * level);
}

#endif
