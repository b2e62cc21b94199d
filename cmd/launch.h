/* SPDX-License-Identifier: MIT */
/* Starting a program inside Dune (cmd/launch.c). */
#ifndef DTL_LAUNCH_H
#define DTL_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

extern const char *dtl_prog_name; /* for messages */
extern pid_t dtl_child;           /* the program, once started */

/*
 * Start argv[0] (searched in PATH) with the injection library @library
 * (a file name: "libdune-inject.so", or a tool's, found next to this
 * executable's build or installation directory; DUNE_INJECT_LIB overrides)
 * preloaded, and @env_name=@env_value in its environment if @env_name is
 * not NULL. Returns
 * 0 once the program reported that it runs inside Dune, or the exit status
 * to end with (127 not found, 126 cannot run inside Dune), after saying why.
 */
int dtl_launch(char **argv, const char *library, const char *env_name, const char *env_value);

/*
 * The same, but this process becomes the program (execve, same pid): its
 * parent, its exit status and the signals sent to it are the program's own,
 * as natively. A detached watcher says why it cannot run inside Dune, if it
 * cannot. Returns only when it could not start the program: the exit status
 * to end with.
 */
int dtl_exec(char **argv, const char *library);

/* PROG as execvp would find it, into @out; false (errno ENOENT) when there
 * is none. */
bool dtl_find_program(const char *prog, char *out, size_t len);
/* End the way the program ended: killed by @sig, without a core of ours. */
__attribute__((noreturn)) void dtl_die_like(int sig);

#endif
