// SPDX-License-Identifier: MIT
/* Choosing a backend at dune_init (DUNE_BACKEND overrides). */
#include "backend/backend.h"

#include <stdio.h>
#include <string.h>

const struct dune_backend_ops *dune_backend;

/* In order of preference: the module's is the cheaper one where it runs.
 * The last needs nothing installed, so its reason is the one shown when
 * none works. */
static const struct dune_backend_ops *const backends[] = {
    &dune_kmod_backend,
    &dune_kvm_backend,
};

#define NR_BACKENDS (sizeof(backends) / sizeof(backends[0]))

const struct dune_backend_ops *dune_backend_choose(const char *want, char *why, size_t len)
{
	char reason[512];

	if (want) {
		for (size_t i = 0; i < NR_BACKENDS; i++) {
			if (strcmp(backends[i]->name, want) != 0)
				continue;
			if (backends[i]->probe(reason, sizeof(reason)) == 0)
				return backends[i];
			snprintf(why, len, "DUNE_BACKEND=%s: %s", want, reason);
			return NULL;
		}
		snprintf(why, len, "DUNE_BACKEND=%s: no such backend (libdune has kvm and kmod)",
		         want);
		return NULL;
	}
	for (size_t i = 0; i < NR_BACKENDS; i++) {
		if (backends[i]->probe(reason, sizeof(reason)) == 0)
			return backends[i];
	}
	snprintf(why, len, "no usable backend: %s", reason);
	return NULL;
}
