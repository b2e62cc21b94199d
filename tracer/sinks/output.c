// SPDX-License-Identifier: MIT
/*
 * Write errors on the trace's outputs (dtl/output.h). stdio keeps only a
 * sticky error flag, not the reason, so the reason is what the flush that
 * notices the error says; a flush that cannot say (the error was earlier
 * and the buffer is empty now) reports "write error".
 */
#define _GNU_SOURCE
#include <dtl/output.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DTL_OUTPUTS_MAX 4096 /* -ff opens a file per thread */

struct output {
	FILE *file;
	char *name;
	int err; /* first error's errno, -1 when unknown, 0 none */
};

static struct output outputs[DTL_OUTPUTS_MAX];
static size_t noutputs;

static struct output *find(FILE *f)
{
	for (size_t i = 0; i < noutputs; i++)
		if (outputs[i].file == f)
			return &outputs[i];
	return NULL;
}

void dtl_output_watch(FILE *f, const char *name)
{
	if (!f || find(f))
		return;
	if (noutputs == DTL_OUTPUTS_MAX) /* unwatched: still written, errors unnamed */
		return;
	outputs[noutputs++] = (struct output){.file = f, .name = strdup(name ? name : "?")};
}

static void note_error(struct output *o, int err)
{
	if (!o || o->err)
		return;
	o->err = err ? err : -1;
	fprintf(stderr, "dtrace-lite: %s: %s\n", o->name, err ? strerror(err) : "write error");
}

int dtl_output_flush(FILE *f)
{
	if (!f)
		return 0;
	errno = 0;
	int r = fflush(f);
	int err = errno;
	if (r == 0 && !ferror(f))
		return 0;
	note_error(find(f), r ? err : 0);
	clearerr(f); /* later lines are tried again: a disk may get space back */
	return -1;
}

int dtl_output_close(FILE *f)
{
	if (!f)
		return 0;
	int r = dtl_output_flush(f);
	struct output *o = find(f);
	errno = 0;
	if (fclose(f) != 0) {
		note_error(o, errno);
		r = -1;
	}
	if (o) /* the name stays for the final report */
		o->file = NULL;
	return r;
}

bool dtl_output_report_incomplete(void)
{
	bool any = false;
	for (size_t i = 0; i < noutputs; i++) {
		if (!outputs[i].err)
			continue;
		if (outputs[i].file)
			dtl_output_flush(outputs[i].file);
		fprintf(
		    stderr, "dtrace-lite: the trace in %s is incomplete: writing it failed (%s)\n",
		    outputs[i].name, outputs[i].err > 0 ? strerror(outputs[i].err) : "write error");
		any = true;
	}
	return any;
}
