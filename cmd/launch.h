/* SPDX-License-Identifier: MIT */
/* Starting a program inside Dune (cmd/launch.c). */
#ifndef DTL_LAUNCH_H
#define DTL_LAUNCH_H

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

/* End the way the program ended: killed by @sig, without a core of ours. */
__attribute__((noreturn)) void dtl_die_like(int sig);

#endif
