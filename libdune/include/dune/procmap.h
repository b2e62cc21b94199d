/* SPDX-License-Identifier: MIT */
/*
 * /proc/self/maps iteration.
 *
 * Safe to call from the host-side monitor: it allocates nothing and uses only
 * open/read/close on a caller-stack buffer.
 */
#ifndef DUNE_PROCMAP_H
#define DUNE_PROCMAP_H

#include <stdbool.h>
#include <stdint.h>

enum dune_procmap_kind {
	DUNE_MAP_ANON,     /* anonymous memory without a name */
	DUNE_MAP_FILE,     /* a file mapping (path starts with '/') */
	DUNE_MAP_HEAP,     /* [heap] */
	DUNE_MAP_STACK,    /* [stack] */
	DUNE_MAP_VDSO,     /* [vdso] */
	DUNE_MAP_VVAR,     /* [vvar] / [vvar_vclock]: kernel data for the vDSO */
	DUNE_MAP_VSYSCALL, /* [vsyscall]: legacy fixed page at 0xffffffffff600000 */
	DUNE_MAP_OTHER,    /* any other [name] or anon:name */
};

struct dune_procmap_entry {
	uintptr_t begin, end; /* [begin, end), page aligned */
	bool r, w, x;
	bool shared; /* 's' (MAP_SHARED) rather than 'p' */
	uint64_t offset;
	unsigned dev_major, dev_minor;
	uint64_t inode;
	const char *path; /* "" for anonymous memory; valid only during the callback */
	enum dune_procmap_kind kind;
};

/* Return non-zero to stop the iteration; that value is returned by the iterator. */
typedef int (*dune_procmap_cb)(const struct dune_procmap_entry *e, void *arg);

/*
 * Parse one line of /proc/PID/maps (without or with its trailing newline; the
 * line is modified in place to terminate the path). Returns 0 or -EINVAL.
 */
int dune_procmap_parse_line(char *line, struct dune_procmap_entry *e);

/* Call @cb for every mapping of the calling process, in address order. Returns
 * 0 when all were visited, the callback's non-zero value, or -errno. */
int dune_procmap_iterate(dune_procmap_cb cb, void *arg);

/* Same, for an already open maps file descriptor (rewound by the caller). */
int dune_procmap_iterate_fd(int fd, dune_procmap_cb cb, void *arg);

const char *dune_procmap_kind_name(enum dune_procmap_kind kind);

#endif
