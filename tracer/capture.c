// SPDX-License-Identifier: MIT
/*
 * Ring-0 capture: the hooks dtrace-lite's injected runtime adds to libdune's
 * chains (dune/hook.h). The entry hook copies what the formatter will need
 * (strings and buffers up to the -s limit) into an event staged per vCPU and
 * lets the call pass on (to other tools' hooks, and to the host); the exit
 * hook adds what the kernel wrote and writes the call as a record of the
 * event stream into the shared ring (dtl/event.h, dtl/ring.h). Interrupt
 * context: no locks, no allocation; tracee memory is read only where the
 * guest page table says ring 3 could read it, so a bad pointer is recorded
 * as unreadable, never a fault in ring 0.
 */
#include <dtl/capture.h>
#include <dtl/catalogue.h>
#include <dtl/futex.h>
#include <dtl/ioctl.h>
#include <dtl/ring.h>

#include <dune/dune.h>
#include <dune/hook.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* rt_sigreturn finds struct ucontext at rsp (the handler's return popped
 * pretcode); uc_sigmask follows uc_flags, uc_link, uc_stack (8+8+24) and
 * the 256-byte sigcontext (arch/x86/include/uapi/asm/ucontext.h). */
#define RT_SIGFRAME_UC_SIGMASK (40 + 256)

static struct dtl_ring *ring;
/* this process's producers between claiming a record and saying so */
static struct dtl_claim_gate gate;

/* how long a thread ending its process waits for the others to leave the
 * claim window: instructions, unless one is stopped or preempted there */
#define GATE_WAIT_NS 100000000 /* 100 ms */

/*
 * A signal arrives at the end of a passed-through call, before the call's
 * own record is published (libdune runs the signal hooks before the exit
 * hooks); the program sees it (its handler runs) after the call returned,
 * so it is reported after the call, as strace does.
 */
struct deferred_signal {
	int sig;
	bool fatal;
	char info[128];
};

/*
 * A call between its entry and its exit hook: the staged event and the
 * signals deferred meanwhile. Per vCPU, not per thread: a vfork child runs
 * on a vCPU of its own, but shares its parent's TLS while the parent waits
 * in its vfork. The monitor's signal hook runs for the same vCPU.
 */
struct call_frame {
	bool in_call; /* the entry hook staged ev; the exit hook has not run */
	int ndeferred;
	struct deferred_signal deferred[4];
	struct dtl_event ev;
};
/* each vCPU's, in its own block (dune_vcpu_tool_reserve) */
static long frame_offset;

static struct call_frame *this_frame(void)
{
	return dune_vcpu_tool_data(frame_offset);
}

static void publish_signal(int sig, const void *siginfo, bool fatal, bool ring0);

/* @v in decimal at @out (room for 11 digits), NUL-terminated; returns the
 * end. */
static char *put_decimal(char *out, unsigned v)
{
	char digits[12];
	int k = 0;
	do
		digits[k++] = (char)('0' + v % 10);
	while ((v /= 10) && k < 11);
	while (k)
		*out++ = digits[--k];
	*out = 0;
	return out;
}

/* A raw system call of three arguments, -errno on failure: ring 0's or the
 * host thread's. */
typedef long (*sys3_fn)(long nr, long a0, long a1, long a2);

/*
 * Is the front-end gone? No such process, or only its zombie is left: a
 * front-end killed by a signal stays a zombie until its parent waits for
 * it, which a parent that is not a shell (a script's Popen, a supervisor)
 * may never do, and kill(pid, 0) succeeds on a zombie.
 */
static bool consumer_gone(int pid, sys3_fn sys)
{
	if (sys(SYS_kill, pid, 0, 0) == -ESRCH)
		return true;
	char path[32] = "/proc/";
	strcpy(put_decimal(path + 6, (unsigned)pid), "/stat");
	long fd = sys(SYS_open, (long)path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd == -ENOENT;
	char buf[256];
	long n = sys(SYS_read, fd, (long)buf, sizeof(buf) - 1);
	sys(SYS_close, fd, 0, 0);
	if (n <= 0)
		return false;
	buf[n] = 0;
	/* "pid (comm) S ...": the state follows the last ')' */
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

/*
 * Waiting for room in the ring: yield; every 64th time, check that the
 * front-end still exists. If it died, nobody will ever read the ring: stop
 * tracing (drop mode, counted) so that the program runs on, as a program
 * does when strace dies.
 */
static bool consumer_alive(struct dtl_ring *r, sys3_fn sys)
{
	static __thread unsigned polls;
	if (++polls % 64 || !r->consumer_pid)
		return true;
	if (!consumer_gone(r->consumer_pid, sys))
		return true;
	__atomic_fetch_or(&r->flags, DTL_RING_DROP, __ATOMIC_RELAXED);
	return false;
}

static long ring0_sys(long nr, long a0, long a1, long a2)
{
	return dune_syscall6(nr, a0, a1, a2, 0, 0, 0);
}

static bool yield(struct dtl_ring *r)
{
	dune_syscall6(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
	return consumer_alive(r, ring0_sys);
}

/* The front-end sleeps on the doorbell: one more system call (an exit) */
static void ring0_wake(struct dtl_ring *r)
{
	dune_syscall6(SYS_futex, (long)&r->doorbell, FUTEX_WAKE, 1, 0, 0, 0);
}

/* Can ring 3 read [addr, addr+len)? */
static bool user_readable(uintptr_t addr, size_t len)
{
	return dune_vm_user_accessible(dune_pgroot(), addr, len, false);
}

/* Room left in the event's data area, and where it starts. */
static uint32_t data_used(const struct dtl_event *ev)
{
	return ev->nblobs ? ev->blobs[ev->nblobs - 1].offset + ev->blobs[ev->nblobs - 1].len : 0;
}

static struct dtl_blob *new_blob(struct dtl_event *ev, int arg, unsigned sub, bool entry)
{
	if (ev->nblobs == DTL_EVENT_MAX_BLOBS)
		return NULL;
	struct dtl_blob *b = &ev->blobs[ev->nblobs];
	b->arg = (uint8_t)arg;
	b->sub = (uint16_t)sub;
	b->flags = entry ? DTL_BLOB_ENTRY : 0;
	b->offset = (uint16_t)data_used(ev);
	b->len = 0;
	return b;
}

/* Copy up to @limit of the @len bytes at @src. Returns the blob, or NULL
 * when the event is full or @src could not be read (recorded as a fault). */
static const struct dtl_blob *copy_bytes(struct dtl_event *ev, int arg, unsigned sub, bool entry,
                                         uintptr_t src, size_t len, size_t limit)
{
	struct dtl_blob *b = new_blob(ev, arg, sub, entry);
	if (!b)
		return NULL;
	size_t room = DTL_EVENT_DATA - b->offset;
	size_t n = len < limit ? len : limit;
	if (n > room)
		n = room;
	if (!user_readable(src, n ? n : 1)) {
		b->flags |= DTL_BLOB_FAULT;
		ev->nblobs++;
		return NULL;
	}
	memcpy(ev->data + b->offset, (const void *)src, n);
	b->len = (uint16_t)n;
	if (n < len)
		b->flags |= DTL_BLOB_TRUNCATED;
	ev->nblobs++;
	return b;
}

/* A NUL-terminated string, at most @limit bytes of it. */
static void copy_string(struct dtl_event *ev, int arg, unsigned sub, bool entry, uintptr_t src,
                        size_t limit)
{
	struct dtl_blob *b = new_blob(ev, arg, sub, entry);
	if (!b)
		return;
	size_t room = DTL_EVENT_DATA - b->offset;
	if (limit > room)
		limit = room;
	size_t n = 0;
	/* byte by byte up to the NUL, a page check at each page start */
	for (;; n++) {
		if ((n == 0 || ((src + n) & 4095) == 0) && !user_readable(src + n, 1)) {
			if (n == 0)
				b->flags |= DTL_BLOB_FAULT;
			break;
		}
		char c = *(const char *)(src + n);
		if (!c)
			break;
		if (n == limit) {
			b->flags |= DTL_BLOB_TRUNCATED;
			break;
		}
		ev->data[b->offset + n] = c;
	}
	b->len = (uint16_t)n;
	ev->nblobs++;
}

/* One 64-bit word of tracee memory, if readable. */
static bool read_word(uintptr_t addr, uint64_t *v)
{
	if (!user_readable(addr, sizeof(*v)))
		return false;
	memcpy(v, (const void *)addr, sizeof(*v));
	return true;
}

static void copy_count(struct dtl_event *ev, int arg, bool entry, uint32_t count)
{
	struct dtl_blob *b = new_blob(ev, arg, DTL_SUB_OBJECT, entry);
	if (!b || DTL_EVENT_DATA - b->offset < (int)sizeof(count))
		return;
	memcpy(ev->data + b->offset, &count, sizeof(count));
	b->len = sizeof(count);
	ev->nblobs++;
}

/* argv: the pointers (at most -s of them), then each string; envp: only
 * how many variables there are (strace prints a count of vars). */
static void copy_strv(struct dtl_event *ev, int arg, bool entry, uintptr_t src, bool count_only)
{
	uint64_t p;
	uint32_t n = 0;
	if (count_only) {
		if (!read_word(src, &p)) { /* unreadable: printed as its address */
			struct dtl_blob *b = new_blob(ev, arg, DTL_SUB_OBJECT, entry);
			if (b) {
				b->flags |= DTL_BLOB_FAULT;
				ev->nblobs++;
			}
			return;
		}
		while (n < 100000 && read_word(src + 8 * n, &p) && p)
			n++;
		copy_count(ev, arg, entry, n);
		return;
	}
	size_t max = ring->strsize < 64 ? ring->strsize : 64;
	while (n <= max && read_word(src + 8 * n, &p) && p)
		n++;
	/* one more pointer than printed tells the formatter to add "..." */
	const struct dtl_blob *b =
	    copy_bytes(ev, arg, DTL_SUB_OBJECT, entry, src, 8 * (size_t)n, 8 * max);
	if (!b)
		return;
	const uint64_t *ptrs = (const uint64_t *)(ev->data + b->offset);
	for (uint32_t i = 0; i < b->len / 8; i++)
		copy_string(ev, arg, DTL_SUB_ELEM(i), entry, ptrs[i], ring->strsize);
}

/* struct iovec[count] and the data behind each, at most -s bytes of each
 * and, after the call, at most the @total bytes the kernel transferred. */
static void copy_iovec(struct dtl_event *ev, int arg, unsigned array_sub, unsigned elem_base,
                       bool entry, uintptr_t src, uint64_t count, int64_t total)
{
	/* as many elements as -s allows, and one more for strace's "..." */
	size_t max = (size_t)ring->strsize + 1 < 64 ? (size_t)ring->strsize + 1 : 64;
	if (count > 1024)
		count = 1024;
	const struct dtl_blob *b =
	    copy_bytes(ev, arg, array_sub, entry, src, 16 * (size_t)count, 16 * max);
	if (!b)
		return;
	const uint64_t *iov = (const uint64_t *)(ev->data + b->offset);
	for (uint32_t i = 0; i < b->len / 16; i++) {
		uint64_t len = iov[2 * i + 1];
		if (total >= 0) {
			if ((int64_t)len > total)
				len = (uint64_t)total;
			total -= (int64_t)len;
		}
		if (iov[2 * i] && len)
			copy_bytes(ev, arg, elem_base + i, entry, iov[2 * i], len, ring->strsize);
	}
}

/* struct msghdr, its name, control data, iovec array and data. */
static void copy_msghdr(struct dtl_event *ev, int arg, bool entry, uintptr_t src, int64_t total)
{
	const struct dtl_blob *b = copy_bytes(ev, arg, DTL_SUB_OBJECT, entry, src, 56, 56);
	if (!b || b->len < 56)
		return;
	uint64_t m[7];
	memcpy(m, ev->data + b->offset, sizeof(m));
	/* msg_name, msg_namelen (u32), msg_iov, msg_iovlen, msg_control,
	 * msg_controllen, msg_flags */
	uint32_t namelen = (uint32_t)m[1];
	if (m[0] && namelen)
		copy_bytes(ev, arg, DTL_SUB_MSG_NAME, entry, m[0], namelen, 128);
	if (m[4] && m[5])
		copy_bytes(ev, arg, DTL_SUB_MSG_CONTROL, entry, m[4], m[5], 256);
	if (m[2] && m[3])
		copy_iovec(ev, arg, DTL_SUB_MSG_IOV, DTL_SUB_ELEM(0), entry, m[2], m[3], total);
}

/* getdents64: the number of records in the @len bytes the kernel wrote. */
static void count_dirents(struct dtl_event *ev, int arg, uintptr_t src, int64_t len)
{
	uint32_t n = 0;
	for (int64_t off = 0; off + 19 <= len; n++) {
		uint16_t reclen;
		if (!user_readable(src + (uint64_t)off + 16, 2))
			break;
		memcpy(&reclen, (const void *)(src + (uint64_t)off + 16), 2);
		if (!reclen)
			break;
		off += reclen;
	}
	copy_count(ev, arg, false, n);
}

/* How many bytes (or elements, or bits) argument @a spans. -1: nothing to copy. */
static long arg_length(const struct dtl_event *ev, const struct dtl_arg_desc *a,
                       const struct dtl_arg_kind_info *k, bool at_exit)
{
	uint64_t v;
	switch (a->len_src) {
	case DTL_LEN_RET:
		return ev->ret;
	case DTL_LEN_ARG:
		return (long)ev->args[a->len_arg];
	case DTL_LEN_ARG_PTR: /* the socklen_t the kernel wrote back */
		if (!at_exit || !user_readable(ev->args[a->len_arg], 4))
			return -1;
		v = *(const uint32_t *)ev->args[a->len_arg];
		return (long)v;
	default:
		return (long)k->size;
	}
}

static void capture_arg(struct dtl_event *ev, int i, const struct dtl_arg_desc *a,
                        const struct dtl_arg_kind_info *k, bool at_exit)
{
	uintptr_t p = ev->args[i];
	bool entry = !at_exit;
	long len = arg_length(ev, a, k, at_exit);
	if (len < 0)
		return;
	switch (k->mem) {
	case DTL_MEM_STRING:
		/* strace prints file names whole, other strings up to -s */
		copy_string(ev, i, DTL_SUB_OBJECT, entry, p,
		            a->kind == DTL_ARG_PATH ? 4096 : ring->strsize);
		break;
	case DTL_MEM_BYTES:
		if (a->kind == DTL_ARG_DIRENT64_OUT)
			count_dirents(ev, i, p, len);
		else
			copy_bytes(ev, i, DTL_SUB_OBJECT, entry, p, (size_t)len,
			           k->size ? k->size : ring->strsize);
		break;
	case DTL_MEM_FIXED: {
		const struct dtl_blob *b =
		    copy_bytes(ev, i, DTL_SUB_OBJECT, entry, p, k->size, k->size);
		/* pselect6's mask argument points at the set */
		if (b && a->kind == DTL_ARG_PSELECT6_SIGMASK && b->len == 16) {
			uint64_t ss[2];
			memcpy(ss, ev->data + b->offset, sizeof(ss));
			if (ss[0] && ss[1] == 8)
				copy_bytes(ev, i, DTL_SUB_ELEM(0), entry, ss[0], 8, 8);
		}
		break;
	}
	case DTL_MEM_ARRAY: {
		/* one element more than -s allows tells the formatter to add "..." */
		size_t max = (size_t)ring->strsize + 1;
		copy_bytes(ev, i, DTL_SUB_OBJECT, entry, p, (size_t)len * k->size, max * k->size);
		break;
	}
	case DTL_MEM_BITMAP: {
		size_t bytes = ((size_t)len + 63) / 64 * 8;
		copy_bytes(ev, i, DTL_SUB_OBJECT, entry, p, bytes, 128);
		break;
	}
	case DTL_MEM_STRV:
		copy_strv(ev, i, entry, p, a->kind == DTL_ARG_ENVP);
		break;
	case DTL_MEM_IOVEC:
		copy_iovec(ev, i, DTL_SUB_OBJECT, DTL_SUB_ELEM(0), entry, p, (uint64_t)len,
		           at_exit ? ev->ret : -1);
		break;
	case DTL_MEM_MSGHDR:
		copy_msghdr(ev, i, entry, p, at_exit ? ev->ret : -1);
		break;
	case DTL_MEM_MMSGHDR: {
		size_t n = (size_t)len < 8 ? (size_t)len : 8;
		copy_bytes(ev, i, DTL_SUB_OBJECT, entry, p, n * k->size, n * k->size);
		break;
	}
	default:
		break;
	}
}

static void capture_args(struct dtl_event *ev, const struct dtl_syscall_desc *d, bool at_exit)
{
	/* what the kernel wrote is only there when the call succeeded, or,
	 * for a sleep a signal interrupted, the time that was left */
	bool failed = at_exit && ev->ret < 0 && ev->ret >= -4095;
	if (failed && ev->ret != -EINTR)
		return;
	for (int i = 0; i < d->nargs; i++) {
		const struct dtl_arg_desc *a = &d->args[i];
		const struct dtl_arg_kind_info *k = dtl_arg_kind_info(a->kind);
		if (!k || k->mem == DTL_MEM_NONE || !ev->args[i])
			continue;
		bool want = at_exit ? (a->dir == DTL_DIR_OUT || a->dir == DTL_DIR_INOUT)
		                    : (a->dir == DTL_DIR_IN || a->dir == DTL_DIR_INOUT);
		if (failed && a->kind != DTL_ARG_TIMESPEC_OUT)
			continue;
		if (want)
			capture_arg(ev, i, a, k, at_exit);
	}
}

/*
 * Memory behind arguments the catalogue lists as scalars because what they
 * point at depends on another argument: futex's timeout (per operation),
 * ioctl's argument (per request; the common terminal/file ones).
 */
static void capture_indirect(struct dtl_event *ev, bool at_exit)
{
	bool failed = at_exit && ev->ret < 0 && ev->ret >= -4095;
	switch (dtl_syscall_capture_hook(ev->nr)) {
	case DTL_CAPTURE_RECVMSG_HEADER: /* as the caller set it, for a call that fails */
		if (!at_exit && ev->args[1])
			copy_bytes(ev, 1, DTL_SUB_OBJECT, true, ev->args[1], 56, 56);
		break;
	case DTL_CAPTURE_FUTEX_TIMEOUT: {
		const struct dtl_futex_cmd *k = dtl_futex_cmd((uint32_t)ev->args[1]);
		if (!at_exit && ev->args[3] && k && (k->flags & DTL_FUTEX_TIMEOUT))
			copy_bytes(ev, 3, DTL_SUB_OBJECT, true, ev->args[3], 16, 16);
		break;
	}
	case DTL_CAPTURE_IOCTL_ARG: {
		const struct dtl_ioctl_desc *k = dtl_ioctl_by_request((uint32_t)ev->args[1]);
		if (k && ev->args[2] && !failed &&
		    k->dir == (at_exit ? DTL_IOCTL_DIR_OUT : DTL_IOCTL_DIR_IN))
			copy_bytes(ev, 2, DTL_SUB_OBJECT, !at_exit, ev->args[2], k->size, 8);
		break;
	}
	default:
		break;
	}
}

/* -y: the paths of the descriptors a call created, staged beside its
 * event; they take room from the same data area. */
struct fd_paths {
	uint16_t len[2];
	char path[2][512];
};

/* -y: the path of descriptor @fd, as /proc/self/fd says right now (one more
 * system call, only for calls that create descriptors). */
static void record_fd_path(const struct dtl_event *ev, struct fd_paths *fp, unsigned sub, int fd)
{
	char link[32] = "/proc/self/fd/";
	put_decimal(link + 14, (unsigned)fd);
	char *path = fp->path[sub];
	long len =
	    dune_syscall6(SYS_readlink, (long)link, (long)path, sizeof(fp->path[sub]), 0, 0, 0);
	/* in the front-end's view each path is one more blob */
	if (ev->nblobs + (sub ? !!fp->len[0] : 0) >= DTL_EVENT_MAX_BLOBS || len <= 0)
		return;
	size_t room = DTL_EVENT_DATA - data_used(ev) - (sub ? fp->len[0] : 0);
	fp->len[sub] = (uint16_t)((size_t)len < room ? (size_t)len : room);
}

static void capture_fd_paths(const struct dtl_event *ev, struct fd_paths *fp)
{
	fp->len[0] = fp->len[1] = 0;
	if (!(ring->flags & DTL_RING_FD_PATHS) || ev->ret < 0)
		return;
	int where = dtl_syscall_fd_creation(ev->nr, ev->args);
	if (where == DTL_FD_IN_RESULT) {
		record_fd_path(ev, fp, 0, (int)ev->ret);
	} else if (where >= DTL_FD_PAIR_ARG(0)) {
		int fds[2];
		uintptr_t p = ev->args[where - DTL_FD_PAIR_ARG(0)];
		if (!user_readable(p, sizeof(fds)))
			return;
		memcpy(fds, (const void *)p, sizeof(fds));
		record_fd_path(ev, fp, 0, fds[0]);
		record_fd_path(ev, fp, 1, fds[1]);
	}
}

/* The staged call as a record: straight into the ring. */
static void publish(const struct dtl_event *staged, const struct fd_paths *fp)
{
	static const uint16_t no_paths[2];
	const uint16_t *lens = fp ? fp->len : no_paths;
	const char *paths[2] = {fp ? fp->path[0] : NULL, fp ? fp->path[1] : NULL};
	uint32_t size = dtl_rec_syscall_size(staged, lens);
	struct dtl_ring_producer p = {.pid = staged->pid,
	                              .tid = staged->tid,
	                              .now_ns = staged->ts_ns,
	                              .gate = &gate,
	                              .wait = yield,
	                              .wake = ring0_wake};
	struct dtl_rec *rec = dtl_ring_claim(ring, size, &p);
	if (!rec)
		return; /* drop mode: counted, reported by the next loss record */
	dtl_rec_syscall_encode((struct dtl_rec_syscall *)rec, staged, paths, lens);
	dtl_ring_publish(ring, rec,
	                 staged->type == DTL_EV_SYSCALL ? DTL_REC_SYSCALL : DTL_REC_SYSCALL_ENTER,
	                 size, &p);
}

static uint64_t now_ns(void)
{
	struct timespec t;
	/* the vDSO reads the TSC, which the program may have forbidden */
	if (dune_tsc_usable())
		clock_gettime(CLOCK_REALTIME, &t);
	else
		dune_syscall6(SYS_clock_gettime, CLOCK_REALTIME, (long)&t, 0, 0, 0, 0);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* The call's number and arguments, as @tf holds them, and what the
 * catalogue says to copy before the call runs. */
static void stage_entry(struct dtl_event *ev, const struct dune_tf *tf, long nr)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);

	/* per vCPU, not per TLS: a vfork child shares its parent's TLS */
	ev->type = DTL_EV_SYSCALL;
	ev->pid = dune_vcpu_pid();
	ev->tid = dune_vcpu_tid();
	ev->nblobs = 0;
	ev->nr = nr;
	ev->args[0] = tf->rdi;
	ev->args[1] = tf->rsi;
	ev->args[2] = tf->rdx;
	ev->args[3] = tf->r10;
	ev->args[4] = tf->r8;
	ev->args[5] = tf->r9;
	ev->ret = 0;
	ev->ts_enter_ns = now_ns();
	if (d)
		capture_args(ev, d, false);
	capture_indirect(ev, false);
	if (dtl_syscall_capture_hook(nr) == DTL_CAPTURE_SIGRETURN_MASK) /* uc_sigmask at rsp */
		copy_bytes(ev, 0, DTL_SUB_OBJECT, true, tf->rsp + RT_SIGFRAME_UC_SIGMASK, 8, 8);

	/* the entry is reported first when the front-end wants entries, and
	 * for calls after which the caller may be gone, so that the trace
	 * keeps them (strace's "= ?") */
	if (dtl_syscall_reports_at_entry(nr) || (ring->flags & DTL_RING_ENTRY_EVENTS)) {
		ev->ts_ns = ev->ts_enter_ns;
		ev->type = DTL_EV_ENTER;
		publish(ev, NULL);
		ev->type = DTL_EV_SYSCALL;
	}
}

/* Entry hook: stage the call; it passes on to the other tools and the host. */
static enum dune_hook_result on_syscall_entry(struct dune_tf *tf, void *arg)
{
	struct call_frame *f = this_frame();

	(void)arg;
	stage_entry(&f->ev, tf, (long)tf->rax);
	f->ndeferred = 0;
	f->in_call = true;
	return DUNE_HOOK_PASS;
}

/*
 * Exit hook: the call's result as the program gets it (a tool that handled
 * or changed it included), what the kernel wrote, the -y paths; then the
 * record, and the signals delivered as the call returned. A call whose
 * entry this hook did not see (a tool before the tracer handled it) is
 * staged here, from the registers after the call.
 */
static void on_syscall_exit(struct dune_tf *tf, long nr, void *arg)
{
	struct call_frame *f = this_frame();
	struct dtl_event *ev = &f->ev;
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	bool staged = f->in_call && ev->nr == nr;
	long ret = dune_syscall_exit_result(tf);

	(void)arg;
	f->in_call = false;
	if ((nr == SYS_execve || nr == SYS_execveat) && ret < 0)
		dtl_claim_gate_open(&gate, dune_vcpu_pid(), dune_vcpu_tid());
	if (dtl_syscall_creates_task(nr) && ret == 0) {
		f->ndeferred = 0;
		return; /* a new process: the parent reports the call */
	}
	if (!staged)
		stage_entry(ev, tf, nr);
	ev->ret = ret;
	if (d)
		capture_args(ev, d, true);
	capture_indirect(ev, true);
	struct fd_paths fp;
	capture_fd_paths(ev, &fp);
	ev->ts_ns = now_ns();
	publish(ev, &fp);
	for (int i = 0; i < f->ndeferred; i++)
		publish_signal(f->deferred[i].sig, f->deferred[i].info, f->deferred[i].fatal, true);
	f->ndeferred = 0;
}

/* A vCPU starts (a thread, a fork child): nothing of an earlier thread on
 * it is in flight. A fork child has none of its parent's other threads,
 * in the claim window or closing the gate. */
static void on_vcpu_create(enum dune_vcpu_start how, void *arg)
{
	struct call_frame *f = this_frame();

	(void)arg;
	f->in_call = false;
	f->ndeferred = 0;
	if (how == DUNE_VCPU_FORK)
		memset(&gate, 0, sizeof(gate));
}

static uint64_t monotonic_ns(void)
{
	struct timespec t;
	/* not the vDSO: the program may have forbidden the TSC (PR_SET_TSC) */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/*
 * On the host thread of one that is about to kill the other threads of its
 * process (exit_group, execve, a fatal signal): the kernel kills a thread
 * in the guest at any instruction, and one killed between claiming a record
 * and saying so would leave a claim the front-end cannot step over at once
 * (dtl/ring.h). Hold them before that window, and let those inside leave.
 */
static void close_gate(void)
{
	dtl_claim_gate_close(&gate, dune_vcpu_pid(), dune_vcpu_tid());
	uint64_t deadline = monotonic_ns() + GATE_WAIT_NS;
	while (dtl_claim_gate_busy(&gate) && monotonic_ns() < deadline)
		sched_yield();
}

static void on_vcpu_exit(bool process_exit, void *arg)
{
	(void)arg;
	if (process_exit)
		close_gate();
}

static void on_exec(const char *path, void *arg)
{
	(void)path;
	(void)arg;
	close_gate(); /* opened again if the call fails (on_syscall_exit) */
}

static long host_sys(long nr, long a0, long a1, long a2)
{
	long r = syscall(nr, a0, a1, a2);
	return r < 0 ? -errno : r;
}

static bool host_yield(struct dtl_ring *r)
{
	syscall(SYS_sched_yield);
	return consumer_alive(r, host_sys);
}

static void host_wake(struct dtl_ring *r)
{
	syscall(SYS_futex, &r->doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* A signal record, from ring 0 (@ring0: a signal deferred to after the
 * call's record) or from the monitor on the host thread. */
static void publish_signal(int sig, const void *siginfo, bool fatal, bool ring0)
{
	struct dtl_ring_producer p = {
	    .pid = ring0 ? dune_vcpu_pid() : (int)syscall(SYS_getpid),
	    .tid = ring0 ? dune_vcpu_tid() : (int)syscall(SYS_gettid),
	    .now_ns = now_ns(),
	    .gate = &gate,
	    .wait = ring0 ? yield : host_yield,
	    .wake = ring0 ? ring0_wake : host_wake,
	};
	struct dtl_rec_signal *rec =
	    (struct dtl_rec_signal *)dtl_ring_claim(ring, sizeof(*rec), &p);
	if (!rec)
		return; /* drop mode: counted */
	rec->hdr.pid = p.pid;
	rec->hdr.tid = p.tid;
	rec->hdr.time_ns = p.now_ns;
	rec->signo = sig;
	rec->fatal = fatal;
	memset(rec->reserved, 0, sizeof(rec->reserved));
	memcpy(rec->siginfo, siginfo, sizeof(rec->siginfo));
	dtl_ring_publish(ring, &rec->hdr, DTL_REC_SIGNAL, sizeof(*rec), &p);
}

/* The monitor's signal hook: a signal delivered into the program, or a
 * fault about to kill it. Runs on the vCPU's host thread, not in ring 0. */
static void on_signal(int sig, const void *siginfo, bool fatal, void *arg)
{
	struct call_frame *f = this_frame();

	(void)arg;
	if (fatal)
		close_gate(); /* the process ends */
	if (f->in_call && f->ndeferred < (int)(sizeof(f->deferred) / sizeof(f->deferred[0]))) {
		struct deferred_signal *d = &f->deferred[f->ndeferred++];
		d->sig = sig;
		d->fatal = fatal;
		memcpy(d->info, siginfo, sizeof(d->info));
		return;
	}
	publish_signal(sig, siginfo, fatal, false);
}

/* Outside the VM too (no vCPU to ask whether the TSC may be read). */
static uint64_t realtime_syscall_ns(void)
{
	struct timespec t;
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void dtl_capture_use_ring(void *ring_memory)
{
	ring = ring_memory;
}

struct dtl_rec *dtl_capture_claim(struct dtl_capture_claim *c, uint32_t size, bool ring0)
{
	c->p = (struct dtl_ring_producer){
	    .pid = ring0 ? dune_vcpu_pid() : (int)syscall(SYS_getpid),
	    .tid = ring0 ? dune_vcpu_tid() : (int)syscall(SYS_gettid),
	    .now_ns = ring0 ? now_ns() : realtime_syscall_ns(),
	    .gate = &gate,
	    .wait = ring0 ? yield : host_yield,
	    .wake = ring0 ? ring0_wake : host_wake,
	};
	c->rec = ring ? dtl_ring_claim(ring, size, &c->p) : NULL;
	if (c->rec) {
		c->rec->pid = c->p.pid;
		c->rec->tid = c->p.tid;
		c->rec->time_ns = c->p.now_ns;
	}
	return c->rec;
}

void dtl_capture_publish(struct dtl_capture_claim *c, uint16_t type, uint32_t size)
{
	dtl_ring_publish(ring, c->rec, type, size, &c->p);
}

int dtl_capture_start(void *ring_memory)
{
	/* Not read here: this runs in ring 3, where the ring may be
	 * supervisor-only already (runtime.c checked it before the VM). */
	ring = ring_memory;
	frame_offset = dune_vcpu_tool_reserve(sizeof(struct call_frame));
	if (frame_offset < 0)
		return -1;
	/* the entry hook last: every call it stages meets the exit hook */
	if (dune_hook_vcpu_create(DTL_CAPTURE_PRIO, on_vcpu_create, NULL) < 0 ||
	    dune_hook_vcpu_exit(DTL_CAPTURE_PRIO, on_vcpu_exit, NULL) < 0 ||
	    dune_hook_exec(DTL_CAPTURE_PRIO, on_exec, NULL) < 0 ||
	    dune_hook_signal(DTL_CAPTURE_PRIO, on_signal, NULL) < 0 ||
	    dune_hook_syscall_exit(DTL_CAPTURE_PRIO, on_syscall_exit, NULL) < 0 ||
	    dune_hook_syscall_entry(DTL_CAPTURE_PRIO, on_syscall_entry, NULL) < 0)
		return -1;
	return 0;
}
