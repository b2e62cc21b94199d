// SPDX-License-Identifier: MIT
/*
 * hello: the smallest libdune program. The process enters the VM and keeps
 * running its own code, now in guest ring 0; printf's write(2) is passed
 * through to Linux by the host-side monitor.
 */
#include <dune/dune.h>

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	if (dune_init() || dune_enter()) {
		fprintf(stderr, "hello: cannot enter Dune: %s\n", dune_last_error());
		return 1;
	}
	printf("hello from ring 0 of a %s guest\n", dune_backend_name());
	struct dune_stats st;
	dune_get_stats(&st);
	printf("guest->host transitions so far: %llu (%llu system calls)\n",
	       (unsigned long long)st.exits, (unsigned long long)st.syscalls);
	return 0;
}
