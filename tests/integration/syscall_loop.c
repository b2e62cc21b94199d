// SPDX-License-Identifier: MIT
/* N getppid() calls after a "BEGIN" line: load for the ring tests of
 * dtrace_lite_options.sh. usage: syscall_loop N */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	if (write(1, "BEGIN\n", 6) != 6)
		return 1;
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
