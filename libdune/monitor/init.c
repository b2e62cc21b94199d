// SPDX-License-Identifier: MIT
/*
 * dune_init and dune_enter: choose a backend, create the VM of this process
 * and move threads into it. Ordinary context (before any thread entered):
 * may use libc.
 */
#define _GNU_SOURCE
#include "hooks.h"
#include "monitor.h"

#include "x86/x86.h"

#include <cpuid.h>
#include <dune/procmap.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

struct dune_state dune_state;

uintptr_t dune_runtime_reserve(size_t len)
{
	size_t align = DUNE_LAYOUT_GRANULE;
	void *m = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED) {
		dune_set_error("reserving %llu MiB for the runtime failed: %s",
		               (unsigned long long)(len >> 20), strerror(errno));
		return 0;
	}
	uintptr_t base = ((uintptr_t)m + align - 1) & ~(align - 1);
	if (base > (uintptr_t)m)
		munmap(m, base - (uintptr_t)m);
	munmap((void *)(base + len), (uintptr_t)m + align - base);
	dune_procfs_hide_range(base, len);
	return base;
}

static int create_runtime_region(void)
{
	uintptr_t base = dune_runtime_reserve(RT_SIZE);
	if (!base)
		return -ENOMEM;
	dune_state.rt_base = base;
	dune_state.layout = (struct dune_layout *)(base + RT_LAYOUT_OFF);
	dune_state.idt = (uint64_t *)(base + RT_IDT_OFF);
	dune_protect_attach_table((void *)(base + RT_OVERLAY_OFF), RT_OVERLAY_SIZE);
	return 0;
}

/* The static TLS blocks (x86-64 "variant II": below the thread pointer, at
 * the same distance in every thread): how far down they reach, for a copy
 * of a thread's TLS (clone.c). Modules loaded later get theirs elsewhere. */
static int lowest_static_tls(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t tp = *(uintptr_t *)arg;
	if (size < offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof(void *))
		return 1;
	uintptr_t block = (uintptr_t)info->dlpi_tls_data;
	if (block && block < tp && tp - block < (64u << 20) &&
	    tp - block > dune_state.static_tls_below)
		dune_state.static_tls_below = tp - block;
	return 0;
}

static void debug_tick(int sig)
{
	(void)sig;
}

int dune_init(void)
{
	int r;

	if (dune_state.initialised)
		return 0;
	/* first: after an execve its address may be the one a seccomp filter
	 * names, which nothing else must take */
	dune_seccomp_init();
	if ((r = dune_program_calls_init()) < 0)
		return r;
	dune_signal_learn_actions();
	char why[768];
	const struct dune_backend_ops *backend =
	    dune_backend_choose(getenv("DUNE_BACKEND"), why, sizeof(why));
	if (!backend)
		return dune_fail(ENODEV, "%s", why);
	dune_state.debug = getenv("DUNE_DEBUG") != NULL;
	const char *stats = getenv("DUNE_STATS");
	if (stats && strlen(stats) < sizeof(dune_state.stats_path))
		strcpy(dune_state.stats_path, stats);
	if (getenv("DUNE_DEBUG_TICK")) {
		/* interrupt the guest's run every second so the monitor shows where the
		 * guest is */
		struct sigaction sa = {.sa_handler = debug_tick};
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = {{1, 0}, {1, 0}};
		setitimer(ITIMER_REAL, &it, NULL);
	}
	dune_backend = backend;
	if ((r = backend->init(&dune_state.phys_bits)) < 0)
		return r;
	dune_state.max_vcpus = backend->max_vcpus ? backend->max_vcpus() : DUNE_MAX_VCPUS;
	if (dune_state.max_vcpus > DUNE_MAX_VCPUS)
		dune_state.max_vcpus = DUNE_MAX_VCPUS;
	unsigned a, b, c, d;
	dune_state.xsave = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE);
	if (dune_state.xsave && __get_cpuid_count(0xd, 0, &a, &b, &c, &d) &&
	    c > PERCPU_XSAVE_END - PERCPU_XSAVE)
		return dune_fail(ENOTSUP, "the XSAVE area (%u bytes) exceeds libdune's %u", c,
		                 PERCPU_XSAVE_END - PERCPU_XSAVE);
	/* before the runtime's reservation, which the program's limit leaves
	 * out */
	if ((r = dune_rlimit_as_init()) < 0)
		return r;
	if ((r = create_runtime_region()) < 0)
		return r;
	dune_layout_init(dune_state.layout, dune_state.phys_bits);

	/* entry.S finds this thread's vCPU through TLS at a fixed distance
	 * from the thread pointer (static TLS: the same in every thread). */
	uintptr_t tp;
	__asm__("mov %%fs:0, %0" : "=r"(tp));
	dune_tls_percpu_offset = (long)((uintptr_t)&dune_tls_percpu - tp);
	dl_iterate_phdr(lowest_static_tls, &tp);

	if ((r = dune_mem_init()) < 0) {
		if (!dune_has_error() || r == -ENOMEM)
			dune_fail(r, "registering the process's memory failed: %s", strerror(-r));
		return r;
	}
	dune_idt_init(dune_state.idt);
	dune_state.initialised = true;
	return 0;
}

/* Map the calling thread's stack now rather than fault it in on entry. */
static int stack_entry(const struct dune_procmap_entry *e, void *arg)
{
	uintptr_t sp = (uintptr_t)arg;
	if (sp >= e->begin && sp < e->end) {
		dune_mem_add_host_range(e->begin, e->end - e->begin,
		                        DUNE_PERM_R | DUNE_PERM_W | DUNE_PERM_U | DUNE_PERM_BIG);
		return 1;
	}
	return 0;
}

static int enter(bool user)
{
	struct dune_percpu *pc;
	int r;

	if (!dune_state.initialised)
		return dune_fail(EINVAL, "dune_enter before a successful dune_init");
	if (dune_tls_percpu)
		return dune_entered() ? 0 : dune_fail(EBUSY, "this thread already has a vCPU");
	char probe;
	dune_procmap_iterate(stack_entry, &probe);
	if ((r = dune_vcpu_create(&pc, user)) < 0 || (r = dune_vcpu_attach_monitor_stack(pc)) < 0)
		return r;
	__atomic_add_fetch(&dune_state.live_threads, 1, __ATOMIC_RELAXED);
	dune_tls_percpu = pc;
	return __dune_enter(pc);
}

int dune_enter(void)
{
	return enter(false);
}

int dune_enter_user(void)
{
	return enter(true);
}

/*
 * A program that drops root and then execs may no longer be allowed into
 * the directory the library lies in (a build tree in a mode-0700
 * directory): ld.so would refuse the preload and the image would run
 * outside. So the library is also held by an O_PATH descriptor, opened
 * while the credentials still reach it; an execve whose new credentials
 * cannot read the path names "/proc/self/fd/N" instead, which the kernel
 * opens without walking the directories (the file's own mode still
 * applies). The next image resolves that link and holds the library the
 * same way, closing the number it inherited.
 */
void dune_inject_remember_preload(const char *ld_preload)
{
	if (!ld_preload || strlen(ld_preload) + 12 >= sizeof(dune_state.preload_env))
		return;
	snprintf(dune_state.preload_env, sizeof(dune_state.preload_env), "LD_PRELOAD=%s",
	         ld_preload);
	snprintf(dune_state.preload_path, sizeof(dune_state.preload_path), "%s", ld_preload);
	/* one library, by absolute path */
	if (ld_preload[0] != '/' || strpbrk(ld_preload, ": "))
		return;
	int fd = open(ld_preload, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return;
	int inherited;
	char end;
	if (sscanf(ld_preload, "/proc/self/fd/%d%c", &inherited, &end) == 1) {
		ssize_t n = readlink(ld_preload, dune_state.preload_path,
		                     sizeof(dune_state.preload_path) - 1);
		dune_state.preload_path[n > 0 ? n : 0] = 0;
		if (n <= 0)
			snprintf(dune_state.preload_path, sizeof(dune_state.preload_path), "%s",
			         ld_preload);
		if (inherited != fd)
			close(inherited); /* ours, passed by the image before */
	}
	dune_state.preload_fd = dune_fd_adopt(fd);
	dune_state.has_preload_fd = dune_state.preload_fd >= 0;
}

int dune_inject_keep_env(const char *assignment)
{
	if (dune_state.nkeep_env ==
	        (int)(sizeof(dune_state.keep_env) / sizeof(dune_state.keep_env[0])) ||
	    strlen(assignment) >= sizeof(dune_state.keep_env[0]) || !strchr(assignment, '='))
		return -1;
	strcpy(dune_state.keep_env[dune_state.nkeep_env++], assignment);
	return 0;
}

int dune_inject_keep_fd(const char *name, int fd)
{
	char assignment[128];
	if (dune_state.has_keep_fd ||
	    snprintf(assignment, sizeof(assignment), "%s=%d", name, fd) >=
	        (int)sizeof(assignment) ||
	    dune_inject_keep_env(assignment) < 0)
		return -1;
	dune_state.has_keep_fd = true;
	dune_state.keep_fd = fd;
	dune_state.keep_fd_env = dune_state.nkeep_env - 1;
	int moved = dune_fd_adopt(fd);
	dune_keep_fd_renumbered(fd, moved);
	return moved;
}

void dune_keep_fd_renumbered(int from, int to)
{
	if (!dune_state.has_keep_fd || dune_state.keep_fd != from || from == to)
		return;
	char *env = dune_state.keep_env[dune_state.keep_fd_env];
	char *eq = strchr(env, '=');
	dune_state.keep_fd = to;
	dune_snprintf(eq + 1, sizeof(dune_state.keep_env[0]) - (size_t)(eq + 1 - env), "%d", to);
}

bool dune_has_capability(enum dune_capability cap)
{
	return dune_state.initialised && dune_backend->has_capability(cap);
}

const char *dune_backend_name(void)
{
	return dune_backend ? dune_backend->describe() : "none";
}
