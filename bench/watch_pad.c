// SPDX-License-Identifier: MIT
/*
 * Memory nobody touches, for bench/watch_idle.sh: preloaded into a real
 * program (sort), its pages carry watchpoints that are never hit, so that
 * what they cost the program is the engine's bookkeeping alone.
 */
#define DTL_WATCH_PAD_PAGES 10000

char dtl_watch_pad[DTL_WATCH_PAD_PAGES * 4096] __attribute__((aligned(4096)));
