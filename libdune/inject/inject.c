// SPDX-License-Identifier: MIT
/*
 * The generic injection runtime: LD_PRELOAD a library built from it into a
 * dynamically linked program and the program runs in ring 3 inside the VM
 * from before main: this constructor runs after libc's and before the
 * program's own, and continues in ring 3. It starts the tool runtimes
 * linked into the same library (dune/inject.h): each one's init before
 * entering, its start once inside. libdune-inject.so has none.
 *
 * Protocol with the runner (cmd/launch.c): DUNE_INJECT_FD names a pipe;
 * the constructor writes "ok\n" once in the VM, or "error: <why>\n" and
 * exits 127 when it cannot enter. The variable is removed so that children
 * do not write to it. This library leaves LD_PRELOAD too (what the program
 * preloads itself stays), so the program sees the environment it would
 * natively; the monitor puts it back into the environment of every execve
 * so that new images are injected too. /proc/self/environ, the block the
 * kernel laid out at exec, still shows both.
 */
#define _GNU_SOURCE
#include "monitor.h"

#include <dune/dune.h>
#include <dune/inject.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The tools linked into this library (none: both are equal) */
extern const struct dune_tool __start_dune_tools[] __attribute__((weak, visibility("hidden")));
extern const struct dune_tool __stop_dune_tools[] __attribute__((weak, visibility("hidden")));

static void tell_runner(int fd, const char *msg)
{
	if (fd < 0)
		return;
	ssize_t unused = write(fd, msg, strlen(msg));
	(void)unused;
	close(fd);
}

/* Until the runner has read the report and closed its end (at most a few
 * seconds): when dune-run has become this process, its watcher prints the
 * reason, which must be out before the shell sees this process end. */
static void wait_for_runner(int fd)
{
	struct pollfd p = {.fd = fd, .events = 0};
	for (int i = 0; i < 50; i++)
		if (poll(&p, 1, 100) != 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
			return;
}

__attribute__((noreturn)) static void cannot_run(int fd, const char *why)
{
	char msg[700];
	snprintf(msg, sizeof(msg), "error: %s\n", why);
	if (fd >= 0) {
		ssize_t unused = write(fd, msg, strlen(msg));
		(void)unused;
		wait_for_runner(fd);
	} else
		fprintf(stderr, "dune: cannot run this program inside Dune: %s\n", why);
	_exit(127);
}

/* This library's own mappings, hidden from the program's /proc/self/maps
 * like the rest of libdune's memory. */
static int hide_if_self(struct dl_phdr_info *info, size_t size, void *self)
{
	(void)size;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t b = info->dlpi_addr + ph->p_vaddr, e = b + ph->p_memsz;
		lo = b < lo ? b : lo;
		hi = e > hi ? e : hi;
	}
	if ((uintptr_t)self < lo || (uintptr_t)self >= hi)
		return 0;
	lo &= ~(uintptr_t)4095;
	dune_procfs_hide_range(lo, ((hi + 4095) & ~(uintptr_t)4095) - lo);
	return 1;
}

/* LD_PRELOAD without this library: the program's own preloads, or none.
 * After an exec the monitor may have appended a second LD_PRELOAD with this
 * library to the program's own (loop.c): ld.so took the last one, and so
 * does this; the program then sees one. */
static void hide_self_from_preload(void)
{
	const char *preload = NULL;
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "LD_PRELOAD=", 11))
			preload = *e + 11;
	Dl_info self;
	if (!preload || !dladdr((void *)hide_self_from_preload, &self) || !self.dli_fname)
		return;
	char rest[sizeof(dune_state.preload_env)];
	size_t n = 0;
	/* ld.so splits the list at spaces and colons (ld.so(8)) */
	for (const char *p = preload; *p;) {
		size_t len = strcspn(p, ": ");
		bool ours = len == strlen(self.dli_fname) && !strncmp(p, self.dli_fname, len);
		if (!ours && len && n + len + 1 < sizeof(rest)) {
			if (n)
				rest[n++] = ':';
			memcpy(rest + n, p, len);
			n += len;
		}
		p += len;
		p += strspn(p, ": ");
	}
	rest[n] = 0;
	unsetenv("LD_PRELOAD"); /* every one of them */
	if (n)
		setenv("LD_PRELOAD", rest, 1);
}

/*
 * An image started under ptrace by something other than the runner (the
 * inferior of a gdb or strace that itself runs inside Dune, a process
 * attached from outside before its exec): its tracer reads its registers
 * and stops it at its system calls, which inside Dune would be the
 * monitor's (the thread sits in KVM_RUN). It runs outside Dune, and so do
 * its children (LD_PRELOAD is gone from its environment); said once.
 */
static bool run_outside_for_tracer(void)
{
	long tracer = dune_proc_field("/proc/self/status", "TracerPid:");
	if (tracer <= 0)
		return false;
	char comm[64] = "?";
	char path[40];
	snprintf(path, sizeof(path), "/proc/%ld/comm", tracer);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, comm, sizeof(comm) - 1);
		comm[n > 0 ? n : 0] = 0;
		comm[strcspn(comm, "\n")] = 0;
		close(fd);
	}
	fprintf(stderr,
	        "dune: %s is traced by process %d (%s) with ptrace: it runs outside Dune, "
	        "where its tracer sees its own registers and system calls (its children "
	        "too)\n",
	        program_invocation_short_name, (int)tracer, comm);
	return true;
}

__attribute__((constructor)) static void dune_inject(void)
{
	const char *fd_env = getenv("DUNE_INJECT_FD");
	int fd = fd_env ? atoi(fd_env) : -1;
	char why[600];

	unsetenv("DUNE_INJECT_FD");
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	dune_inject_remember_preload(getenv("LD_PRELOAD"));
	hide_self_from_preload();
	/* the runner's own child is entered even under a tracer: that is
	 * someone debugging Dune (strace -f dune-run ...) */
	if (fd < 0 && run_outside_for_tracer())
		return;
	dl_iterate_phdr(hide_if_self, (void *)dune_inject);
	for (const struct dune_tool *t = __start_dune_tools; t < __stop_dune_tools; t++) {
		int r = t->init ? t->init() : 0;
		if (r < 0) {
			snprintf(why, sizeof(why), "the %s runtime did not start: %s", t->name,
			         strerror(-r));
			cannot_run(fd, why);
		}
	}
	if (dune_init() || dune_enter_user())
		cannot_run(fd, dune_last_error());
	tell_runner(fd, "ok\n");
	/* from here on, every system call is the program's own */
	for (const struct dune_tool *t = __start_dune_tools; t < __stop_dune_tools; t++)
		if (t->start)
			t->start();
}
