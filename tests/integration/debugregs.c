// SPDX-License-Identifier: MIT
/* The ring-0 debug-register helpers (libdune/x86/debugreg.c): DR0-DR3 and
 * DR7 keep what is written, and a data watchpoint set with dune_x86_dr7_set
 * fires (with its DR6 bit) where DUNE_CAP_HW_DATA_WATCHPOINTS says so. */
#include "dtl_test.h"

#include <dune/debugreg.h>

static volatile uint64_t watched;
static volatile int db_hits;
static volatile uint64_t dr6_seen;

static void on_debug(struct dune_tf *tf)
{
	(void)tf;
	dr6_seen = dune_x86_read_dr(6);
	dune_x86_write_dr(6, X86_DR6_INIT);
	db_hits++;
}

int main(void)
{
	dtl_init_or_skip();
	bool watch = dune_has_capability(DUNE_CAP_HW_DATA_WATCHPOINTS);
	dune_register_intr_handler(1, on_debug);
	dtl_enter();

	for (int n = 0; n < X86_DR_COUNT; n++) {
		uint64_t addr = 0x1000ULL * (uint64_t)(n + 1) + 8;
		dune_x86_write_dr(n, addr);
		CHECK_EQ(dune_x86_read_dr(n), addr);
	}

	/* slot 2 watches writes of the 8 bytes of @watched */
	uint64_t dr7;
	CHECK(dune_x86_dr7_set(0, 2, DUNE_DR_WRITE, 8, &dr7));
	dune_x86_write_dr(2, (uint64_t)&watched);
	dune_x86_write_dr(7, dr7);
	/* the enable and condition fields read back as written (bit 10 reads 1) */
	CHECK_EQ(dune_x86_read_dr(7) & 0xffff00ffULL, dr7 & 0xffff00ffULL);
	watched = 42;
	dune_x86_write_dr(7, dune_x86_dr7_clear(dr7, 2));
	CHECK_EQ(db_hits, watch ? 1 : 0);
	if (watch)
		CHECK(dr6_seen & X86_DR6_B(2));
	watched = 43; /* disabled: no second hit */
	CHECK_EQ(db_hits, watch ? 1 : 0);
	printf("debug registers verified (data watchpoints %s)\n", watch ? "fire" : "absent");
	return 0;
}
