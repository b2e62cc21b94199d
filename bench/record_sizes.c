// SPDX-License-Identifier: MIT
/*
 * The size of each record of the event stream (dtl/event.h), and of the
 * records typical calls take, next to the fixed 4.3 KiB slot every event
 * took before. Printed by bench/run.sh.
 */
#include <dtl/event.h>
#include <dtl/ring.h>

#include <stdio.h>

static void row(const char *what, size_t bytes, const char *note)
{
	printf("| %s | %zu | %s |\n", what, bytes, note);
}

int main(void)
{
	const size_t blob = sizeof(struct dtl_blob), call = sizeof(struct dtl_rec_syscall);
	printf("| record | bytes | notes |\n|---|---:|---|\n");
	row("header (struct dtl_rec)", sizeof(struct dtl_rec), "commit word, pid, tid, time");
	row("syscall entry/completion, fixed part", call, "+ 8 per blob + captured bytes");
	row("getppid() completion", dtl_rec_align(call), "no memory captured");
	row("read(fd, \"32 bytes\", 32) completion", dtl_rec_align(call + blob + 32), "one blob");
	row("openat(AT_FDCWD, \"/etc/hostname\") with -y path",
	    dtl_rec_align(call + blob + 13 + 13), "path blob + descriptor path");
	row("largest syscall record", DTL_REC_MAX, "32 blobs, full data area");
	row("signal", sizeof(struct dtl_rec_signal), "siginfo_t included");
	row("loss", sizeof(struct dtl_rec_loss), "count, first drop time");
	row("watchpoint hit (reserved)", sizeof(struct dtl_rec_watch_hit), "");
	row("page-fault sample (reserved)", sizeof(struct dtl_rec_page_fault), "");
	row("in-memory view (struct dtl_event)", sizeof(struct dtl_event),
	    "the former fixed slot, front-end only");
	printf("\nring: %u bytes of records (%zu mapped)\n", DTL_RING_DATA_SIZE,
	       dtl_ring_size(DTL_RING_DATA_SIZE));
	return 0;
}
