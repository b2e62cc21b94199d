// SPDX-License-Identifier: MIT
/*
 * libdune's table of descriptor arguments (libdune/util/syscall_fd_args.c)
 * says the same as the tracer's catalogue (DTL_ARG_FD, DTL_ARG_DIRFD) for
 * every system call: the monitor's guard of its own descriptors and the
 * trace's decoding must never disagree about what a call uses.
 */
#include "util.h"

#include <dtl/catalogue.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

static void agrees_with_the_catalogue(void **state)
{
	(void)state;
	int with_fds = 0;
	for (long nr = 0; nr < 1024; nr++) {
		unsigned fds = 0, dirfds = 0;
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		for (int i = 0; d && i < d->nargs; i++) {
			if (d->args[i].kind == DTL_ARG_FD)
				fds |= 1u << i;
			if (d->args[i].kind == DTL_ARG_DIRFD)
				dirfds |= 1u << i;
		}
		struct dune_fd_args a = dune_syscall_fd_args(nr);
		if (a.fds != fds || a.dirfds != dirfds)
			fail_msg("syscall %ld (%s): libdune says fds %#x dirfds %#x, the catalogue "
			         "%#x %#x",
			         nr, d ? d->name : "?", a.fds, a.dirfds, fds, dirfds);
		with_fds += (fds | dirfds) != 0;
	}
	assert_true(with_fds > 100); /* the table is not empty */
}

static void each_dirfd_is_followed_by_its_path(void **state)
{
	(void)state;
	for (long nr = 0; nr < 1024; nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		struct dune_fd_args a = dune_syscall_fd_args(nr);
		for (int i = 0; d && i < 6; i++)
			if (a.dirfds >> i & 1) {
				assert_true(i + 1 < d->nargs);
				if (d->args[i + 1].kind != DTL_ARG_PATH)
					fail_msg("%s: argument %d after a dirfd is not a path",
					         d->name, i + 1);
			}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(agrees_with_the_catalogue),
	    cmocka_unit_test(each_dirfd_is_followed_by_its_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
