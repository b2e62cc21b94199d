/* SPDX-License-Identifier: MIT */
/*
 * Injection: a preload library built from libdune's generic injection
 * runtime (libdune/inject/) enters the VM before the program's main and
 * starts the tool runtimes linked into the same library.
 *
 * A tool registers itself, with no call from libdune to it:
 *
 *	static int my_init(void) { ... }
 *	static void my_start(void) { ... }
 *	DUNE_TOOL(my_tool) = {.name = "my-tool", .init = my_init, .start = my_start};
 *
 * and its object file is linked into the preload library (as an object,
 * not from a static archive, whose members only a reference would pull in).
 * libdune-inject.so, which dune-run preloads, has no tool.
 */
#ifndef DUNE_INJECT_H
#define DUNE_INJECT_H

#include <stddef.h>
#include <stdint.h>

struct dune_tool {
	const char *name;
	/* Before the process enters the VM, in its constructor (ordinary host
	 * code: libc may be used). Returns 0, or a negative errno: the process
	 * then reports to its runner that it cannot run and exits 127. */
	int (*init)(void);
	/* Once the process runs inside the VM, just before the program's own
	 * code (constructors, main) does: register handlers here. */
	void (*start)(void);
};

/* Registration: the tools of a preload library are the entries of this
 * linker section (GNU ld provides __start_/__stop_ symbols for it). */
#define DUNE_TOOL_SECTION "dune_tools"
#define DUNE_TOOL(var)                    \
	static const struct dune_tool var \
	    __attribute__((used, section(DUNE_TOOL_SECTION), aligned(sizeof(void *))))

/*
 * What a tool runtime may ask of libdune while it sets up (from init):
 */

/* Hide [begin, begin+len) from the program's /proc/self/maps (the monitor
 * filters it out), like libdune's own memory. */
void dune_procfs_hide_range(uintptr_t begin, size_t len);

/* Keep the program from closing descriptor @fd (the tool's: its number is
 * known to others, e.g. through the environment). */
void dune_fd_protect(int fd);

/* Keep NAME=value (at most 127 bytes) in the environment of every image
 * this process execs, so that the tool runs there too. Returns 0, or -1 if
 * there is no room. */
int dune_inject_keep_env(const char *assignment);

/* The tool's descriptor @fd, for every image this process execs, with its
 * number in the variable @name: the library makes it its own (the program
 * cannot reach it, and it lives out of the way of the program's numbers,
 * above its RLIMIT_NOFILE where there is room, moving when that changes),
 * passes it across execve and keeps NAME=number in the new environment.
 * One per process. Returns its number now, or -1. */
int dune_inject_keep_fd(const char *name, int fd);

#endif
