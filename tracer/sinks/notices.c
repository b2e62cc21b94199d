// SPDX-License-Identifier: MIT
/* strace's "Process N attached" messages (see dtl/sink.h). */
#include <dtl/sink.h>

#include <stdlib.h>

struct notice_sink {
	FILE *out;
};

void *dtl_notice_sink_new(FILE *out)
{
	struct notice_sink *n = calloc(1, sizeof(*n));
	if (n)
		n->out = out;
	return n;
}

static void notice_attached(void *sink, struct dtl_session *s, const struct dtl_task *t)
{
	struct notice_sink *n = sink;
	(void)s;
	fprintf(n->out, "dtrace-lite: Process %d attached\n", t->tid);
}

const struct dtl_sink_ops dtl_notice_sink_ops = {
    .attached = notice_attached,
    .destroy = free,
};
