// SPDX-License-Identifier: MIT
/*
 * What the monitor must know of each x86-64 system call:
 *  - which arguments are file descriptors, to keep the program's calls away
 *    from the library's own descriptors (monitor/fd_guard.c); descriptors
 *    passed in memory (poll/select sets, SCM_RIGHTS, io_uring's registered
 *    files) are not here;
 *  - what an interrupted call returns inside the kernel, to restart it
 *    after the program's handler as the kernel would (monitor/signal.c).
 * The same facts are in the tracer's catalogue (tracer/catalogue_table.c:
 * DTL_ARG_FD, DTL_ARG_DIRFD, RESTART()), which libdune cannot use (it lies
 * above); tests/unit/test_syscall_facts.c checks that the two agree on
 * every call.
 */
#include "util.h"

#include <dune/syscall_nr.h>

#define A0 0x01
#define A1 0x02
#define A2 0x04
#define A3 0x08
#define A4 0x10
#define A5 0x20

/* clang-format off */
static const struct dune_syscall_facts facts[] = {
    [__NR_read] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_write] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_close] = {.fds = A0},
    [__NR_fstat] = {.fds = A0},
    [__NR_lseek] = {.fds = A0},
    [__NR_mmap] = {.fds = A4},
    [__NR_ioctl] = {.fds = A0},
    [__NR_pread64] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_pwrite64] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_readv] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_writev] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_dup] = {.fds = A0},
    [__NR_dup2] = {.fds = A0 | A1},
    [__NR_sendfile] = {.fds = A0 | A1},
    [__NR_connect] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_accept] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_sendto] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_recvfrom] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_sendmsg] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_recvmsg] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_shutdown] = {.fds = A0},
    [__NR_bind] = {.fds = A0},
    [__NR_listen] = {.fds = A0},
    [__NR_getsockname] = {.fds = A0},
    [__NR_getpeername] = {.fds = A0},
    [__NR_setsockopt] = {.fds = A0},
    [__NR_getsockopt] = {.fds = A0},
    [__NR_fcntl] = {.fds = A0},
    [__NR_flock] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_fsync] = {.fds = A0},
    [__NR_fdatasync] = {.fds = A0},
    [__NR_ftruncate] = {.fds = A0},
    [__NR_getdents] = {.fds = A0},
    [__NR_fchdir] = {.fds = A0},
    [__NR_fchmod] = {.fds = A0},
    [__NR_fchown] = {.fds = A0},
    [__NR_fstatfs] = {.fds = A0},
    [__NR_readahead] = {.fds = A0},
    [__NR_fsetxattr] = {.fds = A0},
    [__NR_fgetxattr] = {.fds = A0},
    [__NR_flistxattr] = {.fds = A0},
    [__NR_fremovexattr] = {.fds = A0},
    [__NR_getdents64] = {.fds = A0},
    [__NR_fadvise64] = {.fds = A0},
    [__NR_epoll_wait] = {.fds = A0, .restart = DUNE_RESTART_NOHAND},
    [__NR_epoll_ctl] = {.fds = A0 | A2},
    [__NR_mq_timedsend] = {.fds = A0},
    [__NR_mq_timedreceive] = {.fds = A0},
    [__NR_mq_notify] = {.fds = A0},
    [__NR_mq_getsetattr] = {.fds = A0},
    [__NR_inotify_add_watch] = {.fds = A0},
    [__NR_inotify_rm_watch] = {.fds = A0},
    [__NR_openat] = {.dirfds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_mkdirat] = {.dirfds = A0},
    [__NR_mknodat] = {.dirfds = A0},
    [__NR_fchownat] = {.dirfds = A0},
    [__NR_futimesat] = {.dirfds = A0},
    [__NR_newfstatat] = {.dirfds = A0},
    [__NR_unlinkat] = {.dirfds = A0},
    [__NR_renameat] = {.dirfds = A0 | A2},
    [__NR_linkat] = {.dirfds = A0 | A2},
    [__NR_symlinkat] = {.dirfds = A1},
    [__NR_readlinkat] = {.dirfds = A0},
    [__NR_fchmodat] = {.dirfds = A0},
    [__NR_faccessat] = {.dirfds = A0},
    [__NR_splice] = {.fds = A0 | A2},
    [__NR_tee] = {.fds = A0 | A1},
    [__NR_sync_file_range] = {.fds = A0},
    [__NR_vmsplice] = {.fds = A0},
    [__NR_utimensat] = {.dirfds = A0},
    [__NR_epoll_pwait] = {.fds = A0, .restart = DUNE_RESTART_NOHAND},
    [__NR_signalfd] = {.fds = A0},
    [__NR_fallocate] = {.fds = A0},
    [__NR_timerfd_settime] = {.fds = A0},
    [__NR_timerfd_gettime] = {.fds = A0},
    [__NR_accept4] = {.fds = A0, .restart = DUNE_RESTART_SYS},
    [__NR_signalfd4] = {.fds = A0},
    [__NR_dup3] = {.fds = A0 | A1},
    [__NR_preadv] = {.fds = A0},
    [__NR_pwritev] = {.fds = A0},
    [__NR_perf_event_open] = {.fds = A3},
    [__NR_recvmmsg] = {.fds = A0},
    [__NR_fanotify_mark] = {.fds = A0, .dirfds = A3},
    [__NR_name_to_handle_at] = {.dirfds = A0},
    [__NR_open_by_handle_at] = {.fds = A0},
    [__NR_syncfs] = {.fds = A0},
    [__NR_sendmmsg] = {.fds = A0},
    [__NR_setns] = {.fds = A0},
    [__NR_finit_module] = {.fds = A0},
    [__NR_renameat2] = {.dirfds = A0 | A2},
    [__NR_kexec_file_load] = {.fds = A0 | A1},
    [__NR_execveat] = {.dirfds = A0},
    [__NR_copy_file_range] = {.fds = A0 | A2},
    [__NR_preadv2] = {.fds = A0},
    [__NR_pwritev2] = {.fds = A0},
    [__NR_statx] = {.dirfds = A0},
    [__NR_pidfd_send_signal] = {.fds = A0},
    [__NR_io_uring_enter] = {.fds = A0},
    [__NR_io_uring_register] = {.fds = A0},
    [__NR_open_tree] = {.dirfds = A0},
    [__NR_move_mount] = {.dirfds = A0 | A2},
    [__NR_fsconfig] = {.fds = A0},
    [__NR_fsmount] = {.fds = A0},
    [__NR_fspick] = {.dirfds = A0},
    [__NR_openat2] = {.dirfds = A0},
    [__NR_pidfd_getfd] = {.fds = A0},
    [__NR_faccessat2] = {.dirfds = A0},
    [__NR_process_madvise] = {.fds = A0},
    [__NR_epoll_pwait2] = {.fds = A0, .restart = DUNE_RESTART_NOHAND},
    [__NR_mount_setattr] = {.dirfds = A0},
    [__NR_quotactl_fd] = {.fds = A0},
    [__NR_landlock_add_rule] = {.fds = A0},
    [__NR_landlock_restrict_self] = {.fds = A0},
    [__NR_process_mrelease] = {.fds = A0},
    [__NR_cachestat] = {.fds = A0},
    [__NR_fchmodat2] = {.dirfds = A0},
    [__NR_setxattrat] = {.dirfds = A0},
    [__NR_getxattrat] = {.dirfds = A0},
    [__NR_listxattrat] = {.dirfds = A0},
    [__NR_removexattrat] = {.dirfds = A0},
    [__NR_open_tree_attr] = {.dirfds = A0},
    [__NR_file_getattr] = {.dirfds = A0},
    [__NR_file_setattr] = {.dirfds = A0},
    [__NR_open] = {.restart = DUNE_RESTART_SYS},
    [__NR_poll] = {.restart = DUNE_RESTART_NOHAND},
    [__NR_select] = {.restart = DUNE_RESTART_NOHAND},
    [__NR_pause] = {.restart = DUNE_RESTART_NOHAND},
    [__NR_nanosleep] = {.restart = DUNE_RESTART_RESTARTBLOCK},
    [__NR_wait4] = {.restart = DUNE_RESTART_SYS},
    [__NR_rt_sigsuspend] = {.restart = DUNE_RESTART_NOHAND},
    [__NR_futex] = {.restart = DUNE_RESTART_SYS},
    [__NR_clock_nanosleep] = {.restart = DUNE_RESTART_RESTARTBLOCK},
    [__NR_waitid] = {.restart = DUNE_RESTART_SYS},
    [__NR_pselect6] = {.restart = DUNE_RESTART_NOHAND},
    [__NR_ppoll] = {.restart = DUNE_RESTART_NOHAND},
};
/* clang-format on */

struct dune_syscall_facts dune_syscall_facts(long nr)
{
	if (nr < 0 || (unsigned long)nr >= sizeof(facts) / sizeof(facts[0]))
		return (struct dune_syscall_facts){0, 0, 0};
	return facts[nr];
}
