/* SPDX-License-Identifier: MIT */
/* Helpers for the libdune integration tests: each test is one program that
 * exits 0 on success, 1 on failure and 77 (ctest SKIP) without a backend. */
#ifndef DTL_TEST_H
#define DTL_TEST_H

#include <dune/dune.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKIP_CODE 77

/* Checks usable in ring 0: they print with dune_printf and exit through the
 * host. */
#define CHECK(cond)                                                                 \
	do {                                                                        \
		if (!(cond)) {                                                      \
			dune_printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			exit(1);                                                    \
		}                                                                   \
	} while (0)

#define CHECK_EQ(a, b)                                                                          \
	do {                                                                                    \
		long long _a = (long long)(a), _b = (long long)(b);                             \
		if (_a != _b) {                                                                 \
			dune_printf("FAIL %s:%d: %s == %s: %lld != %lld\n", __FILE__, __LINE__, \
			            #a, #b, _a, _b);                                            \
			exit(1);                                                                \
		}                                                                               \
	} while (0)

/* dune_init, or skip the test when this machine has no backend. */
static inline void dtl_init_or_skip(void)
{
	int r = dune_init();
	if (r == -ENODEV) {
		printf("SKIP: %s\n", dune_last_error());
		exit(SKIP_CODE);
	}
	if (r) {
		printf("FAIL: dune_init: %s\n", dune_last_error());
		exit(1);
	}
}

static inline void dtl_enter(void)
{
	if (dune_enter()) {
		printf("FAIL: dune_enter: %s\n", dune_last_error());
		exit(1);
	}
}

/* Enter in ring 3 when the program's first argument is "ring3"; returns
 * whether it did. */
static __attribute__((noinline, unused)) bool dtl_enter_as_asked(int argc, char **argv)
{
	bool ring3 = argc > 1 && strcmp(argv[1], "ring3") == 0;
	if (ring3 ? dune_enter_user() : dune_enter()) {
		printf("FAIL: enter: %s\n", dune_last_error());
		exit(1);
	}
	return ring3;
}

#endif
