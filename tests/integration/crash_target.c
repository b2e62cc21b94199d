// SPDX-License-Identifier: MIT
/* A program that dies of SIGSEGV for the dtrace-lite vs strace comparison
 * (test trace-crash): after the BEGIN marker and one ordinary call it
 * writes through a NULL pointer. strace prints
 *   --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---
 *   +++ killed by SIGSEGV +++
 * and both the traced and the untraced run exit with 139 (128 + SIGSEGV):
 * the tracer re-raises the signal that killed the program. */
#include <unistd.h>

static int *volatile nowhere;

int main(void)
{
	if (write(1, "BEGIN\n", 6) != 6)
		return 1;
	if (getppid() <= 0)
		return 1;
	*nowhere = 42;
	return 0;
}
