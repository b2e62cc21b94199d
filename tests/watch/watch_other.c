// SPDX-License-Identifier: MIT
/* A second source file of watch_target, with a static named like one of
 * watch_target.c's: FILE::NAME tells them apart. */
static int shared_name = 10;

int other_bump(void);

int other_bump(void)
{
	return ++*(volatile int *)&shared_name;
}
