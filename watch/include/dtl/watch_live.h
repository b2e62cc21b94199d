/* SPDX-License-Identifier: MIT */
/*
 * Watchpoints changed while the program runs (dtrace-lite --control PATH,
 * then dtrace-lite ctl PATH watch|rwatch|awatch EXPR, delete|disable|enable
 * N, list). The front-end resolves the expression and writes a command for
 * each process into a mailbox in the ring's memfd (after the
 * configuration, which names its offset: "watch-mailbox\tOFFSET"); the
 * engine in each process reads the new commands in ring 0 at the next
 * system call of any of its threads and arms, disarms or re-arms there.
 *
 * One writer (the front-end), readers in every traced process: command n
 * is in cmd[n % DTL_LIVE_SLOTS], complete once its @seq reads n; @seq of
 * the mailbox is the newest command's, stored last.
 */
#ifndef DTL_WATCH_LIVE_H
#define DTL_WATCH_LIVE_H

#include <dtl/watch_spec.h>
#include <stdint.h>

#define DTL_WATCH_MAILBOX_KEY   "watch-mailbox"
#define DTL_WATCH_MAILBOX_MAGIC 0x77746368 /* "wtch" */
#define DTL_LIVE_SLOTS          32

enum dtl_live_op {
	DTL_LIVE_ARM = 1, /* @spec at @addr in process @pid */
	DTL_LIVE_DELETE,  /* watchpoint @spec.id, for good */
	DTL_LIVE_DISABLE, /* watchpoint @spec.id, until enabled */
	DTL_LIVE_ENABLE,
};

struct dtl_watch_live_cmd {
	volatile uint32_t seq; /* written last */
	uint32_t op;           /* enum dtl_live_op */
	int32_t pid;           /* the process it is for; 0: every one */
	uint32_t reserved;
	uint64_t addr;
	struct dtl_watch_spec spec;
};

struct dtl_watch_mailbox {
	uint32_t magic;
	volatile uint32_t seq; /* the newest command's */
	struct dtl_watch_live_cmd cmd[DTL_LIVE_SLOTS];
};

#endif
