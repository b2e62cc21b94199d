// SPDX-License-Identifier: MIT
/*
 * The futex vocabulary (dtl/futex.h), indexed by command number
 * (linux/futex.h). The arguments shown are strace 6.1's per operation.
 */
#include <dtl/futex.h>

/* clang-format off */
#define CMD(nm, fl, n, ...) {"FUTEX_" #nm, (fl), (n), {__VA_ARGS__}}
/* clang-format on */

#define TIMEOUT DTL_FUTEX_TIMEOUT
#define VAL2    DTL_FUTEX_VAL2
#define CLOCK   DTL_FUTEX_CLOCK
#define BITSET  DTL_FUTEX_BITSET
#define WAKE_OP DTL_FUTEX_WAKE_OP

const struct dtl_futex_cmd dtl_futex_cmds[] = {
    CMD(WAIT, TIMEOUT | CLOCK, 4, 0, 1, 2, 3),
    CMD(WAKE, 0, 3, 0, 1, 2),
    CMD(FD, 0, 3, 0, 1, 2),
    CMD(REQUEUE, VAL2, 5, 0, 1, 2, 3, 4),
    CMD(CMP_REQUEUE, VAL2, 6, 0, 1, 2, 3, 4, 5),
    CMD(WAKE_OP, VAL2 | WAKE_OP, 6, 0, 1, 2, 3, 4, 5),
    CMD(LOCK_PI, TIMEOUT, 3, 0, 1, 3),
    CMD(UNLOCK_PI, 0, 2, 0, 1),
    CMD(TRYLOCK_PI, 0, 2, 0, 1),
    CMD(WAIT_BITSET, TIMEOUT | CLOCK | BITSET, 5, 0, 1, 2, 3, 5),
    CMD(WAKE_BITSET, BITSET, 4, 0, 1, 2, 5),
    CMD(WAIT_REQUEUE_PI, TIMEOUT | CLOCK, 5, 0, 1, 2, 3, 4),
    CMD(CMP_REQUEUE_PI, VAL2, 6, 0, 1, 2, 3, 4, 5),
    CMD(LOCK_PI2, TIMEOUT, 3, 0, 1, 3),
};

const unsigned dtl_futex_cmd_count = sizeof(dtl_futex_cmds) / sizeof(dtl_futex_cmds[0]);
