// SPDX-License-Identifier: MIT
/*
 * Ring-0 capture: the syscall handler that dtrace-lite's injected runtime
 * registers. It copies what the formatter will need (strings and buffers up
 * to the -s limit) into an event, passes the call through, adds what the
 * kernel wrote, and publishes the event in the shared ring. Interrupt
 * context: no locks, no allocation; tracee memory is read only where the
 * guest page table says ring 3 could read it, so a bad pointer is recorded
 * as unreadable, never a fault in ring 0.
 */
#include <dtl/capture.h>
#include <dtl/catalogue.h>
#include <dtl/ring.h>

#include <dune/dune.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

static struct dtl_ring *ring;
static __thread int cached_pid, cached_tid;

static void yield(void)
{
	dune_syscall6(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
}

/* Can ring 3 read [addr, addr+len)? */
static bool user_readable(uintptr_t addr, size_t len)
{
	if (!addr || addr + len < addr || addr + len > DUNE_USER_VA_END)
		return false;
	for (uintptr_t p = addr & ~4095UL; p < addr + len; p += 4096) {
		dune_pte_t *pte;
		int level;
		if (dune_vm_lookup(dune_pgroot(), p, false, &pte, &level) ||
		    (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			return false;
	}
	return true;
}

static void add_blob(struct dtl_event *ev, int arg, uintptr_t src, size_t len, size_t limit,
                     bool string)
{
	if (ev->nblobs == DTL_EVENT_MAX_BLOBS)
		return;
	struct dtl_blob *b = &ev->blobs[ev->nblobs];
	uint32_t used =
	    ev->nblobs ? ev->blobs[ev->nblobs - 1].offset + ev->blobs[ev->nblobs - 1].len : 0;
	size_t room = DTL_EVENT_DATA - used;
	if (limit > room)
		limit = room;
	b->arg = (uint8_t)arg;
	b->flags = 0;
	b->offset = used;
	b->len = 0;
	if (string) {
		/* byte by byte up to the NUL, a page check at each page start */
		size_t n = 0;
		for (; n < limit + 1 && n < room; n++) {
			if ((n == 0 || ((src + n) & 4095) == 0) && !user_readable(src + n, 1)) {
				if (n == 0)
					b->flags = DTL_BLOB_FAULT;
				break;
			}
			char c = *(const char *)(src + n);
			if (!c)
				break;
			if (n == limit) {
				b->flags |= DTL_BLOB_TRUNCATED;
				break;
			}
			ev->data[used + n] = c;
		}
		b->len = (uint16_t)(n > limit ? limit : n);
	} else {
		size_t n = len < limit ? len : limit;
		if (!user_readable(src, n ? n : 1)) {
			b->flags = DTL_BLOB_FAULT;
		} else {
			memcpy(ev->data + used, (const void *)src, n);
			b->len = (uint16_t)n;
			if (n < len)
				b->flags |= DTL_BLOB_TRUNCATED;
		}
	}
	ev->nblobs++;
}

static void capture_args(struct dtl_event *ev, const struct dtl_syscall_desc *d, bool at_exit)
{
	for (int i = 0; i < d->nargs; i++) {
		const struct dtl_arg_desc *a = &d->args[i];
		const struct dtl_arg_kind_info *k = dtl_arg_kind_info(a->kind);
		uintptr_t p = ev->args[i];
		if (!k || !p)
			continue;
		bool want = at_exit ? (a->dir == DTL_DIR_OUT || a->dir == DTL_DIR_INOUT)
		                    : (a->dir == DTL_DIR_IN);
		if (!want)
			continue;
		if (k->mem == DTL_MEM_STRING) {
			add_blob(ev, i, p, 0, ring->strsize, true);
		} else if (k->mem == DTL_MEM_BYTES) {
			long len = a->len_src == DTL_LEN_RET   ? ev->ret
			           : a->len_src == DTL_LEN_ARG ? (long)ev->args[a->len_arg]
			                                       : (long)k->size;
			if (len < 0 || (a->len_src == DTL_LEN_RET && ev->ret < 0))
				continue;
			add_blob(ev, i, p, (size_t)len, ring->strsize, false);
		}
	}
}

static void publish(const struct dtl_event *staged)
{
	uint64_t seq;
	struct dtl_event *ev = dtl_ring_claim(ring, &seq, yield);
	size_t used = staged->nblobs ? staged->blobs[staged->nblobs - 1].offset +
	                                   staged->blobs[staged->nblobs - 1].len
	                             : 0;
	memcpy(ev, staged, offsetof(struct dtl_event, data) + used);
	dtl_ring_publish(ring, seq);
}

static void on_syscall(struct dune_tf *tf)
{
	struct dtl_event ev;
	long nr = (long)tf->rax;
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);

	if (!cached_tid) {
		cached_pid = (int)dune_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
		cached_tid = (int)dune_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0);
	}
	ev.type = DTL_EV_SYSCALL;
	ev.pid = cached_pid;
	ev.tid = cached_tid;
	ev.nblobs = 0;
	ev.nr = nr;
	ev.args[0] = tf->rdi;
	ev.args[1] = tf->rsi;
	ev.args[2] = tf->rdx;
	ev.args[3] = tf->r10;
	ev.args[4] = tf->r8;
	ev.args[5] = tf->r9;
	ev.ret = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ev.ts_enter_ns = (uint64_t)t0.tv_sec * 1000000000ull + (uint64_t)t0.tv_nsec;
	if (d)
		capture_args(&ev, d, false);

	/* calls after which the caller may be gone: their entry is reported
	 * first, so that the trace keeps them (strace's "= ?") */
	bool no_return = d && (d->ret == DTL_RET_NONE || nr == SYS_execve || nr == SYS_execveat ||
	                       nr == SYS_kill || nr == SYS_tkill || nr == SYS_tgkill ||
	                       nr == SYS_rt_sigqueueinfo || nr == SYS_rt_tgsigqueueinfo);
	if (no_return) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		ev.ts_ns = (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
		ev.type = DTL_EV_ENTER;
		publish(&ev);
		ev.type = DTL_EV_SYSCALL;
	}
	dune_passthrough_syscall(tf);
	ev.ret = dune_last_syscall_result();
	if ((nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3) &&
	    ev.ret == 0) {
		/* a new process or thread: its ids are its own */
		cached_pid = (int)dune_syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0);
		cached_tid = (int)dune_syscall6(SYS_gettid, 0, 0, 0, 0, 0, 0);
		return; /* the parent reports the call */
	}
	if (d)
		capture_args(&ev, d, true);
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	ev.ts_ns = (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
	publish(&ev);
}

int dtl_capture_start(void *ring_memory)
{
	ring = ring_memory;
	if (ring->magic != DTL_RING_MAGIC)
		return -1;
	dune_register_syscall_handler(on_syscall);
	return 0;
}
