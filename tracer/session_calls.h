/* SPDX-License-Identifier: MIT */
/*
 * The per-call facts the session acts on, each decided in one place (they
 * are lists of syscall numbers today, meant to become catalogue columns).
 */
#ifndef DTL_SESSION_CALLS_H
#define DTL_SESSION_CALLS_H

#include <stdbool.h>

/* What a call does to the tasks of the program. */
enum dtl_call_kind {
	DTL_KIND_PLAIN,
	DTL_KIND_NEW_TASK,     /* clone, clone3, fork, vfork: the result is the new task */
	DTL_KIND_EXEC,         /* execve, execveat: a success does not return */
	DTL_KIND_EXIT_THREAD,  /* exit: the calling thread ends */
	DTL_KIND_EXIT_PROCESS, /* exit_group: every thread of the process ends */
};
enum dtl_call_kind dtl_session_call_kind(long nr);

/* Does the call never return (exit, exit_group: printed with "= ?")? */
bool dtl_session_call_never_returns(long nr);

/* What a call does to the descriptor table -y follows (besides creating
 * descriptors, which dtl_syscall_fd_creation() says). */
enum dtl_fd_effect {
	DTL_FD_EFFECT_NONE,
	DTL_FD_EFFECT_CLOSE,  /* close(fd) */
	DTL_FD_EFFECT_CHDIR,  /* chdir(path) */
	DTL_FD_EFFECT_FCHDIR, /* fchdir(fd) */
};
enum dtl_fd_effect dtl_session_fd_effect(long nr);

#endif
