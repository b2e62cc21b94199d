// SPDX-License-Identifier: MIT
/*
 * dune-run PROG [ARGS...]: run an unmodified dynamically linked program in
 * ring 3 inside Dune from before main. dune-run becomes the program (exec,
 * same pid), so that its parent, exit status and signals are the program's
 * own: a shell, a PTRACE_TRACEME, kill -9 see the program itself.
 *
 * Starting it (cmd/launch.c): libdune-inject.so in LD_PRELOAD, which reports
 * over a pipe that it entered the VM. A program it cannot enter is an error
 * with the reason, never a silent run outside Dune.
 */
#define _GNU_SOURCE
#include "launch.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s PROG [ARGS...]\n"
	        "Run PROG in ring 3 inside Dune (libdune) and exit with its status.\n"
	        "Environment: DUNE_INJECT_LIB overrides the injected library's path.\n",
	        dtl_prog_name);
}

int main(int argc, char **argv)
{
	if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "--") != 0)) {
		bool help = argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
		usage(help ? stdout : stderr);
		return help ? 0 : 2;
	}
	int first = strcmp(argv[1], "--") == 0 ? 2 : 1;
	if (first >= argc) {
		usage(stderr);
		return 2;
	}
	/* the program takes this process over: its parent (a shell, a
	 * debugger), its status and its signals are its own */
	return dtl_exec(argv + first, "libdune-inject.so");
}
