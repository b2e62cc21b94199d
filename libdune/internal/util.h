/* SPDX-License-Identifier: MIT */
/* Services below the runtime, the monitor and the backends (libdune/util). */
#ifndef DUNE_UTIL_H
#define DUNE_UTIL_H

#include <dune/inject.h> /* dune_fd_protect */
#include <stdbool.h>
#include <stdint.h>

/* raw_syscall.c: a system call straight to the host kernel (no libc). */
long dune_raw_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* error.c: the message dune_last_error() returns. */
void dune_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* dune_set_error, returning -@err (or @err if already negative). */
int dune_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool dune_has_error(void);

/* proc_field.c: the number after "@name" (e.g. "TracerPid:") at the start
 * of a line of the /proc file @path, or -1. */
long dune_proc_field(const char *path, const char *name);

/* dump_code.c: print the 16 bytes at @rip (read with process_vm_readv,
 * so a bad address is reported, not faulted on). */
void dune_dump_code(uint64_t rip);

/*
 * own_fds.c: the library's own file descriptors (/dev/kvm, the VM, the
 * vCPUs, a tool's ring) live in the program's descriptor table; these keep
 * them out of its way (monitor/fds.c enforces it on the program's calls).
 */
/* Move @fd high and make it ours; returns its new number (or @fd < 0). */
int dune_fd_adopt(int fd);
/* Stop owning @fd and close it. */
void dune_fd_release(int fd);
/* Replace @old (ours) by the descriptor @fresh, at @old's number. */
int dune_fd_replace(int old, int fresh);
bool dune_fd_is_own(int fd);
/* The number our descriptors are moved to or above: the program's
 * RLIMIT_NOFILE while the room above it is open. */
int dune_fd_floor(void);
/* Raise the soft RLIMIT_NOFILE for a moment, to make or move one of ours
 * above the program's limit; nests, and across threads. */
void dune_fd_room_open(void);
void dune_fd_room_close(void);
/* One of ours below @limit that may move, or -1. */
int dune_fd_own_below(int limit);
/* The number @from, one of ours, is now @to. */
void dune_fd_renumber_own(int from, int to);
/* The lowest of ours in [@lo, @hi], or -1. */
int dune_fd_next_own(unsigned lo, unsigned hi);

/* syscall_facts.c: of system call @nr, the arguments that are descriptors
 * (bit i: argument i); @dirfds, the directory descriptors of the *at()
 * calls, each followed by the path it is used for; @restart, what the call
 * returns inside the kernel when a signal interrupts it (the kernel's
 * -ERESTART* codes, include/linux/errno.h). */
enum dune_restart {
	DUNE_RESTART_EINTR = 0,    /* EINTR itself (or not interruptible) */
	DUNE_RESTART_SYS,          /* ERESTARTSYS: restarted after a SA_RESTART handler */
	DUNE_RESTART_NOHAND,       /* ERESTARTNOHAND: EINTR after any handler */
	DUNE_RESTART_RESTARTBLOCK, /* ERESTART_RESTARTBLOCK: EINTR after any handler */
};
struct dune_syscall_facts {
	uint8_t fds, dirfds;
	uint8_t restart; /* enum dune_restart */
};
struct dune_syscall_facts dune_syscall_facts(long nr);

#endif
