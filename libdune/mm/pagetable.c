// SPDX-License-Identifier: MIT
/*
 * Guest page tables: 4-level x86-64 paging (SDM Vol. 3A §4.5). See dune/vm.h.
 */
#include <dune/vm.h>

#include <errno.h>

/* Non-leaf entries allow everything; the leaf decides (SDM §4.6: the
 * effective rights are the intersection along the walk). */
#define TABLE_FLAGS DUNE_PT_TABLE_FLAGS
/* Bits a permission change replaces: the overlay's marks go with the
 * rights they describe, and the overlay tightens the new rights again. */
#define PERM_BITS   (PTE_P | PTE_W | PTE_U | PTE_NX | PTE_HIDDEN | PTE_TOOL_RO)
/* A 4 KiB leaf that is not present but still maps the program's memory:
 * hidden by the overlay, or not touched yet. */
#define KEPT_BITS   (PTE_HIDDEN | PTE_UNTOUCHED)

/* Has the program reached the page of this 4 KiB leaf (first-touch mode)? */
static inline bool touched(dune_pte_t e)
{
	return (e & PTE_P) || ((e & PTE_HIDDEN) && !(e & PTE_UNTOUCHED));
}

static inline unsigned pt_index(uintptr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static inline bool is_leaf(dune_pte_t e, int level)
{
	return level == 0 || (level <= 2 && (e & PTE_PS));
}

static inline dune_pte_t *table_of(const struct dune_pt *pt, dune_pte_t e)
{
	return dune_page_va(pt->pool, e & PTE_ADDR_MASK);
}

dune_pte_t dune_perm_to_pte(int perm)
{
	dune_pte_t bits;

	if (!(perm & (DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_X)))
		return 0;
	bits = PTE_P;
	if (perm & DUNE_PERM_W)
		bits |= PTE_W;
	if (perm & DUNE_PERM_U)
		bits |= PTE_U;
	if (!(perm & DUNE_PERM_X))
		bits |= PTE_NX;
	return bits;
}

int dune_pte_to_perm(dune_pte_t pte)
{
	int perm = 0;

	if (!(pte & PTE_P))
		return 0;
	perm |= DUNE_PERM_R;
	if (pte & PTE_W)
		perm |= DUNE_PERM_W;
	if (pte & PTE_U)
		perm |= DUNE_PERM_U;
	if (!(pte & PTE_NX))
		perm |= DUNE_PERM_X;
	return perm;
}

int dune_pt_init(struct dune_pt *pt, struct dune_page_pool *pool, struct dune_layout *layout)
{
	pt->pool = pool;
	pt->layout = layout;
	pt->lock = (dune_spinlock_t)DUNE_SPINLOCK_INIT;
	pt->root = dune_page_alloc(pool);
	return pt->root ? 0 : -ENOMEM;
}

uint64_t dune_pt_root_pa(const struct dune_pt *pt)
{
	return dune_page_pa(pt->pool, pt->root);
}

/* Replace the large leaf @e at @level (1 or 2) by a table of 512 entries of
 * the level below that map the same memory with the same rights. */
void dune_vm_split_fill(dune_pte_t *table, dune_pte_t e, int level)
{
	uint64_t child_size = dune_level_size(level - 1);
	/* a large entry's PAT bit 12 is inside the address mask: libdune's
	 * large pages have PAT 0 (SDM Vol. 3A 4.5.4, tables 4-18, 4-19) */
	uint64_t base = e & PTE_ADDR_MASK & ~(dune_level_size(level) - 1);
	dune_pte_t flags = e & ~PTE_ADDR_MASK;

	if (level - 1 == 0)
		flags &= ~PTE_PS; /* bit 7 of a 4 KiB PTE is PAT */
	for (int i = 0; i < 512; i++)
		table[i] = (base + (uint64_t)i * child_size) | flags;
}

static int split_entry(struct dune_pt *pt, dune_pte_t *e, int level)
{
	dune_pte_t *table = dune_page_alloc(pt->pool);

	if (!table)
		return -ENOMEM;
	dune_vm_split_fill(table, *e, level);
	*e = dune_page_pa(pt->pool, table) | TABLE_FLAGS;
	return 0;
}

/* The entry for @va at @target_level, allocating tables and splitting large
 * pages on the way. */
static int descend(struct dune_pt *pt, uintptr_t va, int target_level, dune_pte_t **out)
{
	dune_pte_t *table = pt->root;

	for (int level = 3; level > target_level; level--) {
		dune_pte_t *e = &table[pt_index(va, level)];
		if (!(*e & PTE_P)) {
			void *page = dune_page_alloc(pt->pool);
			if (!page)
				return -ENOMEM;
			*e = dune_page_pa(pt->pool, page) | TABLE_FLAGS;
		} else if (is_leaf(*e, level)) {
			int r = split_entry(pt, e, level);
			if (r)
				return r;
		}
		table = table_of(pt, *e);
	}
	*out = &table[pt_index(va, target_level)];
	return 0;
}

static void free_subtree(struct dune_pt *pt, dune_pte_t *table, int level)
{
	if (level > 0) {
		for (int i = 0; i < 512; i++)
			if ((table[i] & PTE_P) && !is_leaf(table[i], level))
				free_subtree(pt, table_of(pt, table[i]), level - 1);
	}
	dune_page_free(pt->pool, table);
}

/* Map one page (4 KiB or, with @big, 2 MiB) with the lock held; @lazy: a
 * 4 KiB page the program has not touched stays untouched. */
static int map_one(struct dune_pt *pt, uintptr_t va, uint64_t pa, dune_pte_t bits, bool big,
                   bool lazy)
{
	dune_pte_t *e;
	int r = descend(pt, va, big ? 1 : 0, &e);

	if (r)
		return r;
	if (big) {
		if ((*e & PTE_P) && !is_leaf(*e, 1))
			free_subtree(pt, table_of(pt, *e), 0);
		*e = bits ? (pa | bits | PTE_PS) : 0;
	} else {
		/* a compare-and-exchange: ring 0 may make an untouched leaf
		 * present meanwhile (dune_vm_first_touch), and it stays so */
		dune_pte_t old = __atomic_load_n(e, __ATOMIC_RELAXED), n;
		do
			n = lazy && bits && !touched(old) ? ((pa | bits) & ~PTE_P) | PTE_UNTOUCHED
			    : bits                        ? pa | bits
			                                  : 0;
		while (!__atomic_compare_exchange_n(e, &old, n, false, __ATOMIC_RELAXED,
		                                    __ATOMIC_RELAXED));
	}
	return 0;
}

static bool can_use_big(int perm, uintptr_t va, uint64_t pa, size_t remaining)
{
	return (perm & DUNE_PERM_BIG) && !(va & (DUNE_LPAGE_SIZE - 1)) &&
	       !(pa & (DUNE_LPAGE_SIZE - 1)) && remaining >= DUNE_LPAGE_SIZE;
}

int dune_vm_map_phys(struct dune_pt *pt, uintptr_t va, uint64_t pa, size_t len, int perm)
{
	dune_pte_t bits = dune_perm_to_pte(perm);
	int r = 0;

	if ((va | pa | len) & (DUNE_PAGE_SIZE - 1) || va + len < va || va + len > DUNE_USER_VA_END)
		return -EINVAL;
	dune_spin_lock(&pt->lock);
	for (size_t off = 0; off < len && !r;) {
		bool big = can_use_big(perm, va + off, pa + off, len - off);
		r = map_one(pt, va + off, pa + off, bits, big, false);
		off += big ? DUNE_LPAGE_SIZE : DUNE_PAGE_SIZE;
	}
	dune_spin_unlock(&pt->lock);
	return r;
}

int dune_vm_map_pages(struct dune_pt *pt, uintptr_t va, size_t len, int perm)
{
	dune_pte_t bits = dune_perm_to_pte(perm);
	int r = 0;

	if ((va | len) & (DUNE_PAGE_SIZE - 1) || va + len < va || va + len > DUNE_USER_VA_END)
		return -EINVAL;
	dune_spin_lock(&pt->lock);
	for (size_t off = 0; off < len && !r;) {
		uint64_t pa = dune_layout_hva_to_gpa(pt->layout, va + off);
		if (pa == DUNE_BAD_PA) {
			r = -EFAULT;
			break;
		}
		/* Layout runs are 2 MiB aligned in both spaces, so an aligned
		 * 2 MiB chunk never straddles two runs. */
		bool big = !(perm & DUNE_PERM_LAZY) && can_use_big(perm, va + off, pa, len - off);
		r = map_one(pt, va + off, pa, bits, big, perm & DUNE_PERM_LAZY);
		off += big ? DUNE_LPAGE_SIZE : DUNE_PAGE_SIZE;
	}
	dune_spin_unlock(&pt->lock);
	return r;
}

enum range_op { OP_PROTECT, OP_UNMAP };

static int range_apply(struct dune_pt *pt, dune_pte_t *table, int level, uintptr_t table_va,
                       uintptr_t start, uintptr_t end, enum range_op op, dune_pte_t bits)
{
	uint64_t size = dune_level_size(level);

	for (unsigned i = (unsigned)((start - table_va) / size); i < 512; i++) {
		uintptr_t entry_va = table_va + i * size;
		uintptr_t entry_end = entry_va + size;
		dune_pte_t *e = &table[i];

		if (entry_va >= end)
			break;
		if (!(*e & PTE_P)) {
			/* a page the overlay hides, or one not touched yet, is
			 * still the program's: gone with the mapping, new rights
			 * with mprotect */
			if (level == 0 && (*e & KEPT_BITS)) {
				/* as in map_one: a first touch may make it present */
				dune_pte_t old = __atomic_load_n(e, __ATOMIC_RELAXED), n;
				do
					n = op == OP_UNMAP || !bits ? 0
					    : old & PTE_P           ? (old & ~PERM_BITS) | bits
					                  : (old & ~PERM_BITS) | (bits & ~PTE_P) |
					                        (old & KEPT_BITS);
				while (!__atomic_compare_exchange_n(
				    e, &old, n, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
			}
			continue;
		}
		if (is_leaf(*e, level)) {
			if (entry_va >= start && entry_end <= end) {
				if (op == OP_UNMAP || !bits)
					*e = 0;
				else
					*e = (*e & ~PERM_BITS) | bits;
				continue;
			}
			int r = split_entry(pt, e, level);
			if (r)
				return r;
		}
		int r = range_apply(pt, table_of(pt, *e), level - 1, entry_va,
		                    start > entry_va ? start : entry_va,
		                    end < entry_end ? end : entry_end, op, bits);
		if (r)
			return r;
	}
	return 0;
}

static int range_op(struct dune_pt *pt, uintptr_t va, size_t len, enum range_op op, int perm)
{
	if ((va | len) & (DUNE_PAGE_SIZE - 1) || va + len < va || va + len > DUNE_USER_VA_END)
		return -EINVAL;
	if (!len)
		return 0;
	dune_spin_lock(&pt->lock);
	int r = range_apply(pt, pt->root, 3, 0, va, va + len, op, dune_perm_to_pte(perm));
	dune_spin_unlock(&pt->lock);
	return r;
}

int dune_vm_mprotect(struct dune_pt *pt, uintptr_t va, size_t len, int perm)
{
	return range_op(pt, va, len, OP_PROTECT, perm);
}

int dune_vm_unmap(struct dune_pt *pt, uintptr_t va, size_t len)
{
	return range_op(pt, va, len, OP_UNMAP, 0);
}

int dune_vm_lookup(struct dune_pt *pt, uintptr_t va, bool create, dune_pte_t **pte, int *level)
{
	dune_pte_t *table = pt->root;
	int r = 0;

	dune_spin_lock(&pt->lock);
	for (int l = 3; l >= 0; l--) {
		dune_pte_t *e = &table[pt_index(va, l)];
		/* a large page the overlay hides (P clear, PTE_HIDDEN) is a leaf
		 * too: its frame is kept for a private view */
		if (l == 0 || ((*e & (PTE_P | PTE_HIDDEN)) && is_leaf(*e, l))) {
			/* an untouched page is there, not yet present */
			if (!(*e & (PTE_P | PTE_UNTOUCHED)) && !create) {
				r = -ENOENT;
			} else {
				*pte = e;
				if (level)
					*level = l;
			}
			break;
		}
		if (!(*e & PTE_P)) {
			void *page = create ? dune_page_alloc(pt->pool) : NULL;
			if (!page) {
				r = create ? -ENOMEM : -ENOENT;
				break;
			}
			*e = dune_page_pa(pt->pool, page) | TABLE_FLAGS;
		}
		table = table_of(pt, *e);
	}
	dune_spin_unlock(&pt->lock);
	return r;
}

bool dune_vm_user_accessible(struct dune_pt *pt, uintptr_t addr, size_t len, bool write)
{
	dune_pte_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	if (!addr || addr + len < addr || addr + len > DUNE_USER_VA_END)
		return false;
	for (uintptr_t p = addr & ~(uintptr_t)(DUNE_PAGE_SIZE - 1); p < addr + len;
	     p += DUNE_PAGE_SIZE) {
		dune_pte_t *pte;
		if (dune_vm_lookup(pt, p, false, &pte, NULL))
			return false;
		/* untouched: reachable, the access makes it present */
		dune_pte_t e = *pte;
		if ((e & KEPT_BITS) == PTE_UNTOUCHED)
			e |= PTE_P;
		if ((e & need) != need)
			return false;
	}
	return true;
}

bool dune_vm_first_touch(dune_pte_t *pte)
{
	dune_pte_t e = __atomic_load_n(pte, __ATOMIC_RELAXED);
	for (;;) {
		if (!(e & PTE_UNTOUCHED))
			return false;
		/* P 0 -> 1 needs no invalidation: no TLB or paging-structure
		 * cache holds a not-present entry (SDM Vol. 3A 4.10.4.3) */
		dune_pte_t n = (e & ~PTE_UNTOUCHED) | (e & PTE_HIDDEN ? 0 : PTE_P);
		if (__atomic_compare_exchange_n(pte, &e, n, false, __ATOMIC_RELAXED,
		                                __ATOMIC_RELAXED))
			return true;
	}
}

struct touch_where {
	bool (*present)(void *arg, uintptr_t va);
	void *arg;
};

static int touch_leaf(void *arg, uintptr_t va, dune_pte_t *pte, int level)
{
	const struct touch_where *t = arg;
	if (level == 0 && (*pte & PTE_UNTOUCHED) && t->present(t->arg, va))
		dune_vm_first_touch(pte);
	return 0;
}

int dune_vm_touch_where(struct dune_pt *pt, uintptr_t va, size_t len,
                        bool (*present)(void *arg, uintptr_t va), void *arg)
{
	struct touch_where t = {present, arg};
	return dune_vm_page_walk(pt, va, va + len, touch_leaf, &t);
}

int dune_vm_split(struct dune_pt *pt, uintptr_t va)
{
	dune_pte_t *e;
	int level, r;

	r = dune_vm_lookup(pt, va, false, &e, &level);
	if (r)
		return r;
	if (level == 0)
		return 0;
	dune_spin_lock(&pt->lock);
	r = split_entry(pt, e, level);
	dune_spin_unlock(&pt->lock);
	return r;
}

static int walk_table(struct dune_pt *pt, dune_pte_t *table, int level, uintptr_t table_va,
                      uintptr_t start, uintptr_t end, dune_pt_walk_cb cb, void *arg)
{
	uint64_t size = dune_level_size(level);

	for (unsigned i = (unsigned)((start - table_va) / size); i < 512; i++) {
		uintptr_t entry_va = table_va + i * size;
		if (entry_va >= end)
			break;
		/* untouched 4 KiB leaves too: their rights are the overlay's
		 * to tighten before the first touch makes them present */
		if (!(table[i] & PTE_P) && !(level == 0 && (table[i] & PTE_UNTOUCHED)))
			continue;
		int r;
		if (is_leaf(table[i], level))
			r = cb(arg, entry_va, &table[i], level);
		else
			r = walk_table(pt, table_of(pt, table[i]), level - 1, entry_va,
			               start > entry_va ? start : entry_va,
			               end < entry_va + size ? end : entry_va + size, cb, arg);
		if (r)
			return r;
	}
	return 0;
}

int dune_vm_page_walk(struct dune_pt *pt, uintptr_t start, uintptr_t end, dune_pt_walk_cb cb,
                      void *arg)
{
	if (end > DUNE_USER_VA_END)
		end = DUNE_USER_VA_END;
	if (start >= end)
		return 0;
	return walk_table(pt, pt->root, 3, 0, start & ~(DUNE_PAGE_SIZE - 1), end, cb, arg);
}

/* ---- accessed and dirty bits ---- */

struct harvest {
	bool (*own)(uintptr_t lo, uintptr_t hi);
	dune_pt_accessed_cb cb;
	void *arg;
	uintptr_t run_va; /* the run of accessed pages being gathered */
	size_t run_pages;
	bool run_dirty;
	size_t walked;
};

static int harvest_emit(struct harvest *h)
{
	int r = h->run_pages ? h->cb(h->arg, h->run_va, h->run_pages, h->run_dirty) : 0;
	h->run_pages = 0;
	return r;
}

static int harvest_leaf(struct harvest *h, uintptr_t va, dune_pte_t *e, int level)
{
	size_t pages = (size_t)(dune_level_size(level) / DUNE_PAGE_SIZE);
	h->walked += pages;
	if (!(*e & (PTE_A | PTE_D)))
		return 0; /* no write: a table entry written costs a trap on
		           * hypervisors that shadow the guest's tables */
	/* atomically: the CPU sets A and D with locked operations of its own
	 * (SDM Vol. 3A 4.8), and a bit it sets between a read and a plain
	 * write would be lost */
	dune_pte_t old = __atomic_fetch_and(e, ~(PTE_A | PTE_D), __ATOMIC_ACQ_REL);
	if (!(old & (PTE_A | PTE_D)))
		return 0;
	bool dirty = old & PTE_D;
	if (h->run_pages && h->run_va + h->run_pages * DUNE_PAGE_SIZE == va &&
	    h->run_dirty == dirty) {
		h->run_pages += pages;
		return 0;
	}
	int r = harvest_emit(h);
	h->run_va = va;
	h->run_pages = pages;
	h->run_dirty = dirty;
	return r;
}

/* @check: part of this table's range may be the caller's own memory */
static int harvest_table(struct harvest *h, dune_pte_t *table, int level, uintptr_t table_va,
                         uintptr_t start, uintptr_t end, bool check, const struct dune_pt *pt)
{
	uint64_t size = dune_level_size(level);

	for (unsigned i = (unsigned)((start - table_va) / size); i < 512; i++) {
		uintptr_t va = table_va + i * size;
		if (va >= end)
			break;
		dune_pte_t e = table[i];
		if ((e & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			continue;
		bool mine = check && h->own && h->own(va, va + size);
		int r;
		if (is_leaf(e, level))
			r = mine ? 0 : harvest_leaf(h, va, &table[i], level);
		else
			r = harvest_table(h, table_of(pt, e), level - 1, va,
			                  start > va ? start : va,
			                  end < va + size ? end : va + size, mine, pt);
		if (r)
			return r;
	}
	return 0;
}

int dune_vm_take_accessed(struct dune_pt *pt, uintptr_t start, uintptr_t end,
                          bool (*own)(uintptr_t lo, uintptr_t hi), dune_pt_accessed_cb cb,
                          void *arg, size_t *walked)
{
	struct harvest h = {.own = own, .cb = cb, .arg = arg};
	if (end > DUNE_USER_VA_END)
		end = DUNE_USER_VA_END;
	int r = 0;
	if (start < end) {
		r = harvest_table(&h, pt->root, 3, 0, start & ~(DUNE_PAGE_SIZE - 1), end, true, pt);
		if (r == 0)
			r = harvest_emit(&h);
	}
	if (walked)
		*walked = h.walked;
	return r;
}

static int clone_table(struct dune_pt *dst, const dune_pte_t *src_table, dune_pte_t *dst_table,
                       int level, struct dune_pt *src)
{
	for (int i = 0; i < 512; i++) {
		dune_pte_t e = src_table[i];
		if (!(e & PTE_P) || is_leaf(e, level)) {
			dst_table[i] = e;
			continue;
		}
		dune_pte_t *child = dune_page_alloc(dst->pool);
		if (!child)
			return -ENOMEM;
		dst_table[i] = dune_page_pa(dst->pool, child) | (e & ~PTE_ADDR_MASK);
		int r = clone_table(dst, table_of(src, e), child, level - 1, src);
		if (r)
			return r;
	}
	return 0;
}

int dune_vm_clone(struct dune_pt *dst, struct dune_pt *src)
{
	int r = dune_pt_init(dst, src->pool, src->layout);
	if (r)
		return r;
	dune_spin_lock(&src->lock);
	r = clone_table(dst, src->root, dst->root, 3, src);
	dune_spin_unlock(&src->lock);
	if (r)
		dune_vm_free(dst);
	return r;
}

void dune_vm_free(struct dune_pt *pt)
{
	if (!pt->root)
		return;
	free_subtree(pt, pt->root, 3);
	pt->root = NULL;
}
