// SPDX-License-Identifier: MIT
/* Resolving and arming the watchpoints in this image (dtl/watch_runtime.h). */
#define _GNU_SOURCE
#include <dtl/elf_symbols.h>
#include <dtl/watch_engine.h>
#include <dtl/watch_live.h>
#include <dtl/watch_runtime.h>
#include <dtl/watch_spec.h>

#include <errno.h>
#include <link.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OBJECTS_MAX 64

struct object {
	uintptr_t base;
	char path[PATH_MAX];
};

struct objects {
	int n;
	struct object o[OBJECTS_MAX];
};

static int collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct objects *objs = arg;
	(void)size;
	if (objs->n >= OBJECTS_MAX)
		return 1;
	struct object *o = &objs->o[objs->n];
	if (!info->dlpi_name[0]) {
		/* the program itself (the first entry) */
		ssize_t n = objs->n ? -1 : readlink("/proc/self/exe", o->path, sizeof(o->path) - 1);
		if (n <= 0)
			return 0; /* the vDSO has no file */
		o->path[n] = 0;
	} else if (info->dlpi_name[0] == '/' && strlen(info->dlpi_name) < sizeof(o->path)) {
		strcpy(o->path, info->dlpi_name);
	} else {
		return 0;
	}
	o->base = info->dlpi_addr;
	objs->n++;
	return 0;
}

static int resolve(const struct dtl_watch_spec *w, const struct objects *objs, uintptr_t *addr)
{
	if (!w->symbol[0] && !w->object[0]) {
		*addr = w->offset; /* an address */
		return 0;
	}
	if (!w->symbol[0]) {
		/* an address in that object (FILE::NAME) */
		for (int i = 0; i < objs->n; i++)
			if (dtl_watch_object_names(w->object, objs->o[i].path)) {
				*addr = objs->o[i].base + w->offset;
				return 0;
			}
		return -ENOENT;
	}
	int err = -ENOENT;
	/* thousands of watchpoints on one symbol (NAME+OFF:LEN): its file
	 * read once */
	static struct {
		int object;
		char symbol[DTL_WATCH_NAME_MAX];
		uint64_t value;
	} last = {.object = -1};
	/* the program first, then its libraries in load order */
	for (int i = 0; i < objs->n; i++) {
		if (!dtl_watch_object_names(w->object, objs->o[i].path))
			continue;
		if (last.object == i && !strcmp(last.symbol, w->symbol)) {
			*addr = objs->o[i].base + last.value + w->offset;
			return 0;
		}
		struct dtl_elf_symbol sym;
		int r = dtl_elf_symbol_find(objs->o[i].path, w->symbol, &sym, NULL);
		if (r == 0) {
			last.object = i;
			snprintf(last.symbol, sizeof(last.symbol), "%s", w->symbol);
			last.value = sym.value;
			*addr = objs->o[i].base + sym.value + w->offset;
			return 0;
		}
		if (r == -EEXIST)
			err = r;
	}
	return err;
}

void dtl_watch_note_images(void)
{
	struct objects *objs = calloc(1, sizeof(*objs));
	if (!objs)
		return;
	dl_iterate_phdr(collect, objs);
	for (int i = 0; i < objs->n; i++)
		dtl_watch_note_image(objs->o[i].base, objs->o[i].path);
	free(objs);
}

bool dtl_watch_runtime_init(const struct dtl_ring *ring, size_t mapped)
{
	size_t len;
	const char *config = dtl_ring_config(ring, mapped, &len);
	if (!config)
		return false;
	dtl_watch_set_backtraces(dtl_config_flag(config, len, DTL_WATCH_BT_KEY));
	/* --control: the mailbox, where the configuration says */
	uint64_t at;
	struct dtl_watch_mailbox *mb = NULL;
	if (dtl_config_value(config, len, DTL_WATCH_MAILBOX_KEY, &at) && !(at & 7) &&
	    at <= mapped && mapped - at >= sizeof(*mb)) {
		mb = (struct dtl_watch_mailbox *)((char *)ring + at);
		if (mb->magic != DTL_WATCH_MAILBOX_MAGIC)
			mb = NULL;
	}
	dtl_watch_use_mailbox(mb);
	int n = dtl_watch_spec_parse_all(config, len, NULL, DTL_WATCH_MAX);
	if (!n && !mb)
		return false;
	struct dtl_watch_spec *specs = calloc((size_t)n + 1, sizeof(*specs));
	struct objects *objs = calloc(1, sizeof(*objs));
	if (!objs || !specs) {
		free(specs);
		free(objs);
		return false;
	}
	n = dtl_watch_spec_parse_all(config, len, specs, n);
	dl_iterate_phdr(collect, objs);
	for (int i = 0; i < objs->n; i++)
		dtl_watch_note_image(objs->o[i].base, objs->o[i].path);
	for (int i = 0; i < n; i++) {
		uintptr_t addr;
		int r = resolve(&specs[i], objs, &addr);
		if (r)
			dtl_watch_unresolved(specs[i].id, r);
		else
			dtl_watch_arm(&specs[i], addr);
	}
	free(specs);
	free(objs);
	return true;
}
