// SPDX-License-Identifier: MIT
/* The last error's message (dune_last_error), set where it is detected. */
#include "util.h"

#include <dune/dune.h>
#include <stdarg.h>

static char last_error[512];

void dune_set_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dune_vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
}

int dune_fail(int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dune_vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -err;
}

bool dune_has_error(void)
{
	return last_error[0] != '\0';
}

const char *dune_last_error(void)
{
	return last_error[0] ? last_error : "no error";
}
