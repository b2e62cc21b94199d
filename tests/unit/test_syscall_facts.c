// SPDX-License-Identifier: MIT
/*
 * libdune's table of system call facts (libdune/util/syscall_facts.c) says
 * the same as the tracer's catalogue for every call: which arguments are
 * descriptors (DTL_ARG_FD, DTL_ARG_DIRFD) and how an interrupted call ends
 * (RESTART()). The monitor's guard of its own descriptors, its restarts
 * after a handler and the trace must never disagree.
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
		struct dune_syscall_facts a = dune_syscall_facts(nr);
		if (a.fds != fds || a.dirfds != dirfds)
			fail_msg("syscall %ld (%s): libdune says fds %#x dirfds %#x, the catalogue "
			         "%#x %#x",
			         nr, d ? d->name : "?", a.fds, a.dirfds, fds, dirfds);
		unsigned restart = d ? (unsigned)d->restart : 0;
		if (a.restart != restart)
			fail_msg("syscall %ld (%s): libdune says restart %u, the catalogue %u", nr,
			         d ? d->name : "?", a.restart, restart);
		with_fds += (fds | dirfds) != 0;
	}
	assert_true(with_fds > 100); /* the table is not empty */
}

static void each_dirfd_is_followed_by_its_path(void **state)
{
	(void)state;
	for (long nr = 0; nr < 1024; nr++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(nr);
		struct dune_syscall_facts a = dune_syscall_facts(nr);
		for (int i = 0; d && i < 6; i++)
			if (a.dirfds >> i & 1) {
				assert_true(i + 1 < d->nargs);
				if (d->args[i + 1].kind != DTL_ARG_PATH)
					fail_msg("%s: argument %d after a dirfd is not a path",
					         d->name, i + 1);
			}
	}
}

/* the two enumerations are one: the same numbers for the same codes */
_Static_assert(DUNE_RESTART_EINTR == (int)DTL_RESTART_EINTR &&
                   DUNE_RESTART_SYS == (int)DTL_RESTART_SYS &&
                   DUNE_RESTART_NOHAND == (int)DTL_RESTART_NOHAND &&
                   DUNE_RESTART_RESTARTBLOCK == (int)DTL_RESTART_RESTARTBLOCK,
               "restart codes");

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(agrees_with_the_catalogue),
	    cmocka_unit_test(each_dirfd_is_followed_by_its_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
