// SPDX-License-Identifier: MIT
/* Per-call facts of the session (see session_calls.h). */
#include "session_calls.h"

#include <dtl/catalogue.h>

#include <sys/syscall.h>

enum dtl_call_kind dtl_session_call_kind(long nr)
{
	switch (nr) {
	case SYS_clone:
	case SYS_clone3:
	case SYS_fork:
	case SYS_vfork:
		return DTL_KIND_NEW_TASK;
	case SYS_execve:
	case SYS_execveat:
		return DTL_KIND_EXEC;
	case SYS_exit:
		return DTL_KIND_EXIT_THREAD;
	case SYS_exit_group:
		return DTL_KIND_EXIT_PROCESS;
	default:
		return DTL_KIND_PLAIN;
	}
}

bool dtl_session_call_never_returns(long nr)
{
	const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
	return d && d->ret == DTL_RET_NONE;
}

enum dtl_fd_effect dtl_session_fd_effect(long nr)
{
	switch (nr) {
	case SYS_close:
		return DTL_FD_EFFECT_CLOSE;
	case SYS_chdir:
		return DTL_FD_EFFECT_CHDIR;
	case SYS_fchdir:
		return DTL_FD_EFFECT_FCHDIR;
	default:
		return DTL_FD_EFFECT_NONE;
	}
}
