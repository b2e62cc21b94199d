// SPDX-License-Identifier: MIT
/*
 * Host side: the memory model. The guest page tables follow the process's
 * address space: what the host maps with which permissions (mmap, mprotect,
 * mremap, brk, shmat), and memory the guest touches before its tables have
 * it (stack growth, mappings made outside the VM). Guest-physical room comes
 * from the layout (mm/layout.c), whose runs the backend makes guest memory.
 */
#include "hooks.h"
#include "monitor.h"

#include <dune/procmap.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define DUNE_MADV_GUARD_INSTALL 102 /* <sys/mman.h> has it from glibc 2.42 */

int dune_prot_to_perm(int prot)
{
	int perm = 0;

	if (prot & PROT_READ)
		perm |= DUNE_PERM_R;
	if (prot & PROT_WRITE)
		perm |= DUNE_PERM_W | DUNE_PERM_R;
	if (prot & PROT_EXEC)
		perm |= DUNE_PERM_X | DUNE_PERM_R;
	return perm ? perm | DUNE_PERM_U | DUNE_PERM_BIG : 0;
}

/* Gives @run to the backend as guest memory, or, when it continues
 * @pending in both host-virtual and guest-physical space, extends @pending:
 * each backend slot costs a hypervisor synchronisation (kvm: an SRCU grace
 * period, backend/kvm/slots.c), so adjacent runs share one. */
static int map_run_merging(struct dune_layout_run *pending, const struct dune_layout_run *run)
{
	if (pending->len && run->hva == pending->hva + pending->len &&
	    run->gpa == pending->gpa + pending->len) {
		pending->len += run->len;
		return 0;
	}
	int r = pending->len ? dune_backend->map_run(pending) : 0;
	if (r == 0 && pending->len && dune_this_cpu())
		dune_tls_stats.slots++;
	*pending = *run;
	return r;
}

/* While dune_mem_init registers the process's memory, new runs only enter
 * the layout; they become backend slots at its end, merged (one slot per
 * stretch of adjacent runs, see map_run_merging). */
static bool slots_deferred;

/* Make [va, va+len) guest-physical: new layout runs become guest memory. */
static int cover(uintptr_t va, size_t len)
{
	struct dune_layout_run runs[16], pending = {0};
	uintptr_t end = va + len;

	/* in pieces so that the run buffer always suffices */
	for (uintptr_t cur = va; cur < end;) {
		size_t piece = end - cur;
		if (piece > 8 * DUNE_LAYOUT_GRANULE)
			piece = 8 * DUNE_LAYOUT_GRANULE;
		int n = dune_layout_cover(dune_state.layout, cur, piece, runs, 16);
		if (n < 0) {
			dune_set_error("no guest-physical space for %#lx-%#lx (%u physical address "
			               "bits): %s",
			               (unsigned long)cur, (unsigned long)(cur + piece),
			               dune_state.phys_bits, strerror(-n));
			return n;
		}
		for (int i = 0; i < n && !slots_deferred; i++) {
			int r = map_run_merging(&pending, &runs[i]);
			if (r)
				return r;
		}
		cur += piece;
	}
	/* the last one */
	struct dune_layout_run none = {0};
	return map_run_merging(&pending, &none);
}

/* /proc/self/pagemap, read ahead in the order the page walk asks. */
struct resident {
	int fd;
	uintptr_t access; /* the page of the guest's access being resolved */
	uintptr_t first;  /* the page of entries[0] */
	int n;
	uint64_t entries[512];
};

/* First-touch mode: a page the host already has in this process's page
 * table (ld.so and the runtime touched it before the VM, or the kernel
 * wrote it) would not fault natively, so it is no first touch here either;
 * nor is the runtime's and the tools' own memory. */
static bool already_touched(void *arg, uintptr_t va)
{
	struct resident *r = arg;
	if (va == r->access)
		return false;
	if (dune_runtime_owns(va, va + DUNE_PAGE_SIZE) || dune_protect_hidden(va))
		return true;
	if (r->fd < 0)
		return false;
	if (va < r->first || va >= r->first + (uintptr_t)r->n * DUNE_PAGE_SIZE) {
		long got =
		    dune_raw_syscall6(SYS_pread64, r->fd, (long)r->entries, sizeof(r->entries),
		                      (long)(va / DUNE_PAGE_SIZE * 8), 0, 0);
		r->first = va;
		r->n = got > 0 ? (int)(got / 8) : 0;
		if (!r->n)
			return false;
	}
	/* bit 63: present in RAM (Documentation/admin-guide/mm/pagemap.rst) */
	return r->entries[(va - r->first) / DUNE_PAGE_SIZE] >> 63;
}

static int mark_touched(uintptr_t va, size_t len, uintptr_t access)
{
	struct resident r = {.fd = (int)dune_raw_syscall6(SYS_open, (long)"/proc/self/pagemap",
	                                                  O_RDONLY | O_CLOEXEC, 0, 0, 0, 0),
	                     .access = access & ~(DUNE_PAGE_SIZE - 1)};
	int e = dune_vm_touch_where(&dune_state.pt, va, len, already_touched, &r);
	if (r.fd >= 0)
		dune_raw_syscall6(SYS_close, r.fd, 0, 0, 0, 0, 0);
	return e;
}

/* @access: the address of a guest access that this mapping resolves (0:
 * none). The monitor may have touched its page natively to learn the
 * kernel's answer, but in first-touch mode it stays untouched: the guest's
 * retry is its first touch. */
static int add_range(uintptr_t va, size_t len, int perm, uintptr_t access)
{
	va &= ~(DUNE_PAGE_SIZE - 1);
	len = (len + DUNE_PAGE_SIZE - 1) & ~(DUNE_PAGE_SIZE - 1);
	if (!len)
		return 0;
	if (!perm)
		return dune_vm_unmap(&dune_state.pt, va, len);
	int r = cover(va, len);
	if (r)
		return r;
	/* Very large mappings (a sanitizer's shadow, a reserved heap) stay
	 * as they were: 4 KiB tables for all of them would exhaust the
	 * page pool (a table page maps 2 MiB; the pool holds 64 Ki pages) */
	bool lazy = dune_state.first_touch && len <= DUNE_FIRST_TOUCH_RANGE_MAX &&
	            !dune_runtime_owns(va, va + len);
	if (lazy)
		perm = (perm & ~DUNE_PERM_BIG) | DUNE_PERM_LAZY;
	r = dune_vm_map_pages(&dune_state.pt, va, len, perm);
	/* the host's rights minus the tools' restrictions (monitor/protect.c),
	 * first: the pagemap's reads below take a while */
	if (!r)
		r = dune_protect_apply(va, len);
	return !r && lazy ? mark_touched(va, len, access) : r;
}

int dune_mem_add_host_range(uintptr_t va, size_t len, int perm)
{
	return add_range(va, len, perm, 0);
}

int dune_map_host(uintptr_t va, size_t len, int perm)
{
	return dune_mem_add_host_range(va, len, perm);
}

static int perm_of(const struct dune_procmap_entry *e)
{
	int perm = 0;

	if (e->r)
		perm |= DUNE_PERM_R;
	if (e->w)
		perm |= DUNE_PERM_W | DUNE_PERM_R;
	if (e->x)
		perm |= DUNE_PERM_X | DUNE_PERM_R;
	return perm ? perm | DUNE_PERM_U | DUNE_PERM_BIG : 0;
}

bool dune_mem_runtime_overlaps(uintptr_t lo, uintptr_t hi)
{
	return (dune_state.rt_base && lo < dune_state.rt_base + RT_SIZE &&
	        hi > dune_state.rt_base) ||
	       dune_vcpu_blocks_overlap(lo, hi);
}

bool dune_mem_in_runtime(uintptr_t a)
{
	return dune_mem_runtime_overlaps(a, a + 1);
}

struct sync_range {
	uintptr_t lo, hi;
	int err;
};

static int sync_entry(const struct dune_procmap_entry *e, void *arg)
{
	struct sync_range *s = arg;

	if (e->end <= s->lo)
		return 0;
	if (e->begin >= s->hi)
		return 1;
	if (e->kind == DUNE_MAP_VSYSCALL || e->end > DUNE_USER_VA_END ||
	    dune_mem_in_runtime(e->begin))
		return 0;
	uintptr_t b = e->begin > s->lo ? e->begin : s->lo;
	uintptr_t en = e->end < s->hi ? e->end : s->hi;
	int r = dune_mem_add_host_range(b, en - b, perm_of(e));
	if (r) {
		s->err = r;
		return 1;
	}
	return 0;
}

/* Make the guest's view of [lo, hi) what /proc/self/maps says. */
static int sync_from_maps(uintptr_t lo, uintptr_t hi)
{
	struct sync_range s = {lo, hi, 0};

	dune_vm_unmap(&dune_state.pt, lo, hi - lo);
	int r = dune_procmap_iterate(sync_entry, &s);
	return s.err ? s.err : (r < 0 ? r : 0);
}

int dune_mem_resync(uintptr_t lo, uintptr_t hi)
{
	return sync_from_maps(lo, hi);
}

static int init_entry(const struct dune_procmap_entry *e, void *arg)
{
	(void)arg;
	if (e->kind == DUNE_MAP_STACK) {
		struct rlimit rl;
		uint64_t room = 64ULL << 20;
		if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
		    rl.rlim_cur < room)
			room = rl.rlim_cur;
		dune_state.stack_hi = e->end;
		dune_state.stack_lo = e->end > room ? e->end - room : 0;
		/* guest-physical room for growth now, page-table entries on demand */
		int r = cover(dune_state.stack_lo, e->begin - dune_state.stack_lo);
		if (r)
			return r;
	}
	if (e->kind == DUNE_MAP_VSYSCALL || e->end > DUNE_USER_VA_END ||
	    dune_mem_in_runtime(e->begin))
		return 0;
	return dune_mem_add_host_range(e->begin, e->end - e->begin, perm_of(e));
}

/* The layout's runs as backend slots, adjacent ones merged. */
static int map_layout_merged(void)
{
	struct dune_layout_run pending = {0}, none = {0};
	const struct dune_layout *l = dune_state.layout;
	for (uint32_t i = 0; i < l->nruns; i++) {
		int r = map_run_merging(&pending, &l->runs[i]);
		if (r)
			return r;
	}
	return map_run_merging(&pending, &none);
}

/* the runtime: supervisor-only, so ring 3 cannot touch it (where the
 * backend allows: not on PVM, see backend/kvm/pvm.c) */
static int map_runtime(uintptr_t va, size_t len)
{
	int perm = DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_BIG;
	if (!dune_backend->has_capability(DUNE_CAP_SUPERVISOR_PAGES))
		perm |= DUNE_PERM_U;
	return dune_vm_map_pages(&dune_state.pt, va, len, perm);
}

int dune_mem_add_runtime_range(uintptr_t va, size_t len)
{
	int r = cover(va, len);
	return r ? r : map_runtime(va, len);
}

static int register_process_memory(void)
{
	uintptr_t rt = dune_state.rt_base;
	int r = cover(rt, RT_SIZE);
	if (r)
		return r;
	dune_page_pool_init(&dune_state.pool, (void *)(rt + RT_POOL_OFF),
	                    dune_layout_hva_to_gpa(dune_state.layout, rt + RT_POOL_OFF),
	                    RT_POOL_SIZE);
	r = dune_pt_init(&dune_state.pt, &dune_state.pool, dune_state.layout);
	if (r)
		return r;
	r = map_runtime(rt, RT_SIZE);
	if (r)
		return r;
	r = dune_procmap_iterate(init_entry, NULL);
	return r < 0 ? r : 0;
}

int dune_mem_init(void)
{
	/* no vCPU runs before this returns: the slots can wait for the whole
	 * layout (each slot costs the backend a synchronisation) */
	slots_deferred = true;
	int r = register_process_memory();
	slots_deferred = false;
	return r ? r : map_layout_merged();
}

static void request_flush(struct dune_percpu *pc)
{
	pc->tlb_flush_pending = 1;
	dune_tls_stats.tlb_flushes++;
}

void dune_mem_unmap_guest(struct dune_percpu *pc, uintptr_t addr, size_t len)
{
	uintptr_t lo = addr & ~(uintptr_t)(DUNE_PAGE_SIZE - 1);
	uintptr_t hi = (addr + len + DUNE_PAGE_SIZE - 1) & ~(uintptr_t)(DUNE_PAGE_SIZE - 1);
	dune_vm_unmap(&dune_state.pt, lo, hi - lo);
	request_flush(pc);
}

static int unmap_program_entry(const struct dune_procmap_entry *e, void *arg)
{
	(void)arg;
	if (e->kind == DUNE_MAP_VSYSCALL || e->end > DUNE_USER_VA_END ||
	    dune_mem_in_runtime(e->begin) || dune_runtime_owns(e->begin, e->end))
		return 0;
	dune_vm_unmap(&dune_state.pt, e->begin, e->end - e->begin);
	return 0;
}

/*
 * KVM_RUN failed with EFAULT: the hypervisor could not fault in a page the
 * guest's page table maps (a shared file's page that needs a block a full
 * file system no longer has; natively SIGBUS at that access), and it does
 * not say which page. The program's memory leaves the guest's page table:
 * the access is retried as a guest page fault, which the monitor resolves
 * or turns into the kernel's signal (dune_mem_fault's replay), and the
 * rest comes back on demand. Only after such a failure: mapping eagerly
 * keeps every other fault inside the hypervisor.
 */
void dune_mem_unmap_program(struct dune_percpu *pc)
{
	dune_procmap_iterate(unmap_program_entry, NULL);
	request_flush(pc);
}

/*
 * Of @len bytes of file @fd mapped from @offset, those the host can fault
 * in: a page past the file's end cannot be (SIGBUS natively), and a guest
 * mapping of it would fail inside KVM_RUN, where the monitor cannot tell
 * which access failed. Left out of the guest's tables, it faults to
 * dune_mem_fault, which replays it natively.
 */
static size_t file_backed_len(int fd, uint64_t offset, size_t len)
{
	struct stat st;
	if (dune_raw_syscall6(SYS_fstat, fd, (long)&st, 0, 0, 0, 0) < 0 || !S_ISREG(st.st_mode))
		return len;
	if ((uint64_t)st.st_size <= offset)
		return 0;
	uint64_t in_file =
	    ((uint64_t)st.st_size - offset + DUNE_PAGE_SIZE - 1) & ~(uint64_t)(DUNE_PAGE_SIZE - 1);
	return in_file < len ? (size_t)in_file : len;
}

/*
 * PROT_EXEC without PROT_READ. x86 paging cannot make an executable page
 * unreadable (only a protection key can: Linux uses one for such mappings
 * where the CPU has PKU), so natively the program runs it and, without
 * PKU, reads it too. But the VMA lacks VM_READ, and the hypervisor's
 * get_user_pages for the guest's instruction fetch fails on it: the VM
 * stops with EFAULT. The host mapping gets PROT_READ as well (the guest's
 * stays as asked); /proc/self/maps then says r-x.
 */
const uint64_t *dune_mem_exec_only(long nr, const uint64_t *args, uint64_t *widened)
{
	if ((nr != SYS_mmap && nr != SYS_mprotect && nr != SYS_pkey_mprotect) ||
	    !(args[2] & PROT_EXEC) || (args[2] & PROT_READ))
		return args;
	memcpy(widened, args, 6 * sizeof(*args));
	widened[2] |= PROT_READ;
	return widened;
}

void dune_mem_after_syscall(struct dune_percpu *pc, long nr, const uint64_t *a, long ret)
{
	if (ret < 0 && ret > -4096)
		return;
	switch (nr) {
	case SYS_mmap:
		if (a[3] & MAP_FIXED)
			dune_protect_forget((uintptr_t)ret, a[1], DUNE_OVERLAY_UNMAPPED, 0);
		/* new memory: what was touched there before is gone with it */
		if ((a[3] & MAP_FIXED) && dune_state.first_touch)
			dune_mem_unmap_guest(pc, (uintptr_t)ret, a[1]);
		dune_mem_add_host_range(
		    (uintptr_t)ret,
		    a[3] & MAP_ANONYMOUS ? a[1] : file_backed_len((int)a[4], a[5], a[1]),
		    dune_prot_to_perm((int)a[2]));
		if (a[3] & MAP_FIXED)
			request_flush(pc);
		break;
	case SYS_madvise:
		/* guard markers (Linux 6.13): the host will not fault those pages
		 * in, so the guest must not map them; an access faults to the
		 * monitor, whose replay gets the kernel's SIGSEGV */
		if (a[2] == DUNE_MADV_GUARD_INSTALL)
			dune_mem_unmap_guest(pc, a[0], a[1]);
		break;
	case SYS_munmap:
		dune_mem_unmap_guest(pc, a[0], a[1]);
		dune_protect_forget(a[0], a[1], DUNE_OVERLAY_UNMAPPED, 0);
		break;
	case SYS_mprotect:
	case SYS_pkey_mprotect:
		dune_mem_add_host_range(a[0], a[1], dune_prot_to_perm((int)a[2]));
		request_flush(pc);
		break;
	case SYS_mremap:
		dune_vm_unmap(&dune_state.pt, a[0] & ~(DUNE_PAGE_SIZE - 1),
		              (a[1] + DUNE_PAGE_SIZE - 1) & ~(DUNE_PAGE_SIZE - 1));
		sync_from_maps((uintptr_t)ret, ((uintptr_t)ret + a[2] + DUNE_PAGE_SIZE - 1) &
		                                   ~(DUNE_PAGE_SIZE - 1));
		request_flush(pc);
		dune_protect_forget(a[0], a[1], DUNE_OVERLAY_MOVED, (uintptr_t)ret);
		break;
	case SYS_brk: {
		static uintptr_t last_brk;
		uintptr_t old = last_brk ? last_brk : (uintptr_t)ret;
		uintptr_t lo =
		    (old < (uintptr_t)ret ? old : (uintptr_t)ret) & ~(DUNE_PAGE_SIZE - 1);
		uintptr_t hi =
		    ((old > (uintptr_t)ret ? old : (uintptr_t)ret) + DUNE_PAGE_SIZE - 1) &
		    ~(DUNE_PAGE_SIZE - 1);
		last_brk = (uintptr_t)ret;
		if (hi > lo) {
			sync_from_maps(lo, hi);
			request_flush(pc);
		}
		uintptr_t kept = ((uintptr_t)ret + DUNE_PAGE_SIZE - 1) & ~(DUNE_PAGE_SIZE - 1);
		if (kept < hi)
			dune_protect_forget(kept, hi - kept, DUNE_OVERLAY_UNMAPPED, 0);
		break;
	}
	case SYS_shmat:
		sync_from_maps((uintptr_t)ret, (uintptr_t)ret + DUNE_LAYOUT_GRANULE);
		break;
	default:
		break;
	}
}

struct find_ctx {
	uintptr_t addr;
	bool found;
	struct dune_procmap_entry e;
	uintptr_t prev_end; /* end of the mapping below addr */
};

static int find_entry(const struct dune_procmap_entry *e, void *arg)
{
	struct find_ctx *f = arg;

	if (e->end <= f->addr) {
		f->prev_end = e->end;
		return 0;
	}
	if (e->begin <= f->addr) {
		f->found = true;
		f->e = *e;
		f->e.path = "";
	}
	return 1;
}

/*
 * A page fault the guest could not resolve itself: is the memory there in
 * the host? Returns 0 after mapping it (the guest retries the access), or a
 * positive signal number for a real fault.
 */
int dune_mem_fault(struct dune_percpu *pc, uintptr_t addr, uint64_t fec)
{
	struct find_ctx f = {.addr = addr};
	bool write = fec & PF_ERR_W;

	/* the runtime's memory is not the program's: unmapped, as it sees it */
	if (dune_mem_in_runtime(addr))
		return SIGSEGV;
	if (addr >= DUNE_USER_VA_END) /* what the kernel says of it, exactly */
		return dune_replay_guest_access(pc, addr, write) ?: SIGSEGV;
	/* A tool's restriction that no #PF hook resolved: the page is mapped
	 * as restricted (a private view may show it, dune/hook.h), never past
	 * that, and the access is the program's SIGSEGV. */
	bool denied = dune_protect_denies(addr, fec);
	dune_procmap_iterate(find_entry, &f);
	if (!f.found && addr >= dune_state.stack_lo && addr < dune_state.stack_hi &&
	    addr >= f.prev_end + (1UL << 20)) {
		/* Below the main stack, within its rlimit: grow it the way the
		 * kernel would on a native fault, by touching it here. */
		(void)*(volatile char *)addr;
		f = (struct find_ctx){.addr = addr};
		dune_procmap_iterate(find_entry, &f);
		if (f.found && f.e.kind == DUNE_MAP_STACK) {
			/* map the whole grown part, down to the fault */
			f.e.end = dune_state.stack_hi;
		}
	}
	if (!f.found) {
		/* not in our view of the address space: the kernel may still
		 * have it (a MAP_GROWSDOWN stack grows, a mapping made behind
		 * our back) or says which signal it is */
		int sig = dune_replay_guest_access(pc, addr, write);
		if (sig)
			return sig;
		f = (struct find_ctx){.addr = addr};
		dune_procmap_iterate(find_entry, &f);
		if (!f.found)
			return SIGSEGV;
	}

	int perm = perm_of(&f.e);
	bool fetch = fec & PF_ERR_ID;
	bool ok = (perm & DUNE_PERM_R) && (!write || (perm & DUNE_PERM_W)) &&
	          (!fetch || (perm & DUNE_PERM_X));
	if (!ok) /* a fetch cannot be replayed: it is the mapping's ACCERR */
		return fetch ? SIGSEGV : dune_replay_guest_access(pc, addr, write) ?: SIGSEGV;

	/* Already mapped as the host has it? Then this is not ours to fix. */
	dune_pte_t *pte;
	int level;
	if (!(fec & PF_ERR_RSV) && dune_vm_lookup(&dune_state.pt, addr, false, &pte, &level) == 0 &&
	    (*pte & PTE_P) && (dune_pte_to_perm(*pte) & perm) == perm) {
		/* Another vCPU may have mapped it after this one cached the
		 * old entry: flush and retry, once per address. */
		if (pc->last_fault_addr == addr)
			return SIGSEGV;
		pc->last_fault_addr = addr;
		request_flush(pc);
		return 0;
	}
	pc->last_fault_addr = 0;

	/* The host must be able to fault the page in for the guest: past a
	 * file's end, in a guard region or with a full file system it cannot,
	 * and the program gets the kernel's signal instead. */
	if (!fetch) {
		int sig = dune_replay_guest_access(pc, addr, write);
		if (sig)
			return sig;
	}
	/* a file's mapping: the page alone, the rest may lie past its end;
	 * a userfaultfd's: the page alone, the rest its handler fills when
	 * the program touches it (uffd.c) */
	uintptr_t lo = f.e.begin, hi = f.e.end;
	if (f.e.inode || dune_uffd_covers(addr)) {
		lo = addr & ~(uintptr_t)(DUNE_PAGE_SIZE - 1);
		hi = lo + DUNE_PAGE_SIZE;
	}
	if (add_range(lo, hi - lo, perm, addr) < 0)
		return SIGSEGV;
	request_flush(pc);
	return denied ? SIGSEGV : 0;
}
