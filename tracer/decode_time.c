// SPDX-License-Identifier: MIT
/*
 * Time: clock ids, struct timespec and timeval, utimensat's times; the
 * per-call decoder of the sleeps (nanosleep, clock_nanosleep).
 */
#define _GNU_SOURCE
#include "decode_families.h"

#include <sys/stat.h>
#include <time.h>

static const struct dtl_flag_name clocks[] = {
    X(CLOCK_REALTIME),          X(CLOCK_MONOTONIC),        X(CLOCK_PROCESS_CPUTIME_ID),
    X(CLOCK_THREAD_CPUTIME_ID), X(CLOCK_MONOTONIC_RAW),    X(CLOCK_REALTIME_COARSE),
    X(CLOCK_MONOTONIC_COARSE),  X(CLOCK_BOOTTIME),         X(CLOCK_REALTIME_ALARM),
    X(CLOCK_BOOTTIME_ALARM),    XN(10, "CLOCK_SGI_CYCLE"), X(CLOCK_TAI),
};

void dtl_print_clockid(FILE *out, uint32_t v)
{
	dtl_print_xval(out, v, clocks, DTL_N(clocks), "CLOCK_???");
}

void dtl_print_timespec(FILE *out, const uint8_t *p)
{
	fprintf(out, "{tv_sec=%ld, tv_nsec=%ld}", (long)u64_at(p, 0), (long)u64_at(p, 8));
}

void dtl_print_timeval(FILE *out, const uint8_t *p)
{
	fprintf(out, "{tv_sec=%ld, tv_usec=%ld}", (long)u64_at(p, 0), (long)u64_at(p, 8));
}

/* utimensat's times: UTIME_NOW/UTIME_OMIT, or the time with its date. */
void dtl_print_utime(FILE *out, const uint8_t *p)
{
	long sec = (long)u64_at(p, 0), nsec = (long)u64_at(p, 8);
	if (nsec == UTIME_NOW) {
		fputs("UTIME_NOW", out);
		return;
	}
	if (nsec == UTIME_OMIT) {
		fputs("UTIME_OMIT", out);
		return;
	}
	dtl_print_timespec(out, p);
	time_t t = (time_t)sec;
	struct tm tm;
	char date[64], zone[16];
	if (!localtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm))
		return;
	if (nsec > 0 && nsec < 1000000000)
		fprintf(out, " /* %s.%09ld%s */", date, nsec, zone);
	else
		fprintf(out, " /* %s%s */", date, zone);
}

/* The remainder is only written when a signal interrupted the sleep (EINTR,
 * the one failure the capture copies output for). */
bool dtl_decode_sleep_memory_arg(const struct dtl_decoder_ctx *c, int i)
{
	const struct dtl_event *ev = c->ev;
	if (c->d->args[i].kind != DTL_ARG_TIMESPEC_OUT)
		return false;
	if (ev->ret >= 0 || !dtl_blob_find(ev, i, DTL_SUB_OBJECT, false)) {
		dtl_print_addr(c->out, ev->args[i]);
		return true;
	}
	return false;
}
