// SPDX-License-Identifier: MIT
/* Guest-physical layout (see dune/layout.h). */
#include <dune/layout.h>

#include <errno.h>
#include <string.h>

void dune_layout_init(struct dune_layout *l, unsigned phys_bits)
{
	memset(l, 0, sizeof(*l));
	l->phys_bits = phys_bits;
	/* Identity needs every user address (< 2^47) to be a valid GPA; with
	 * MAXPHYADDR 47 the top GPA bit would collide with KVM's use of the
	 * highest physical bits for its MMIO markers, so ask for 48. */
	l->identity = phys_bits >= 48;
	l->gpa_limit = phys_bits >= 64 ? ~0ULL : 1ULL << phys_bits;
	l->gpa_next = DUNE_LAYOUT_COMPRESSED_BASE;
}

/* Index of the first run whose end is above @hva (lock held). */
static uint32_t first_run_ending_after(const struct dune_layout *l, uint64_t hva)
{
	uint32_t lo = 0, hi = l->nruns;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (l->runs[mid].hva + l->runs[mid].len <= hva)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int insert_run(struct dune_layout *l, uint32_t at, uint64_t hva, uint64_t len)
{
	uint64_t gpa;

	if (l->nruns == DUNE_LAYOUT_MAX_RUNS)
		return -ENOSPC;
	if (l->identity) {
		gpa = hva;
	} else {
		/* keep every run's GPA 2 MiB aligned, even after a short run at
		 * the very top of user space */
		uint64_t span = (len + DUNE_LAYOUT_GRANULE - 1) & ~(DUNE_LAYOUT_GRANULE - 1);
		if (l->gpa_limit - l->gpa_next < span)
			return -ENOSPC;
		gpa = l->gpa_next;
		l->gpa_next += span;
	}
	memmove(&l->runs[at + 1], &l->runs[at], (l->nruns - at) * sizeof(l->runs[0]));
	l->runs[at] = (struct dune_layout_run){.hva = hva, .len = len, .gpa = gpa};
	l->nruns++;
	return 0;
}

int dune_layout_cover(struct dune_layout *l, uint64_t hva, uint64_t len,
                      struct dune_layout_run *new_runs, int max_new)
{
	const uint64_t g = DUNE_LAYOUT_GRANULE;
	uint64_t start = hva & ~(g - 1);
	uint64_t end = (hva + len + g - 1) & ~(g - 1);

	if (end > DUNE_USER_VA_END)
		end = DUNE_USER_VA_END;
	int created = 0, err = 0;

	if (len == 0)
		return 0;
	if (hva + len < hva || hva + len > DUNE_USER_VA_END)
		return -EINVAL;

	dune_spin_lock(&l->lock);
	uint32_t i = first_run_ending_after(l, start);
	uint64_t cur = start;
	while (cur < end) {
		if (i < l->nruns && l->runs[i].hva <= cur) {
			/* covered by run i: skip past it */
			cur = l->runs[i].hva + l->runs[i].len;
			i++;
			continue;
		}
		uint64_t gap_end = end;
		if (i < l->nruns && l->runs[i].hva < gap_end)
			gap_end = l->runs[i].hva;
		if (created == max_new) {
			err = -ENOSPC;
			break;
		}
		err = insert_run(l, i, cur, gap_end - cur);
		if (err)
			break;
		new_runs[created++] = l->runs[i];
		i++;
		cur = gap_end;
	}
	dune_spin_unlock(&l->lock);
	return err ? err : created;
}

uint64_t dune_layout_hva_to_gpa(struct dune_layout *l, uint64_t hva)
{
	uint64_t pa = DUNE_BAD_PA;

	dune_spin_lock(&l->lock);
	uint32_t i = first_run_ending_after(l, hva);
	if (i < l->nruns && l->runs[i].hva <= hva)
		pa = l->runs[i].gpa + (hva - l->runs[i].hva);
	dune_spin_unlock(&l->lock);
	return pa;
}

uint64_t dune_layout_gpa_to_hva(struct dune_layout *l, uint64_t gpa)
{
	uint64_t va = DUNE_BAD_PA;

	dune_spin_lock(&l->lock);
	if (l->identity) {
		uint32_t i = first_run_ending_after(l, gpa);
		if (i < l->nruns && l->runs[i].hva <= gpa)
			va = gpa;
	} else {
		/* runs are handed out in increasing GPA order, but sorted by HVA */
		for (uint32_t i = 0; i < l->nruns; i++) {
			const struct dune_layout_run *r = &l->runs[i];
			if (gpa >= r->gpa && gpa - r->gpa < r->len) {
				va = r->hva + (gpa - r->gpa);
				break;
			}
		}
	}
	dune_spin_unlock(&l->lock);
	return va;
}
