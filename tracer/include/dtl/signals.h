/* SPDX-License-Identifier: MIT */
/*
 * Signal names, one table for the whole tracer: the decoders ("SIGTERM" in
 * an argument, "TERM" in a sigset), the "+++ killed by" lines and the
 * -e signal= option. Numbers are the kernel's (x86-64): 1..31 standard,
 * 32 SIGRTMIN, 33..64 SIGRT_1..SIGRT_32, as strace spells them.
 */
#ifndef DTL_SIGNALS_H
#define DTL_SIGNALS_H

#include <stdbool.h>

#define DTL_SIGNAL_MAX 64

/*
 * The name of signal @sig with its "SIG" prefix ("SIGTERM", "SIGRTMIN"), or
 * NULL for a real-time signal above SIGRTMIN (strace writes SIGRT_<n>) or a
 * number that is no signal. dtl_signal_name(sig) + 3 is the short form.
 */
const char *dtl_signal_name(int sig);

/*
 * How a trace spells signal @sig, as strace does: dtl_signal_name()'s name,
 * "SIGRT_<n>" for the real-time signals above SIGRTMIN, else the number.
 * Returns a constant, or @buf where the spelling had to be built.
 */
#define DTL_SIGNAL_SPELLING_MAX 16
const char *dtl_signal_spelling(int sig, char buf[DTL_SIGNAL_SPELLING_MAX]);

/*
 * The number of the signal called @name: "SIGTERM", "TERM", "term",
 * "SIGRTMIN", "RT_3", or a decimal number 1..64. Returns -1 for anything
 * else.
 */
int dtl_signal_number(const char *name);

#endif /* DTL_SIGNALS_H */
