// SPDX-License-Identifier: MIT
/* -e trace=... and -e signal=... (see dtl/filter.h). */
#define _GNU_SOURCE
#include <dtl/filter.h>

#include <dtl/catalogue.h>
#include <dtl/signals.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void dtl_filter_init(struct dtl_filter *f)
{
	for (int nr = 0; nr < DTL_MAX_NR; nr++)
		f->syscall[nr] = true;
	for (int s = 0; s <= 64; s++)
		f->signal[s] = true;
}

/* Mark the calls @tok names: a call, a %class, "all". */
static int add_syscalls(bool *set, const char *tok)
{
	uint32_t bits;
	if (!strcmp(tok, "all")) {
		for (int nr = 0; nr < DTL_MAX_NR; nr++)
			set[nr] = dtl_syscall_by_nr(nr) != NULL;
		return 0;
	}
	if (!strcmp(tok, "none"))
		return 0;
	long nr = tok[0] == '%' ? -1 : dtl_syscall_by_name(tok);
	if (nr >= 0 && nr < DTL_MAX_NR) {
		set[nr] = true;
		return 0;
	}
	if (dtl_trace_class_by_name(tok, &bits) < 0) {
		fprintf(stderr, "dtrace-lite: invalid system call or class '%s'\n", tok);
		return -1;
	}
	for (int i = 0; i < DTL_MAX_NR; i++) {
		const struct dtl_syscall_desc *d = dtl_syscall_by_nr(i);
		if (d && (d->classes & bits))
			set[i] = true;
	}
	return 0;
}

static int add_signals(bool *set, const char *tok)
{
	if (!strcmp(tok, "all")) {
		for (int s = 1; s <= 64; s++)
			set[s] = true;
		return 0;
	}
	if (!strcmp(tok, "none"))
		return 0;
	int s = dtl_signal_number(tok);
	if (s < 0) {
		fprintf(stderr, "dtrace-lite: invalid signal '%s'\n", tok);
		return -1;
	}
	set[s] = true;
	return 0;
}

int dtl_filter_parse(struct dtl_filter *f, const char *expr)
{
	bool is_signal = false;
	const char *spec = expr;
	const char *eq = strchr(expr, '=');
	if (eq) {
		size_t n = (size_t)(eq - expr);
		if (n == 5 && !strncmp(expr, "trace", 5)) {
			is_signal = false;
		} else if ((n == 6 && !strncmp(expr, "signal", 6)) ||
		           (n == 7 && !strncmp(expr, "signals", 7))) {
			is_signal = true;
		} else {
			fprintf(
			    stderr,
			    "dtrace-lite: -e %s: unsupported qualifier (trace= and signal= are)\n",
			    expr);
			return -1;
		}
		spec = eq + 1;
	}
	bool negate = *spec == '!';
	if (negate)
		spec++;
	bool set[DTL_MAX_NR] = {false};
	char *copy = strdup(spec), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
		rc = is_signal ? add_signals(set, tok) : add_syscalls(set, tok);
	free(copy);
	if (rc)
		return -1;
	if (is_signal) {
		for (int s = 1; s <= 64; s++)
			f->signal[s] = negate ? !set[s] : set[s];
	} else {
		for (int nr = 0; nr < DTL_MAX_NR; nr++)
			f->syscall[nr] = negate ? !set[nr] : set[nr];
	}
	return 0;
}

bool dtl_filter_syscall(const struct dtl_filter *f, long nr)
{
	return nr >= 0 && nr < DTL_MAX_NR ? f->syscall[nr] : true;
}

bool dtl_filter_signal(const struct dtl_filter *f, int sig)
{
	return sig > 0 && sig <= 64 ? f->signal[sig] : true;
}
