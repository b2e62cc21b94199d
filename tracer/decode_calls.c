// SPDX-License-Identifier: MIT
/*
 * The per-call decoders, by the catalogue's decoder column: which family
 * function prints which piece of which call. A call the catalogue gives no
 * decoder (DTL_DECODER_KINDS) is printed from its argument kinds alone.
 */
#include "decode_families.h"

/* clang-format off */
static const struct dtl_call_decoder decoders[DTL_DECODER_COUNT] = {
	[DTL_DECODER_KINDS] = {0},
	[DTL_DECODER_OPEN] = {.arg_order = dtl_decode_open_arg_order},
	[DTL_DECODER_FCNTL] = {.arg_order = dtl_decode_fcntl_arg_order,
	                       .scalar_arg = dtl_decode_fcntl_arg,
	                       .ret = dtl_decode_fcntl_ret},
	[DTL_DECODER_IOCTL] = {.arg_order = dtl_decode_ioctl_arg_order,
	                       .scalar_arg = dtl_decode_ioctl_arg},
	[DTL_DECODER_MKNOD] = {.arg_order = dtl_decode_mknod_arg_order,
	                       .scalar_arg = dtl_decode_mknod_arg},
	[DTL_DECODER_FD_FLAGS] = {.scalar_arg = dtl_decode_fd_flags_arg},
	[DTL_DECODER_STATX] = {.scalar_arg = dtl_decode_statx_arg},
	[DTL_DECODER_FACCESSAT2] = {.scalar_arg = dtl_decode_faccessat2_arg},
	[DTL_DECODER_PREADV] = {.arg_order = dtl_decode_preadv_arg_order},
	[DTL_DECODER_MMAP] = {.scalar_arg = dtl_decode_mmap_arg},
	[DTL_DECODER_MREMAP] = {.arg_order = dtl_decode_mremap_arg_order,
	                        .scalar_arg = dtl_decode_mremap_arg},
	[DTL_DECODER_CLONE] = {.arg_order = dtl_decode_clone_arg_order,
	                       .scalar_arg = dtl_decode_clone_arg},
	[DTL_DECODER_UNSHARE] = {.scalar_arg = dtl_decode_unshare_arg},
	[DTL_DECODER_SETNS] = {.scalar_arg = dtl_decode_setns_arg},
	[DTL_DECODER_FUTEX] = {.arg_order = dtl_decode_futex_arg_order,
	                       .scalar_arg = dtl_decode_futex_arg},
	[DTL_DECODER_PRCTL] = {.arg_order = dtl_decode_prctl_arg_order,
	                       .scalar_arg = dtl_decode_prctl_arg,
	                       .ret = dtl_decode_prctl_ret},
	[DTL_DECODER_ARCH_PRCTL] = {.arg_order = dtl_decode_arch_prctl_arg_order,
	                            .scalar_arg = dtl_decode_arch_prctl_arg},
	[DTL_DECODER_PTRACE] = {.arg_order = dtl_decode_ptrace_arg_order,
	                        .scalar_arg = dtl_decode_ptrace_arg},
	[DTL_DECODER_SOCKET] = {.scalar_arg = dtl_decode_socket_arg},
	[DTL_DECODER_SOCKOPT] = {.buffer = dtl_decode_sockopt_buffer},
	[DTL_DECODER_GETRANDOM] = {.buffer = dtl_decode_getrandom_buffer},
	[DTL_DECODER_GETCWD] = {.buffer = dtl_decode_getcwd_buffer},
	[DTL_DECODER_CPU_SET] = {.buffer = dtl_decode_cpu_set_buffer},
	[DTL_DECODER_SLEEP] = {.memory_arg = dtl_decode_sleep_memory_arg},
	[DTL_DECODER_POLL] = {.ret_memory = dtl_decode_poll_ret_memory},
	[DTL_DECODER_PPOLL] = {.ret_memory = dtl_decode_ppoll_ret_memory},
	[DTL_DECODER_SELECT] = {.ret_memory = dtl_decode_select_ret_memory},
	[DTL_DECODER_PSELECT6] = {.ret_memory = dtl_decode_pselect6_ret_memory},
	[DTL_DECODER_RT_SIGRETURN] = {.leading = dtl_decode_rt_sigreturn_leading},
};
/* clang-format on */

const struct dtl_call_decoder *dtl_call_decoder(const struct dtl_decoder_ctx *c)
{
	unsigned k = c->d->decoder;
	return &decoders[k < DTL_DECODER_COUNT ? k : DTL_DECODER_KINDS];
}
