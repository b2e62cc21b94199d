/* SPDX-License-Identifier: MIT */
/*
 * Inside the decoders: what each family file offers the others, and the
 * per-call decoders the catalogue's decoder column selects (decode_calls.c).
 * Only decode_*.c include this; they print with print.h.
 */
#ifndef DTL_DECODE_FAMILIES_H
#define DTL_DECODE_FAMILIES_H

#include "decode.h"
#include "print.h"

/*
 * A per-call decoder: the pieces of a line that the argument kinds alone do
 * not decide. Every member may be NULL (the kind-driven default); a hook
 * that returns false also leaves the piece to the default.
 */
struct dtl_call_decoder {
	/* which arguments are shown, in which order (dtl_decode_arg_order) */
	int (*arg_order)(const struct dtl_decoder_ctx *c, int order[6]);
	/* before the arguments (dtl_decode_leading) */
	void (*leading)(const struct dtl_decoder_ctx *c);
	/* scalar argument @i */
	bool (*scalar_arg)(const struct dtl_decoder_ctx *c, int i);
	/* memory argument @i (not NULL), before its copy is looked at */
	bool (*memory_arg)(const struct dtl_decoder_ctx *c, int i);
	/* the copied bytes of a buffer argument (BUF_IN, BUF_OUT) */
	bool (*buffer)(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);
	/* a successful result @r, before the annotation from memory */
	bool (*ret)(const struct dtl_decoder_ctx *c, long r);
	/* the annotation from memory after a successful result */
	void (*ret_memory)(const struct dtl_decoder_ctx *c);
};

/* --- decode_calls.c ------------------------------------------------------------ */
/* The decoder of the call in @c (an all-NULL one for DTL_DECODER_KINDS). */
const struct dtl_call_decoder *dtl_call_decoder(const struct dtl_decoder_ctx *c);

/* --- decode_scalar.c ------------------------------------------------------------ */
/* A descriptor, with its path under -y: 3</etc/passwd> */
void dtl_print_fd(const struct dtl_decoder_ctx *c, int fd);

/* --- decode_file.c: open, fcntl, modes, *at flags -------------------------------- */
void dtl_print_open_flags(FILE *out, uint32_t v);
void dtl_print_mode(FILE *out, uint32_t v);
void dtl_print_access_mode(FILE *out, uint32_t v);
void dtl_print_at_flags(FILE *out, uint32_t v);
void dtl_print_fcntl_cmd(FILE *out, uint32_t v);
void dtl_print_flock_op(FILE *out, uint32_t v);
void dtl_print_statx_mask(FILE *out, uint32_t v);
/* the file status structs: struct stat, statx, statfs, open_how */
void dtl_print_stat(FILE *out, const uint8_t *p);
void dtl_print_statx(FILE *out, const uint8_t *p);
void dtl_print_statfs(FILE *out, const uint8_t *p);
void dtl_print_open_how(FILE *out, const uint8_t *p, size_t len);
int dtl_decode_open_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
int dtl_decode_fcntl_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_fcntl_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_fcntl_ret(const struct dtl_decoder_ctx *c, long r);
int dtl_decode_mknod_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_mknod_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_fd_flags_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_statx_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_faccessat2_arg(const struct dtl_decoder_ctx *c, int i);
int dtl_decode_preadv_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_getcwd_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);

/* --- decode_mm.c: memory mappings ----------------------------------------------- */
void dtl_print_prot(FILE *out, uint32_t v);
void dtl_print_mmap_flags(FILE *out, uint32_t v);
void dtl_print_mremap_flags(FILE *out, uint32_t v);
void dtl_print_msync_flags(FILE *out, uint32_t v);
void dtl_print_madvise(FILE *out, uint32_t v);
void dtl_print_mfd_flags(FILE *out, uint32_t v);
void dtl_print_mlock_flags(FILE *out, uint32_t v);
bool dtl_decode_mmap_arg(const struct dtl_decoder_ctx *c, int i);
int dtl_decode_mremap_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_mremap_arg(const struct dtl_decoder_ctx *c, int i);

/* --- decode_process.c: clone, wait, prctl, ptrace ------------------------------- */
void dtl_print_clone_flags(FILE *out, uint64_t v);
void dtl_print_wait_options(FILE *out, uint32_t v);
void dtl_print_prctl_option(FILE *out, uint32_t v);
void dtl_print_arch_prctl_code(FILE *out, uint32_t v);
void dtl_print_ptrace_request(FILE *out, uint64_t v);
void dtl_print_wait_status(FILE *out, int s);
void dtl_print_clone_args(FILE *out, const uint8_t *p, size_t len);
int dtl_decode_clone_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_clone_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_unshare_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_setns_arg(const struct dtl_decoder_ctx *c, int i);
int dtl_decode_prctl_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_prctl_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_prctl_ret(const struct dtl_decoder_ctx *c, long r);
bool dtl_decode_arch_prctl_arg(const struct dtl_decoder_ctx *c, int i);
int dtl_decode_arch_prctl_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
int dtl_decode_ptrace_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_ptrace_arg(const struct dtl_decoder_ctx *c, int i);

/* --- decode_futex.c --------------------------------------------------------------- */
void dtl_print_futex_op(FILE *out, uint32_t v);
int dtl_decode_futex_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_futex_arg(const struct dtl_decoder_ctx *c, int i);

/* --- decode_ioctl.c ---------------------------------------------------------------- */
void dtl_print_ioctl_request(FILE *out, uint32_t req);
int dtl_decode_ioctl_arg_order(const struct dtl_decoder_ctx *c, int order[6]);
bool dtl_decode_ioctl_arg(const struct dtl_decoder_ctx *c, int i);

/* --- decode_time.c: clocks, timers, sleeps --------------------------------------- */
void dtl_print_clockid(FILE *out, uint32_t v);
void dtl_print_timespec(FILE *out, const uint8_t *p);
void dtl_print_timeval(FILE *out, const uint8_t *p);
void dtl_print_utime(FILE *out, const uint8_t *p);
bool dtl_decode_sleep_memory_arg(const struct dtl_decoder_ctx *c, int i);

/* --- decode_poll.c: poll, select, epoll ------------------------------------------ */
void dtl_print_pollfds(const struct dtl_decoder_ctx *c, const struct dtl_blob *b, uint64_t nfds);
void dtl_print_epoll_event(FILE *out, const uint8_t *p);
void dtl_print_fdset(FILE *out, const uint8_t *p, size_t bytes, uint64_t nfds);
void dtl_decode_poll_ret_memory(const struct dtl_decoder_ctx *c);
void dtl_decode_ppoll_ret_memory(const struct dtl_decoder_ctx *c);
void dtl_decode_select_ret_memory(const struct dtl_decoder_ctx *c);
void dtl_decode_pselect6_ret_memory(const struct dtl_decoder_ctx *c);

/* --- decode_net.c: sockets -------------------------------------------------------- */
void dtl_net_print_domain(FILE *out, unsigned v);
void dtl_net_print_socktype(FILE *out, unsigned v);
void dtl_net_print_sockflags(FILE *out, unsigned v);
void dtl_net_print_level(FILE *out, unsigned v);
void dtl_net_print_sockopt(FILE *out, unsigned level, unsigned name);
void dtl_net_print_msgflags(FILE *out, unsigned v);
bool dtl_decode_socket_arg(const struct dtl_decoder_ctx *c, int i);
bool dtl_decode_sockopt_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);

/* --- decode_sockaddr.c: socket addresses and messages ---------------------------- */
void dtl_decode_sockaddr_arg(const struct dtl_decoder_ctx *c, int i);
void dtl_decode_socklen_arg(const struct dtl_decoder_ctx *c, int i);
void dtl_decode_msghdr_arg(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);
void dtl_decode_mmsghdr_arg(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);

/* --- decode_memory.c: what pointer arguments point at ------------------------------ */
/* How many elements an array shows: strace stops after -s of them. */
size_t dtl_decode_shown(const struct dtl_decoder_ctx *c, size_t n);
/* An iovec array of @count entries (copied: blob @array_sub of argument @arg,
 * data in blobs @elem_base + i) as "[{iov_base=..., iov_len=...}, ...]". */
void dtl_print_iovec_array(const struct dtl_decoder_ctx *c, int arg, unsigned array_sub,
                           unsigned elem_base, bool entry, uint64_t addr, uint64_t count);
bool dtl_decode_cpu_set_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);
bool dtl_decode_getrandom_buffer(const struct dtl_decoder_ctx *c, int i, const struct dtl_blob *b);

/* --- decode_signal.c: signals -------------------------------------------------------- */
/* A signal's name as an argument: "SIGTERM", "SIGRT_3", or the number. */
void dtl_print_signal(FILE *out, int sig);
void dtl_print_sigaction(FILE *out, const void *ksa);
void dtl_print_stack_t(FILE *out, const void *ss);
void dtl_decode_rt_sigreturn_leading(const struct dtl_decoder_ctx *c);

#endif
