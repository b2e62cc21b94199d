// SPDX-License-Identifier: MIT
/* The page allocator behind page tables and runtime structures (dune/vm.h). */
#include <dune/vm.h>

#include <string.h>

void dune_page_pool_init(struct dune_page_pool *pool, void *base, uint64_t base_pa, size_t bytes)
{
	memset(pool, 0, sizeof(*pool));
	pool->base = (uintptr_t)base;
	pool->base_pa = base_pa;
	pool->npages = bytes / DUNE_PAGE_SIZE;
}

void *dune_page_alloc(struct dune_page_pool *pool)
{
	void *page = NULL;

	dune_spin_lock(&pool->lock);
	if (pool->free_list) {
		page = pool->free_list;
		pool->free_list = *(void **)page;
	} else if (pool->next < pool->npages) {
		page = (void *)(pool->base + pool->next * DUNE_PAGE_SIZE);
		pool->next++;
	}
	if (page)
		pool->in_use++;
	dune_spin_unlock(&pool->lock);
	if (page)
		memset(page, 0, DUNE_PAGE_SIZE);
	return page;
}

void dune_page_free(struct dune_page_pool *pool, void *page)
{
	dune_spin_lock(&pool->lock);
	*(void **)page = pool->free_list;
	pool->free_list = page;
	pool->in_use--;
	dune_spin_unlock(&pool->lock);
}

bool dune_page_in_pool(const struct dune_page_pool *pool, const void *va)
{
	uintptr_t a = (uintptr_t)va;
	return a >= pool->base && a < pool->base + pool->npages * DUNE_PAGE_SIZE;
}

uint64_t dune_page_pa(const struct dune_page_pool *pool, const void *va)
{
	return pool->base_pa + ((uintptr_t)va - pool->base);
}

void *dune_page_va(const struct dune_page_pool *pool, uint64_t pa)
{
	return (void *)(pool->base + (pa - pool->base_pa));
}
